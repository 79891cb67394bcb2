//! Humiao's web app, rendered in the browser from WASM.

mod api;
mod app;
mod components;
mod i18n;
mod outbox;
mod pages;

fn main() {
    console_error_panic_hook::set_once();
    if let Some(loading) = leptos::prelude::document().get_element_by_id("loading") {
        loading.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
