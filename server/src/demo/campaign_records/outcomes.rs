//! The stations' typed outcome figures (帮扶成效): only what the registers do not answer.
//! Every demo station counts its figures from its registers from 2024-01 on (see
//! [`super::registers`]), so a typed value of an indicator they answer would be refused;
//! theft cases by minors stay typed, for 三井, where they fell by 30% once night-wandering
//! care began in 2024-09.

use chrono::{Datelike, Duration, NaiveDate};
use humiao_shared::outcome::Indicator;
use rand::Rng;

use super::{insert_rows, seeded, stamp, ymd_text, StationSeed, I, T};

/// 三井's theft cases by minors, per month up to the last complete one: 80 in the eight
/// months of 2024 before the care began, 28 in the four after (10 a month down to 7).
pub(super) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    stations: &[StationSeed],
    today: NaiveDate,
    now: &str,
) -> anyhow::Result<()> {
    let last = today.with_day(1).unwrap_or(today) - Duration::days(1);
    let Some(sanjing) = stations.iter().find(|s| s.place == "三井") else {
        return Ok(());
    };
    let mut rows = Vec::new();
    for year in 2024..=last.year() {
        let mut rng = seeded(3, year);
        for month in (1..=12u32).filter(|&m| (year, m) <= (last.year(), last.month())) {
            let thefts = match (year, month) {
                (2024, 1..=8) => [9, 11, 10, 12, 8, 10, 11, 9][month as usize - 1],
                (2024, _) => [7, 8, 6, 7][month as usize - 9],
                _ => rng.random_range(5..=8),
            };
            let month = format!("{year}-{month:02}");
            // Filed on the first of the month after.
            let filed = ymd_text(&month)? + chrono::Months::new(1);
            rows.push(vec![
                I(sanjing.id),
                T(month),
                T(Indicator::JuvenileThefts.code().into()),
                I(thefts),
                T(stamp(filed, "01:30:00", now)),
            ]);
        }
    }
    insert_rows(
        tx,
        "outcome_values",
        &["station_id", "month", "indicator", "value", "created_at"],
        rows,
    )
    .await
}
