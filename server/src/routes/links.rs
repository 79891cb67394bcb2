//! `/api/v1/links`: administrators issue schools' links, list them, revoke them, and print
//! them as a sheet of QR codes (one card per school).
//!
//! The secret of a link is in the answer that issues it and nowhere else: the database keeps
//! its hash. So a sheet of QR codes is the answer of a `POST` that issues fresh links for the
//! schools it prints (revoking their earlier ones for the campaign), behind the same-origin
//! check every write passes. `GET /links/sheet` only reads: it lists the links in use
//! without QR codes, says why, and offers the form that issues new ones.

mod sheet;

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use chrono::Utc;
use humiao_shared::link::{IssuedLink, LinkState, NewLinks};
use serde::Deserialize;

use crate::db::audit::{self, Event};
use crate::db::Db;
use crate::error::{lang_of, ApiError};
use crate::export::Export;
use crate::extract::{is_of, Form, Json, Query, FORM};
use crate::records::links::{self, Issued, LinkFilter};
use crate::records::named::{self, Named};
use crate::viewer::Viewer;

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
    .service(
        resource("/links/sheet", "GET, POST")
            .route(web::get().to(reprint))
            .route(web::post().to(print)),
    )
    .service(resource("/links/preview", "POST").route(web::post().to(preview)))
    .service(resource("/links/{id}", "DELETE").route(web::delete().to(revoke)));
}

/// Links open schools' sessions: only whole-database administrators handle them (a
/// city's administrators are refused until links are scoped by city). Others are refused,
/// and the refusal is audited.
async fn admin_only(db: &Db, viewer: &Viewer) -> Result<(), ApiError> {
    if viewer.manages_all() {
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
    let origin = crate::proxy::origin(req);
    format!("{}://{}", origin.scheme, origin.host)
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
    /// Only links in this state.
    #[param(inline)]
    pub state: Option<LinkState>,
    /// Part of the school's name or code.
    pub q: Option<String>,
    /// The newest this many, 1–5000 (default 5000); `X-Total-Count` says how many match.
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<i64>,
    /// Skip this many first (default 0), for the next page.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
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
    let offset = q.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::InvalidQuery {
            field: "offset".into(),
        });
    }
    // An administrator sees every school and campaign: only ids that name nothing are 404.
    let named = named::given([
        (Named::Campaign, q.campaign_id),
        (Named::School, q.school_id),
    ]);
    named::check(&mut *db.pool.acquire().await?, &viewer, &named).await?;
    let filter = LinkFilter {
        campaign_id: q.campaign_id,
        school_id: q.school_id,
        state: q.state,
        q: q.q,
    };
    let page = links::Page { limit, offset };
    let (links, total) = links::list(&db.pool, &filter, page, Utc::now()).await?;
    // At most 5,000 links, already read: the file holds the same rows as the JSON.
    match Export::asked(&req, q.format, &humiao_shared::columns::LINKS) {
        Some(export) => crate::export::respond_with(export, links),
        None => Ok(HttpResponse::Ok()
            .insert_header(("X-Total-Count", total.to_string()))
            .json(links)),
    }
}

/// What `POST /api/v1/links` with the same body would do, changing nothing: the page
/// asks with these numbers before it issues.
async fn preview(
    db: web::Data<Db>,
    viewer: Viewer,
    Json(input): Json<NewLinks>,
) -> Result<HttpResponse, ApiError> {
    admin_only(&db, &viewer).await?;
    let valid = links::check(&db.pool, &input).await?;
    let preview = links::preview(&db.pool, &valid, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(preview))
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

/// The form `POST /api/v1/links/sheet` takes from a page: the same choices as
/// `POST /api/v1/links`, the schools as one field.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SheetForm {
    pub campaign_id: Option<i64>,
    /// Comma-separated school ids, e.g. `12,15`; left out, every school.
    #[schema(pattern = r"^-?[0-9]+(,-?[0-9]+)*$")]
    pub school_ids: Option<String>,
    /// Days until the links expire, 1–366 (default 180).
    pub days_valid: Option<String>,
}

/// A form field that was filled in: a page's form sends empty fields for blanks.
fn given(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl SheetForm {
    fn links(&self) -> Result<NewLinks, ApiError> {
        let invalid = |field: &str| ApiError::InvalidQuery {
            field: field.into(),
        };
        let school_ids = match given(&self.school_ids) {
            None => None,
            Some(list) => Some(
                list.split(',')
                    .map(|id| id.trim().parse::<i64>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| invalid("school_ids"))?,
            ),
        };
        let days_valid = given(&self.days_valid)
            .map(str::parse::<i64>)
            .transpose()
            .map_err(|_| invalid("days_valid"))?;
        Ok(NewLinks {
            campaign_id: self.campaign_id,
            school_ids,
            days_valid,
        })
    }
}

/// The printable sheet: issues a link to each school asked for (revoking its earlier ones)
/// and answers them as QR codes. Takes a page's form or the JSON of `POST /api/v1/links`.
async fn print(
    req: HttpRequest,
    payload: web::Payload,
    db: web::Data<Db>,
    viewer: Viewer,
) -> Result<HttpResponse, ApiError> {
    admin_only(&db, &viewer).await?;
    let mut payload = payload.into_inner();
    let input = if is_of(&req, FORM) {
        Form::<SheetForm>::from_request(&req, &mut payload)
            .await?
            .0
            .links()?
    } else {
        Json::<NewLinks>::from_request(&req, &mut payload).await?.0
    };
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

/// Query of `GET /api/v1/links/sheet`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReprintQuery {
    #[param(required = true)]
    pub campaign_id: Option<i64>,
}

/// The campaign's links in use, without QR codes (their secrets are not kept), the
/// schools that have none (with a form that issues only theirs), and the form that issues
/// new ones for all. Changes nothing: a reload, a prefetch or a link from another
/// site revokes no school's link.
async fn reprint(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    Query(q): Query<ReprintQuery>,
) -> Result<HttpResponse, ApiError> {
    admin_only(&db, &viewer).await?;
    let Some(campaign_id) = q.campaign_id else {
        let mut errors = humiao_shared::error::FieldErrors::default();
        errors.push("campaign_id", humiao_shared::error::FieldCode::Required);
        return Err(ApiError::Validation(errors));
    };
    let now = Utc::now();
    let (campaign, active) = links::active(&db.pool, campaign_id, now)
        .await?
        .ok_or(ApiError::NotFound)?;
    let missing = links::without_link(&db.pool, campaign_id, now).await?;
    let page = sheet::reprint(campaign_id, &campaign, &active, &missing, lang_of(&req));
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page))
}
