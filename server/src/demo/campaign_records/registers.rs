//! The demo's mentoring registers, from which the outcome figures of every station outside
//! 天宁分局 are counted from 2024-01 on (its `registers_from` marker; 天宁's stations type
//! their totals, so the demo shows both, never for the same station-month): 322 volunteers,
//! the cases with their teams, contacts and events, the runaway calls with their follow-ups
//! and 三井's nights of care. With 天宁's typed figures, 2024 reproduces the report
//! (DOMAIN.md): 1,038 minors mentored at the year's end, 33 of whom offended again (3.2%);
//! 1,046 runaway calls, each followed up within a week; 24 youths given a volunteer team;
//! 162 night wanderers cared for at 三井 from September; 10 of 龙虎塘's squad of 53 back in
//! school, none of whom re-offended. Later years go on in the same vein up to the last
//! complete month. Each part of each year draws from a seed of its own, so a past year's
//! records do not change as time passes.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::Context as _;
use chrono::{Datelike, Duration, NaiveDate};
use humiao_shared::mentoring::contact::{ContactKind, EventKind};
use humiao_shared::mentoring::{case_code, Category, Grade, Sex};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sqlx::{Any, Transaction};

use super::outcomes::{TypedSums, TYPED_DISTRICT};
use super::{insert_rows, seeded, stamp, ymd, StationSeed, Value, I, T};
use humiao_shared::outcome::Indicator;

/// The first month counted from the registers, at every demo station.
pub const REGISTERS_FROM: &str = "2024-01";
/// 2024's figures (DOMAIN.md).
const MENTORED: usize = 1038;
const VOLUNTEERS: usize = 322;
const REOFFENCES: usize = 33;
const CALLS: usize = 1046;
const TEAMS: usize = 24;
/// 龙虎塘's volunteer squad of youths; the first of them had dropped out of school.
const SQUAD: usize = 53;
const DROPPED_OUT: usize = 15;

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "建国", "志强", "卫东", "国华", "建华", "秀英", "明", "红梅", "立新", "长青", "德明", "桂兰",
];

/// One case as drawn, before it is stored.
struct CaseSeed {
    station: usize,
    opened: NaiveDate,
    closed: Option<NaiveDate>,
    category: Category,
    grade: Grade,
    code: String,
}

/// The report's 2024 figures less what the typed stations state.
struct Targets {
    mentored: usize,
    reoffences: usize,
    calls: usize,
    teams: usize,
}

/// Adds the registers and sets the marker of every station outside the typed district.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Any>,
    stations: &[StationSeed],
    typed: &TypedSums,
    today: NaiveDate,
    now: &str,
) -> anyhow::Result<()> {
    for s in stations
        .iter()
        .filter(|s| s.district_code != TYPED_DISTRICT)
    {
        sqlx::query("UPDATE stations SET registers_from = $1 WHERE id = $2")
            .bind(REGISTERS_FROM)
            .bind(s.id)
            .execute(&mut **tx)
            .await?;
    }
    let rest = |full: usize, indicator: Indicator| {
        let typed = typed.get(&(2024, indicator)).copied().unwrap_or(0);
        full.saturating_sub(usize::try_from(typed).unwrap_or(0))
    };
    let targets = Targets {
        mentored: rest(MENTORED, Indicator::MinorsMentored),
        reoffences: rest(REOFFENCES, Indicator::Reoffences),
        calls: rest(CALLS, Indicator::RunawayCalls),
        teams: rest(TEAMS, Indicator::VolunteerTeams),
    };
    let last = today.with_day(1).context("date")? - Duration::days(1);
    let first = ymd(2024, 1, 1)?;
    if last < first {
        return Ok(());
    }
    let codes: HashMap<i64, String> = sqlx::query_as("SELECT id, code FROM stations")
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect();
    // The typed district's stations keep no registers.
    let weights: Vec<i64> = {
        let mut rng = seeded(4, 0);
        stations
            .iter()
            .map(|s| {
                let w = rng.random_range(6..=16);
                if s.district_code == TYPED_DISTRICT {
                    0
                } else {
                    w
                }
            })
            .collect()
    };
    let at = |place: &str| stations.iter().position(|s| s.place == place);
    let (sanjing, longhutang) = (at("三井"), at("龙虎塘"));

    let volunteers = insert_volunteers(tx, stations, &weights, now).await?;
    let cases = draw_cases(stations, &weights, longhutang, &codes, &targets, last)?;
    let case_ids = insert_cases(tx, stations, &cases, now).await?;
    let teams = insert_teams(tx, &cases, &case_ids, &volunteers, now).await?;
    insert_contacts(tx, &cases, &case_ids, &teams, last, now).await?;
    insert_events(tx, &cases, &case_ids, longhutang, &targets, last, now).await?;
    insert_calls(tx, stations, &weights, &targets, today, last, now).await?;
    if let Some(s) = sanjing {
        insert_night_care(tx, stations[s].id, last, now).await?;
    }
    Ok(())
}

