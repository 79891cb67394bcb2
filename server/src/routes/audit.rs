//! `GET /api/v1/audit`: the audit trail, per record or per user, newest first.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::db::audit::{list, AuditFilter};
use crate::db::Db;
use crate::error::ApiError;
use crate::extract::Query;
use crate::viewer::Viewer;

const MAX_PAGE: i64 = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/audit", "GET").route(web::get().to(audit)));
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    resource: Option<String>,
    resource_id: Option<i64>,
    actor: Option<String>,
    limit: Option<i64>,
    /// `json` (the default), or `csv` / `xlsx` for the same entries as a file.
    #[param(inline)]
    format: Option<crate::export::Format>,
}

/// Whole-database administrators only: the trail names every account in every city and
/// what it changed, so a city's administrators are refused like everyone else.
async fn audit(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    Query(q): Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    if !viewer.manages_all() {
        crate::db::audit::event(
            &db.pool,
            &crate::db::audit::Event::denied(&viewer, "audit", 0),
        )
        .await?;
        return Err(ApiError::Forbidden);
    }
    let filter = AuditFilter {
        resource: q.resource,
        resource_id: q.resource_id,
        actor: q.actor,
    };
    let limit = q.limit.unwrap_or(100).clamp(1, MAX_PAGE);
    let entries = list(&db.pool, &filter, limit).await?;
    // The trail is looked up per record or account, newest first: a file holds the same
    // entries as the JSON (at most 500), with each record before and after as JSON text.
    match crate::export::Export::asked(&req, q.format, &humiao_shared::columns::AUDIT) {
        Some(export) => crate::export::respond_with(export, entries),
        None => Ok(HttpResponse::Ok().json(entries)),
    }
}
