//! Each year's screening assignment of the 10 films to the 855 schools, and the schools'
//! confirmations: in 2024 about 1.3 million students and parents watched.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use humiao_shared::org::school_year_of;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sqlx::{Any, Transaction};

use super::{insert_rows, seeded, stamp, ymd, Campaign, StationSeed, I, T};

/// One assignment of all films to all schools, open 1 March to 20 December (or today).
/// Nearly every school confirms most films in a past year; this year fewer have yet.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Any>,
    campaign: Campaign,
    stations: &[StationSeed],
    films: &[i64],
    rolls: &HashMap<i64, Vec<(i32, i64)>>,
    today: NaiveDate,
    now: &str,
) -> anyhow::Result<()> {
    let year = campaign.year;
    let opens = ymd(year, 3, 1)?;
    let window_end = ymd(year, 12, 20)?;
    let closes = window_end.min(today);
    if closes < opens {
        return Ok(());
    }
    let (assignment,): (i64,) = sqlx::query_as(
        "INSERT INTO screening_assignments (campaign_id, title, opens_on, closes_on, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(campaign.id)
    .bind(format!("{year}年宣教片观看"))
    .bind(opens.to_string())
    .bind(closes.to_string())
    .bind(stamp(ymd(year, 2, 20)?, "02:00:00", now))
    .fetch_one(&mut **tx)
    .await?;
    let schools: Vec<i64> = stations.iter().flat_map(|s| s.schools.clone()).collect();
    let film_rows = films.iter().map(|&f| vec![I(assignment), I(f)]).collect();
    insert_rows(
        tx,
        "assignment_films",
        &["assignment_id", "film_id"],
        film_rows,
    )
    .await?;
    let school_rows = schools.iter().map(|&s| vec![I(assignment), I(s)]).collect();
    insert_rows(
        tx,
        "assignment_schools",
        &["assignment_id", "school_id"],
        school_rows,
    )
    .await?;

    let mut rng = seeded(1, year);
    let whole_year = window_end <= today;
    let mut rows = Vec::new();
    for school in schools {
        let keen = rng.random_bool(if whole_year { 0.95 } else { 0.8 });
        let shown = if keen {
            rng.random_range(8..=10)
        } else {
            rng.random_range(1..=4)
        };
        // Share of the roll that watches, and parents per hundred students, at this school.
        let reach = rng.random_range(87..=99);
        let parents_per_100 = rng.random_range(23..=46);
        let mut picked = films.to_vec();
        picked.shuffle(&mut rng);
        for &film in picked.iter().take(shown) {
            let day = school_day(&mut rng, opens, window_end);
            let share = rng.random_range(85..=100);
            let parents_share = rng.random_range(70..=100);
            let method = pick_method(&mut rng);
            // Drawn before the cut, so this year's confirmations only grow day by day.
            if day > today {
                continue;
            }
            let roll = roll_on(
                rolls.get(&school).map(Vec::as_slice).unwrap_or_default(),
                day,
            );
            let students = roll * reach / 100 * share / 100;
            let parents = students * parents_per_100 / 100 * parents_share / 100;
            if students + parents == 0 {
                continue;
            }
            rows.push(vec![
                I(assignment),
                I(school),
                I(film),
                T(day.to_string()),
                I(students),
                I(parents),
                I(((students + 39) / 40).max(1)),
                T(method.into()),
                T(stamp(day, "08:30:00", now)),
            ]);
        }
    }
    insert_rows(
        tx,
        "screening_confirmations",
        &[
            "assignment_id",
            "school_id",
            "film_id",
            "shown_on",
            "students",
            "parents",
            "classes",
            "method",
            "created_at",
        ],
        rows,
    )
    .await
}

/// A school day in the window: weekends and the summer holiday are mostly avoided.
fn school_day(rng: &mut ChaCha8Rng, first: NaiveDate, last: NaiveDate) -> NaiveDate {
    let span = (last - first).num_days();
    let mut day = first;
    for _ in 0..6 {
        day = first + Duration::days(rng.random_range(0..=span));
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let holiday = (day.month() == 7 && day.day() >= 15) || day.month() == 8;
        if !weekend && !holiday {
            break;
        }
    }
    day
}

fn pick_method(rng: &mut ChaCha8Rng) -> &'static str {
    match rng.random_range(0..100) {
        0..60 => "classroom",
        60..75 => "assembly",
        75..95 => "online",
        _ => "other",
    }
}

/// The roll of the school year `day` falls in, else the latest earlier one, else (for a day
/// before the first year on record) the earliest: the server caps confirmations by the first
/// two, and the last keeps the demo within the roll where the server could not tell.
fn roll_on(rolls: &[(i32, i64)], day: NaiveDate) -> i64 {
    let year = school_year_of(day);
    rolls
        .iter()
        .filter(|(y, _)| *y <= year)
        .max_by_key(|(y, _)| *y)
        .or_else(|| rolls.iter().min_by_key(|(y, _)| *y))
        .map_or(0, |(_, students)| *students)
}
