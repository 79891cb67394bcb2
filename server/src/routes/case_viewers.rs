//! `GET /api/v1/cases/{id}/viewers`: who read a case, for administrators (of the case's
//! city, or the whole database). Anyone else is refused (403, audited); a case outside
//! the administrator's scope is 404. Looking does not count as reading the case.

use actix_web::{web, HttpResponse};

use crate::db::Db;
use crate::error::ApiError;
use crate::records::registers::cases::Cases;
use crate::records::registers::viewers;
use crate::viewer::Viewer;

/// The most reads one answer lists.
const LIMIT: i64 = 1000;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/cases/{id}/viewers", "GET").route(web::get().to(list)));
}

async fn list(
    db: web::Data<Db>,
    viewer: Viewer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if !viewer.is_admin() {
        let denial = crate::db::audit::Event::denied(&viewer, "case_viewers", id);
        crate::db::audit::event(&db.pool, &denial).await?;
        return Err(ApiError::Forbidden);
    }
    let mut conn = db.pool.acquire().await?;
    // The load only: a redacted read would record this look as a read of the case.
    crate::records::fetch_visible::<Cases>(&mut conn, &viewer, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(viewers::of_case(&mut conn, id, LIMIT).await?))
}
