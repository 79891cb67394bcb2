//! One file per page, and the routes of the main module (officers and schools). The
//! dashboard's and the administrator's modules have theirs in [`dashboard`] and [`admin`].

pub mod admin;
pub mod dashboard;
pub mod home;
pub mod import;
pub mod log_session;
pub mod login;
pub mod recent;
pub mod school;
pub mod sessions;

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
    use home::Home;
    use sessions::{EditSession, StationSessions};
    view! {
        <Routes fallback=|| view! { <p>{tr(T::NotFound)}</p> }>
            <Route path=path!("/") view=Home />
            // A school's link: the router read the address before the secret was taken out
            // of it.
            <Route path=path!("/s") view=Home />
            <Route path=path!("/sessions") view=StationSessions />
            <Route path=path!("/sessions/:id") view=EditSession />
        </Routes>
    }
    .into_any()
}
