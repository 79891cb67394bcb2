//! The HTTP behaviour every [`Resource`] shares: list, get, create, update, delete.
//!
//! - A create with an `Idempotency-Key` is stored once: a retry with the same body gets the
//!   first answer, another body with the key gets 422, and racing retries make one row
//!   (the key is recorded in the record's own transaction; see [`crate::db::idempotency`]).
//!   A resource may hand its creates to a group-commit writer instead (sessions), which
//!   records the key in its batch's transaction.
//! - Reads carry the version as `ETag`; an update needs it in `If-Match` and a stale one is
//!   409 with the current record.
//! - A create whose natural key is taken is 409 with the existing record, or updates it
//!   where the domain says a second entry replaces the first.
//! - Deletes are soft; every change is written to the audit log with before and after.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use humiao_shared::error::{FieldCode, FieldErrors};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::{fetch, fetch_visible, Conditions, Found, OnExisting, Outside, Resource};
use crate::db::audit::{self, Change, Event};
use crate::db::idempotency::{self, Lost, Next, Pending};
use crate::db::{now_text, Db};
use crate::error::{ApiError, Conflict};
use crate::export::{Export, ExportQuery};
use crate::extract::{etag, IdempotencyKey, IfMatch, Json, Query};
use crate::returns::locks::{self, Period};
use crate::viewer::Viewer;
use humiao_shared::record::used_by::UsedBy;

/// The routes of one resource under `/api/v1/{NAME}`.
pub fn configure<R: Resource>(cfg: &mut web::ServiceConfig) {
    let collection = format!("/{}", R::NAME);
    let item = format!("/{}/{{id}}", R::NAME);
    cfg.service(
        crate::mount::resource(&collection, "GET, POST")
            .route(web::get().to(list::<R>))
            .route(web::post().to(create::<R>)),
    )
    .service(
        crate::mount::resource(&item, "GET, PUT, DELETE")
            .route(web::get().to(get::<R>))
            .route(web::put().to(update::<R>))
            .route(web::delete().to(delete::<R>)),
    );
}

/// Paging and order, common to every list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Rows per page, 1–1000 (the default depends on the list).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// The page, from 1.
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// A sort key of the list; `-` before it reverses the order where offered.
    pub sort: Option<String>,
}

async fn list<R: Resource>(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    Query(page): Query<Page>,
    Query(filter): Query<R::Filter>,
    Query(export): Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let order = match page.sort.as_deref() {
        None => R::SORTS[0].1,
        Some(key) => R::SORTS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, order)| *order)
            .ok_or(ApiError::InvalidQuery {
                field: "sort".into(),
            })?,
    };
    let mut limit = page.limit.unwrap_or(R::PAGE);
    let mut page_number = page.page.unwrap_or(1);
    if R::CLAMP_PAGING {
        limit = limit.clamp(1, R::MAX_LIMIT);
        page_number = page_number.max(1);
    }
    if !(1..=R::MAX_LIMIT).contains(&limit) {
        return Err(ApiError::InvalidQuery {
            field: "limit".into(),
        });
    }
    if page_number < 1 {
        return Err(ApiError::InvalidQuery {
            field: "page".into(),
        });
    }
    let offset = (page_number - 1).saturating_mul(limit);

    let mut conditions = Conditions::live();
    if let Err(e) = R::read_scope(&viewer, &mut conditions) {
        return Err(audited::<R>(&db, &viewer, e).await);
    }
    let mut conn = db.pool.acquire().await?;
    super::named::check(&mut conn, &viewer, &R::named(&filter)).await?;
    R::filter(&filter, &mut conditions);
    if let Some(export) = Export::asked(&req, export.format, R::EXPORT) {
        drop(conn);
        if R::EXPORTERS.is_some_and(|roles| !roles.contains(&viewer.role)) {
            return Err(denied::<R>(&db, &viewer, 0).await);
        }
        // A file is the whole filtered list: paging is for screens.
        return crate::export::records::<R>(export, db.into_inner(), viewer, conditions, order);
    }
    let count = format!(
        "SELECT COUNT(*) FROM {} WHERE {}",
        R::FROM,
        conditions.sql()
    );
    let (total,): (i64,) = conditions
        .bind(sqlx::query_as(&count))
        .fetch_one(&mut *conn)
        .await?;
    // Both numbers are integers computed here, so they go into the SQL as text.
    let tail = format!("ORDER BY {order} LIMIT {limit} OFFSET {offset}");
    let rows = R::load(&mut conn, &conditions, &tail).await?;
    let rows = R::redact(&mut conn, &viewer, rows).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("X-Total-Count", total.to_string()))
        .json(rows))
}

