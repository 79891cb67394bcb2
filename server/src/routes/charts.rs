//! `/api/v1/charts`: the charts as SVG, drawn by the same functions the browser uses.

use actix_web::{web, HttpRequest, HttpResponse};
use humiao_shared::charts::{self, ChartName};
use humiao_shared::Lang;
use serde::{Deserialize, Serialize};

use super::aggregates::{district_reach, within_scope};
use crate::auth::Viewer;
use crate::db::Db;
use crate::error::{lang_of, ApiError};
use crate::extract::Query;
use humiao_shared::aggregate::AggregateFilter;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/charts", "GET").route(web::get().to(list)))
        .service(super::resource("/charts/{file}", "GET").route(web::get().to(draw)));
}

/// One chart the server draws.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ChartEntry {
    /// The name in the chart's URL.
    name: &'static str,
    title: &'static str,
    /// Where the SVG is.
    svg: String,
}

/// `GET /api/v1/charts`.
pub type ChartList = Vec<ChartEntry>;

async fn list(req: HttpRequest, _viewer: Viewer) -> HttpResponse {
    let lang = lang_of(&req);
    let entries: Vec<ChartEntry> = ChartName::ALL
        .into_iter()
        .map(|c| ChartEntry {
            name: c.slug(),
            title: c.title(lang),
            svg: format!("/api/v1/charts/{}.svg", c.slug()),
        })
        .collect();
    HttpResponse::Ok().json(entries)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChartQuery {
    campaign_id: Option<i64>,
    /// `zh` or `en`; overrides `Accept-Language`, so an `<img src>` can pick the language.
    #[param(inline)]
    lang: Option<Lang>,
}

async fn draw(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    file: web::Path<String>,
    Query(q): Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let chart = file
        .strip_suffix(".svg")
        .and_then(ChartName::from_slug)
        .ok_or(ApiError::NotFound)?;
    let lang = q.lang.unwrap_or_else(|| lang_of(&req));
    let filter = within_scope(
        &db,
        &viewer,
        AggregateFilter {
            campaign_id: q.campaign_id,
            ..Default::default()
        },
    )
    .await?;
    let svg = match chart {
        ChartName::SessionsByDistrict => {
            charts::sessions_by_district(&district_reach(&db, &filter).await?, lang)
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .body(svg))
}
