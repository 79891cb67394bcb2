//! HTTP routes: one module per resource, each with its own `configure`.

pub mod aggregates;
mod app;
pub mod audit;
pub mod auth;
pub mod case_viewers;
pub mod charts;
pub mod completeness;
pub mod dashboard;
mod health;
pub mod imports;
pub mod links;
pub mod org;
pub mod registers_from;
pub mod todo;
pub mod users;

use std::collections::BTreeSet;

use actix_web::web;

use crate::error::ApiError;
use crate::mount::{self, Operation};

/// Each route family mounts its paths with this (see [`crate::mount`]).
pub use crate::mount::resource;
pub use app::configure as configure_app;

/// Everything under `/api` but the API document and its page, which `startup` mounts
/// before this (the `/api` scope's fallback would otherwise answer 404 for them), so that
/// the document, which describes these routes, is not also imported by them.
pub fn configure_api(cfg: &mut web::ServiceConfig) {
    // An id that is not a number names nothing: 404 like any other unknown id.
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()));
    cfg.service(mount::under("/api", || {
        web::scope("/api")
            .configure(health::configure)
            .service(mount::under("/v1", || {
                web::scope("/v1")
                    .wrap(actix_web::middleware::from_fn(
                        crate::auth::csrf::same_origin,
                    ))
                    .configure(auth::configure)
                    .configure(links::configure)
                    .configure(org::configure)
                    .configure(registered)
                    .configure(case_viewers::configure)
                    .configure(crate::returns::configure)
                    .configure(crate::returns::digest::configure)
                    .configure(registers_from::configure)
                    .configure(aggregates::configure)
                    .configure(charts::configure)
                    .configure(dashboard::configure)
                    .configure(completeness::configure)
                    .configure(audit::configure)
                    .configure(users::configure)
                    .configure(imports::configure)
                    .configure(todo::configure)
                    .default_service(web::to(not_found))
            }))
            .default_service(web::to(not_found))
    }));
}

/// The routes of every record in [`crate::registry::RESOURCES`].
fn registered(cfg: &mut web::ServiceConfig) {
    for resource in crate::registry::RESOURCES {
        (resource.configure)(cfg);
    }
}

/// Every operation the server mounts (method and path), recorded while the same
/// `configure` functions the server runs build a throwaway app: what the API document is
/// compared with.
pub fn mounted() -> BTreeSet<Operation> {
    mount::recording(|| {
        let _ = actix_web::App::new()
            .configure(configure_api)
            .configure(crate::report::configure);
    })
}

async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}
