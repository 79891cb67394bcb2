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
    let campaigns = org::list_campaigns(&db.pool).await?;
    let campaign = match filter.campaign_id {
        Some(id) => Some(
            campaigns
                .iter()
                .find(|c| c.id == id)
                .ok_or(ApiError::NotFound)?,
        ),
        None => Campaign::current(&campaigns, clock::today()),
    };
    match campaign {
        Some(c) => Ok(aggregates::sessions_by_district(&db.pool, c.id).await?),
        None => Ok(Vec::new()),
    }
}