/// 322 volunteers, at least one per station keeping registers, the rest in proportion to
/// the stations' weights: the ids of each station's.
async fn insert_volunteers(
    tx: &mut Transaction<'_, Any>,
    stations: &[StationSeed],
    weights: &[i64],
    now: &str,
) -> anyhow::Result<Vec<Vec<i64>>> {
    let mut rng = seeded(4, 1);
    let mut counts: Vec<usize> = weights.iter().map(|&w| usize::from(w > 0)).collect();
    for _ in counts.iter().sum::<usize>()..VOLUNTEERS {
        if let Some(s) = pick(&mut rng, weights) {
            counts[s] += 1;
        }
    }
    let mut rows = Vec::new();
    let mut n = 0;
    for (s, &count) in counts.iter().enumerate() {
        for _ in 0..count {
            n += 1;
            let name = format!(
                "{}{}",
                SURNAMES[rng.random_range(0..SURNAMES.len())],
                GIVEN[rng.random_range(0..GIVEN.len())]
            );
            rows.push(vec![
                I(stations[s].id),
                T(format!("{}先锋队", stations[s].place)),
                T(name),
                // Made up, and never the demo volunteer account's 13800000001.
                T(format!("139{n:08}")),
                T("2022-01-01".into()),
                T(stamp(ymd(2022, 1, 1)?, "09:00:00", now)),
            ]);
        }
    }
    insert_rows(
        tx,
        "volunteers",
        &[
            "station_id",
            "team",
            "name",
            "phone",
            "active_from",
            "created_at",
        ],
        rows,
    )
    .await?;
    let ids: Vec<(i64, i64)> = sqlx::query_as("SELECT id, station_id FROM volunteers ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    let mut by_station = vec![Vec::new(); stations.len()];
    for (id, station) in ids {
        if let Some(s) = stations.iter().position(|st| st.id == station) {
            by_station[s].push(id);
        }
    }
    Ok(by_station)
}

/// Every case: those opened in 2022–2023 (龙虎塘's squad of 53 among them) and the
/// runaways given a team in 2024, all open at 2024's end, the report's 1,038 and 24 less
/// the typed stations'; then each later year about 20 opened and 26 closed.
fn draw_cases(
    stations: &[StationSeed],
    weights: &[i64],
    longhutang: Option<usize>,
    codes: &HashMap<i64, String>,
    targets: &Targets,
    last: NaiveDate,
) -> anyhow::Result<Vec<CaseSeed>> {
    let mut rng = seeded(4, 2);
    let grade = |rng: &mut ChaCha8Rng| match rng.random_range(0..20) {
        0 => Grade::Red,
        1..=3 => Grade::Orange,
        4..=11 => Grade::Yellow,
        _ => Grade::Green,
    };
    let category = |rng: &mut ChaCha8Rng| match rng.random_range(0..10) {
        0..=3 => Category::Misbehaviour,
        4..=5 => Category::SeriousMisbehaviour,
        6 => Category::Offence,
        7 => Category::NightWandering,
        8 => Category::Runaway,
        _ => Category::Dropout,
    };
    let day_in = |rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate| {
        from + Duration::days(rng.random_range(0..=(to - from).num_days()))
    };
    let mut cases = Vec::new();
    let mut others = weights.to_vec();
    let before = targets.mentored.saturating_sub(targets.teams);
    if let Some(s) = longhutang {
        others[s] = 0;
        for i in 0..SQUAD {
            cases.push(CaseSeed {
                station: s,
                opened: day_in(&mut rng, ymd(2022, 3, 1)?, ymd(2023, 12, 31)?),
                closed: None,
                category: if i < DROPPED_OUT {
                    Category::Dropout
                } else {
                    Category::Misbehaviour
                },
                grade: grade(&mut rng),
                code: String::new(),
            });
        }
    }
    while cases.len() < before {
        let Some(s) = pick(&mut rng, &others) else {
            break;
        };
        cases.push(CaseSeed {
            station: s,
            opened: day_in(&mut rng, ymd(2022, 1, 1)?, ymd(2023, 12, 31)?),
            closed: None,
            category: category(&mut rng),
            grade: grade(&mut rng),
            code: String::new(),
        });
    }
    let this_year_end =
        |year: i32| -> anyhow::Result<NaiveDate> { Ok(ymd(year, 12, 31)?.min(last)) };
    for _ in 0..targets.teams {
        let Some(s) = pick(&mut rng, weights) else {
            break;
        };
        cases.push(CaseSeed {
            station: s,
            opened: day_in(&mut rng, ymd(2024, 1, 1)?, this_year_end(2024)?),
            closed: None,
            category: Category::Runaway,
            grade: Grade::Orange,
            code: String::new(),
        });
    }
    for year in 2025..=last.year() {
        let mut rng = seeded(4, year);
        let (from, to) = (ymd(year, 1, 1)?, this_year_end(year)?);
        let share = |full: usize| full * to.month() as usize / 12;
        // Closed: cases opened before the year and still open.
        let open: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].closed.is_none() && cases[i].opened < from)
            .collect();
        for _ in 0..share(26) {
            let i = open[rng.random_range(0..open.len())];
            if cases[i].closed.is_none() {
                cases[i].closed = Some(day_in(&mut rng, from, to));
            }
        }
        for _ in 0..share(20) {
            let Some(s) = pick(&mut rng, weights) else {
                break;
            };
            cases.push(CaseSeed {
                station: s,
                opened: day_in(&mut rng, from, to),
                closed: None,
                category: category(&mut rng),
                grade: grade(&mut rng),
                code: String::new(),
            });
        }
    }
    // Codes in the order the cases were opened, per station and year.
    let mut order: Vec<usize> = (0..cases.len()).collect();
    order.sort_by_key(|&i| (cases[i].opened, i));
    let mut seq: BTreeMap<(usize, i32), i64> = BTreeMap::new();
    for i in order {
        let c = &mut cases[i];
        let n = seq.entry((c.station, c.opened.year())).or_default();
        *n += 1;
        let station_code = codes.get(&stations[c.station].id).context("station code")?;
        c.code = case_code(station_code, c.opened.year(), *n);
    }
    Ok(cases)
}

