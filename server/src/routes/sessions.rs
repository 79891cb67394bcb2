//! `/api/v1/sessions`: officers log education sessions; lists show the latest.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::session::{Context, NewSession};
use serde::Deserialize;

use crate::clock;
use crate::db::idempotency::{self, Recorded};
use crate::db::sessions::{
    get_session, list_sessions, lookup_references, References, SessionFilter,
};
use crate::db::writer::{Job, SessionWriter};
use crate::db::Db;
use crate::error::ApiError;
use crate::extract::{IdempotencyKey, Json, Query};

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

/// Logs a session. With an `Idempotency-Key`, a retry of the same request is answered as
/// the first time and stores nothing new, even when the retries race each other.
async fn create(
    db: web::Data<Db>,
    writer: web::Data<SessionWriter>,
    IdempotencyKey(key): IdempotencyKey,
    Json(input): Json<NewSession>,
) -> Result<HttpResponse, ApiError> {
    let request_hash = idempotency::fingerprint(&input);
    if let Some(key) = &key {
        if let Some(first) = idempotency::find(&db.pool, key).await? {
            return replay(first, &request_hash);
        }
    }

    let refs = lookup_references(&db.pool, &input).await?;
    let ctx = Context {
        today: clock::today(),
        campaign_window: refs.campaign_window,
    };
    let reference_errors = check_references(&refs, &input);
    let valid = match input.validate(&ctx) {
        Ok(valid) if reference_errors.is_empty() => valid,
        Ok(_) => return Err(ApiError::Validation(reference_errors)),
        Err(mut errors) => {
            errors.extend(reference_errors);
            return Err(ApiError::Validation(errors));
        }
    };

    let job = Job {
        session: valid,
        refs,
        key: key.clone().map(|k| (k, request_hash.clone())),
    };
    match writer.insert(job).await {
        Ok(session) => {
            tracing::info!(
                session_id = session.id,
                station_id = session.station_id,
                "session logged"
            );
            Ok(HttpResponse::Created()
                .insert_header((header::LOCATION, format!("/api/v1/sessions/{}", session.id)))
                .json(session))
        }
        // A concurrent request with the same key was stored first: answer as it was.
        Err(e) if idempotency::is_taken(&e) => {
            let first = match &key {
                Some(key) => idempotency::find(&db.pool, key).await?,
                None => None,
            };
            match first {
                Some(first) => replay(first, &request_hash),
                None => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// The first answer again, if this is the same request; 422 if the key was reused.
fn replay(first: Recorded, request_hash: &str) -> Result<HttpResponse, ApiError> {
    if first.request_hash != request_hash {
        return Err(ApiError::IdempotencyKeyReused);
    }
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/sessions/{}", first.resource_id),
        ))
        .insert_header(("Idempotent-Replayed", "true"))
        .content_type("application/json")
        .body(first.response))
}

/// Reports every id in the entry that names nothing stored.
fn check_references(refs: &References, input: &NewSession) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if input.campaign_id.is_some() && refs.campaign_window.is_none() {
        errors.push("campaign_id", FieldCode::UnknownValue);
    }
    if input.station_id.is_some() && refs.station.is_none() {
        errors.push("station_id", FieldCode::UnknownValue);
    }
    if input.school_id.is_some() && refs.school.is_none() {
        errors.push("school_id", FieldCode::UnknownValue);
    }
    // Duplicates are the shared rules' to report; count each id once here.
    let mut distinct = input.topic_ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if refs.known_topics < distinct.len() {
        errors.push("topic_ids", FieldCode::UnknownValue);
    }
    errors
}
