//! `/api/v1/sessions`: officers log, list, edit and delete education sessions. Creates are
//! idempotent with a key and refuse duplicates; edits and deletes need the version read.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::session::{Context, NewSession, Session, ValidSession};
use serde::Deserialize;
use sqlx::{Any, Transaction};

use crate::auth::{Scope, Viewer};
use crate::clock;
use crate::db::audit::{self, Change, Event};
use crate::db::idempotency::{self, Create, Lost, Next};
use crate::db::session_edits::{delete_session, find_duplicate, update_session, Outcome};
use crate::db::sessions::{
    for_each_batch, get_session, list_sessions, lookup_references, Duplicates, References,
    SessionFilter, SessionSort,
};
use crate::db::writer::{Job, SessionWriter};
use crate::db::Db;
use crate::error::{ApiError, Conflict};
use crate::extract::{etag, IdempotencyKey, IfMatch, Json, Query};
use crate::records::named::{self, Named};
use crate::routes::Place;
use humiao_shared::account::Role;

const MAX_PAGE: i64 = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        super::resource("/sessions", "GET, POST")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        super::resource("/sessions/{id}", "GET, PUT, DELETE")
            .route(web::get().to(get))
            .route(web::put().to(update))
            .route(web::delete().to(delete)),
    );
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    campaign_id: Option<i64>,
    district_id: Option<i64>,
    station_id: Option<i64>,
    school_id: Option<i64>,
    topic_id: Option<i64>,
    /// `YYYY-MM-DD`, included.
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    #[serde(default)]
    #[param(inline)]
    sort: SessionSort,
    /// Rows per page (1–500, default 50) and the page, from 1.
    limit: Option<i64>,
    page: Option<i64>,
    /// `json` (the default), or `csv` / `xlsx` for every matching session as a file.
    #[param(inline)]
    format: Option<crate::export::Format>,
}

/// A page of sessions; `X-Total-Count` says how many match in all.
async fn list(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut place = Place {
        district_id: q.district_id,
        station_id: q.station_id,
        school_id: q.school_id,
    };
    {
        let mut conn = db.pool.acquire().await?;
        place.narrow_to(&mut conn, &viewer).await?;
        let named = named::given([(Named::Campaign, q.campaign_id), (Named::Topic, q.topic_id)]);
        named::check(&mut conn, &viewer, &named).await?;
    }
    let filter = SessionFilter {
        campaign_id: q.campaign_id,
        district_id: place.district_id,
        station_id: place.station_id,
        school_id: place.school_id,
        topic_id: q.topic_id,
        from: q.from,
        to: q.to,
    };
    let table = &humiao_shared::columns::SESSIONS;
    if let Some(export) = crate::export::Export::asked(&req, q.format, table) {
        // A file is every matching session, streamed: paging is for screens.
        let (db, sort) = (db.into_inner(), q.sort);
        return crate::export::respond(export, async move |sink: &mut crate::export::Sink| {
            let _turn = crate::export::turn().await?;
            let mut rows = db.pool.acquire().await?;
            let mut topics = db.pool.acquire().await?;
            for_each_batch(&mut rows, &mut topics, &filter, sort, async |batch| {
                for session in &batch {
                    sink.push(session).await?;
                }
                Ok::<(), ApiError>(())
            })
            .await
        });
    }
    let limit = q.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    let offset = (q.page.unwrap_or(1).max(1) - 1).saturating_mul(limit);
    let (page, total) = list_sessions(&db.pool, &filter, q.sort, limit, offset).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("X-Total-Count", total.to_string()))
        .json(page))
}

async fn get(
    db: web::Data<Db>,
    viewer: Viewer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let session = visible(&db, &viewer, *id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(session.version)))
        .json(session))
}

