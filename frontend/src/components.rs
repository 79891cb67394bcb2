//! Small pieces shared by the pages.

use leptos::prelude::*;

/// What an `ErrorBoundary` shows when a remote read failed: the first error's message.
pub fn error_notice(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <p class="notice bad" role="alert">
            {move || errors.get().into_iter().next().map(|(_, e)| e.to_string())}
        </p>
    }
}
