//! `/api/v1/sessions`: officers log education sessions; lists show the latest.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::session::{Context, NewSession};
use serde::Deserialize;
use sqlx::AnyPool;

use crate::clock;
use crate::db::sessions::{get_session, insert_session, list_sessions, SessionFilter};
use crate::db::{org, Db};
use crate::error::ApiError;
use crate::extract::{Json, Query};

const MAX_PAGE: i64 = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/sessions", web::get().to(list))
        .route("/sessions", web::post().to(create))
        .route("/sessions/{id}", web::get().to(get));
}

#[derive(Deserialize)]
struct ListQuery {
    campaign_id: Option<i64>,
    station_id: Option<i64>,
    limit: Option<i64>,
}

async fn list(db: web::Data<Db>, Query(q): Query<ListQuery>) -> Result<HttpResponse, ApiError> {
    let filter = SessionFilter {
        campaign_id: q.campaign_id,
        station_id: q.station_id,
    };
    let limit = q.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    Ok(HttpResponse::Ok().json(list_sessions(&db.pool, filter, limit).await?))
}

async fn get(db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let session = get_session(&db.pool, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(session))
}

async fn create(
    db: web::Data<Db>,
    Json(input): Json<NewSession>,
) -> Result<HttpResponse, ApiError> {
    let window = match input.campaign_id {
        Some(id) => org::campaign_window(&db.pool, id).await?,
        None => None,
    };
    let ctx = Context {
        today: clock::today(),
        campaign_window: window,
    };
    let reference_errors = check_references(&db.pool, &input, window.is_some()).await?;
    let valid = match input.validate(&ctx) {
        Ok(valid) if reference_errors.is_empty() => valid,
        Ok(_) => return Err(ApiError::Validation(reference_errors)),
        Err(mut errors) => {
            errors.extend(reference_errors);
            return Err(ApiError::Validation(errors));
        }
    };

    let mut tx = db.pool.begin().await?;
    let id = insert_session(&mut tx, &valid, false).await?;
    tx.commit().await?;
    tracing::info!(
        session_id = id,
        station_id = valid.station_id,
        "session logged"
    );

    let session = get_session(&db.pool, id).await?.ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/sessions/{id}")))
        .json(session))
}

/// Reports every id in the entry that names nothing stored.
async fn check_references(
    pool: &AnyPool,
    input: &NewSession,
    campaign_found: bool,
) -> Result<FieldErrors, ApiError> {
    let mut errors = FieldErrors::default();
    if input.campaign_id.is_some() && !campaign_found {
        errors.push("campaign_id", FieldCode::UnknownValue);
    }
    if let Some(id) = input.station_id {
        if !org::station_exists(pool, id).await? {
            errors.push("station_id", FieldCode::UnknownValue);
        }
    }
    if let Some(id) = input.school_id {
        if !org::school_exists(pool, id).await? {
            errors.push("school_id", FieldCode::UnknownValue);
        }
    }
    if !org::unknown_topics(pool, &input.topic_ids)
        .await?
        .is_empty()
    {
        errors.push("topic_ids", FieldCode::UnknownValue);
    }
    Ok(errors)
}
