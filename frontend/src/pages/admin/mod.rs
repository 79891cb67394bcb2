//! 管理: what the city office keeps — stations, schools, films, campaigns, trainings and
//! their trainees, outcome figures, accounts, school links and the QR sheet. These pages are
//! a module of their own ([`BUNDLE`]), so the officers' phones never download them.
//!
//! The record kinds share one page shape, driven by a [`sections::Section`] over the kind's
//! declaration in `shared` (`humiao_shared::record`): a searchable, paged table ([`records`])
//! whose rows can be edited or deleted, and a form to add or edit a record ([`form`]) with
//! the declared fields and labels. The form builds the same JSON the API takes, runs the
//! shared `New*::validate` rule on it before sending (JSON that does not fit `New*` is a
//! field error too), and shows the browser's or the server's field messages beside the
//! inputs.

mod form;
mod links;
mod records;
mod sections;

use humiao_shared::account::Role;
use leptos::prelude::*;
use leptos_router::components::{Route, Routes, A};
use leptos_router::hooks::use_params_map;
use leptos_router::path;

use crate::app::Bundle;
use crate::i18n::{tr, T};
use links::LinksPage;
use records::RecordsPage;
use sections::SECTIONS;

/// The administrator's module, served at `/admin`.
pub const BUNDLE: Bundle = Bundle {
    module: humiao_shared::app::AppModule::Admin,
    routes: || {
        view! {
            <Routes fallback=|| view! { <p>{tr(T::NotFound)}</p> }>
                <Route path=path!("/admin") view=Admin />
                <Route path=path!("/admin/:section") view=Admin />
            </Routes>
        }
        .into_any()
    },
};

#[component]
pub fn Admin() -> impl IntoView {
    // The server refuses everyone else's calls anyway; this spares them a page of errors.
    let is_admin =
        use_context::<humiao_shared::account::Me>().is_some_and(|m| m.role == Role::Admin);
    if !is_admin {
        return view! { <p>{tr(T::NotFound)}</p> }.into_any();
    }
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("section").unwrap_or_else(|| "stations".into()));
    view! {
        <h1>{tr(T::AdminTitle)}</h1>
        <nav class="tabs" aria-label=tr(T::AdminTitle)>
            {SECTIONS.iter().map(|s| view! {
                <A href=format!("/admin/{}", s.slug)>{s.title()}</A>
            }).collect_view()}
            <A href="/admin/links">{tr(T::Links)}</A>
            <A href="/admin/import">{tr(T::Import)}</A>
        </nav>
        {move || {
            let slug = slug();
            match SECTIONS.iter().find(|s| s.slug == slug) {
                Some(section) => view! { <RecordsPage section=*section /> }.into_any(),
                None if slug == "links" => view! { <LinksPage /> }.into_any(),
                None if slug == "import" => view! { <crate::pages::import::ImportPage /> }.into_any(),
                None => view! { <p>{tr(T::NotFound)}</p> }.into_any(),
            }
        }}
    }
    .into_any()
}
