//! Humiao's web app, rendered in the browser from WASM.
//!
//! Two modules are built from this library, one per binary: `humiao_frontend` (officers,
//! schools and leaders: the pages people open on phones) and `humiao_admin` (the
//! administrator's records, accounts, links and imports, served at `/admin`). Each binary
//! names its own routes, so the linker leaves the other's pages out and a phone never
//! downloads the admin pages.

pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod outbox;
pub mod pages;

pub use app::Bundle;

/// Mounts the app: the shared shell around `bundle`'s routes.
pub fn start(bundle: Bundle) {
    console_error_panic_hook::set_once();
    if let Some(loading) = leptos::prelude::document().get_element_by_id("loading") {
        loading.remove();
    }
    leptos::mount::mount_to_body(move || app::App(app::AppProps { bundle }));
}
