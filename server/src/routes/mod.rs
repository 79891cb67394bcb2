//! HTTP routes: one module per resource, each with its own `configure`.

mod aggregates;
mod app;
mod audit;
mod charts;
mod health;
mod reference;
mod sessions;

use actix_web::web;

use crate::error::ApiError;

pub use app::configure as configure_app;

/// Everything under `/api`.
pub fn configure_api(cfg: &mut web::ServiceConfig) {
    // An id that is not a number names nothing: 404 like any other unknown id.
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()));
    cfg.service(
        web::scope("/api")
            .configure(health::configure)
            .service(
                web::scope("/v1")
                    .configure(reference::configure)
                    .configure(sessions::configure)
                    .configure(aggregates::configure)
                    .configure(charts::configure)
                    .configure(audit::configure)
                    .default_service(web::to(not_found)),
            )
            .default_service(web::to(not_found)),
    );
}

async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}