/// The cases, their grades' first rows and the last numbers issued: each case's id.
async fn insert_cases(
    tx: &mut Transaction<'_, Any>,
    stations: &[StationSeed],
    cases: &[CaseSeed],
    now: &str,
) -> anyhow::Result<Vec<i64>> {
    let mut rng = seeded(4, 3);
    let mut rows = Vec::new();
    for c in cases {
        let sex = if rng.random_bool(0.7) {
            Sex::Male
        } else {
            Sex::Female
        };
        rows.push(vec![
            T(c.code.clone()),
            I(stations[c.station].id),
            I(i64::from(c.opened.year() - rng.random_range(12..=17))),
            T(sex.code().into()),
            T(c.category.code().into()),
            T(c.grade.code().into()),
            T(c.opened.to_string()),
            T(stamp(c.opened, "10:00:00", now)),
        ]);
    }
    insert_rows(
        tx,
        "cases",
        &[
            "code",
            "station_id",
            "birth_year",
            "sex",
            "category",
            "grade",
            "opened_on",
            "created_at",
        ],
        rows,
    )
    .await?;
    // Few are closed: set apart, so that no row binds a NULL.
    for c in cases {
        if let Some(closed) = c.closed {
            sqlx::query("UPDATE cases SET closed_on = $1 WHERE code = $2")
                .bind(closed.to_string())
                .bind(c.code.clone())
                .execute(&mut **tx)
                .await?;
        }
    }
    let ids: HashMap<String, i64> = sqlx::query_as("SELECT code, id FROM cases")
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect();
    let ids: Vec<i64> = cases
        .iter()
        .map(|c| ids.get(&c.code).copied().context("case id"))
        .collect::<anyhow::Result<_>>()?;
    let grades = cases
        .iter()
        .zip(&ids)
        .map(|(c, id)| vec![I(*id), T(c.grade.code().into()), T(c.opened.to_string())])
        .collect();
    insert_rows(tx, "case_grades", &["case_id", "grade", "from_on"], grades).await?;
    let mut last_seq: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    for c in cases {
        let seq: i64 = c
            .code
            .rsplit('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let key = (stations[c.station].id, i64::from(c.opened.year()));
        let n = last_seq.entry(key).or_default();
        *n = (*n).max(seq);
    }
    let rows = last_seq
        .into_iter()
        .map(|((station, year), seq)| vec![I(station), I(year), I(seq)])
        .collect();
    insert_rows(tx, "case_codes", &["station_id", "year", "last_seq"], rows).await?;
    Ok(ids)
}

/// One volunteer of the case's station paired with each case from its opening day: each
/// case's team row id.
async fn insert_teams(
    tx: &mut Transaction<'_, Any>,
    cases: &[CaseSeed],
    case_ids: &[i64],
    volunteers: &[Vec<i64>],
    now: &str,
) -> anyhow::Result<Vec<i64>> {
    let mut rng = seeded(4, 4);
    let mut rows = Vec::new();
    for (c, id) in cases.iter().zip(case_ids) {
        let mine = &volunteers[c.station];
        let volunteer = mine[rng.random_range(0..mine.len())];
        rows.push(vec![
            I(*id),
            I(volunteer),
            T(c.opened.to_string()),
            T(stamp(c.opened, "10:30:00", now)),
        ]);
    }
    insert_rows(
        tx,
        "case_team",
        &["case_id", "volunteer_id", "from_on", "created_at"],
        rows,
    )
    .await?;
    let rows: HashMap<i64, i64> = sqlx::query_as("SELECT case_id, id FROM case_team")
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect();
    case_ids
        .iter()
        .map(|id| rows.get(id).copied().context("team row"))
        .collect()
}

/// Most months (about nine in ten) a contact with each open case from 2024 on: mostly
/// home visits, then calls, school visits, activities and difficulties solved.
async fn insert_contacts(
    tx: &mut Transaction<'_, Any>,
    cases: &[CaseSeed],
    case_ids: &[i64],
    teams: &[i64],
    last: NaiveDate,
    now: &str,
) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for year in 2024..=last.year() {
        let mut rng = seeded(5, year);
        let months = if year == last.year() {
            last.month()
        } else {
            12
        };
        for ((c, id), team) in cases.iter().zip(case_ids).zip(teams) {
            for month in 1..=months {
                let start = ymd(year, month, 1)?;
                let end = (start + chrono::Months::new(1) - Duration::days(1)).min(last);
                let lo = start.max(c.opened);
                let hi = c.closed.map_or(end, |closed| end.min(closed));
                if lo > hi || !rng.random_bool(0.92) {
                    continue;
                }
                let day = lo + Duration::days(rng.random_range(0..=(hi - lo).num_days()));
                let kind = match rng.random_range(0..100) {
                    0..=61 => ContactKind::HomeVisit,
                    62..=79 => ContactKind::Phone,
                    80..=87 => ContactKind::School,
                    88..=94 => ContactKind::Activity,
                    _ => ContactKind::DifficultySolved,
                };
                let interval = match c.grade {
                    Grade::Red => 7,
                    Grade::Orange => 14,
                    Grade::Yellow => 30,
                    Grade::Green => 60,
                };
                rows.push(vec![
                    I(*id),
                    T(day.to_string()),
                    T(kind.code().into()),
                    I(*team),
                    T((day + Duration::days(interval)).to_string()),
                    T(stamp(day, "18:00:00", now)),
                ]);
            }
        }
    }
    insert_rows(
        tx,
        "contacts",
        &[
            "case_id",
            "contacted_on",
            "kind",
            "team_member_id",
            "next_due_on",
            "created_at",
        ],
        rows,
    )
    .await
}

