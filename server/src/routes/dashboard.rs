//! `GET /api/v1/dashboard`: the leaders' page in one answer (see
//! `crate::aggregates::dashboard`).

use actix_web::{web, HttpResponse};
use humiao_shared::aggregate::AggregateFilter;

use crate::aggregates::dashboard::dashboard;
use crate::db::Db;
use crate::error::ApiError;
use crate::extract::Query;
use crate::viewer::Viewer;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/dashboard", "GET").route(web::get().to(get)));
}

async fn get(
    db: web::Data<Db>,
    viewer: Viewer,
    Query(filter): Query<AggregateFilter>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(dashboard(&db, &viewer, filter).await?))
}
