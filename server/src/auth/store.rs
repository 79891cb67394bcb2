//! Sessions: starting and ending them, and the viewer a session's token stands for (the
//! expiry rules are applied here; the SQL is in `db::sign_ins` and `db::accounts`).

use chrono::{DateTime, Utc};
use sqlx::AnyPool;

use super::expired;
use crate::db::{accounts, sign_ins, Db};
use crate::error::ApiError;
use crate::token::{digest, new_token};
use crate::viewer::Viewer;

/// Starts a session for an account (or a school's link); returns the cookie's token.
pub async fn start_session(
    pool: &AnyPool,
    user_id: Option<i64>,
    link_id: Option<i64>,
) -> anyhow::Result<String> {
    let token = new_token()?;
    sign_ins::insert_session(pool, &digest(&token), user_id, link_id).await?;
    Ok(token)
}

pub async fn end_session(pool: &AnyPool, token: &str) -> Result<(), sqlx::Error> {
    sign_ins::end_session(pool, &digest(token)).await
}

/// The viewer a session token stands for, or why it stands for no one.
pub async fn viewer_of(db: &Db, token: &str, now: DateTime<Utc>) -> Result<Viewer, ApiError> {
    let hash = digest(token);
    let row = sign_ins::find_session(&db.pool, &hash).await?;
    let Some((user_id, link_id, created, last_seen, ended)) = row else {
        return Err(ApiError::Unauthenticated);
    };
    if ended.is_some() {
        return Err(ApiError::Unauthenticated);
    }
    let (created, last_seen) = (time(&created)?, time(&last_seen)?);
    if expired(created, last_seen, now) {
        sign_ins::end_session(&db.pool, &hash).await?;
        return Err(ApiError::SessionExpired);
    }
    let viewer = match (user_id, link_id) {
        (Some(user_id), _) => user_viewer(&db.pool, user_id).await?,
        (None, Some(link_id)) => super::links::viewer(&db.pool, link_id, now).await?,
        (None, None) => return Err(ApiError::Unauthenticated),
    };
    // One write a minute at most: enough for a 30-minute idle limit.
    if now - last_seen > chrono::Duration::minutes(1) {
        sign_ins::touch_session(&db.pool, &hash).await?;
    }
    Ok(viewer)
}

async fn user_viewer(pool: &AnyPool, user_id: i64) -> Result<Viewer, ApiError> {
    let user = accounts::find_user_by_id(pool, user_id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    if user.disabled {
        return Err(ApiError::Unauthenticated);
    }
    Ok(user.viewer())
}

fn time(text: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("bad time {text}: {e}")))
}
