//! Runaway and missing-youth calls (出走失联警情): a station's record, read like outcome
//! values (its officers, leaders and administrators of the scope). Its follow-up visits
//! are kept in `runaway_follow_ups`; a call not followed up within the setting's days is
//! overdue. The optional case must be one of the same station's.

use chrono::{Duration, NaiveDateTime, Utc};
use humiao_shared::account::Role;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::mentoring::runaway::{
    NewRunawayCall, RunawayCall, ValidRunawayCall, TIME_FORMAT,
};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::{case_station, settings};
use crate::clock;
use crate::error::ApiError;
use crate::records::named::{self, Named};
use crate::records::{checked, date, day, is_live, Conditions, Found, Resource};
use crate::viewer::Viewer;

pub struct RunawayCalls;

/// Filters of `GET /api/v1/runaway_calls`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallFilter {
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
}

/// China's wall-clock time now (UTC+8, no daylight saving).
fn now_in_china() -> NaiveDateTime {
    (Utc::now() + Duration::hours(8)).naive_utc()
}

fn time(t: NaiveDateTime) -> String {
    t.format(TIME_FORMAT).to_string()
}

impl Resource for RunawayCalls {
    const NAME: &'static str = "runaway_calls";
    const TABLE: &'static str = "runaway_calls";
    const FROM: &'static str = "runaway_calls t JOIN stations st ON st.id = t.station_id";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("-called", "t.called_at DESC, t.id DESC"),
        ("called", "t.called_at, t.id"),
    ];
    const PAGE: i64 = 100;
    const KEY_FIELD: &'static str = "called_at";
    const SUMMARY: &'static str = "Runaway and missing-youth calls and their follow-up visits";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::RUNAWAY_CALLS;

    type Input = NewRunawayCall;
    type Valid = ValidRunawayCall;
    type Record = RunawayCall;
    type Filter = CallFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewRunawayCall,
    ) -> Result<ValidRunawayCall, ApiError> {
        let mut refs = FieldErrors::default();
        if input.station_id.is_some() && !is_live(conn, "stations", input.station_id).await? {
            refs.push("station_id", FieldCode::UnknownValue);
        }
        if input.case_id.is_some() {
            match case_station(conn, input.case_id).await? {
                None => refs.push("case_id", FieldCode::UnknownValue),
                Some(s) if Some(s) != input.station_id => {
                    refs.push("case_id", FieldCode::OtherStation)
                }
                _ => {}
            }
        }
        checked(input.validate(now_in_china()), refs)
    }

    fn named(filter: &CallFilter) -> Vec<Named> {
        named::given([
            (Named::District, filter.district_id),
            (Named::Station, filter.station_id),
        ])
    }

    fn filter(filter: &CallFilter, c: &mut Conditions) {
        c.eq("st.district_id", filter.district_id);
        c.eq("t.station_id", filter.station_id);
    }

    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        crate::records::station_records(viewer, c)
    }

    const WRITERS: &'static [Role] = &[Role::Admin, Role::Officer];

    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidRunawayCall,
    ) -> Result<bool, sqlx::Error> {
        crate::records::own_station(conn, viewer, valid.station_id).await
    }

    fn may_delete(viewer: &Viewer, record: &RunawayCall) -> bool {
        crate::records::takes_back(viewer, record.station_id)
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<RunawayCall>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.station_id, t.called_at, t.found_at, t.case_id, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        type Row = (i64, i64, String, Option<String>, Option<i64>, i64);
        let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let mut visits = std::collections::BTreeMap::<i64, Vec<String>>::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT call_id, visited_on FROM runaway_follow_ups WHERE call_id IN ({})
                 ORDER BY call_id, visited_on",
                crate::db::placeholders(1, chunk.len())
            );
            let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            for (call, visited_on) in query.fetch_all(&mut *conn).await? {
                visits.entry(call).or_default().push(visited_on);
            }
        }
        let settings = settings(conn).await?;
        let today = clock::today();
        rows.into_iter()
            .map(|(id, station_id, called_at, found_at, case_id, version)| {
                let follow_ups = visits.remove(&id).unwrap_or_default();
                let called_on = NaiveDateTime::parse_from_str(&called_at, TIME_FORMAT)
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?
                    .date();
                let days = follow_ups
                    .iter()
                    .map(|d| date(d))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(RunawayCall {
                    id,
                    station_id,
                    called_at,
                    found_at,
                    case_id,
                    overdue: settings.call_overdue(called_on, &days, today),
                    follow_ups,
                    version,
                })
            })
            .collect()
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidRunawayCall,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as(
            "SELECT id, deleted_at FROM runaway_calls WHERE station_id = $1 AND called_at = $2",
        )
        .bind(v.station_id)
        .bind(time(v.called_at))
        .fetch_optional(&mut *conn)
        .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidRunawayCall,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO runaway_calls (station_id, called_at, found_at, case_id, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(v.station_id)
        .bind(time(v.called_at))
        .bind(v.found_at.map(time))
        .bind(v.case_id)
        .bind(crate::db::now_text())
        .fetch_one(&mut **tx)
        .await?;
        follow_ups(tx, id, v).await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidRunawayCall,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE runaway_calls SET station_id = $1, called_at = $2, found_at = $3, case_id = $4
             WHERE id = $5",
        )
        .bind(v.station_id)
        .bind(time(v.called_at))
        .bind(v.found_at.map(time))
        .bind(v.case_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        follow_ups(tx, id, v).await
    }

    fn version(r: &RunawayCall) -> i64 {
        r.version
    }
}

/// Replaces a call's follow-up visits.
async fn follow_ups(
    tx: &mut Transaction<'static, Any>,
    call: i64,
    v: &ValidRunawayCall,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM runaway_follow_ups WHERE call_id = $1")
        .bind(call)
        .execute(&mut **tx)
        .await?;
    for visited in &v.follow_ups {
        sqlx::query("INSERT INTO runaway_follow_ups (call_id, visited_on) VALUES ($1, $2)")
            .bind(call)
            .bind(day(*visited))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
