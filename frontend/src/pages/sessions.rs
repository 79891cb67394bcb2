//! 本所记录: the sessions the viewer may see (an officer: the station's), a page at a time,
//! newest first, each with a link to edit it and a button to delete it; and the edit page.

use humiao_shared::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::{error_notice, Problem};
use crate::i18n::{lang, tr, T};
use crate::pages::log_session::SessionForm;

const PAGE: i64 = 50;

#[component]
pub fn StationSessions() -> impl IntoView {
    let page = RwSignal::new(1i64);
    let refresh = RwSignal::new(0u32);
    let problem = RwSignal::new(None::<String>);
    let outbox = use_context::<crate::outbox::Outbox>();
    let sessions = LocalResource::new(move || {
        refresh.track();
        if let Some(o) = outbox {
            o.sent.track();
        }
        let query = format!("limit={PAGE}&page={}", page.get());
        api::sessions_page_owned(query)
    });
    let on_delete = Callback::new(move |(id, version): (i64, i64)| {
        let sure = window()
            .confirm_with_message(T::ConfirmDelete.get(lang()))
            .unwrap_or(false);
        if !sure {
            return;
        }
        spawn_local(async move {
            match api::delete_session(id, version).await {
                Ok(()) => {
                    problem.set(None);
                    refresh.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    });
    view! {
        <h1>{tr(T::StationSessions)}</h1>
        <Problem problem=problem />
        <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    sessions.await.map(|(list, total)| {
                        let pages = ((total + PAGE - 1) / PAGE).max(1);
                        if list.is_empty() {
                            view! { <p class="muted empty">{tr(T::NoSessions)}</p> }.into_any()
                        } else {
                            view! {
                                <SessionTable sessions=list id="station-sessions" editable=true on_delete=on_delete />
                                <nav class="pager inline" aria-label=tr(T::StationSessions)>
                                    <button type="button" class="secondary" disabled=move || page.get() <= 1
                                        on:click=move |_| page.update(|p| *p -= 1)>{tr(T::Previous)}</button>
                                    <span>{move || format!("{} / {pages}", page.get())}</span>
                                    <button type="button" class="secondary" disabled=move || { page.get() >= pages }
                                        on:click=move |_| page.update(|p| *p += 1)>{tr(T::Next)}</button>
                                </nav>
                            }.into_any()
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// `/sessions/:id`: the form, filled with the session, to edit it.
#[component]
pub fn EditSession() -> impl IntoView {
    let params = use_params_map();
    let session = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
        async move { api::get_json::<Session>(&format!("/api/v1/sessions/{}", id.unwrap_or(0))).await }
    });
    view! {
        <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    session.await.map(|s| view! { <SessionForm editing=Some(s) /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// A table of sessions; with `editable`, each row links to its edit page.
#[component]
pub fn SessionTable(
    sessions: Vec<Session>,
    id: &'static str,
    editable: bool,
    #[prop(optional)] on_delete: Option<Callback<(i64, i64)>>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table id=id>
                <thead>
                    <tr>
                        <th>{tr(T::Date)}</th><th>{tr(T::Station)}</th><th>{tr(T::Venue)}</th>
                        <th>{tr(T::Format)}</th><th class="num">{tr(T::PersonTimes)}</th>
                        {editable.then(|| view! { <th></th> })}
                    </tr>
                </thead>
                <tbody>
                    {sessions.into_iter().map(|s| {
                        let (sid, version) = (s.id, s.version);
                        let format = s.format;
                        view! {
                            <tr data-session=sid.to_string()>
                                <td>{s.held_on.to_string()}</td>
                                <td>{s.station}</td>
                                <td class="venue">{s.venue}</td>
                                <td>{move || format.label(lang())}</td>
                                <td class="num">{s.audience.total()}</td>
                                {editable.then(|| view! {
                                    <td class="actions">
                                        <a href=format!("/sessions/{sid}")>{tr(T::Edit)}</a>
                                        " "
                                        <button type="button" class="link danger"
                                            on:click=move |_| if let Some(cb) = on_delete { cb.run((sid, version)) }>
                                            {tr(T::Delete)}
                                        </button>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
