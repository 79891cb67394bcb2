//! 本所记录: the sessions the viewer may see (an officer: the station's), a page at a time,
//! newest first, each with a link to edit it and a button to delete it; and the edit page.

use humiao_shared::session::Session;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::{error_notice, Problem, SessionForm, SessionTable};
use crate::i18n::{lang, tr, T};

const PAGE: i64 = 50;

#[component]
pub fn StationSessions() -> impl IntoView {
    let page = RwSignal::new(1i64);
    // Deletes a session at the version it was read; the list refetches after each.
    let delete = Action::new_local(|&(id, version): &(i64, i64)| async move {
        api::delete_session(id, version).await
    });
    let problem = Signal::derive(move || {
        delete.value().with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().err().map(|e| e.to_string()))
        })
    });
    let outbox = use_context::<crate::outbox::Outbox>();
    let sessions = LocalResource::new(move || {
        delete.version().track();
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
        if sure {
            delete.dispatch((id, version));
        }
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
