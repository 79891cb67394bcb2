//! One kind of record: a searchable, paged table whose rows can be edited (the form below
//! fills in with the row) or deleted, and the form to add or edit one.

use humiao_shared::outcome::Indicator;
use humiao_shared::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::form::RecordForm;
use super::sections::Section;
use crate::api;
use crate::components::{error_notice, Problem};
use crate::i18n::{lang, tr, T};

pub(super) const PAGE: i64 = 20;

/// The table of one kind of record and the form to add or edit one.
#[component]
pub(super) fn RecordsPage(section: Section) -> impl IntoView {
    let page = RwSignal::new(1i64);
    let search = RwSignal::new(String::new());
    let refresh = RwSignal::new(0u32);
    // The record the form is editing; none while it adds one.
    let editing = RwSignal::new(None::<Value>);
    let rows = LocalResource::new(move || {
        refresh.track();
        let q = search.get();
        let mut path = format!("{}?limit={PAGE}&page={}", section.path(), page.get());
        if !q.trim().is_empty() {
            path.push_str(&format!("&q={}", js_sys::encode_uri_component(q.trim())));
        }
        async move { api::list_with_total::<Value>(&path).await }
    });
    view! {
        <section class="card" id=format!("admin-{}", section.slug)>
            <h2>{section.title()}</h2>
            <div class="inline">
                <label for="admin-search">{tr(T::Search)}</label>
                <input id="admin-search" type="search" prop:value=move || search.get()
                    on:input=move |ev| { page.set(1); search.set(event_target_value(&ev)) } />
                <a class="button" href=format!("{}?format=xlsx", section.path()) download="">"Excel"</a>
                <a class="button" href=format!("{}?format=csv", section.path()) download="">"CSV"</a>
            </div>
            <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
                <ErrorBoundary fallback=error_notice>
                    {move || Suspend::new(async move {
                        rows.await.map(|(list, total)| view! {
                            <RecordTable section=section rows=list refresh=refresh editing=editing />
                            <Pager page=page total=total />
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
        <RecordForm section=section editing=editing on_saved=move || refresh.update(|n| *n += 1) />
    }
}

#[component]
fn RecordTable(
    section: Section,
    rows: Vec<Value>,
    refresh: RwSignal<u32>,
    editing: RwSignal<Option<Value>>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let act = move |id: i64, action: &'static str| {
        spawn_local(async move {
            let path = format!("{}/{id}/{action}", section.path());
            match api::post_empty(&path).await {
                Ok(()) => refresh.update(|n| *n += 1),
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    };
    let delete = move |id: i64, version: i64| {
        let sure = window()
            .confirm_with_message(T::ConfirmDeleteRecord.get(lang()))
            .unwrap_or(false);
        if !sure {
            return;
        }
        spawn_local(async move {
            let path = format!("{}/{id}", section.path());
            match api::delete_versioned(&path, version).await {
                Ok(()) => {
                    problem.set(None);
                    // The form must not go on editing a record that is gone.
                    if editing.with_untracked(|e| e.as_ref().and_then(record_id) == Some(id)) {
                        editing.set(None);
                    }
                    refresh.update(|n| *n += 1);
                }
                // Still in use (a school with sessions, say): the server says by what.
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    };
    if rows.is_empty() {
        return view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any();
    }
    let has_buttons = section.editable || !section.actions.is_empty();
    view! {
        <div class="table-wrap">
            <table class="records">
                <thead><tr>
                    {section.columns.iter().map(|(key, heading)| view! { <th>{section.heading(key, *heading)}</th> }).collect_view()}
                    {has_buttons.then(|| view! { <th></th> })}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let id = record_id(&row).unwrap_or_default();
                        let version = row.get("version").and_then(Value::as_i64).unwrap_or_default();
                        let actions = section.actions.iter().filter(|(_, _, shown)| shown(&row)).map(|(label, action, _)| {
                            let action: &'static str = action;
                            view! {
                                <button type="button" class="link" data-action=action
                                    on:click=move |_| act(id, action)>{tr(*label)}</button>
                            }
                        }).collect_view();
                        let cells = section.columns.iter().map(|(key, _)| {
                            let row = row.clone();
                            view! { <td>{move || cell_text(&row, key, lang())}</td> }
                        }).collect_view();
                        view! {
                            <tr data-id=id.to_string()>
                                {cells}
                                {has_buttons.then(|| view! {
                                    <td class="actions">
                                        {section.editable.then(|| {
                                            // Screen readers hear which record a button acts on.
                                            let name = record_name(&row);
                                            let name_too = name.clone();
                                            view! {
                                                <button type="button" class="link" data-action="edit"
                                                    aria-label=move || format!("{} {name}", tr(T::Edit)())
                                                    on:click=move |_| editing.set(Some(row.clone()))>{tr(T::Edit)}</button>
                                                <button type="button" class="link danger" data-action="delete"
                                                    aria-label=move || format!("{} {name_too}", tr(T::Delete)())
                                                    on:click=move |_| delete(id, version)>{tr(T::Delete)}</button>
                                            }
                                        })}
                                        {actions}
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Problem problem=problem />
    }
    .into_any()
}

/// What a record is called: its name or title, else its month (an outcome value).
fn record_name(record: &Value) -> String {
    ["name", "title", "username", "month"]
        .iter()
        .find_map(|key| record.get(*key).and_then(Value::as_str))
        .unwrap_or_default()
        .to_string()
}

pub(super) fn record_id(record: &Value) -> Option<i64> {
    record.get("id").and_then(Value::as_i64)
}

/// A record's value as a table shows it; hidden outcome counts (`null`) read "*".
fn cell_text(row: &Value, key: &str, lang: Lang) -> String {
    match row.get(key) {
        Some(Value::String(s)) => match key {
            "indicator" => {
                Indicator::from_code(s).map_or_else(|| s.clone(), |i| i.label(lang).into())
            }
            _ => s.clone(),
        },
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => if *b { "✓" } else { "—" }.into(),
        Some(Value::Null) if key == "value" => humiao_shared::outcome::display(None),
        _ => String::new(),
    }
}

#[component]
pub(super) fn Pager(page: RwSignal<i64>, total: i64) -> impl IntoView {
    let pages = ((total + PAGE - 1) / PAGE).max(1);
    view! {
        <nav class="pager inline" aria-label=tr(T::Pages)>
            <button type="button" class="secondary" disabled=move || page.get() <= 1
                on:click=move |_| page.update(|p| *p -= 1)>{tr(T::Previous)}</button>
            <span>{move || format!("{} / {pages} · {total}", page.get())}</span>
            <button type="button" class="secondary" disabled=move || { page.get() >= pages }
                on:click=move |_| page.update(|p| *p += 1)>{tr(T::Next)}</button>
        </nav>
    }
}
