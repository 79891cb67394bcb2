//! The demo's monthly returns, so that every state of the sign-off shows on first start:
//! 2024 accepted throughout; the year before this one mostly approved, with a few sent back
//! (with their reasons) and a few late; this year's past months mostly approved or
//! submitted, with some not in yet; the current month open. Each return carries the
//! history that led to its state.
//!
//! The demo officers' own stations (雕庄 and 三井) are left open in every month: their
//! accounts show a station with months still to submit, and can record in any month (the
//! demo's walkthroughs and the tests log sessions there on many past days).
//!
//! Rows are written straight into the tables, a few hundred per statement; each year draws
//! from a seed of its own, so a past year's returns do not change as time passes.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone};
use humiao_shared::returns::{self as rules, ReturnAction, ReturnState, DEFAULT_DUE_DAYS};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{Any, Transaction};

use super::{StationSeed, DISTRICTS, SEED};
use crate::db::{self, placeholders};

/// The stations whose demo officers sign in: left open (see the module's comment).
const LEFT_OPEN: [&str; 2] = ["雕庄", "三井"];

/// What a leader writes when sending a return back.
const REASONS: [&str; 5] = [
    "讲座人数与签到表不符，请核对后重报",
    "缺少活动照片和签到表，请补充",
    "走访数与帮扶台账不一致，请核实",
    "回访数高于出走失联警情数，请核实",
    "有两场讲座日期重复，请检查是否重复录入",
];

/// One return as the demo stores it, with its history.
struct Demo {
    station: i64,
    month: String,
    state: ReturnState,
    first_submitted_on: NaiveDate,
    submitted_on: NaiveDate,
    reason: Option<&'static str>,
    /// (day, actor, action, from, to, reason), in order.
    events: Vec<Event>,
}

type Event = (
    NaiveDate,
    String,
    ReturnAction,
    ReturnState,
    ReturnState,
    Option<&'static str>,
);

/// Adds the returns of every year from 2024 to this one, up to the month before this one.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Any>,
    stations: &[StationSeed],
    today: NaiveDate,
) -> anyhow::Result<()> {
    let mut all = Vec::new();
    for year in 2024..=today.year() {
        let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ (0x5245_0000 + year as u64));
        for month in 1..=12 {
            let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
                continue;
            };
            // The current month stays open, and later ones are not returns yet.
            if first > today || rules::month_of(first) == rules::month_of(today) {
                continue;
            }
            for station in stations {
                // Drawn for every station, so that leaving one open changes no other.
                let draw: u32 = rng.random_range(0..100);
                let days: (i64, i64, i64) = (
                    rng.random_range(0..=4),
                    rng.random_range(1..=3),
                    rng.random_range(1..=5),
                );
                let reason = REASONS[rng.random_range(0..REASONS.len())];
                if LEFT_OPEN.contains(&station.place) {
                    continue;
                }
                let kind = kind_of(year, first, today, draw);
                if let Some(demo) = demo(station, first, kind, days, reason, today) {
                    all.push(demo);
                }
            }
        }
    }
    store(tx, &all).await
}

/// How a demo return ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Not submitted.
    Missing,
    Submitted,
    Returned,
    Approved,
    /// Approved after being sent back once.
    ApprovedAfterReturn,
    /// First submitted after the deadline, then approved.
    LateApproved,
    Accepted,
}

fn kind_of(year: i32, first: NaiveDate, today: NaiveDate, draw: u32) -> Kind {
    let last_month =
        rules::month_of(first) == rules::month_of(first_of_month(today) - Duration::days(1));
    match (year, draw) {
        (2024, _) => Kind::Accepted,
        (y, _) if y < today.year() && draw < 5 => Kind::Returned,
        (y, _) if y < today.year() && draw < 10 => Kind::LateApproved,
        (y, _) if y < today.year() && draw < 16 => Kind::ApprovedAfterReturn,
        (y, _) if y < today.year() => Kind::Approved,
        // The month just ended: many waiting for the district, some not in yet.
        _ if last_month => match draw {
            0..=19 => Kind::Missing,
            20..=29 => Kind::Returned,
            30..=69 => Kind::Submitted,
            _ => Kind::Approved,
        },
        _ => match draw {
            0..=5 => Kind::Missing,
            6..=9 => Kind::Returned,
            10..=15 => Kind::Submitted,
            16..=21 => Kind::LateApproved,
            _ => Kind::Approved,
        },
    }
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), day.month(), 1).unwrap_or(day)
}

