//! The mentoring registers (issue 18) as records: volunteers, cases, their teams, contacts
//! and events, runaway calls and nights of care for wandering minors. The rules are in `humiao_shared::mentoring`; what is
//! particular here is access, stricter than the other records':
//!
//! - A case row (and its team, contacts and events) is read by its station's officers,
//!   the volunteers on its current team and administrators only. Leaders get 403 on every
//!   case route: they will see aggregates only. Schools likewise.
//! - Every read of a case is recorded in `case_views` — one row per case shown per
//!   request, whether in a list, a read, a 409 body or an export — so that "who viewed
//!   case X" is one query (`GET /api/v1/cases/{id}/viewers`).
//! - Case rows are exported by administrators only ([`crate::records::Resource::EXPORTERS`]).
//! - Closed cases are reduced after the retention setting ([`retention`]).

pub mod case_events;
pub mod case_team;
pub mod cases;
pub mod contacts;
pub mod night_care;
pub mod retention;
pub mod runaway_calls;
pub mod viewers;
pub mod volunteers;

use humiao_shared::account::Role;
use humiao_shared::mentoring::Settings;
use sqlx::AnyConnection;

use super::Conditions;
use crate::error::ApiError;
use crate::viewer::Viewer;

/// The registers' settings as stored (one row, made by the migration).
pub async fn settings(conn: &mut AnyConnection) -> Result<Settings, sqlx::Error> {
    let row: Option<(i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT red_days, orange_days, yellow_days, green_days, runaway_follow_up_days,
                retention_years
         FROM mentoring_settings WHERE id = 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some((red, orange, yellow, green, runaway, retention)) => Settings {
            red_days: red,
            orange_days: orange,
            yellow_days: yellow,
            green_days: green,
            runaway_follow_up_days: runaway,
            retention_years: retention,
        },
        None => Settings::default(),
    })
}

/// `EXISTS` a current team row of the case `{case}.id` for the volunteer whose account is
/// bound to `?`. "Current" is today in China, written into the SQL as a date the server made.
pub fn paired(case: &str) -> String {
    let today = crate::records::day(crate::clock::today());
    format!(
        "EXISTS (SELECT 1 FROM case_team pt JOIN volunteers pv ON pv.id = pt.volunteer_id
                 WHERE pt.case_id = {case}.id AND pt.deleted_at IS NULL
                   AND pv.deleted_at IS NULL AND pv.user_id = ?
                   AND pt.from_on <= '{today}'
                   AND (pt.to_on IS NULL OR pt.to_on >= '{today}'))"
    )
}

/// Which cases the viewer may read, on the case aliased `case` joined to its station as
/// `st`: administrators their scope's, officers their station's, volunteers those they
/// are paired with; leaders and schools none (403).
pub fn case_scope(viewer: &Viewer, c: &mut Conditions, case: &str) -> Result<(), ApiError> {
    match viewer.role {
        Role::Admin => super::within_districts(viewer, c, "st.district_id"),
        Role::Officer => c.eq(&format!("{case}.station_id"), viewer.station()),
        Role::Volunteer => match viewer.user_id {
            Some(user) => c.int(&paired(case), user),
            None => return Err(ApiError::Forbidden),
        },
        Role::Leader | Role::School => return Err(ApiError::Forbidden),
    }
    Ok(())
}

/// May the viewer change what belongs to `case` (its team, events)? Administrators within
/// their scope and the case's station's officers; nobody else.
pub async fn own_case(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    case: i64,
) -> Result<bool, sqlx::Error> {
    let station: Option<(i64,)> =
        sqlx::query_as("SELECT station_id FROM cases WHERE id = $1 AND deleted_at IS NULL")
            .bind(case)
            .fetch_optional(&mut *conn)
            .await?;
    match station {
        Some((station,)) if viewer.role != Role::Volunteer => {
            super::own_station(conn, viewer, station).await
        }
        _ => Ok(false),
    }
}

/// The station of a live case, if there is one.
pub async fn case_station(
    conn: &mut AnyConnection,
    case: Option<i64>,
) -> Result<Option<i64>, sqlx::Error> {
    let Some(case) = case else { return Ok(None) };
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT station_id FROM cases WHERE id = $1 AND deleted_at IS NULL")
            .bind(case)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(s,)| s))
}

/// Records that the viewer was shown these cases, one row per distinct case: `how` is
/// the route family (`cases`, `contacts`…).
pub async fn viewed(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    how: &'static str,
    cases: impl IntoIterator<Item = i64>,
) -> Result<(), sqlx::Error> {
    let mut ids: Vec<i64> = cases.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    let at = crate::db::now_text();
    for chunk in ids.chunks(100) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, $1, $2, $3, $4, $5)", i + 6))
            .collect();
        let sql = format!(
            "INSERT INTO case_views (case_id, actor, user_id, role, how, at) VALUES {}",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql)
            .bind(viewer.actor().to_string())
            .bind(viewer.user_id)
            .bind(viewer.role.code())
            .bind(how)
            .bind(at.clone());
        for id in chunk {
            query = query.bind(*id);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