/// Logs a session. With an `Idempotency-Key`, a retry of the same request is answered as
/// the first time and stores nothing new, even when the retries race each other. Without
/// `confirm_distinct`, a second session with the same station, venue, date, format and
/// topics is 409, even when the two race each other: the database holds one row per key.
async fn create(
    db: web::Data<Db>,
    viewer: Viewer,
    writer: web::Data<SessionWriter>,
    IdempotencyKey(key): IdempotencyKey,
    Json(input): Json<NewSession>,
) -> Result<HttpResponse, ApiError> {
    may_log(&db, &viewer, None).await?;
    let hash = idempotency::fingerprint(&input);
    let create = Create {
        resource: "sessions",
        located: true,
    };
    let pending = match idempotency::begin(&db.pool, create, &viewer.key_owner(), key, hash).await? {
        Next::Replay(first) => return Ok(first),
        Next::Proceed(pending) => pending,
    };

    let (valid, refs) = validate(&db, &input).await?;
    may_log(&db, &viewer, Some(valid.station_id)).await?;

    let duplicates = duplicates_of(&input);
    if duplicates == Duplicates::Refused {
        if let Some(existing) = find_duplicate(&db.pool, &valid, None).await? {
            // Stored by a retry with the same key that got there first? Then its answer.
            if let Some(first) = idempotency::first_answer(&db.pool, &pending).await? {
                return Ok(first);
            }
            return Err(conflict(Conflict::DuplicateSession, &existing));
        }
    }

    let job = Job {
        session: valid.clone(),
        duplicates,
        refs,
        pending: pending.clone(),
        actor: viewer.actor().to_string(),
    };
    let error = match writer.insert(job).await {
        Ok(session) => {
            tracing::info!(
                session_id = session.id,
                station_id = session.station_id,
                "session logged"
            );
            return Ok(HttpResponse::Created()
                .insert_header((header::LOCATION, format!("/api/v1/sessions/{}", session.id)))
                .json(session));
        }
        Err(e) => e,
    };
    // A concurrent request was stored first, with the same key or the same session.
    let error = match idempotency::lost_race(&db.pool, &pending, error).await? {
        Lost::Replay(first) => return Ok(first),
        Lost::Taken(error) => error,
    };
    match find_duplicate(&db.pool, &valid, None).await? {
        Some(existing) => Err(conflict(Conflict::DuplicateSession, &existing)),
        None => Err(error.into()),
    }
}

/// The duplicate rule for an entry: it holds unless the officer confirmed the session is
/// another one.
fn duplicates_of(input: &NewSession) -> Duplicates {
    if input.confirm_distinct {
        Duplicates::Allowed
    } else {
        Duplicates::Refused
    }
}

/// Edits a session: the whole entry again, with the version read in `If-Match`.
async fn update(
    db: web::Data<Db>,
    viewer: Viewer,
    id: web::Path<i64>,
    IfMatch(version): IfMatch,
    Json(input): Json<NewSession>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    may_log(&db, &viewer, None).await?;
    let version = version.ok_or(ApiError::PreconditionRequired)?;
    visible(&db, &viewer, id).await?;
    let (valid, refs) = validate(&db, &input).await?;
    may_log(&db, &viewer, Some(valid.station_id)).await?;
    let duplicates = duplicates_of(&input);
    if duplicates == Duplicates::Refused {
        if let Some(existing) = find_duplicate(&db.pool, &valid, Some(id)).await? {
            return Err(conflict(Conflict::DuplicateSession, &existing));
        }
    }
    let mut tx = db.write_tx().await?;
    let outcome = match update_session(&mut tx, id, version, &valid, duplicates, &refs).await {
        // Another request stored the same session meanwhile.
        Err(e) if idempotency::is_taken(&e) => {
            drop(tx);
            return match find_duplicate(&db.pool, &valid, Some(id)).await? {
                Some(existing) => Err(conflict(Conflict::DuplicateSession, &existing)),
                None => Err(e.into()),
            };
        }
        outcome => outcome?,
    };
    let after = finish(tx, &viewer, id, outcome, "update").await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(after.version)))
        .json(after))
}

