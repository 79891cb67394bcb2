//! `PUT /api/v1/stations/{id}/registers-from`: from which month a station's outcome figures
//! are counted from its mentoring registers (`humiao_shared::derived`), or `null` for typed
//! totals throughout. Administrators only (of the station's city, or the whole database).
//! A marker is refused (422 `typed_months` at `registers_from`) when typed values of the
//! indicators the registers answer are stored from that month on: a station-month is typed
//! or derived, never both, so they are deleted first. Register records dated before the
//! marker stay stored but are not counted. A change is audited (`registers_from`).

use actix_web::{web, HttpResponse};
use humiao_shared::derived::DERIVED;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::outcome::parse_month;
use serde::{Deserialize, Serialize};

use crate::db::audit::{self, Change};
use crate::db::Db;
use crate::error::ApiError;
use crate::extract::Json;
use crate::records::stations::Stations;
use crate::viewer::Viewer;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/stations/{id}/registers-from", "PUT").route(web::put().to(set)));
}

/// A station's marker, as sent and answered.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RegistersFrom {
    /// The station, in answers.
    #[serde(skip_deserializing)]
    pub station_id: i64,
    /// `YYYY-MM`: the first month counted from the registers; `null` for typed totals.
    pub registers_from: Option<String>,
}

async fn set(
    db: web::Data<Db>,
    viewer: Viewer,
    id: web::Path<i64>,
    Json(body): Json<RegistersFrom>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if !viewer.is_admin() {
        let denial = crate::db::audit::Event::denied(&viewer, "registers_from", id);
        crate::db::audit::event(&db.pool, &denial).await?;
        return Err(ApiError::Forbidden);
    }
    let month = match body.registers_from.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => {
            let first = parse_month(text).map_err(invalid)?;
            Some(first.format("%Y-%m").to_string())
        }
    };
    let mut tx = db.write_tx().await?;
    crate::records::fetch_visible::<Stations>(&mut tx, &viewer, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (before,): (Option<String>,) =
        sqlx::query_as("SELECT registers_from FROM stations WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if let Some(month) = &month {
        let codes = DERIVED
            .iter()
            .map(|i| format!("'{}'", i.code()))
            .collect::<Vec<_>>()
            .join(", ");
        let (typed,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM outcome_values
             WHERE station_id = $1 AND month >= $2 AND deleted_at IS NULL
               AND indicator IN ({codes})"
        ))
        .bind(id)
        .bind(month.clone())
        .fetch_one(&mut *tx)
        .await?;
        if typed > 0 {
            return Err(invalid(FieldCode::TypedMonths));
        }
    }
    sqlx::query("UPDATE stations SET registers_from = $1 WHERE id = $2")
        .bind(month.clone())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // Where a station's figures come from is a change to them: audited like an edit.
    let (was, now) = (
        RegistersFrom {
            station_id: id,
            registers_from: before,
        },
        RegistersFrom {
            station_id: id,
            registers_from: month,
        },
    );
    audit::record(
        &mut tx,
        &[Change {
            actor: Some(viewer.actor()),
            action: "update",
            resource: "registers_from",
            resource_id: id,
            before: Some(&was),
            after: Some(&now),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(now))
}

fn invalid(code: FieldCode) -> ApiError {
    let mut errors = FieldErrors::default();
    errors.push("registers_from", code);
    ApiError::Validation(errors)
}
