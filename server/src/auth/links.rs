//! Schools' links: a school confirms its screenings without a password through a link
//! (printed as a QR code) that an administrator issued for one school and one campaign.
//! The link carries a random secret; the database keeps its SHA-256, an expiry date and,
//! once revoked, the time of revocation.

use chrono::{DateTime, Utc};
use humiao_shared::account::Role;
use sqlx::AnyPool;

use super::store::digest;
use super::{Scope, Viewer};
use crate::error::ApiError;

type LinkRow = (i64, i64, i64, i64, String, Option<String>);

async fn load_by_secret(pool: &AnyPool, secret: &str) -> Result<Option<LinkRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id, l.school_id, sc.station_id, sc.district_id, l.expires_at, l.revoked_at
         FROM school_links l JOIN schools sc ON sc.id = l.school_id
         WHERE l.token_hash = $1",
    )
    .bind(digest(secret))
    .fetch_optional(pool)
    .await
}

/// Why a link opens nothing, checked in the order a person would want to hear it.
fn usable(row: &LinkRow, now: DateTime<Utc>) -> Result<(), ApiError> {
    if row.5.is_some() {
        return Err(ApiError::LinkRevoked);
    }
    let expires = DateTime::parse_from_rfc3339(&row.4)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("bad expiry {}: {e}", row.4)))?;
    if expires <= now {
        return Err(ApiError::LinkExpired);
    }
    Ok(())
}

/// The link a secret opens, if it is known, not revoked and not expired.
pub async fn redeem(pool: &AnyPool, secret: &str, now: DateTime<Utc>) -> Result<i64, ApiError> {
    let row = load_by_secret(pool, secret)
        .await?
        .ok_or(ApiError::NotFound)?;
    usable(&row, now)?;
    Ok(row.0)
}

/// The school behind a session opened with a link, while the link stays usable.
pub async fn viewer(pool: &AnyPool, link_id: i64, now: DateTime<Utc>) -> Result<Viewer, ApiError> {
    let row = load_by_id(pool, link_id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    usable(&row, now)?;
    let (_, school, station, district, _, _) = row;
    Ok(Viewer {
        user_id: None,
        username: format!("link:{school}"),
        role: Role::School,
        scope: Scope::School {
            district,
            station,
            school,
        },
    })
}

async fn load_by_id(pool: &AnyPool, id: i64) -> Result<Option<LinkRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id, l.school_id, sc.station_id, sc.district_id, l.expires_at, l.revoked_at
         FROM school_links l JOIN schools sc ON sc.id = l.school_id
         WHERE l.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}
