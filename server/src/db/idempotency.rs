//! Idempotency keys: what a create request with an `Idempotency-Key` answered the first time.

use sqlx::{Any, AnyPool, Transaction};

use super::now_text;

/// The first answer to a keyed request.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub request_hash: String,
    pub resource_id: i64,
    pub response: String,
}

pub async fn find(pool: &AnyPool, key: &str) -> Result<Option<Recorded>, sqlx::Error> {
    let row: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT request_hash, resource_id, response FROM idempotency_keys WHERE key = $1",
    )
    .bind(key)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(request_hash, resource_id, response)| Recorded {
        request_hash,
        resource_id,
        response,
    }))
}

/// Records the answer, in the transaction that created the resource. A concurrent request
/// with the same key makes this fail with a unique violation, and its transaction with it.
pub async fn record(
    tx: &mut Transaction<'_, Any>,
    key: &str,
    resource: &str,
    recorded: &Recorded,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO idempotency_keys (key, request_hash, resource, resource_id, response, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key)
    .bind(&recorded.request_hash)
    .bind(resource)
    .bind(recorded.resource_id)
    .bind(&recorded.response)
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A client's key as stored: each account (and each school's link) has its own keys, so
/// one's retry can never be answered with another's record. `owner` is the viewer's
/// `key_owner()`: a kind and an id (`user:7`, `link:11`), never a name an account chose.
pub fn scoped(owner: &str, key: &str) -> String {
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
