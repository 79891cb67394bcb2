//! 记录宣讲: the page an officer opens to log a session, with the latest sessions under
//! the form (see `components::SessionForm`).

use leptos::prelude::*;

use crate::components::SessionForm;

/// The page to log a new session.
#[component]
pub fn LogSession() -> impl IntoView {
    view! { <SessionForm editing=None /> }
}
