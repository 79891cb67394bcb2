//! The organisation and reference data: districts, stations, schools, topics, campaigns.

use humiao_shared::org::{Campaign, District, School, SchoolKind, Station, Topic};
use sqlx::AnyPool;

use super::date;

pub async fn list_districts(pool: &AnyPool) -> Result<Vec<District>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, code, name FROM districts ORDER BY sort_order, id")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name)| District { id, code, name })
        .collect())
}

pub async fn list_stations(
    pool: &AnyPool,
    district_id: Option<i64>,
) -> Result<Vec<Station>, sqlx::Error> {
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, code, name, district_id FROM stations
         WHERE ($1 IS NULL OR district_id = $1) ORDER BY code",
    )
    .bind(district_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name, district_id)| Station {
            id,
            code,
            name,
            district_id,
        })
        .collect())
}

/// Schools in a station's area and/or whose name contains `name_part`, at most `limit`.
pub async fn list_schools(
    pool: &AnyPool,
    station_id: Option<i64>,
    name_part: Option<&str>,
    limit: i64,
) -> Result<Vec<School>, sqlx::Error> {
    let pattern = name_part.map(|p| format!("%{}%", escape_like(p)));
    let rows: Vec<(i64, String, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.code, s.name, s.kind, s.district_id, s.station_id,
                COALESCE((SELECT e.students FROM school_enrolments e WHERE e.school_id = s.id
                          ORDER BY e.school_year DESC LIMIT 1), 0)
         FROM schools s
         WHERE ($1 IS NULL OR s.station_id = $1)
           AND ($2 IS NULL OR s.name LIKE $2 ESCAPE '\\')
         ORDER BY s.name LIMIT $3",
    )
    .bind(station_id)
    .bind(pattern)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, code, name, kind, district_id, station_id, enrolment)| School {
                id,
                code,
                name,
                kind: SchoolKind::from_code(&kind).unwrap_or(SchoolKind::Other),
                district_id,
                station_id,
                enrolment,
            },
        )
        .collect())
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub async fn list_topics(pool: &AnyPool) -> Result<Vec<Topic>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, code, name_zh, name_en FROM topics ORDER BY sort_order, id")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name_zh, name_en)| Topic {
            id,
            code,
            name_zh,
            name_en,
        })
        .collect())
}

pub async fn list_campaigns(pool: &AnyPool) -> Result<Vec<Campaign>, sqlx::Error> {
    let rows: Vec<(i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT id, name, year, starts_on, ends_on FROM campaigns ORDER BY year DESC",
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(id, name, year, starts_on, ends_on)| {
            Ok(Campaign {
                id,
                name,
                year: year as i32,
                starts_on: date(&starts_on)?,
                ends_on: date(&ends_on)?,
            })
        })
        .collect()
}

pub async fn campaign_exists(pool: &AnyPool, campaign_id: i64) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM campaigns WHERE id = $1")
        .bind(campaign_id)
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}
