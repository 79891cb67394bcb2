//! Signing in with a school's link: a school confirms its screenings without a password
//! through a link (printed as a QR code) that an administrator issued for one school and
//! one campaign. The link carries a random secret; the database keeps its SHA-256, an
//! expiry date and, once revoked, the time of revocation. Issuing, listing and revoking
//! links is in `records::links`; here is only what a link opens.

use chrono::{DateTime, Utc};
use humiao_shared::account::Role;
use humiao_shared::link::LinkState;
use sqlx::AnyPool;

use crate::error::ApiError;
use crate::token::digest;
use crate::viewer::{Scope, Viewer};

type LinkRow = (i64, i64, i64, i64, String, Option<String>, i64, i64);

async fn load_by_secret(pool: &AnyPool, secret: &str) -> Result<Option<LinkRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id, l.school_id, sc.station_id, sc.district_id, l.expires_at, l.revoked_at,
                l.campaign_id, d.city_id
         FROM school_links l JOIN schools sc ON sc.id = l.school_id
         JOIN districts d ON d.id = sc.district_id
         WHERE l.token_hash = $1",
    )
    .bind(digest(secret))
    .fetch_optional(pool)
    .await
}

/// Why a link opens nothing, checked in the order a person would want to hear it.
fn usable(row: &LinkRow, now: DateTime<Utc>) -> Result<(), ApiError> {
    match LinkState::of(time(&row.4)?, row.5.is_some(), now) {
        LinkState::Active => Ok(()),
        LinkState::Expired => Err(ApiError::LinkExpired),
        LinkState::Revoked => Err(ApiError::LinkRevoked),
    }
}

fn time(text: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("bad time {text}: {e}")))
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
    let (_, school, station, district, _, _, campaign, city) = row;
    Ok(Viewer {
        user_id: None,
        username: humiao_shared::account::link_actor(school),
        role: Role::School,
        scope: Scope::School {
            district,
            station,
            school,
        },
        city: Some(city),
        campaign: Some(campaign),
    })
}

async fn load_by_id(pool: &AnyPool, id: i64) -> Result<Option<LinkRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id, l.school_id, sc.station_id, sc.district_id, l.expires_at, l.revoked_at,
                l.campaign_id, d.city_id
         FROM school_links l JOIN schools sc ON sc.id = l.school_id
         JOIN districts d ON d.id = sc.district_id
         WHERE l.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}
