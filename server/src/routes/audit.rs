//! `GET /api/v1/audit`: the audit trail, per record or per user, newest first.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::Viewer;
use crate::db::audit::{list, AuditFilter};
use crate::db::Db;
use crate::error::ApiError;
use crate::extract::Query;

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
}

/// Administrators only: the trail names every account and what it changed.
async fn audit(
    db: web::Data<Db>,
    viewer: Viewer,
    Query(q): Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    if !viewer.is_admin() {
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
    Ok(HttpResponse::Ok().json(list(&db.pool, &filter, limit).await?))
}
