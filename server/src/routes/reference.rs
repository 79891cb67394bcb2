//! Reference lists a form picks from: districts, stations, schools, topics, campaigns.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::db::{org, Db};
use crate::error::ApiError;
use crate::extract::Query;

/// A school search answers at most this many: enough to pick from while typing.
const SCHOOL_PAGE: i64 = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/districts", web::get().to(districts))
        .route("/stations", web::get().to(stations))
        .route("/schools", web::get().to(schools))
        .route("/topics", web::get().to(topics))
        .route("/campaigns", web::get().to(campaigns));
}

async fn districts(db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(org::list_districts(&db.pool).await?))
}

#[derive(Deserialize)]
struct StationQuery {
    district_id: Option<i64>,
}

async fn stations(
    db: web::Data<Db>,
    Query(q): Query<StationQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(org::list_stations(&db.pool, q.district_id).await?))
}

#[derive(Deserialize)]
struct SchoolQuery {
    station_id: Option<i64>,
    /// Part of the name, as typed.
    q: Option<String>,
}

async fn schools(
    db: web::Data<Db>,
    Query(q): Query<SchoolQuery>,
) -> Result<HttpResponse, ApiError> {
    let name_part = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let found = org::list_schools(&db.pool, q.station_id, name_part, SCHOOL_PAGE).await?;
    Ok(HttpResponse::Ok().json(found))
}

async fn topics(db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(org::list_topics(&db.pool).await?))
}

async fn campaigns(db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(org::list_campaigns(&db.pool).await?))
}
