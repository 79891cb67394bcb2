//! The SQL of the monthly returns: the stations a return belongs to, the stored rows (a
//! month with none is open), their history, the figures a summary shows, and the writes a
//! transition makes. Each function takes a connection so that it runs in the caller's
//! transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use humiao_shared::returns::{ReturnAction, ReturnEvent, ReturnState, DEFAULT_DUE_DAYS};
use sqlx::{Any, AnyConnection, Transaction};

use crate::db::where_clause::Conditions;
use crate::db::{date, now_text};

/// A station as its returns need it: its name and place, and the day it closed.
#[derive(Debug, Clone)]
pub struct StationPlace {
    pub id: i64,
    pub name: String,
    pub district_id: i64,
    pub district_name: String,
    pub city_id: i64,
    pub closed_on: Option<NaiveDate>,
}

/// A stored return (a month someone has moved).
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub state: ReturnState,
    pub version: i64,
    pub first_submitted_on: Option<NaiveDate>,
    pub submitted_on: Option<NaiveDate>,
    pub reason: Option<String>,
}

/// Stations (`t`) with their district (`d`), live ones only.
pub const STATIONS_FROM: &str = "stations t JOIN districts d ON d.id = t.district_id";

type StationRow = (i64, String, i64, String, i64, Option<String>);

fn station_of(row: StationRow) -> Result<StationPlace, sqlx::Error> {
    let (id, name, district_id, district_name, city_id, closed_on) = row;
    Ok(StationPlace {
        id,
        name,
        district_id,
        district_name,
        city_id,
        closed_on: closed_on.as_deref().map(date).transpose()?,
    })
}

const STATION_COLUMNS: &str = "t.id, t.name, t.district_id, d.name, d.city_id, t.closed_on";

/// The live station `id`, if there is one.
pub async fn station(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<StationPlace>, sqlx::Error> {
    let sql = format!(
        "SELECT {STATION_COLUMNS} FROM {STATIONS_FROM} WHERE t.id = $1 AND t.deleted_at IS NULL"
    );
    let row: Option<StationRow> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(station_of).transpose()
}

/// The city of the live district `id`, if there is one.
pub async fn district_city(conn: &mut AnyConnection, id: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT city_id FROM districts WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(city,)| city))
}

/// The live stations matching `c` (on `t` and `d`), by code.
pub async fn stations(
    conn: &mut AnyConnection,
    c: &Conditions,
) -> Result<Vec<StationPlace>, sqlx::Error> {
    let sql = format!(
        "SELECT {STATION_COLUMNS} FROM {STATIONS_FROM} WHERE {} ORDER BY t.code, t.id",
        c.sql()
    );
    let rows: Vec<StationRow> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    rows.into_iter().map(station_of).collect()
}

type StoredRow = (
    i64,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

const STORED_COLUMNS: &str =
    "r.id, r.state, r.version, r.first_submitted_on, r.submitted_on, r.reason";

fn stored_of(row: StoredRow) -> Result<Stored, sqlx::Error> {
    let (id, state, version, first, last, reason) = row;
    let state = ReturnState::from_code(&state)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown return state {state}").into()))?;
    Ok(Stored {
        id,
        state,
        version,
        first_submitted_on: first.as_deref().map(date).transpose()?,
        submitted_on: last.as_deref().map(date).transpose()?,
        reason,
    })
}

/// The stored return of a station's month (`YYYY-MM`), if anyone has moved it.
pub async fn stored(
    conn: &mut AnyConnection,
    station: i64,
    month: &str,
) -> Result<Option<Stored>, sqlx::Error> {
    let sql = format!(
        "SELECT {STORED_COLUMNS} FROM monthly_returns r WHERE r.station_id = $1 AND r.month = $2"
    );
    let row: Option<StoredRow> = sqlx::query_as(&sql)
        .bind(station)
        .bind(month)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(stored_of).transpose()
}

/// The stored returns of the stations matching `c` (on `t` and `d`) from month `from` to
/// `to` (`YYYY-MM`, included), by station and month: one query for a whole list.
pub async fn stored_between(
    conn: &mut AnyConnection,
    c: &Conditions,
    from: &str,
    to: &str,
) -> Result<HashMap<(i64, String), Stored>, sqlx::Error> {
    let mut c = c.clone();
    // `YYYY-MM` sorts as it reads.
    c.text("r.month >= ?", from.to_string());
    c.text("r.month <= ?", to.to_string());
    let sql = format!(
        "SELECT r.station_id, r.month, {STORED_COLUMNS}
         FROM monthly_returns r
         JOIN stations t ON t.id = r.station_id
         JOIN districts d ON d.id = t.district_id
         WHERE {}",
        c.sql()
    );
    type Row = (
        i64,
        String,
        i64,
        String,
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(
            |(station, month, id, state, version, first, last, reason)| {
                let stored = stored_of((id, state, version, first, last, reason))?;
                Ok(((station, month), stored))
            },
        )
        .collect()
}

/// Days after a month's end its return is due, by campaign year (the campaign of a month's
/// year sets its deadline; a year without a campaign has the default).
#[derive(Debug, Clone, Default)]
pub struct DueDays(HashMap<i32, i64>);

impl DueDays {
    pub async fn load(conn: &mut AnyConnection) -> Result<DueDays, sqlx::Error> {
        let rows: Vec<(i64, i64)> =
            sqlx::query_as("SELECT year, return_due_days FROM campaigns WHERE deleted_at IS NULL")
                .fetch_all(&mut *conn)
                .await?;
        Ok(DueDays(
            rows.into_iter().map(|(y, d)| (y as i32, d)).collect(),
        ))
    }

    pub fn of(&self, year: i32) -> i64 {
        self.0.get(&year).copied().unwrap_or(DEFAULT_DUE_DAYS)
    }
}

/// What a transition writes: the new state and the fields that go with it.
pub struct Write<'a> {
    pub station: i64,
    pub month: &'a str,
    pub state: ReturnState,
    pub first_submitted_on: Option<NaiveDate>,
    pub submitted_on: Option<NaiveDate>,
    pub reason: Option<&'a str>,
}

/// Stores a month's first move; `None` when another request stored it first (the caller
/// answers as to a stale version).
pub async fn insert(
    tx: &mut Transaction<'static, Any>,
    w: &Write<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO monthly_returns
             (station_id, month, state, version, first_submitted_on, submitted_on, reason,
              updated_at)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7)
         ON CONFLICT (station_id, month) DO NOTHING
         RETURNING id",
    )
    .bind(w.station)
    .bind(w.month)
    .bind(w.state.code())
    .bind(w.first_submitted_on.map(crate::db::day))
    .bind(w.submitted_on.map(crate::db::day))
    .bind(w.reason)
    .bind(now_text())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Moves a stored return on, if it is still at `version`; false when another request moved