async fn get<R: Resource>(
    db: web::Data<Db>,
    viewer: Viewer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.pool.acquire().await?;
    let record = match fetch_visible::<R>(&mut conn, &viewer, *id).await {
        Ok(record) => shown::<R>(&mut conn, &viewer, record.ok_or(ApiError::NotFound)?).await?,
        Err(e) => return Err(audited_id::<R>(&db, &viewer, e, *id).await),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(R::version(&record))))
        .json(record))
}

async fn create<R: Resource>(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    IdempotencyKey(key): IdempotencyKey,
    Json(input): Json<R::Input>,
) -> Result<HttpResponse, ApiError> {
    allowed_to_write::<R>(&db, &viewer).await?;
    let hash = idempotency::fingerprint(&input);
    let pending =
        match idempotency::begin(&db.pool, keys::<R>(), &viewer.key_owner(), key, hash).await? {
            Next::Replay(first) => return Ok(first),
            Next::Proceed(pending) => pending,
        };
    let mut conn = db.pool.acquire().await?;
    let valid = R::validate(&mut conn, &input).await?;
    let allowed = R::may_write(&mut conn, &viewer, &valid).await?;
    drop(conn);
    if !allowed {
        return Err(denied::<R>(&db, &viewer, 0).await);
    }
    if let Some(group_commit) = R::GROUP_COMMIT {
        return create_in_group::<R>(group_commit, &req, &db, &viewer, &valid, &pending).await;
    }

    let mut tx = db.write_tx().await?;
    locks::check(&mut tx, db.engine, &periods(&[R::period(&valid)])).await?;
    let (id, action, before, status) = match R::existing(&mut tx, &valid).await? {
        Some(Found { id, live: true }) if R::ON_EXISTING == OnExisting::Update => {
            let before = fetch::<R>(&mut tx, id).await?;
            bump_version::<R>(&mut tx, id, None).await?;
            R::update(&mut tx, id, &valid).await?;
            (id, "update", before, StatusCode::OK)
        }
        Some(Found { id, live: true }) => {
            drop(tx);
            // Stored by a retry with the same key that got there first? Then its answer:
            // the record and its key were committed together.
            if let Some(first) = idempotency::first_answer(&db.pool, &pending).await? {
                return Ok(first);
            }
            return Err(duplicate::<R>(&db, &viewer, id).await);
        }
        // A deleted record with this key comes back, with the new content and its history.
        Some(Found { id, live: false }) => {
            let sql = format!(
                "UPDATE {} SET deleted_at = NULL, updated_at = $1, version = version + 1
                 WHERE id = $2",
                R::TABLE
            );
            sqlx::query(&sql)
                .bind(now_text())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            R::update(&mut tx, id, &valid).await?;
            (id, "restore", None, StatusCode::CREATED)
        }
        None => match R::insert(&mut tx, &valid).await {
            Ok(id) => (id, "create", None, StatusCode::CREATED),
            Err(e) => {
                drop(tx);
                return after_unique_violation::<R>(&db, &viewer, e, &pending, &valid).await;
            }
        },
    };
    let after = fetch::<R>(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("{} {id} vanished", R::NAME)))?;
    record_change::<R>(&mut tx, &viewer, action, id, before.as_ref(), Some(&after)).await?;
    let response = serde_json::to_string(&after).map_err(|e| ApiError::Internal(e.into()))?;
    if let Err(e) = idempotency::finish(&mut tx, &pending, id, &response).await {
        drop(tx);
        return after_unique_violation::<R>(&db, &viewer, e, &pending, &valid).await;
    }
    if let Err(e) = tx.commit().await {
        return after_unique_violation::<R>(&db, &viewer, e, &pending, &valid).await;
    }
    tracing::info!(resource = R::NAME, id, "record stored");
    Ok(HttpResponse::build(status)
        .insert_header((header::LOCATION, location::<R>(id)))
        .insert_header((header::ETAG, etag(R::version(&after))))
        .content_type("application/json")
        .body(response))
}

