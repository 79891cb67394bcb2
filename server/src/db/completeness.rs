//! The rows completeness is counted from (`humiao_shared::returns::completeness`): the
//! stations of a place with the place one level down they count under, the returns stored
//! for some months, the year's deadline, and each screening assignment's schools. Each is
//! one query whatever the place's size: a province's year is its 1,100 stations and the
//! returns they moved, not a query per station or month.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use humiao_shared::aggregate::{AggregateFilter, GroupBy};
use humiao_shared::returns::completeness::{CountedStation, StoredReturn};
use humiao_shared::returns::{ReturnState, DEFAULT_DUE_DAYS};
use sqlx::AnyConnection;

use super::aggregates::Slice;
use super::where_clause::Conditions;
use super::{date, day};

/// `FROM … WHERE …` of the live stations of `place` active on or after `from`, joined to
/// their district (`d`) and city (`cy`).
fn stations_of(place: &AggregateFilter, from: NaiveDate) -> (&'static str, Conditions) {
    let mut c = Conditions::all();
    c.raw("st.deleted_at IS NULL");
    c.text("(st.closed_on IS NULL OR st.closed_on >= ?)", day(from));
    c.eq("d.city_id", place.city_id);
    c.eq("st.district_id", place.district_id);
    c.eq("st.id", place.station_id);
    (
        "FROM stations st JOIN districts d ON d.id = st.district_id
         JOIN cities cy ON cy.id = d.city_id",
        c,
    )
}

/// The live stations of `place` (already narrowed to the viewer) not closed before
/// `from`, each with the city, district or station (`level`) it counts under, in the
/// order lists show places.
pub async fn stations(
    conn: &mut AnyConnection,
    place: &AggregateFilter,
    level: GroupBy,
    from: NaiveDate,
) -> Result<Vec<CountedStation>, sqlx::Error> {
    let (tables, c) = stations_of(place, from);
    let key = match level {
        GroupBy::City => "cy.id, cy.name",
        GroupBy::District => "d.id, d.name",
        _ => "st.id, st.name",
    };
    let sql = format!(
        "SELECT st.id, {key}, st.closed_on {tables} WHERE {}
         ORDER BY cy.id, d.sort_order, d.id, st.id",
        c.sql()
    );
    let rows: Vec<(i64, i64, String, Option<String>)> =
        c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|(id, place_id, place, closed)| {
            Ok(CountedStation {
                id,
                place_id,
                place,
                closed_on: closed.as_deref().map(date).transpose()?,
            })
        })
        .collect()
}

/// How many live stations of `place` not closed before `from` closed on each day (`None`:
/// open): all the dashboard's badge needs to count the returns expected, a handful of rows
/// even for a province.
pub async fn closing_days(
    conn: &mut AnyConnection,
    place: &AggregateFilter,
    from: NaiveDate,
) -> Result<Vec<(Option<NaiveDate>, i64)>, sqlx::Error> {
    let (tables, c) = stations_of(place, from);
    let sql = format!(
        "SELECT st.closed_on, COUNT(*) {tables} WHERE {} GROUP BY st.closed_on",
        c.sql()
    );
    let rows: Vec<(Option<String>, i64)> =
        c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|(closed, n)| Ok((closed.as_deref().map(date).transpose()?, n)))
        .collect()
}

/// Accepted returns of the live stations of `place` in the months `first..=last`, each
/// counted only where its station was expected (not closed before the month began, the
/// rule of `humiao_shared::returns::expected`), so the badge never says more than 100%.
pub async fn accepted_count(
    conn: &mut AnyConnection,
    place: &AggregateFilter,
    (first, last): (&str, &str),
) -> Result<i64, sqlx::Error> {
    let mut c = Conditions::all();
    c.raw("r.state = 'accepted'");
    c.raw("st.deleted_at IS NULL");
    c.raw("(st.closed_on IS NULL OR st.closed_on >= (r.month || '-01'))");
    c.text("r.month >= ?", first.to_string());
    c.text("r.month <= ?", last.to_string());
    c.eq("d.city_id", place.city_id);
    c.eq("st.district_id", place.district_id);
    c.eq("st.id", place.station_id);
    let sql = format!(
        "SELECT COUNT(*) FROM monthly_returns r JOIN stations st ON st.id = r.station_id
         JOIN districts d ON d.id = st.district_id WHERE {}",
        c.sql()
    );
    let (n,): (i64,) = c.bind(sqlx::query_as(&sql)).fetch_one(&mut *conn).await?;
    Ok(n)
}