/// it first.
pub async fn update(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    version: i64,
    w: &Write<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE monthly_returns
         SET state = $1, first_submitted_on = $2, submitted_on = $3, reason = $4,
             version = version + 1, updated_at = $5
         WHERE id = $6 AND version = $7",
    )
    .bind(w.state.code())
    .bind(w.first_submitted_on.map(crate::db::day))
    .bind(w.submitted_on.map(crate::db::day))
    .bind(w.reason)
    .bind(now_text())
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(done > 0)
}

/// One step of a return's history.
pub struct Step<'a> {
    pub return_id: i64,
    pub actor: &'a str,
    pub action: ReturnAction,
    pub from: ReturnState,
    pub to: ReturnState,
    pub reason: Option<&'a str>,
}

pub async fn add_event(
    tx: &mut Transaction<'static, Any>,
    step: &Step<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO return_events (return_id, at, actor, action, from_state, to_state, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(step.return_id)
    .bind(now_text())
    .bind(step.actor)
    .bind(step.action.code())
    .bind(step.from.code())
    .bind(step.to.code())
    .bind(step.reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A return's history, oldest first.
pub async fn history(
    conn: &mut AnyConnection,
    return_id: i64,
) -> Result<Vec<ReturnEvent>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT at, actor, action, from_state, to_state, reason FROM return_events
         WHERE return_id = $1 ORDER BY id",
    )
    .bind(return_id)
    .fetch_all(&mut *conn)
    .await?;
    let state = |code: String| {
        ReturnState::from_code(&code)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown return state {code}").into()))
    };
    rows.into_iter()
        .map(|(at, actor, action, from, to, reason)| {
            let action = ReturnAction::from_code(&action).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown return action {action}").into())
            })?;
            Ok(ReturnEvent {
                at,
                actor,
                action,
                from: state(from)?,
                to: state(to)?,
                reason,
            })
        })
        .collect()
}

/// A station's sessions in a month (`first`..=`last`): how many, and their audience.
pub async fn session_totals(
    conn: &mut AnyConnection,
    station: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<(i64, i64), sqlx::Error> {
    let (n, audience): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*),
                CAST(COALESCE(SUM(students + parents + teachers + others), 0) AS BIGINT)
         FROM sessions
         WHERE station_id = $1 AND deleted_at IS NULL AND held_on >= $2 AND held_on <= $3",
    )
    .bind(station)
    .bind(crate::db::day(first))
    .bind(crate::db::day(last))
    .fetch_one(&mut *conn)
    .await?;
    Ok((n, audience))
}

/// A station's live outcome values from month `from` to `to` (`YYYY-MM`, included):
/// (month, indicator code, value), by month.
pub async fn outcome_values(
    conn: &mut AnyConnection,
    station: i64,
    from: &str,
    to: &str,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT month, indicator, value FROM outcome_values
         WHERE station_id = $1 AND deleted_at IS NULL AND month >= $2 AND month <= $3
         ORDER BY month, indicator",
    )
    .bind(station)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await
}
