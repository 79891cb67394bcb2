//! The demo's campaign records besides sessions: each year's screening assignment and the
//! schools' confirmations, the speaker trainings, and the stations' outcome figures.
//!
//! 2024 carries the report's figures (DOMAIN.md): 10 films shown in 855 schools to about
//! 1.3 million students and parents; 94 speakers from the 87 stations trained on
//! 2024-08-19..20; and, counted from the mentoring registers, 1038 minors mentored, 33 of whom offended again; 1000+ runaway calls, all
//! followed up, and 24 youths given a volunteer team; 162 night wanderers cared for at 三井
//! since September, where thefts by minors fell by 30%; 10 youths back in school at 龙虎塘.
//! Later years go on in the same vein up to today, never beyond it. Each part of each year
//! draws from a seed of its own, so a past year's records do not change as time passes.

mod outcomes;
mod registers;
mod screenings;
mod trainings;

use std::collections::{HashMap, HashSet};

use anyhow::Context as _;
use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sqlx::{Any, Transaction};

use super::{StationSeed, SEED};
use crate::db;

/// Adds every year's screenings and trainings, then the typed outcome figures and the
/// registers the others are counted from.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Any>,
    stations: &[StationSeed],
    today: NaiveDate,
) -> anyhow::Result<()> {
    let now = db::now_text();
    let campaigns: Vec<(i64, i64)> = sqlx::query_as("SELECT id, year FROM campaigns ORDER BY year")
        .fetch_all(&mut **tx)
        .await?;
    let films: Vec<(i64,)> = sqlx::query_as("SELECT id FROM films ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    let films: Vec<i64> = films.into_iter().map(|(id,)| id).collect();
    let mut rolls: HashMap<i64, Vec<(i32, i64)>> = HashMap::new();
    let enrolments: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT school_id, school_year, students FROM school_enrolments")
            .fetch_all(&mut **tx)
            .await?;
    for (school, year, students) in enrolments {
        rolls
            .entry(school)
            .or_default()
            .push((year as i32, students));
    }
    let mut names = HashSet::new();
    for (campaign_id, year) in campaigns {
        let year = year as i32;
        let campaign = Campaign {
            id: campaign_id,
            year,
        };
        screenings::insert(tx, campaign, stations, &films, &rolls, today, &now).await?;
        trainings::insert(tx, campaign, stations, &mut names, today, &now).await?;
    }
    let typed = outcomes::insert(tx, stations, today, &now).await?;
    registers::insert(tx, stations, &typed, today, &now).await
}

/// A campaign's id and year.
#[derive(Clone, Copy)]
struct Campaign {
    id: i64,
    year: i32,
}

/// Each part of each year has a seed of its own (see the module comment).
fn seeded(part: u64, year: i32) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(SEED ^ (part << 40) ^ year as u64)
}

fn ymd(year: i32, month: u32, day: u32) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).context("date")
}

/// The first day of a `YYYY-MM` month.
fn ymd_text(month: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").context("month")
}

/// A `created_at` on `day` at `time` UTC, but never later than now.
fn stamp(day: NaiveDate, time: &str, now: &str) -> String {
    let at = format!("{day}T{time}.000Z");
    if at.as_str() > now {
        now.to_string()
    } else {
        at
    }
}

/// A value to bind.
enum Value {
    I(i64),
    T(String),
}
use Value::{I, T};

/// Inserts `rows` with multi-row statements of a hundred rows (as `gen` does).
async fn insert_rows(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> anyhow::Result<()> {
    for batch in rows.chunks(100) {
        let tuples: Vec<String> = (0..batch.len())
            .map(|r| {
                format!(
                    "({})",
                    db::placeholders(r * columns.len() + 1, columns.len())
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            tuples.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for value in batch.iter().flatten() {
            query = match value {
                I(i) => query.bind(*i),
                T(t) => query.bind(t.clone()),
            };
        }
        query
            .execute(&mut **tx)
            .await
            .with_context(|| format!("cannot insert the demo's {table}"))?;
    }
    Ok(())
}
