//! `/api/v1/aggregates/*`: the figures behind the leaders' charts and tables.

use actix_web::{web, HttpResponse};
use humiao_shared::org::Campaign;
use humiao_shared::reach::DistrictReach;
use serde::Deserialize;

use crate::clock;
use crate::db::{aggregates, org, Db};
use crate::error::ApiError;
use crate::extract::Query;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/aggregates/sessions-by-district",
        web::get().to(sessions_by_district),
    );
}

/// Which slice of the data an aggregate covers.
#[derive(Debug, Deserialize)]
pub struct Filter {
    /// Defaults to the campaign running today, else the latest.
    pub campaign_id: Option<i64>,
}

async fn sessions_by_district(
    db: web::Data<Db>,
    Query(filter): Query<Filter>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(district_reach(&db, &filter).await?))
}

/// Sessions and audience per district for the filter's campaign; empty without campaigns.
pub async fn district_reach(db: &Db, filter: &Filter) -> Result<Vec<DistrictReach>, ApiError> {
    let campaign_id = match filter.campaign_id {
        Some(id) => id,
        None => match Campaign::current(&org::list_campaigns(&db.pool).await?, clock::today()) {
            Some(c) => c.id,
            None => return Ok(Vec::new()),
        },
    };
    let rows = aggregates::sessions_by_district(&db.pool, campaign_id).await?;
    // One query on the usual path; only an empty answer needs to know why.
    if rows.is_empty() && !org::campaign_exists(&db.pool, campaign_id).await? {
        return Err(ApiError::NotFound);
    }
    Ok(rows)
}
