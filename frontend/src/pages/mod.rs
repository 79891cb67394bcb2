//! One file per page, and the routes of the main module (officers and schools, and
//! everyone's 月报 and 待办 pages, light enough for a phone). The
//! dashboard's and the administrator's modules have theirs in [`dashboard`] and [`admin`].
//!
//! Pages import `api`, `components` and `i18n`, never one another: only the routes here
//! name pages.

pub mod admin;
pub mod case;
pub mod cases;
pub mod dashboard;
pub mod import;
pub mod log_session;
pub mod login;
pub mod my_cases;
pub mod returns;
pub mod school;
pub mod sessions;
pub mod station_registers;
pub mod todo;

use humiao_shared::account::{Me, Role};
use humiao_shared::app::AppModule;
use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::path;

use crate::app::Bundle;
use crate::i18n::{tr, T};

/// The module officers and schools open on phones.
pub const MAIN: Bundle = Bundle {
    module: AppModule::Main,
    routes: main_routes,
};

fn main_routes() -> AnyView {
    use sessions::{EditSession, StationSessions};
    view! {
        <Routes fallback=|| view! { <p>{tr(T::NotFound)}</p> }>
            <Route path=path!("/") view=Home />
            // A school's link: the router read the address before the secret was taken out
            // of it.
            <Route path=path!("/s") view=Home />
            <Route path=path!("/sessions") view=StationSessions />
            <Route path=path!("/sessions/:id") view=EditSession />
            <Route path=path!("/returns") view=returns::Returns />
            <Route path=path!("/todo") view=todo::TodoPage />
            <Route path=path!("/todo/reminders") view=todo::Reminders />
            <Route path=path!("/cases") view=cases::StationCases />
            <Route path=path!("/cases/:id") view=case::CasePage />
            <Route path=path!("/calls") view=station_registers::StationRegisters />
            <Route path=path!("/import") view=OfficerImport />
        </Routes>
    }
    .into_any()
}

/// 导入 for officers: the kinds an officer may import (their own station's).
#[component]
fn OfficerImport() -> impl IntoView {
    use humiao_shared::import::ImportKind;
    const KINDS: &[ImportKind] = &[
        ImportKind::Cases,
        ImportKind::Volunteers,
        ImportKind::Sessions,
    ];
    view! { <import::ImportPage kinds=KINDS /> }
}

/// The first page: a school's screenings for a school, a volunteer's cases for a
/// volunteer, the session form for officers and administrators. A leader's first page is the dashboard, a module of its own: the browser
/// is sent there.
#[component]
fn Home() -> impl IntoView {
    match use_context::<Me>() {
        Some(Me {
            role: Role::School,
            school_id: Some(school_id),
            ..
        }) => view! { <school::SchoolScreenings school_id=school_id /> }.into_any(),
        Some(Me {
            role: Role::Volunteer,
            ..
        }) => view! { <my_cases::MyCases /> }.into_any(),
        Some(Me {
            role: Role::Leader, ..
        }) => {
            // `replace`: the back button should not return to a page that only redirects.
            let _ = window().location().replace("/dashboard");
            view! { <p class="loading">{tr(T::Loading)}</p> }.into_any()
        }
        _ => view! { <log_session::LogSession /> }.into_any(),
    }
}