/// Re-offences: 33 cases in 2024 with the typed stations', none of 龙虎塘's squad, about 3% of the cases later;
/// returns to school: 10 of 龙虎塘's squad in 2024 (3 in February, 5 in September, 2 in
/// October), a few each later year. Each from the cases open all that year.
async fn insert_events(
    tx: &mut Transaction<'_, Any>,
    cases: &[CaseSeed],
    case_ids: &[i64],
    longhutang: Option<usize>,
    targets: &Targets,
    last: NaiveDate,
    now: &str,
) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    let mut returned: HashSet<usize> = HashSet::new();
    for year in 2024..=last.year() {
        let mut rng = seeded(6, year);
        let (from, to) = (ymd(year, 1, 1)?, ymd(year, 12, 31)?.min(last));
        let open_all_year = |i: &usize| {
            let c = &cases[*i];
            c.opened < from && c.closed.is_none_or(|closed| closed > to)
        };
        let mut pool: Vec<usize> = (0..cases.len())
            .filter(open_all_year)
            .filter(|&i| Some(cases[i].station) != longhutang)
            .collect();
        let reoffences = if year == 2024 {
            targets.reoffences
        } else {
            pool.len() * 3 / 100 * to.month() as usize / 12
        };
        let event =
            |rng: &mut ChaCha8Rng, i: usize, kind: EventKind, from: NaiveDate, to: NaiveDate| {
                let day = from + Duration::days(rng.random_range(0..=(to - from).num_days()));
                vec![
                    I(case_ids[i]),
                    T(kind.code().into()),
                    T(day.to_string()),
                    T(stamp(day, "20:00:00", now)),
                ]
            };
        for _ in 0..reoffences.min(pool.len()) {
            let i = pool.swap_remove(rng.random_range(0..pool.len()));
            rows.push(event(&mut rng, i, EventKind::Reoffence, from, to));
        }
        let Some(s) = longhutang else {
            continue;
        };
        let mut dropped: Vec<usize> = (0..cases.len())
            .filter(open_all_year)
            .filter(|&i| cases[i].station == s && cases[i].category == Category::Dropout)
            .filter(|i| !returned.contains(i))
            .collect();
        for month in 1..=to.month() {
            let back = match (year, month) {
                (2024, 2) => 3,
                (2024, 9) => 5,
                (2024, 10) => 2,
                (2024, _) => 0,
                (_, 2) => rng.random_range(0..=1),
                (_, 9) => rng.random_range(1..=3),
                _ => 0,
            };
            let start = ymd(year, month, 1)?;
            let end = (start + chrono::Months::new(1) - Duration::days(1)).min(last);
            for _ in 0..back.min(dropped.len()) {
                let i = dropped.swap_remove(rng.random_range(0..dropped.len()));
                returned.insert(i);
                rows.push(event(&mut rng, i, EventKind::ReturnedToSchool, start, end));
            }
        }
    }
    insert_rows(
        tx,
        "case_events",
        &["case_id", "kind", "happened_on", "created_at"],
        rows,
    )
    .await
}

