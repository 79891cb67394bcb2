//! Pieces used by more than one page: notices, the session form and the session tables.
//!
//! Pages import from here (and from `api` and `i18n`), never from one another, so a page
//! can be moved or dropped without untangling the others.

mod outbox_status;
mod recent_sessions;
pub mod registers;
mod school_picker;
mod session_draft;
mod session_form;
mod session_table;

pub use recent_sessions::RecentSessions;
pub use session_form::SessionForm;
pub use session_table::SessionTable;

use leptos::prelude::*;

/// Today in China, whatever zone the device is set to: the server judges dates by it too.
pub fn today() -> chrono::NaiveDate {
    humiao_shared::campaign_today(chrono::Utc::now())
}

/// What an `ErrorBoundary` shows when a remote read failed: the first error's message.
pub fn error_notice(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <p class="notice bad" role="alert">
            {move || errors.get().into_iter().next().map(|(_, e)| e.to_string())}
        </p>
    }
}

/// A problem to show above a page or list, while there is one.
#[component]
pub fn Problem(#[prop(into)] problem: Signal<Option<String>>) -> impl IntoView {
    move || {
        problem
            .get()
            .map(|p| view! { <p class="notice bad" role="alert">{p}</p> })
    }
}

/// How the last save went, read out by screen readers as it changes: a confirmation, or
/// why it failed.
#[component]
pub fn SaveOutcome(outcome: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    view! {
        <div aria-live="polite">
            {move || outcome.get().map(|o| match o {
                Ok(text) => view! { <p class="notice ok" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="notice bad" role="alert">{text}</p> }.into_any(),
            })}
        </div>
    }
}

/// Tells the header's 待办 count that something it counts may have changed (a return moved,
/// a film confirmed), so that it asks again.
#[derive(Clone, Copy)]
pub struct TodoChanged(pub Trigger);

/// Notifies [`TodoChanged`], where the shell provided it.
pub fn todo_changed() {
    if let Some(TodoChanged(trigger)) = use_context::<TodoChanged>() {
        trigger.notify();
    }
}
