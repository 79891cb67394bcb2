//! `GET /api/v1/completeness`: a year's monthly returns counted per month and place
//! (expected, on time, late, missing, approved, accepted) and the screening windows'
//! schools confirmed (see `crate::aggregates::completeness`).

use actix_web::{web, HttpResponse};
use humiao_shared::returns::completeness::CompletenessQuery;

use crate::aggregates::completeness::completeness;
use crate::db::Db;
use crate::error::ApiError;
use crate::extract::Query;
use crate::viewer::Viewer;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/completeness", "GET").route(web::get().to(get)));
}

async fn get(
    db: web::Data<Db>,
    viewer: Viewer,
    Query(query): Query<CompletenessQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(completeness(&db, &viewer, query).await?))
}
