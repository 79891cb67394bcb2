//! `GET /api/health`: is the server up, and can it reach its database?

use actix_web::{web, HttpResponse};
use humiao_shared::Health;

use crate::db::Db;
use crate::demo;
use crate::error::ApiError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/health", "GET").route(web::get().to(health)));
}

async fn health(db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    db.ping().await?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ok".into(),
        database: db.engine.name().into(),
        version: env!("CARGO_PKG_VERSION").into(),
        demo: demo::is_loaded(&db.pool).await?,
    }))
}
