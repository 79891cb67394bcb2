//! `/api/v1/links`: administrators issue schools' links, list them, revoke them, and print
//! them as a sheet of QR codes (one card per school).
//!
//! The secret of a link is in the answer that issues it and nowhere else: the database keeps
//! its hash. So the sheet cannot reprint links; it issues fresh ones for the schools it
//! prints, and that revokes their earlier links for the campaign.

mod sheet;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use humiao_shared::link::{IssuedLink, NewLinks};
use serde::Deserialize;

use crate::auth::links::{self, Issued, LinkFilter};
use crate::auth::Viewer;
use crate::db::audit::{self, Event};
use crate::db::Db;
use crate::error::{lang_of, ApiError};
use crate::export::Export;
use crate::extract::{Json, Query};

/// The most links one list answers.
const MAX_LIST: i64 = 5000;

pub fn configure(cfg: &mut web::ServiceConfig) {
    use super::resource;
    cfg.service(
        resource("/links", "GET, POST")
            .route(web::get().to(list))
            .route(web::post().to(issue)),
    )
    // Before `/links/{id}`, which would otherwise take `sheet` for an id.
    .service(resource("/links/sheet", "GET").route(web::get().to(print)))
    .service(resource("/links/{id}", "DELETE").route(web::delete().to(revoke)));
}

/// Links open schools' sessions: only administrators handle them. Others are refused,
/// and the refusal is audited.
async fn admin_only(db: &Db, viewer: &Viewer) -> Result<(), ApiError> {
    if viewer.is_admin() {
        return Ok(());
    }
    audit::event(&db.pool, &Event::denied(viewer, "school_links", 0)).await?;
    Err(ApiError::Forbidden)
}

/// Checks the request and issues the links.
async fn issue_links(db: &Db, viewer: &Viewer, input: &NewLinks) -> Result<Vec<Issued>, ApiError> {
    let valid = links::check(&db.pool, input).await?;
    let issued = links::issue(db, &valid, viewer.actor(), Utc::now()).await?;
    tracing::info!(
        campaign_id = valid.campaign_id,
        links = issued.len(),
        "links issued"
    );
    Ok(issued)
}

/// `scheme://host` as the browser reached this server: the QR codes must lead back here.
fn origin(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

/// Where a school opens its link. The secret goes after `#`, which browsers never send
/// to a server, so it stays out of every access log; the app posts it to `/auth/link`.
fn url(origin: &str, secret: &str) -> String {
    format!("{origin}/s#{secret}")
}

async fn issue(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    Json(input): Json<NewLinks>,
) -> Result<HttpResponse, ApiError> {
    admin_only(&db, &viewer).await?;
    let issued = issue_links(&db, &viewer, &input).await?;
    let origin = origin(&req);
    let answer: Vec<IssuedLink> = issued
        .into_iter()
        .map(|link| IssuedLink {
            id: link.id,
            school_id: link.school.id,
            school: link.school.name,
            campaign_id: link.campaign_id,
            expires_at: link.expires_at,
            url: url(&origin, &link.secret),
        })
        .collect();
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(answer))
}

/// Filters of `GET /api/v1/links`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LinkQuery {
    pub campaign_id: Option<i64>,
    pub school_id: Option<i64>,
    /// The newest this many, 1–5000 (default 5000).
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<i64>,
    /// `json` (the default), or `csv` / `xlsx` for the same links as a file.
    #[param(inline)]
    pub format: Option<crate::export::Format>,
}

async fn list(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    Query(q): Query<LinkQuery>,
) -> Result<HttpResponse, ApiError> {
    admin_only(&db, &viewer).await?;
    let limit = q.limit.unwrap_or(MAX_LIST);
    if !(1..=MAX_LIST).contains(&limit) {
        return Err(ApiError::InvalidQuery {
            field: "limit".into(),
        });
    }
    let filter = LinkFilter {
        campaign_id: q.campaign_id,
        school_id: q.school_id,
    };
    let links = links::list(&db.pool, &filter, limit, Utc::now()).await?;
    // At most 5,000 links, already read: the file holds the same rows as the JSON.
    match Export::asked(&req, q.format, &humiao_shared::columns::LINKS) {
        Some(export) => crate::export::respond_with(export, links),
        None => Ok(HttpResponse::Ok().json(links)),
    }
}

async fn revoke(
    db: web::Data<Db>,
    viewer: Viewer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    admin_only(&db, &viewer).await?;
    if !links::revoke(&db, *id, viewer.actor()).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(link_id = *id, "link revoked");
    Ok(HttpResponse::NoContent().finish())
}

/// Query of `GET /api/v1/links/sheet`: the same choices as `POST /api/v1/links`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SheetQuery {
    #[param(required = true)]
    pub campaign_id: Option<i64>,
    /// Comma-separated school ids, e.g. `12,15`; left out, every school.
    #[param(pattern = r"^-?[0-9]+(,-?[0-9]+)*$")]
    pub school_ids: Option<String>,
    /// Days until the links expire, 1–366 (default 180).
    #[param(minimum = 1, maximum = 366)]
    pub days_valid: Option<i64>,
}

impl SheetQuery {
    fn links(&self) -> Result<NewLinks, ApiError> {
        let school_ids = match &self.school_ids {
            None => None,
            Some(list) => Some(
                list.split(',')
                    .map(|id| id.trim().parse::<i64>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| ApiError::InvalidQuery {
                        field: "school_ids".into(),
                    })?,
            ),
        };
        Ok(NewLinks {
            campaign_id: self.campaign_id,
            school_ids,
            days_valid: self.days_valid,
        })
    }
}

/// The printable sheet. It issues the links it prints, so loading it again revokes the
/// ones printed before.
async fn print(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    Query(q): Query<SheetQuery>,
) -> Result<HttpResponse, ApiError> {
    admin_only(&db, &viewer).await?;
    let input = q.links()?;
    let issued = issue_links(&db, &viewer, &input).await?;
    let origin = origin(&req);
    let cards: Vec<sheet::Card> = issued
        .into_iter()
        .map(|link| sheet::Card {
            url: url(&origin, &link.secret),
            link,
        })
        .collect();
    let lang = lang_of(&req);
    // Drawing a QR code per school keeps a thread busy for a while: not an async worker.
    let page = web::block(move || sheet::page(&cards, lang))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("drawing the sheet: {e}")))??;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page))
}
