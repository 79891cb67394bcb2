//! Sign-ins in the database: server-side sessions (`auth_sessions`, keyed by the SHA-256 of
//! the cookie's token) and failed logins (`login_failures`). Whether a session still stands
//! and what a failure limit allows is decided in `auth`.

use chrono::{DateTime, Utc};
use sqlx::AnyPool;

use super::now_text;

/// Stores a new session under its token's digest, for an account or a school's link.
pub async fn insert_session(
    pool: &AnyPool,
    token_hash: &str,
    user_id: Option<i64>,
    link_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO auth_sessions (token_hash, user_id, link_id, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(link_id)
    .bind(now_text())
    .execute(pool)
    .await?;
    Ok(())
}

/// Ends the session stored under this digest (nothing when there is none).
pub async fn end_session(pool: &AnyPool, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE auth_sessions SET ended_at = $1 WHERE token_hash = $2")
        .bind(now_text())
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// A stored session: account, link, created, last seen, ended (times as stored).
pub type SessionRow = (Option<i64>, Option<i64>, String, String, Option<String>);

pub async fn find_session(
    pool: &AnyPool,
    token_hash: &str,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, link_id, created_at, last_seen_at, ended_at
         FROM auth_sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await
}

/// Marks the session as used now.
pub async fn touch_session(pool: &AnyPool, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE auth_sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now_text())
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Failed logins in the window for the account and for the address, and when the oldest
/// of the counted ones leaves the window.
pub async fn recent_failures(
    pool: &AnyPool,
    username: &str,
    address: &str,
    since: DateTime<Utc>,
) -> Result<(i64, i64, Option<String>), sqlx::Error> {
    let since = since.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (by_user, by_address, oldest): (i64, i64, Option<String>) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $3),
                (SELECT COUNT(*) FROM login_failures WHERE address = $2 AND at > $3),
                (SELECT MIN(at) FROM login_failures
                 WHERE (username = $1 OR address = $2) AND at > $3)",
    )
    .bind(username)
    .bind(address)
    .bind(since)
    .fetch_one(pool)
    .await?;
    Ok((by_user, by_address, oldest))
}

pub async fn record_failure(
    pool: &AnyPool,
    username: &str,
    address: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO login_failures (at, username, address) VALUES ($1, $2, $3)")
        .bind(now_text())
        .bind(username)
        .bind(address)
        .execute(pool)
        .await?;
    Ok(())
}

/// Forgets an account's failures after it signed in.
pub async fn clear_failures(pool: &AnyPool, username: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE username = $1")
        .bind(username)
        .execute(pool)
        .await?;
    Ok(())
}