/// A create whose record a group-commit writer stores ([`Resource::GROUP_COMMIT`]): the
/// natural key is checked first (a live record with it is 409, or the first answer to a
/// retry that stored it), then the writer answers once the record is committed.
async fn create_in_group<R: Resource>(
    group_commit: super::GroupCommit<R>,
    req: &HttpRequest,
    db: &Db,
    viewer: &Viewer,
    valid: &R::Valid,
    pending: &Pending,
) -> Result<HttpResponse, ApiError> {
    // Refused at once if the month is locked; the writer checks again in its transaction,
    // and a store it refuses is answered the same way below.
    let period = periods(&[R::period(valid)]);
    locks::check_now(db, &period).await?;
    let existing = R::existing(&mut *db.pool.acquire().await?, valid).await?;
    if let Some(found) = existing.filter(|f| f.live) {
        // Stored by a retry with the same key that got there first? Then its answer.
        if let Some(first) = idempotency::first_answer(&db.pool, pending).await? {
            return Ok(first);
        }
        return Err(duplicate::<R>(db, viewer, found.id).await);
    }
    match group_commit(req, viewer, valid, pending).await {
        Ok((id, record)) => Ok(HttpResponse::Created()
            .insert_header((header::LOCATION, location::<R>(id)))
            .insert_header((header::ETAG, etag(R::version(&record))))
            .json(record)),
        Err(e) => {
            locks::check_now(db, &period).await?;
            after_unique_violation::<R>(db, viewer, e, pending, valid).await
        }
    }
}

/// The months a write touches, for [`locks::check`].
fn periods(of: &[Option<Period>]) -> Vec<Period> {
    of.iter().flatten().copied().collect()
}

/// How the idempotency protocol knows a resource's creates.
fn keys<R: Resource>() -> idempotency::Create {
    idempotency::Create {
        resource: R::NAME,
        located: true,
    }
}

/// A create that lost a race: to a retry with the same key (answer as the first), or to
/// another create with the same natural key (409 with it). Anything else is an error.
async fn after_unique_violation<R: Resource>(
    db: &Db,
    viewer: &Viewer,
    error: sqlx::Error,
    pending: &Pending,
    valid: &R::Valid,
) -> Result<HttpResponse, ApiError> {
    let error = match idempotency::lost_race(&db.pool, pending, error).await? {
        Lost::Replay(first) => return Ok(first),
        Lost::Taken(error) => error,
    };
    let mut conn = db.pool.acquire().await?;
    match R::existing(&mut conn, valid).await? {
        Some(found) => Err(clash::<R>(db, viewer, found).await),
        None => Err(error.into()),
    }
}

fn location<R: Resource>(id: i64) -> String {
    format!("/api/v1/{}/{id}", R::NAME)
}