/// The return and its history; `None` for one not submitted.
fn demo(
    station: &StationSeed,
    first: NaiveDate,
    kind: Kind,
    (early, review, accept): (i64, i64, i64),
    reason: &'static str,
    today: NaiveDate,
) -> Option<Demo> {
    use ReturnAction as A;
    use ReturnState as S;
    if kind == Kind::Missing {
        return None;
    }
    let deadline = rules::deadline(first, DEFAULT_DUE_DAYS);
    // Never a day after today: the month just ended has had only a few days.
    let day = |d: NaiveDate| d.min(today);
    let submitted = day(if kind == Kind::LateApproved {
        deadline + Duration::days(2 + early)
    } else {
        deadline - Duration::days(early)
    });
    let reviewed = day(submitted + Duration::days(review));
    let officer = format!("{}派出所", station.place);
    let district = DISTRICTS
        .iter()
        .find(|(code, _, _)| *code == station.district_code)
        .map_or("分局", |(_, name, _)| name);
    let leader = format!("{district}领导");
    let mut events: Vec<Event> = vec![(
        submitted,
        officer.clone(),
        A::Submit,
        S::Open,
        S::Submitted,
        None,
    )];
    let mut last_submitted = submitted;
    let mut kept_reason = None;
    let state = match kind {
        Kind::Missing => return None,
        Kind::Submitted => S::Submitted,
        Kind::Returned => {
            events.push((
                reviewed,
                leader,
                A::Return,
                S::Submitted,
                S::Returned,
                Some(reason),
            ));
            kept_reason = Some(reason);
            S::Returned
        }
        Kind::ApprovedAfterReturn => {
            events.push((
                reviewed,
                leader.clone(),
                A::Return,
                S::Submitted,
                S::Returned,
                Some(reason),
            ));
            last_submitted = day(reviewed + Duration::days(1));
            events.push((
                last_submitted,
                officer,
                A::Submit,
                S::Returned,
                S::Submitted,
                None,
            ));
            let approved = day(last_submitted + Duration::days(review));
            events.push((
                approved,
                leader,
                A::Approve,
                S::Submitted,
                S::Approved,
                None,
            ));
            S::Approved
        }
        Kind::Approved | Kind::LateApproved | Kind::Accepted => {
            events.push((
                reviewed,
                leader,
                A::Approve,
                S::Submitted,
                S::Approved,
                None,
            ));
            if kind == Kind::Accepted {
                let accepted = day(reviewed + Duration::days(accept));
                events.push((
                    accepted,
                    "leader".into(),
                    A::Accept,
                    S::Approved,
                    S::Accepted,
                    None,
                ));
                S::Accepted
            } else {
                S::Approved
            }
        }
    };
    Some(Demo {
        station: station.id,
        month: rules::month_of(first),
        state,
        first_submitted_on: submitted,
        submitted_on: last_submitted,
        reason: kept_reason,
        events,
    })
}

/// An event's time: the day at 09:30 in China, as stored.
fn at(day: NaiveDate) -> String {
    let local = day.and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default());
    let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    china
        .from_local_datetime(&local)
        .single()
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        })
        .unwrap_or_default()
}

async fn store(tx: &mut Transaction<'_, Any>, all: &[Demo]) -> anyhow::Result<()> {
    for chunk in all.chunks(200) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * 8 + 1, 8)))
            .collect();
        let sql = format!(
            "INSERT INTO monthly_returns (station_id, month, state, version, first_submitted_on,
                                          submitted_on, reason, updated_at)
             VALUES {}",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for r in chunk {
            let last = r.events.last().map_or(r.submitted_on, |e| e.0);
            query = query
                .bind(r.station)
                .bind(r.month.clone())
                .bind(r.state.code())
                .bind(r.events.len() as i64)
                .bind(db::day(r.first_submitted_on))
                .bind(db::day(r.submitted_on))
                .bind(r.reason)
                .bind(at(last));
        }
        query.execute(&mut **tx).await?;
    }
    let ids: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, station_id, month FROM monthly_returns")
            .fetch_all(&mut **tx)
            .await?;
    let ids: HashMap<(i64, String), i64> = ids
        .into_iter()
        .map(|(id, station, month)| ((station, month), id))
        .collect();
    let events: Vec<(i64, &Event)> = all
        .iter()
        .flat_map(|r| {
            let id = ids.get(&(r.station, r.month.clone())).copied().unwrap_or(0);
            r.events.iter().map(move |e| (id, e))
        })
        .collect();
    for chunk in events.chunks(200) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * 7 + 1, 7)))
            .collect();
        let sql = format!(
            "INSERT INTO return_events (return_id, at, actor, action, from_state, to_state, reason)
             VALUES {}",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for (id, (day, actor, action, from, to, reason)) in chunk {
            query = query
                .bind(*id)
                .bind(at(*day))
                .bind(actor.clone())
                .bind(action.code())
                .bind(from.code())
                .bind(to.code())
                .bind(*reason);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
