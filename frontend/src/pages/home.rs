//! The first page: a school's screenings for a school, the session form for officers and
//! administrators. A leader's first page is the dashboard, a module of its own: the browser
//! is sent there.

use humiao_shared::account::{Me, Role};
use leptos::prelude::*;

use crate::i18n::{tr, T};
use crate::pages::{log_session::LogSession, school::SchoolScreenings};

#[component]
pub fn Home() -> impl IntoView {
    match use_context::<Me>() {
        Some(Me {
            role: Role::School,
            school_id: Some(school_id),
            ..
        }) => view! { <SchoolScreenings school_id=school_id /> }.into_any(),
        Some(Me {
            role: Role::Leader, ..
        }) => {
            // `replace`: the back button should not return to a page that only redirects.
            let _ = window().location().replace("/dashboard");
            view! { <p class="loading">{tr(T::Loading)}</p> }.into_any()
        }
        _ => view! { <LogSession /> }.into_any(),
    }
}