/// Runaway and missing-youth calls: 1,046 in 2024 with the typed stations', each found within a day and followed
/// up within a week; about 980 a year later, a few followed up late or not yet.
async fn insert_calls(
    tx: &mut Transaction<'_, Any>,
    stations: &[StationSeed],
    weights: &[i64],
    targets: &Targets,
    today: NaiveDate,
    last: NaiveDate,
    now: &str,
) -> anyhow::Result<()> {
    let mut calls = Vec::new();
    let mut visits: Vec<(i64, String, NaiveDate)> = Vec::new();
    let mut taken: HashSet<(i64, String)> = HashSet::new();
    for year in 2024..=last.year() {
        let mut rng = seeded(7, year);
        let (from, to) = (ymd(year, 1, 1)?, ymd(year, 12, 31)?.min(last));
        let n = if year == 2024 {
            targets.calls
        } else {
            targets.calls * 94 / 100 * to.month() as usize / 12
        };
        let mut made = 0;
        while made < n {
            let Some(s) = pick(&mut rng, weights) else {
                break;
            };
            let day = from + Duration::days(rng.random_range(0..=(to - from).num_days()));
            let (hour, minute) = (rng.random_range(0..24), rng.random_range(0..60));
            let called_at = format!("{day}T{hour:02}:{minute:02}");
            let station = stations[s].id;
            if !taken.insert((station, called_at.clone())) {
                continue;
            }
            made += 1;
            let found = day + Duration::days(i64::from(hour + 12 >= 24));
            let found_at = format!("{found}T{:02}:{minute:02}", (hour + 12) % 24);
            calls.push(vec![
                I(station),
                T(called_at.clone()),
                T(found_at),
                T(stamp(day, "23:00:00", now)),
            ]);
            let after = match (year, rng.random_range(0..100)) {
                (2024, _) | (_, 0..=94) => Some(rng.random_range(1..=6)),
                (_, 95..=97) => Some(rng.random_range(8..=12)),
                _ => None,
            };
            if let Some(visited) = after
                .map(|d| day + Duration::days(d))
                .filter(|v| *v <= today)
            {
                visits.push((station, called_at, visited));
            }
        }
    }
    insert_rows(
        tx,
        "runaway_calls",
        &["station_id", "called_at", "found_at", "created_at"],
        calls,
    )
    .await?;
    let ids: HashMap<(i64, String), i64> = sqlx::query_as::<_, (i64, i64, String)>(
        "SELECT id, station_id, called_at FROM runaway_calls",
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|(id, station, at)| ((station, at), id))
    .collect();
    let rows = visits
        .into_iter()
        .map(|(station, at, visited)| {
            let id = ids.get(&(station, at)).copied().context("call id")?;
            Ok(vec![I(id), T(visited.to_string())])
        })
        .collect::<anyhow::Result<Vec<Vec<Value>>>>()?;
    insert_rows(tx, "runaway_follow_ups", &["call_id", "visited_on"], rows).await
}

