//! The latest sessions, under the entry form.

use leptos::prelude::*;

use crate::api;
use crate::components::{error_notice, SessionTable};
use crate::i18n::{tr, T};

#[component]
pub fn RecentSessions(
    /// The session the form stored last: the list refetches when it changes.
    #[prop(into)]
    refetch: Signal<Option<i64>>,
) -> impl IntoView {
    let outbox = use_context::<crate::outbox::Outbox>();
    let sessions = LocalResource::new(move || {
        refetch.track();
        if let Some(o) = outbox {
            o.sent.track();
        }
        api::sessions_page("limit=10")
    });
    view! {
        <h2>{tr(T::Recent)}</h2>
        <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    sessions.await.map(|(list, _)| {
                        if list.is_empty() {
                            view! { <p class="muted empty">{tr(T::NoSessions)}</p> }.into_any()
                        } else {
                            view! { <SessionTable sessions=list id="recent-sessions" editable=false /> }.into_any()
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
