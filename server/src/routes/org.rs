//! `GET /api/v1/org`: the organisation as one tree — the city bureau, its district
//! branches and their police stations (with their care workstations).

use actix_web::{web, HttpResponse};
use humiao_shared::org::{District, Station};
use serde::Serialize;

use crate::db::Db;
use crate::error::ApiError;
use crate::records::districts::Districts;
use crate::records::stations::Stations;
use crate::records::{Conditions, Resource};
use crate::viewer::Viewer;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/org", "GET").route(web::get().to(tree)));
}

/// The city bureau and everything under it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrgTree {
    pub code: String,
    pub name: String,
    pub districts: Vec<DistrictNode>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DistrictNode {
    #[serde(flatten)]
    pub district: District,
    pub stations: Vec<Station>,
}

/// Reference data: every signed-in person may read it.
pub async fn tree(db: web::Data<Db>, _viewer: Viewer) -> Result<HttpResponse, ApiError> {
    let mut conn = db.pool.acquire().await?;
    let city: Option<(String, String)> =
        sqlx::query_as("SELECT code, name FROM cities ORDER BY id LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let (code, name) = city.unwrap_or_default();
    let districts = Districts::load(
        &mut conn,
        &Conditions::live(),
        "ORDER BY t.sort_order, t.id",
    )
    .await?;
    let mut stations = Stations::load(&mut conn, &Conditions::live(), "ORDER BY t.code").await?;
    let districts = districts
        .into_iter()
        .map(|district| {
            let (mine, rest) = stations
                .drain(..)
                .partition(|s| s.district_id == district.id);
            stations = rest;
            DistrictNode {
                district,
                stations: mine,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(OrgTree {
        code,
        name,
        districts,
    }))
}