async fn update<R: Resource>(
    db: web::Data<Db>,
    viewer: Viewer,
    id: web::Path<i64>,
    IfMatch(version): IfMatch,
    Json(input): Json<R::Input>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    allowed_to_write::<R>(&db, &viewer).await?;
    let version = version.ok_or(ApiError::PreconditionRequired)?;
    let mut tx = db.write_tx().await?;
    let before = fetch_visible::<R>(&mut tx, &viewer, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let valid = R::validate(&mut tx, &input).await?;
    if !R::may_write(&mut tx, &viewer, &valid).await? {
        drop(tx);
        return Err(denied::<R>(&db, &viewer, id).await);
    }
    if R::version(&before) != version {
        return Err(conflict::<R>(&mut tx, &viewer, Conflict::EditConflict, before).await);
    }
    // Neither the month it leaves nor the month it moves to may be locked.
    let touched = periods(&[R::period_of(&before), R::period(&valid)]);
    locks::check(&mut tx, db.engine, &touched).await?;
    if let Some(other) = R::other_with_key(&mut tx, &valid, id).await? {
        drop(tx);
        return Err(clash::<R>(&db, &viewer, other).await);
    }
    if let Some(outside) = R::left_outside(&mut tx, id, &valid).await? {
        let Outside { used_by, fields } = outside;
        return Err(dependents::<R>(
            &mut tx,
            &viewer,
            Conflict::RecordsOutside,
            before,
            used_by,
            fields,
        )
        .await);
    }
    if !bump_version::<R>(&mut tx, id, Some(version)).await? {
        return Err(stale::<R>(&mut tx, &viewer, id).await);
    }
    if let Err(e) = R::update(&mut tx, id, &valid).await {
        drop(tx);
        if idempotency::is_taken(&e) {
            let mut conn = db.pool.acquire().await?;
            if let Some(other) = R::other_with_key(&mut conn, &valid, id).await? {
                return Err(clash::<R>(&db, &viewer, other).await);
            }
        }
        return Err(e.into());
    }
    let after = fetch::<R>(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    R::updated(&mut tx, &viewer, &before, &after).await?;
    record_change::<R>(&mut tx, &viewer, "update", id, Some(&before), Some(&after)).await?;
    tx.commit().await?;
    tracing::info!(resource = R::NAME, id, "record updated");
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(R::version(&after))))
        .json(after))
}

/// Soft-deletes a record; it stays in the database and the audit log. `If-Match`, when
/// sent, must be current.
async fn delete<R: Resource>(
    db: web::Data<Db>,
    viewer: Viewer,
    id: web::Path<i64>,
    IfMatch(version): IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    allowed_to_write::<R>(&db, &viewer).await?;
    let mut tx = db.write_tx().await?;
    let before = fetch_visible::<R>(&mut tx, &viewer, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !R::may_delete(&viewer, &before) {
        drop(tx);
        return Err(denied::<R>(&db, &viewer, id).await);
    }
    let current = R::version(&before);
    if version.is_some_and(|v| v != current) {
        return Err(conflict::<R>(&mut tx, &viewer, Conflict::EditConflict, before).await);
    }
    locks::check(&mut tx, db.engine, &periods(&[R::period_of(&before)])).await?;
    let used_by = R::in_use(&mut tx, id).await?;
    if !used_by.is_empty() {
        return Err(dependents::<R>(
            &mut tx,
            &viewer,
            Conflict::InUse,
            before,
            used_by,
            FieldErrors::default(),
        )
        .await);
    }
    let sql = format!(
        "UPDATE {} SET deleted_at = $1, updated_at = $1, version = version + 1
         WHERE id = $2 AND version = $3 AND deleted_at IS NULL",
        R::TABLE
    );
    let done = sqlx::query(&sql)
        .bind(now_text())
        .bind(id)
        .bind(current)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if done == 0 {
        return Err(stale::<R>(&mut tx, &viewer, id).await);
    }
    R::deleted(&mut tx, &before).await?;
    record_change::<R>(&mut tx, &viewer, "delete", id, Some(&before), None).await?;
    tx.commit().await?;
    tracing::info!(resource = R::NAME, id, "record deleted");
    Ok(HttpResponse::NoContent().finish())
}

/// Moves a live record's version on, if it is still `expected` (any, when `None`).
/// The version in the `WHERE` clause makes a concurrent edit lose cleanly.
async fn bump_version<R: Resource>(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    expected: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET version = version + 1, updated_at = $1
         WHERE id = $2 AND deleted_at IS NULL AND ($3 IS NULL OR version = $3)",
        R::TABLE
    );
    let done = sqlx::query(&sql)
        .bind(now_text())
        .bind(id)
        .bind(expected)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(done > 0)
}

async fn record_change<R: Resource>(
    tx: &mut Transaction<'static, Any>,
    viewer: &Viewer,
    action: &'static str,
    id: i64,
    before: Option<&R::Record>,
    after: Option<&R::Record>,
) -> Result<(), sqlx::Error> {
    let change = Change {
        actor: Some(viewer.actor()),
        action,
        resource: R::NAME,
        resource_id: id,
        before,
        after,
    };
    audit::record(tx, &[change]).await
}

