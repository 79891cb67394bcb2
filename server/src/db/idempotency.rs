//! Idempotent creates: one protocol for every create that takes an `Idempotency-Key`.
//!
//! A client that lost an answer sends the same request again with the same key; it must get
//! the first answer and store nothing new, even when its retries race each other. Records,
//! sessions and accounts all create this way, so the steps live here once, in the shape of
//! zero-to-production's `idempotency/persistence.rs`:
//!
//! 1. [`begin`]: a key already recorded answers [`Next::Replay`] (the first answer, or 422
//!    when the key came with another body); otherwise [`Next::Proceed`] with a [`Pending`].
//! 2. [`finish`], in the transaction that stores the record: records the answer under the
//!    key. A racing retry that got there first makes it fail with a unique violation, and
//!    the whole transaction with it, so racing retries make one row.
//! 3. [`lost_race`], when a store failed on a unique index: the first answer to a retry
//!    that won, or the error back for the caller to look for a record with the same
//!    natural key. [`first_answer`] is the same look-up for a create that found its
//!    natural key taken before storing anything.
//!
//! Keys are scoped to their owner ([`scoped`]) and compared by the SHA-256 of the parsed
//! request ([`fingerprint`]); without a key every step is a no-op.

use actix_web::http::header;
use actix_web::HttpResponse;
use sqlx::{Any, AnyPool, Transaction};

use super::now_text;
use crate::error::ApiError;

/// What is created: the resource its keys are recorded under, and whether its records
/// can be read at `/api/v1/{resource}/{id}` (then a replay says so in `Location`).
#[derive(Debug, Clone, Copy)]
pub struct Create {
    pub resource: &'static str,
    pub located: bool,
}

/// A create request allowed to proceed: its scoped key, if it had one, and its hash.
#[derive(Debug, Clone)]
pub struct Pending {
    create: Create,
    key: Option<String>,
    request_hash: String,
}

impl Pending {
    /// Did the request come with a key (so that its answer is to be recorded)?
    pub fn keyed(&self) -> bool {
        self.key.is_some()
    }
}

/// What to do with a create request.
pub enum Next {
    /// A retry: the first answer, sent again.
    Replay(HttpResponse),
    /// The first time this key (or no key) is seen: store the record, then [`finish`].
    Proceed(Pending),
}

/// The first answer to a keyed request.
#[derive(Debug, Clone)]
struct Recorded {
    request_hash: String,
    resource_id: i64,
    response: String,
}

/// Looks the key up: a replay for a key already answered, 422 for one answered for another
/// request, or leave to proceed. `owner` is the viewer's `key_owner()`; `request_hash` the
/// [`fingerprint`] of what makes two requests the same one.
pub async fn begin(
    pool: &AnyPool,
    create: Create,
    owner: &str,
    key: Option<String>,
    request_hash: String,
) -> Result<Next, ApiError> {
    let pending = Pending {
        create,
        key: key.map(|k| scoped(owner, &k)),
        request_hash,
    };
    Ok(match first_answer(pool, &pending).await? {
        Some(replay) => Next::Replay(replay),
        None => Next::Proceed(pending),
    })
}

/// Records the answer under the request's key, in the transaction that created record
/// `id`. A concurrent request with the same key makes this fail with a unique violation,
/// and its transaction with it. Nothing to do for a request without a key.
pub async fn finish(
    tx: &mut Transaction<'_, Any>,
    pending: &Pending,
    id: i64,
    response: &str,
) -> Result<(), sqlx::Error> {
    let Some(key) = &pending.key else {
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO idempotency_keys (key, request_hash, resource, resource_id, response, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key)
    .bind(&pending.request_hash)
    .bind(pending.create.resource)
    .bind(id)
    .bind(response)
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The first answer again, if a request with this key was stored (422 if with another
/// body). A record and its key are committed together, so a request that sees the one
/// sees the other.
pub async fn first_answer(
    pool: &AnyPool,
    pending: &Pending,
) -> Result<Option<HttpResponse>, ApiError> {
    let Some(key) = &pending.key else {
        return Ok(None);
    };
    let row: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT request_hash, resource_id, response FROM idempotency_keys WHERE key = $1",
    )
    .bind(key)
    .fetch_optional(pool)
    .await?;
    let Some((request_hash, resource_id, response)) = row else {
        return Ok(None);
    };
    replay(
        pending,
        Recorded {
            request_hash,
            resource_id,
            response,
        },
    )
    .map(Some)
}

/// How a store that failed on a unique index ends.
pub enum Lost {
    /// To a retry with the same key: its answer.
    Replay(HttpResponse),
    /// Not to a retry: the error, for the caller to look for the record with the same
    /// natural key that was stored first.
    Taken(sqlx::Error),
}

/// After a failed store: any error but a unique violation is just that; a unique violation
/// is a retry that won (its answer) or another create with the same natural key.
pub async fn lost_race(
    pool: &AnyPool,
    pending: &Pending,
    error: sqlx::Error,
) -> Result<Lost, ApiError> {
    if !is_taken(&error) {
        return Err(error.into());
    }
    Ok(match first_answer(pool, pending).await? {
        Some(replay) => Lost::Replay(replay),
        None => Lost::Taken(error),
    })
}

/// The first answer again, if this is the same request; 422 if the key was reused.
fn replay(pending: &Pending, first: Recorded) -> Result<HttpResponse, ApiError> {
    if first.request_hash != pending.request_hash {
        return Err(ApiError::IdempotencyKeyReused);
    }
    let mut answer = HttpResponse::Created();
    if pending.create.located {
        let location = format!("/api/v1/{}/{}", pending.create.resource, first.resource_id);
        answer.insert_header((header::LOCATION, location));
    }
    Ok(answer
        .insert_header(("Idempotent-Replayed", "true"))
        .content_type("application/json")
        .body(first.response))
}

/// A client's key as stored: each account (and each school's link) has its own keys, so
/// one's retry can never be answered with another's record. `owner` is the viewer's
/// `key_owner()`: a kind and an id (`user:7`, `link:11`), never a name an account chose.
fn scoped(owner: &str, key: &str) -> String {
    format!("{owner}\u{1f}{key}")
}

/// The SHA-256 of a parsed request, hex: two bodies that parse alike are the same request.
pub fn fingerprint<T: serde::Serialize>(request: &T) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(request).unwrap_or_default();
    Sha256::digest(&json)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Is this the error of a second record for a key that is already taken?
pub fn is_taken(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}
