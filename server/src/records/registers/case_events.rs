//! Events on a case: re-offence (再犯) and return to school (复学), dated. Officers and
//! administrators record and read them; volunteers and leaders do not.

use humiao_shared::account::Role;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::mentoring::contact::{CaseEvent, EventKind, NewCaseEvent, ValidCaseEvent};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::{case_scope, case_station, own_case, viewed};
use crate::clock;
use crate::error::ApiError;
use crate::records::{checked, day, Conditions, Found, Resource};
use crate::viewer::Viewer;

pub struct CaseEvents;

/// Filters of `GET /api/v1/case_events`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventFilter {
    pub case_id: Option<i64>,
    #[param(inline)]
    pub kind: Option<EventKind>,
}

impl Resource for CaseEvents {
    const NAME: &'static str = "case_events";
    const TABLE: &'static str = "case_events";
    const FROM: &'static str = "case_events t JOIN cases cs ON cs.id = t.case_id
                                JOIN stations st ON st.id = cs.station_id";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("-date", "t.happened_on DESC, t.id DESC"),
        ("date", "t.happened_on, t.id"),
    ];
    const PAGE: i64 = 100;
    const KEY_FIELD: &'static str = "kind";
    const SUMMARY: &'static str = "Re-offences and returns to school on a case";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::CASE_EVENTS;
    const EXPORTERS: Option<&'static [Role]> = Some(&[Role::Admin]);

    type Input = NewCaseEvent;
    type Valid = ValidCaseEvent;
    type Record = CaseEvent;
    type Filter = EventFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewCaseEvent,
    ) -> Result<ValidCaseEvent, ApiError> {
        let mut refs = FieldErrors::default();
        if input.case_id.is_some() && case_station(conn, input.case_id).await?.is_none() {
            refs.push("case_id", FieldCode::UnknownValue);
        }
        checked(input.validate(clock::today()), refs)
    }

    fn filter(filter: &EventFilter, c: &mut Conditions) {
        c.eq("t.case_id", filter.case_id);
        c.eq_text("t.kind", filter.kind.map(EventKind::code));
    }

    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        if viewer.role == Role::Volunteer {
            return Err(ApiError::Forbidden);
        }
        case_scope(viewer, c, "cs")
    }

    const WRITERS: &'static [Role] = &[Role::Admin, Role::Officer];

    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidCaseEvent,
    ) -> Result<bool, sqlx::Error> {
        own_case(conn, viewer, valid.case_id).await
    }

    fn may_delete(viewer: &Viewer, _record: &CaseEvent) -> bool {
        matches!(viewer.role, Role::Admin | Role::Officer)
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<CaseEvent>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.case_id, t.kind, t.happened_on, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        let rows: Vec<(i64, i64, String, String, i64)> =
            c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        rows.into_iter()
            .map(|(id, case_id, kind, happened_on, version)| {
                Ok(CaseEvent {
                    id,
                    case_id,
                    kind: EventKind::from_code(&kind).ok_or_else(|| {
                        sqlx::Error::Decode(format!("unknown event kind {kind}").into())
                    })?,
                    happened_on,
                    version,
                })
            })
            .collect()
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidCaseEvent,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as(
            "SELECT id, deleted_at FROM case_events
             WHERE case_id = $1 AND kind = $2 AND happened_on = $3",
        )
        .bind(v.case_id)
        .bind(v.kind.code())
        .bind(day(v.happened_on))
        .fetch_optional(&mut *conn)
        .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidCaseEvent,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO case_events (case_id, kind, happened_on, created_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(v.case_id)
        .bind(v.kind.code())
        .bind(day(v.happened_on))
        .bind(crate::db::now_text())
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidCaseEvent,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE case_events SET case_id = $1, kind = $2, happened_on = $3 WHERE id = $4",
        )
        .bind(v.case_id)
        .bind(v.kind.code())
        .bind(day(v.happened_on))
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    async fn redact(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        rows: Vec<CaseEvent>,
    ) -> Result<Vec<CaseEvent>, sqlx::Error> {
        viewed(conn, viewer, Self::NAME, rows.iter().map(|r| r.case_id)).await?;
        Ok(rows)
    }

    fn version(r: &CaseEvent) -> i64 {
        r.version
    }
}
