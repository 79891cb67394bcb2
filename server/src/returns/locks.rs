//! The locks of the sign-off: while a station's return for a month is submitted, approved
//! or accepted, no one creates, changes or deletes a session or an outcome value of that
//! station and month (409 `period_locked`, naming the state). Every write path asks here,
//! inside its own write transaction: the generic record handlers (through
//! [`crate::records::Resource::period`]), the sessions' group-commit writer and the
//! imports.
//!
//! A write and a transition of the same month must not both go through on stale reads. On
//! SQLite every write transaction holds the database's one write lock from its start, so
//! they take turns already. On PostgreSQL a write takes a shared advisory lock on each
//! month it touches before reading the return's state, and a transition an exclusive one
//! on its month before moving it: a submit waits for the writes under way and the writes
//! that come after see it. Locks are taken in order, so two transactions never wait on
//! each other in a circle.

use chrono::NaiveDate;
use humiao_shared::returns::{self as rules, ReturnState};
use sqlx::AnyConnection;

use super::db::{self, DueDays};
use crate::db::{Db, Engine};
use crate::error::ApiError;

/// A station's month: the station, and the month's first day.
pub type Period = (i64, NaiveDate);

/// The months of `periods` once each, in the order locks are taken.
fn ordered(periods: &[Period]) -> Vec<Period> {
    let mut ordered = periods.to_vec();
    ordered.sort_unstable();
    ordered.dedup();
    ordered
}

/// PostgreSQL's advisory lock on a station's month: two 32-bit keys (a key space apart from
/// the one-number keys of [`crate::db::Turn`]), the station and `yyyymm`.
async fn advisory(
    conn: &mut AnyConnection,
    engine: Engine,
    (station, month): Period,
    exclusive: bool,
) -> Result<(), sqlx::Error> {
    if engine != Engine::Postgres {
        return Ok(());
    }
    let sql = if exclusive {
        "SELECT pg_advisory_xact_lock(CAST($1 AS INTEGER), CAST($2 AS INTEGER))"
    } else {
        "SELECT pg_advisory_xact_lock_shared(CAST($1 AS INTEGER), CAST($2 AS INTEGER))"
    };
    use chrono::Datelike;
    let key = i64::from(month.year()) * 100 + i64::from(month.month());
    sqlx::query(sql)
        .bind(station)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Before a transition: holds the months against writes until the transaction ends.
pub async fn hold(
    conn: &mut AnyConnection,
    engine: Engine,
    periods: &[Period],
) -> Result<(), sqlx::Error> {
    for period in ordered(periods) {
        advisory(conn, engine, period, true).await?;
    }
    Ok(())
}

/// The first of `periods` whose return locks it, with its state, after taking each
/// month's shared lock: what the sessions' writer asks for a batch.
pub async fn locked_among(
    conn: &mut AnyConnection,
    engine: Engine,
    periods: &[Period],
) -> Result<Option<(Period, ReturnState)>, sqlx::Error> {
    let periods = ordered(periods);
    for period in &periods {
        advisory(conn, engine, *period, false).await?;
    }
    first_locked(conn, &periods).await
}

/// The first of `periods` whose return locks it, as stored now.
async fn first_locked(
    conn: &mut AnyConnection,
    periods: &[Period],
) -> Result<Option<(Period, ReturnState)>, sqlx::Error> {
    for &(station, month) in periods {
        let stored = db::stored(conn, station, &rules::month_of(month)).await?;
        if let Some(stored) = stored.filter(|s| s.state.locks()) {
            return Ok(Some(((station, month), stored.state)));
        }
    }
    Ok(None)
}

/// The state of a month's return when it locks the month, as stored now: a row of an
/// import is checked with this (the import checks its rows again in its transaction).
pub async fn state_locking(
    conn: &mut AnyConnection,
    period: Period,
) -> Result<Option<ReturnState>, sqlx::Error> {
    Ok(first_locked(conn, &[period]).await?.map(|(_, state)| state))
}

/// 409 `period_locked` when a write would touch a month of `periods` whose return locks it;
/// run inside the write's transaction.
pub async fn check(
    conn: &mut AnyConnection,
    engine: Engine,
    periods: &[Period],
) -> Result<(), ApiError> {
    match locked_among(conn, engine, periods).await? {
        None => Ok(()),
        Some((period, state)) => Err(refusal(conn, period, state).await?),
    }
}

/// The same check outside a transaction, for a write about to be handed on (the
/// sessions' writer checks again in its own, holding the months).
pub async fn check_now(db: &Db, periods: &[Period]) -> Result<(), ApiError> {
    let mut conn = db.pool.acquire().await?;
    match first_locked(&mut conn, &ordered(periods)).await? {
        None => Ok(()),
        Some((period, state)) => Err(refusal(&mut conn, period, state).await?),
    }
}

/// The 409 for a locked month: its state, the station and the month, with the return.
pub async fn refusal(
    conn: &mut AnyConnection,
    (station, month): Period,
    state: ReturnState,
) -> Result<ApiError, ApiError> {
    let place = db::station(conn, station)
        .await?
        .ok_or(ApiError::NotFound)?;
    let stored = db::stored(conn, station, &rules::month_of(month)).await?;
    let due = DueDays::load(conn).await?;
    let current = super::answer(&place, month, stored.as_ref(), &due, crate::clock::today());
    Ok(ApiError::PeriodLocked {
        state,
        station: place.name.clone(),
        month: current.month.clone(),
        current: serde_json::to_value(&current).map_err(|e| ApiError::Internal(e.into()))?,
    })
}

/// The month a day falls in, as a [`Period`] of `station`.
pub fn period_of_day(station: i64, day: NaiveDate) -> Period {
    use chrono::Datelike;
    (
        station,
        NaiveDate::from_ymd_opt(day.year(), day.month(), 1).unwrap_or(day),
    )
}