/// 三井's nights of care: 162 minors over September–December 2024 (38, 44, 41, 39), a few
/// nights a month; 12–30 a month later.
async fn insert_night_care(
    tx: &mut Transaction<'_, Any>,
    station: i64,
    last: NaiveDate,
    now: &str,
) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for year in 2024..=last.year() {
        let mut rng = seeded(8, year);
        let months = if year == last.year() {
            last.month()
        } else {
            12
        };
        for month in 1..=months {
            let minors: i64 = match (year, month) {
                (2024, 1..=8) => 0,
                (2024, _) => [38, 44, 41, 39][month as usize - 9],
                _ => rng.random_range(12..=30),
            };
            if minors == 0 {
                continue;
            }
            let nights = rng.random_range(5..=8).min(minors);
            let mut days: Vec<u32> = Vec::new();
            while days.len() < nights as usize {
                let d = rng.random_range(1..=28);
                if !days.contains(&d) {
                    days.push(d);
                }
            }
            days.sort_unstable();
            let mut counts = vec![1i64; days.len()];
            for _ in 0..minors - nights {
                counts[rng.random_range(0..days.len())] += 1;
            }
            for (d, n) in days.into_iter().zip(counts) {
                let day = ymd(year, month, d)?;
                rows.push(vec![
                    I(station),
                    T(day.to_string()),
                    I(n),
                    T(stamp(day, "23:30:00", now)),
                ]);
            }
        }
    }
    insert_rows(
        tx,
        "night_care",
        &["station_id", "cared_on", "minors", "created_at"],
        rows,
    )
    .await
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