/// 403 for a role that changes none of these records; audited.
async fn allowed_to_write<R: Resource>(db: &Db, viewer: &Viewer) -> Result<(), ApiError> {
    if R::WRITERS.contains(&viewer.role) {
        Ok(())
    } else {
        Err(denied::<R>(db, viewer, 0).await)
    }
}

/// A refusal to read is audited like a refusal to write; other errors pass unchanged.
async fn audited<R: Resource>(db: &Db, viewer: &Viewer, error: ApiError) -> ApiError {
    audited_id::<R>(db, viewer, error, 0).await
}

async fn audited_id<R: Resource>(db: &Db, viewer: &Viewer, error: ApiError, id: i64) -> ApiError {
    match error {
        ApiError::Forbidden => denied::<R>(db, viewer, id).await,
        other => other,
    }
}

/// Records that the viewer was refused, and answers 403.
async fn denied<R: Resource>(db: &Db, viewer: &Viewer, id: i64) -> ApiError {
    match audit::event(&db.pool, &Event::denied(viewer, R::NAME, id)).await {
        Ok(()) => ApiError::Forbidden,
        Err(e) => e.into(),
    }
}

/// The answer to an edit that lost to a concurrent one: 409 with the record as it is now.
async fn stale<R: Resource>(
    tx: &mut Transaction<'static, Any>,
    viewer: &Viewer,
    id: i64,
) -> ApiError {
    match fetch::<R>(tx, id).await {
        Ok(Some(current)) => conflict::<R>(tx, viewer, Conflict::EditConflict, current).await,
        Ok(None) => ApiError::NotFound,
        Err(e) => e.into(),
    }
}

/// The answer when another record holds the natural key asked for: 409 with it when it
/// is live; when it was deleted (it keeps its key as history), 422 on the key's field.
async fn clash<R: Resource>(db: &Db, viewer: &Viewer, other: Found) -> ApiError {
    if other.live {
        duplicate::<R>(db, viewer, other.id).await
    } else {
        let mut errors = FieldErrors::default();
        errors.push(R::KEY_FIELD, FieldCode::DuplicateValue);
        ApiError::Validation(errors)
    }
}

/// 409 with the live record `id`, which already has the natural key asked for. A record
/// outside the viewer's scope (another city's school with the code) is not shown: the key
/// is only said to be taken, as a deleted record's is.
async fn duplicate<R: Resource>(db: &Db, viewer: &Viewer, id: i64) -> ApiError {
    let mut conn = match db.pool.acquire().await {
        Ok(conn) => conn,
        Err(e) => return e.into(),
    };
    match fetch_visible::<R>(&mut conn, viewer, id).await {
        Ok(Some(existing)) => conflict::<R>(&mut conn, viewer, R::DUPLICATE, existing).await,
        Ok(None) | Err(ApiError::Forbidden) => {
            let mut errors = FieldErrors::default();
            errors.push(R::KEY_FIELD, FieldCode::DuplicateValue);
            ApiError::Validation(errors)
        }
        Err(e) => e,
    }
}

/// The record as the viewer may see it (see [`Resource::redact`]).
async fn shown<R: Resource>(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    record: R::Record,
) -> Result<R::Record, ApiError> {
    R::redact(conn, viewer, vec![record])
        .await?
        .pop()
        .ok_or(ApiError::NotFound)
}

/// 409 with `current` as the viewer may see it: a conflict is no way around a hidden count.
async fn conflict<R: Resource>(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    code: Conflict,
    current: R::Record,
) -> ApiError {
    let current = match shown::<R>(conn, viewer, current).await {
        Ok(current) => current,
        Err(e) => return e,
    };
    match serde_json::to_value(&current) {
        Ok(current) => ApiError::Conflict { code, current },
        Err(e) => ApiError::Internal(e.into()),
    }
}

/// 409 naming the live records that depend on `current` (see [`ApiError::Dependents`]).
async fn dependents<R: Resource>(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    code: Conflict,
    current: R::Record,
    used_by: UsedBy,
    fields: FieldErrors,
) -> ApiError {
    match conflict::<R>(conn, viewer, code, current).await {
        ApiError::Conflict { code, current } => ApiError::Dependents {
            code,
            current,
            used_by,
            fields,
            closable: R::CLOSABLE && matches!(code, Conflict::InUse),
        },
        other => other,
    }
}