/// The returns stored for the stations of `place` in the months `first..=last`
/// (`YYYY-MM`).
pub async fn stored_returns(
    conn: &mut AnyConnection,
    place: &AggregateFilter,
    (first, last): (&str, &str),
) -> Result<Vec<StoredReturn>, sqlx::Error> {
    let mut c = Conditions::all();
    c.text("r.month >= ?", first.to_string());
    c.text("r.month <= ?", last.to_string());
    c.eq("d.city_id", place.city_id);
    c.eq("st.district_id", place.district_id);
    c.eq("st.id", place.station_id);
    let sql = format!(
        "SELECT r.station_id, r.month, r.state, r.first_submitted_on
         FROM monthly_returns r JOIN stations st ON st.id = r.station_id
         JOIN districts d ON d.id = st.district_id
         WHERE {}",
        c.sql()
    );
    let rows: Vec<(i64, String, String, Option<String>)> =
        c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|(station_id, month, state, first)| {
            let state = ReturnState::from_code(&state).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown return state {state:?}").into())
            })?;
            Ok(StoredReturn {
                station_id,
                month,
                state,
                first_submitted_on: first.as_deref().map(date).transpose()?,
            })
        })
        .collect()
}

/// The campaign of `year`, if any (its id, name, window), and the days after a month's end
/// its returns are due (the default without a campaign).
pub async fn campaign_of(
    conn: &mut AnyConnection,
    year: i32,
) -> Result<(Option<(i64, String, NaiveDate, NaiveDate)>, i64), sqlx::Error> {
    let row: Option<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, name, starts_on, ends_on, return_due_days FROM campaigns
         WHERE year = $1 AND deleted_at IS NULL ORDER BY id LIMIT 1",
    )
    .bind(i64::from(year))
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some((id, name, starts, ends, due)) => {
            Ok((Some((id, name, date(&starts)?, date(&ends)?)), due))
        }
        None => Ok((None, DEFAULT_DUE_DAYS)),
    }
}

/// One screening assignment of a slice's campaign: id, title, window, schools of the
/// slice's place asked, and of those the schools that confirmed every film of it.
pub type AssignmentRow = (i64, String, NaiveDate, NaiveDate, i64, i64);

/// Every live assignment of the slice's campaign with schools in the slice's place (live,
/// active at some time in it), in the order the windows open. A whole city's or the whole
/// database's counts are the sums of the districts' that each server keeps
/// ([`super::district_figures`]): counted afresh they read every confirmation of the
/// campaign (a province: 11,000 assignment-school pairs, 50–66 ms); a district's, a
/// station's or a school's are counted here.
pub async fn assignments(
    conn: &mut AnyConnection,
    cache: &super::district_figures::Cache,
    slice: &Slice,
) -> Result<Vec<AssignmentRow>, sqlx::Error> {
    let counts: BTreeMap<i64, (i64, i64)> = if super::district_figures::applies_to(slice) {
        super::district_figures::district_figures(conn, cache, slice)
            .await?
            .windows
    } else {
        window_counts(conn, slice).await?.into_iter().fold(
            BTreeMap::new(),
            |mut sums, (_, assignment, asked, confirmed)| {
                let sum: &mut (i64, i64) = sums.entry(assignment).or_default();
                sum.0 += asked;
                sum.1 += confirmed;
                sums
            },
        )
    };
    let sql = "SELECT id, title, opens_on, closes_on FROM screening_assignments
               WHERE deleted_at IS NULL AND campaign_id = $1 ORDER BY opens_on, id";
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(sql)
        .bind(slice.campaign_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter()
        .filter_map(|(id, title, opens, closes)| {
            let (asked, confirmed) = *counts.get(&id)?;
            Some((id, title, opens, closes, asked, confirmed))
        })
        .map(|(id, title, opens, closes, asked, confirmed)| {
            Ok((id, title, date(&opens)?, date(&closes)?, asked, confirmed))
        })
        .collect()
}

/// Per district and assignment of the slice's campaign: the schools of the slice's place
/// asked (live, active at some time in it) and of those the schools that confirmed every
/// film of the assignment.
pub async fn window_counts(
    conn: &mut AnyConnection,
    slice: &Slice,
) -> Result<Vec<(i64, i64, i64, i64)>, sqlx::Error> {
    let mut c = Conditions::all();
    c.raw("a.deleted_at IS NULL");
    c.int("a.campaign_id = ?", slice.campaign_id);
    slice.school_place(&mut c);
    // Per assignment and school: its films, and how many of them the school confirmed.
    let sql = format!(
        "SELECT g.district_id, g.id, COUNT(*),
                CAST(COALESCE(SUM(CASE WHEN g.films > 0 AND g.done >= g.films
                                  THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM (SELECT a.id AS id, sc.district_id AS district_id,
                      (SELECT COUNT(*) FROM assignment_films af
                       WHERE af.assignment_id = a.id) AS films,
                      (SELECT COUNT(DISTINCT cf.film_id) FROM screening_confirmations cf
                       JOIN assignment_films af
                         ON af.assignment_id = cf.assignment_id AND af.film_id = cf.film_id
                       WHERE cf.assignment_id = a.id AND cf.school_id = x.school_id
                         AND cf.deleted_at IS NULL) AS done
               FROM screening_assignments a
               JOIN assignment_schools x ON x.assignment_id = a.id
               JOIN schools sc ON sc.id = x.school_id
               WHERE {}) g
         GROUP BY g.district_id, g.id",
        c.sql()
    );
    c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await
}
