//! The stations' typed outcome figures (帮扶成效), as aggregate counts per station and month.
//!
//! The figures are drawn for every station as if all typed them, so that the city's stay
//! the report's; only 天宁分局's stations ([`TYPED_DISTRICT`]) keep them; the others count
//! theirs from their registers from 2024-01 (see [`super::registers`], which draws records
//! for what the typed stations leave of the report's figures). Theft cases by minors are
//! not in the registers and stay typed everywhere.

use std::collections::BTreeMap;

use anyhow::Context as _;
use chrono::{Datelike, Duration, NaiveDate};
use humiao_shared::outcome::Indicator;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sqlx::{Any, Transaction};

use super::{insert_rows, seeded, stamp, ymd_text, StationSeed, I, T};

/// The district whose stations type their totals, as before registers.
pub(super) const TYPED_DISTRICT: &str = "TN";

/// What the typed stations' figures add up to per year and indicator: the registers draw
/// the rest of the report's figures.
pub(super) type TypedSums = std::collections::HashMap<(i32, Indicator), i64>;

/// Outcome figures for each month up to the last complete one. The minors in mentoring
/// are a stock, reported once a year in December; visits, activities, difficulties solved,
/// runaway calls and their follow-ups are filed per quarter, in its last month; re-offences,
/// volunteer teams and the 三井 and 龙虎塘 figures per month. Months with nothing to
/// report have no row.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Any>,
    stations: &[StationSeed],
    today: NaiveDate,
    now: &str,
) -> anyhow::Result<TypedSums> {
    let last = today.with_day(1).context("date")? - Duration::days(1);
    let weights: Vec<i64> = {
        let mut rng = seeded(3, 0);
        stations.iter().map(|_| rng.random_range(6..=16)).collect()
    };
    let at = |place: &str| stations.iter().position(|s| s.place == place);
    let (sanjing, longhutang) = (at("三井"), at("龙虎塘"));
    let mut values: BTreeMap<(usize, String, &str), i64> = BTreeMap::new();
    let mut add = |station: usize, year: i32, month: u32, indicator: Indicator, n: i64| {
        if n > 0 {
            *values
                .entry((station, format!("{year}-{month:02}"), indicator.code()))
                .or_default() += n;
        }
    };
    for year in 2024..=last.year() {
        let mut rng = seeded(3, year);
        let months: Vec<u32> = (1..=12)
            .filter(|&m| (year, m) <= (last.year(), last.month()))
            .collect();
        let quarters: Vec<u32> = months.iter().copied().filter(|m| m % 3 == 0).collect();
        let part = |full: i64, of: usize, per: usize| full * of as i64 / per as i64;
        let month_of = |rng: &mut ChaCha8Rng| months[rng.random_range(0..months.len())];

        let mentored_total = (1038 - 26 * i64::from(year - 2024)).max(800);
        let mentored = split(&mut rng, mentored_total, &weights);
        if months.len() == 12 {
            for (s, &n) in mentored.iter().enumerate() {
                add(s, year, 12, Indicator::MinorsMentored, n);
            }
        }
        // 33 of 1038 (3.2%) in 2024, about 3% later; none from 龙虎塘's squad.
        let reoffences = if year == 2024 {
            33
        } else {
            part(mentored_total * 3 / 100, months.len(), 12)
        };
        let mut room = mentored.clone();
        if let Some(s) = longhutang {
            room[s] = 0;
        }
        for _ in 0..reoffences {
            if let Some(s) = pick(&mut rng, &room) {
                room[s] -= 1;
                let month = month_of(&mut rng);
                add(s, year, month, Indicator::Reoffences, 1);
            }
        }
        for &q in &quarters {
            for (s, &n) in mentored.iter().enumerate() {
                add(s, year, q, Indicator::Visits, n * rng.random_range(2..=4));
                add(s, year, q, Indicator::Activities, rng.random_range(1..=4));
                add(
                    s,
                    year,
                    q,
                    Indicator::DifficultiesSolved,
                    rng.random_range(0..=3),
                );
            }
        }
        // 1000+ runaway calls in 2024, every one followed up.
        let calls = if year == 2024 {
            1046
        } else {
            part(980, quarters.len(), 4)
        };
        let mut calls_at = vec![0; stations.len()];
        if !quarters.is_empty() {
            for _ in 0..calls {
                if let Some(s) = pick(&mut rng, &weights) {
                    calls_at[s] += 1;
                    let q = quarters[rng.random_range(0..quarters.len())];
                    add(s, year, q, Indicator::RunawayCalls, 1);
                    add(s, year, q, Indicator::FollowUps, 1);
                }
            }
        }
        let teams = if year == 2024 {
            24
        } else {
            part(20, months.len(), 12)
        };
        for _ in 0..teams {
            if let Some(s) = pick(&mut rng, &calls_at) {
                let month = month_of(&mut rng);
                add(s, year, month, Indicator::VolunteerTeams, 1);
            }
        }

        for &month in &months {
            if let Some(s) = sanjing {
                // 162 cared for in 2024-09..12; thefts by minors 80 in the eight months
                // before, 28 in the four after: 10 a month down to 7, a fall of 30%.
                let (cared, thefts) = match (year, month) {
                    (2024, 1..=8) => (0, [9, 11, 10, 12, 8, 10, 11, 9][month as usize - 1]),
                    (2024, _) => (
                        [38, 44, 41, 39][month as usize - 9],
                        [7, 8, 6, 7][month as usize - 9],
                    ),
                    _ => (rng.random_range(12..=30), rng.random_range(5..=8)),
                };
                add(s, year, month, Indicator::NightWanderingCared, cared);
                add(s, year, month, Indicator::JuvenileThefts, thefts);
            }
            if let Some(s) = longhutang {
                let back = match (year, month) {
                    (2024, 2) => 3,
                    (2024, 9) => 5,
                    (2024, 10) => 2,
                    (2024, _) => 0,
                    (_, 2) => rng.random_range(0..=1),
                    (_, 9) => rng.random_range(1..=3),
                    _ => 0,
                };
                add(s, year, month, Indicator::ReturnedToSchool, back);
            }
        }
    }

    let mut rows = Vec::new();
    let mut sums = TypedSums::new();
    for ((s, month, indicator), value) in values {
        let typed = stations[s].district_code == TYPED_DISTRICT;
        if !typed && indicator != Indicator::JuvenileThefts.code() {
            continue;
        }
        if let (Some(i), Ok(year)) = (Indicator::from_code(indicator), month[..4].parse()) {
            *sums.entry((year, i)).or_default() += value;
        }
        // Filed on the first of the month after.
        let filed = ymd_text(&month)? + chrono::Months::new(1);
        rows.push(vec![
            I(stations[s].id),
            T(month),
            T(indicator.into()),
            I(value),
            T(stamp(filed, "01:30:00", now)),
        ]);
    }
    insert_rows(
        tx,
        "outcome_values",
        &["station_id", "month", "indicator", "value", "created_at"],
        rows,
    )
    .await?;
    Ok(sums)
}

/// `total` shared out one by one in proportion to `weights`.
fn split(rng: &mut ChaCha8Rng, total: i64, weights: &[i64]) -> Vec<i64> {
    let mut counts = vec![0; weights.len()];
    for _ in 0..total {
        if let Some(i) = pick(rng, weights) {
            counts[i] += 1;
        }
    }
    counts
}

/// An index drawn in proportion to `weights`; None when they are all zero.
fn pick(rng: &mut ChaCha8Rng, weights: &[i64]) -> Option<usize> {
    let total: i64 = weights.iter().sum();
    if total <= 0 {
        return None;
    }
    let mut left = rng.random_range(0..total);
    weights.iter().position(|&w| {
        let hit = left < w;
        left -= w;
        hit
    })
}