/// Deletes a session; it stays in the audit log. `If-Match`, when sent, must be current.
async fn delete(
    db: web::Data<Db>,
    viewer: Viewer,
    id: web::Path<i64>,
    IfMatch(version): IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    may_log(&db, &viewer, None).await?;
    visible(&db, &viewer, id).await?;
    let mut tx = db.write_tx().await?;
    let outcome = delete_session(&mut tx, id, version).await?;
    finish(tx, &viewer, id, outcome, "delete").await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Audits and commits a done change, or turns a refused one into its error answer.
/// Returns the record as it now is (the one before, after a delete).
async fn finish(
    mut tx: Transaction<'static, Any>,
    viewer: &Viewer,
    id: i64,
    outcome: Outcome,
    action: &'static str,
) -> Result<Session, ApiError> {
    match outcome {
        Outcome::Done { before, after } => {
            let change = Change {
                actor: Some(viewer.actor()),
                action,
                resource: "sessions",
                resource_id: id,
                before: Some(&before),
                after: after.as_deref(),
            };
            audit::record(&mut tx, &[change]).await?;
            tx.commit().await?;
            tracing::info!(session_id = id, action, "session changed");
            Ok(after.map_or(before, |after| *after))
        }
        Outcome::Stale(current) => Err(conflict(Conflict::EditConflict, &current)),
        Outcome::Missing => Err(ApiError::NotFound),
    }
}

/// The session, if the viewer may read it: a district's leader the district's, an
/// officer the station's, a school those held there.
async fn visible(db: &Db, viewer: &Viewer, id: i64) -> Result<Session, ApiError> {
    let session = get_session(&db.pool, id).await?.ok_or(ApiError::NotFound)?;
    let seen = match viewer.scope {
        Scope::City => true,
        Scope::District(district) => {
            let (d,): (i64,) = sqlx::query_as("SELECT district_id FROM stations WHERE id = $1")
                .bind(session.station_id)
                .fetch_one(&db.pool)
                .await?;
            d == district
        }
        Scope::Station { station, .. } => session.station_id == station,
        Scope::School { school, .. } => session.school_id == Some(school),
    };
    if seen {
        Ok(session)
    } else {
        Err(ApiError::NotFound)
    }
}

/// May the viewer log or change sessions (of `station`, once known)? Administrators any,
/// officers their station's; the others none. Refusals are audited.
async fn may_log(db: &Db, viewer: &Viewer, station: Option<i64>) -> Result<(), ApiError> {
    let allowed = match viewer.role {
        Role::Admin => true,
        Role::Officer => station.is_none_or(|s| viewer.station() == Some(s)),
        Role::Leader | Role::School => false,
    };
    if allowed {
        return Ok(());
    }
    audit::event(&db.pool, &Event::denied(viewer, "sessions", 0)).await?;
    Err(ApiError::Forbidden)
}

fn conflict(code: Conflict, current: &Session) -> ApiError {
    match serde_json::to_value(current) {
        Ok(current) => ApiError::Conflict { code, current },
        Err(e) => ApiError::Internal(e.into()),
    }
}

/// The shared rules and the reference check, with every problem reported at once.
async fn validate(db: &Db, input: &NewSession) -> Result<(ValidSession, References), ApiError> {
    let refs = lookup_references(&db.pool, input).await?;
    let ctx = Context {
        today: clock::today(),
        campaign_window: refs.campaign_window,
    };
    let reference_errors = check_references(&refs, input);
    match input.validate(&ctx) {
        Ok(valid) if reference_errors.is_empty() => Ok((valid, refs)),
        Ok(_) => Err(ApiError::Validation(reference_errors)),
        Err(mut errors) => {
            errors.extend(reference_errors);
            Err(ApiError::Validation(errors))
        }
    }
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
