//! One kind of record: a searchable, paged table whose rows can be edited (the form below
//! fills in with the row) or deleted, and the form to add or edit one. Where the kind
//! declares filters (a school's district, station and kind), each is a choice above the
//! table, and a station offered is one of the district chosen; ids of other records show
//! as their names, codes of a fixed list as their labels.

use humiao_shared::outcome::Indicator;
use humiao_shared::record::{Field, FieldKind};
use humiao_shared::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::form::RecordForm;
use super::sections::{say, Section};
use crate::api;
use crate::components::{error_notice, Problem};
use crate::i18n::{count_of, lang, page_of, tr, T};

pub(super) const PAGE: i64 = 20;

/// The records of the collections a section names by id (a school's district and station),
/// read once for the filters' choices and the table's names. A list that fails to load
/// leaves its ids showing as numbers; the table's own request reports the failure.
#[derive(Clone, Copy)]
pub(super) struct Referred(LocalResource<Vec<(&'static str, Vec<Value>)>>);

impl Referred {
    pub(super) fn of(section: Section) -> Referred {
        Referred(LocalResource::new(move || async move {
            let mut lists = Vec::new();
            for collection in section.referred() {
                let path = format!("/api/v1/{collection}?limit=1000");
                let list = api::get_json::<Vec<Value>>(&path).await.unwrap_or_default();
                lists.push((collection, list));
            }
            lists
        }))
    }

    /// The records of `collection` (tracked).
    fn list(&self, collection: &str) -> Vec<Value> {
        self.0
            .get()
            .and_then(|lists| lists.into_iter().find(|(c, _)| *c == collection))
            .map(|(_, list)| list)
            .unwrap_or_default()
    }

    /// The name of record `id` of `collection`, when it is loaded.
    fn name(&self, collection: &str, id: &Value) -> Option<String> {
        self.list(collection)
            .iter()
            .find(|r| r.get("id") == Some(id))
            .map(record_name)
    }
}

/// The table of one kind of record and the form to add or edit one.
#[component]
pub(super) fn RecordsPage(section: Section) -> impl IntoView {
    let page = RwSignal::new(1i64);
    let search = RwSignal::new(String::new());
    let refresh = RwSignal::new(0u32);
    // The record the form is editing; none while it adds one.
    let editing = RwSignal::new(None::<Value>);
    let referred = Referred::of(section);
    // The value chosen for each declared filter ("" for any), in the declared order.
    let chosen: Vec<(&'static str, RwSignal<String>)> = section
        .filters
        .iter()
        .map(|key| (*key, RwSignal::new(String::new())))
        .collect();
    let chosen = StoredValue::new(chosen);
    let rows = LocalResource::new(move || {
        refresh.track();
        let q = search.get();
        let mut path = format!("{}?limit={PAGE}&page={}", section.path(), page.get());
        if !q.trim().is_empty() {
            path.push_str(&format!("&q={}", js_sys::encode_uri_component(q.trim())));
        }
        chosen.with_value(|chosen| {
            for (key, value) in chosen {
                let value = value.get();
                if !value.is_empty() {
                    path.push_str(&format!("&{key}={}", js_sys::encode_uri_component(&value)));
                }
            }
        });
        async move { api::list_with_total::<Value>(&path).await }
    });
    view! {
        <section class="card" id=format!("admin-{}", section.slug)>
            <h2>{section.title()}</h2>
            <div class="inline search">
                <label for="admin-search">{tr(T::Search)}</label>
                <input id="admin-search" type="search" prop:value=move || search.get()
                    placeholder=move || section.search_code.then(|| T::NameOrCode.get(lang()))
                    on:input=move |ev| { page.set(1); search.set(event_target_value(&ev)) } />
                <a class="button" href=format!("{}?format=xlsx", section.path()) download="">"Excel"</a>
                <a class="button" href=format!("{}?format=csv", section.path()) download="">"CSV"</a>
            </div>
            {(!section.filters.is_empty()).then(|| view! {
                <div class="list-filters">
                    {chosen.get_value().into_iter().filter_map(|(key, value)| {
                        let field = section.kind.field(key)?;
                        let within = within_of(key, &chosen.get_value());
                        Some(view! {
                            <ListFilter section=section field=field value=value within=within
                                referred=referred on_change=move || page.set(1) />
                        })
                    }).collect_view()}
                </div>
            })}
            <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
                <ErrorBoundary fallback=error_notice>
                    {move || Suspend::new(async move {
                        rows.await.map(|(list, total)| view! {
                            <RecordTable section=section rows=list total=total refresh=refresh
                                editing=editing referred=referred />
                            <Pager page=page total=total />
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
        <RecordForm section=section editing=editing on_saved=move || refresh.update(|n| *n += 1) />
    }
}

/// The value a station's choices are narrowed by: the district chosen beside it (its
/// records carry `district_id`).
pub(super) fn within_of(
    key: &str,
    values: &[(&'static str, RwSignal<String>)],
) -> Option<RwSignal<String>> {
    (key == "station_id")
        .then(|| {
            values
                .iter()
                .find(|(k, _)| *k == "district_id")
                .map(|(_, v)| *v)
        })
        .flatten()
}

/// Whether a record offered as a choice lies in the district chosen (any, when none is).
pub(super) fn lies_within(record: &Value, within: Option<RwSignal<String>>) -> bool {
    let Some(district) = within.map(|w| w.get()).filter(|d| !d.is_empty()) else {
        return true;
    };
    record.get("district_id").map(Value::to_string) == Some(district)
}

/// One filter of a list: a record of another collection (a district, a station of the
/// district chosen) or a code of a fixed list (a school's kind).
#[component]
fn ListFilter(
    section: Section,
    field: &'static Field,
    value: RwSignal<String>,
    within: Option<RwSignal<String>>,
    referred: Referred,
    on_change: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let id = format!("filter-{}-{}", section.slug, field.key);
    let options = move || -> Vec<(String, String)> {
        match field.kind {
            FieldKind::Ref(collection) => referred
                .list(collection)
                .into_iter()
                .filter(|r| lies_within(r, within))
                .map(|r| {
                    let key = r.get("id").map(Value::to_string).unwrap_or_default();
                    (key, record_name(&r))
                })
                .collect(),
            FieldKind::Choice(choices) => choices()
                .into_iter()
                .map(|c| (c.code.to_string(), c.label.get(lang()).to_string()))
                .collect(),
            _ => Vec::new(),
        }
    };
    // A district chosen anew takes back a station of another district.
    if within.is_some() {
        Effect::new(move || {
            let chosen = value.get();
            if chosen.is_empty() || referred.0.get().is_none() {
                return;
            }
            if !options().iter().any(|(key, _)| *key == chosen) {
                value.set(String::new());
            }
        });
    }
    view! {
        <div class="field">
            <label for=id.clone()>{say(field.label)}</label>
            <select id=id on:change=move |ev| { value.set(event_target_value(&ev)); on_change() }>
                <option value="" selected=move || value.get().is_empty()>{tr(T::All)}</option>
                {move || options().into_iter().map(|(key, name)| {
                    let chosen = key.clone();
                    view! { <option value=key selected=move || value.get() == chosen>{name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn RecordTable(
    section: Section,
    rows: Vec<Value>,
    total: i64,
    refresh: RwSignal<u32>,
    editing: RwSignal<Option<Value>>,
    referred: Referred,
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
            <table class="records cards-on-phone">
                <caption>{move || format!("{} · {}", section.title()(), count_of(lang(), total))}</caption>
                <thead><tr>
                    {section.columns.iter().map(|(key, heading)| view! { <th scope="col">{section.heading(key, *heading)}</th> }).collect_view()}
                    {has_buttons.then(|| view! { <th scope="col"><span class="visually-hidden">{tr(T::Actions)}</span></th> })}
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
                        let cells = section.columns.iter().map(|(key, heading)| {
                            let row = row.clone();
                            let field = section.kind.field(key);
                            // On a phone each row reads as a card, each value after its heading.
                            view! {
                                <td data-key=*key data-label=section.heading(key, *heading)>
                                    {move || cell_text(&row, key, field, referred, lang())}
                                </td>
                            }
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

/// A record's value as a table shows it: another record (an id) by its name, a code of a
/// fixed list by its label; hidden outcome counts (`null`) read "*".
fn cell_text(
    row: &Value,
    key: &str,
    field: Option<&'static Field>,
    referred: Referred,
    lang: Lang,
) -> String {
    match (field.map(|f| f.kind), row.get(key)) {
        (Some(FieldKind::Ref(collection)), Some(id)) if !id.is_null() => {
            return referred
                .name(collection, id)
                .unwrap_or_else(|| id.to_string());
        }
        (Some(FieldKind::Choice(choices)), Some(Value::String(code))) => {
            if let Some(c) = choices().into_iter().find(|c| c.code == code.as_str()) {
                return c.label.get(lang).to_string();
            }
        }
        _ => {}
    }
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
            <span>{move || page_of(lang(), page.get(), pages, total)}</span>
            <button type="button" class="secondary" disabled=move || { page.get() >= pages }
                on:click=move |_| page.update(|p| *p += 1)>{tr(T::Next)}</button>
        </nav>
    }
}
