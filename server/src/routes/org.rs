//! `GET /api/v1/org`: the organisation as one tree — the city bureau, its district
//! branches and their police stations (with their care workstations). Anyone within one
//! city gets their city's tree; the whole database's people get every district under the
//! first city's name, as before cities were records.

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

/// Reference data: every signed-in person may read it, within the read scopes of
/// districts and stations.
pub async fn tree(db: web::Data<Db>, viewer: Viewer) -> Result<HttpResponse, ApiError> {
    let mut conn = db.pool.acquire().await?;
    let city: Option<(String, String)> = sqlx::query_as(
        "SELECT code, name FROM cities WHERE $1 IS NULL OR id = $1 ORDER BY id LIMIT 1",
    )
    .bind(viewer.city)
    .fetch_optional(&mut *conn)
    .await?;
    let (code, name) = city.unwrap_or_default();
    let mut in_scope = Conditions::live();
    Districts::read_scope(&viewer, &mut in_scope)?;
    let districts = Districts::load(&mut conn, &in_scope, "ORDER BY t.sort_order, t.id").await?;
    let mut in_scope = Conditions::live();
    Stations::read_scope(&viewer, &mut in_scope)?;
    let mut stations = Stations::load(&mut conn, &in_scope, "ORDER BY t.code").await?;
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
