//! A case's team (结对): its volunteers and officers, from one day to another. Read like
//! the case; a volunteer reads their own rows only (what a contact names as its author).

use humiao_shared::account::Role;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::mentoring::team::{Member, NewTeamMember, TeamMember, ValidTeamMember};
use humiao_shared::record::used_by::UsedBy;
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::{case_scope, case_station, own_case, viewed};
use crate::clock;
use crate::error::ApiError;
use crate::records::{checked, day, Conditions, Found, Resource};
use crate::viewer::Viewer;

pub struct CaseTeam;

/// Filters of `GET /api/v1/case_team`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TeamFilter {
    pub case_id: Option<i64>,
    pub volunteer_id: Option<i64>,
}

/// A volunteer's own team rows: `t.volunteer_id` is theirs (bound to `?`).
const OWN_ROWS: &str = "t.volunteer_id IN (SELECT ov.id FROM volunteers ov WHERE ov.user_id = ?)";

impl Resource for CaseTeam {
    const NAME: &'static str = "case_team";
    const TABLE: &'static str = "case_team";
    const FROM: &'static str = "case_team t JOIN cases cs ON cs.id = t.case_id
                                JOIN stations st ON st.id = cs.station_id";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("case", "cs.code, t.from_on, t.id"),
        ("-from", "t.from_on DESC, t.id"),
    ];
    const PAGE: i64 = 100;
    const KEY_FIELD: &'static str = "volunteer_id";
    const SUMMARY: &'static str = "Cases' teams: volunteers and officers paired with a case";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::CASE_TEAM;
    const EXPORTERS: Option<&'static [Role]> = Some(&[Role::Admin]);

    type Input = NewTeamMember;
    type Valid = ValidTeamMember;
    type Record = TeamMember;
    type Filter = TeamFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewTeamMember,
    ) -> Result<ValidTeamMember, ApiError> {
        let mut refs = FieldErrors::default();
        let station = case_station(conn, input.case_id).await?;
        if input.case_id.is_some() && station.is_none() {
            refs.push("case_id", FieldCode::UnknownValue);
        }
        if let Some(v) = input.volunteer_id {
            let row: Option<(i64,)> = sqlx::query_as(
                "SELECT station_id FROM volunteers WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(v)
            .fetch_optional(&mut *conn)
            .await?;
            match (row, station) {
                (None, _) => refs.push("volunteer_id", FieldCode::UnknownValue),
                (Some((s,)), Some(station)) if s != station => {
                    refs.push("volunteer_id", FieldCode::OtherStation)
                }
                _ => {}
            }
        }
        if let Some(o) = input.officer_id {
            let row: Option<(String, Option<i64>)> =
                sqlx::query_as("SELECT role, station_id FROM users WHERE id = $1")
                    .bind(o)
                    .fetch_optional(&mut *conn)
                    .await?;
            match row {
                None => refs.push("officer_id", FieldCode::UnknownValue),
                Some((role, _)) if role != Role::Officer.code() => {
                    refs.push("officer_id", FieldCode::NotForRole)
                }
                Some((_, s)) if station.is_some() && s != station => {
                    refs.push("officer_id", FieldCode::OtherStation)
                }
                _ => {}
            }
        }
        checked(input.validate(clock::today()), refs)
    }

    fn filter(filter: &TeamFilter, c: &mut Conditions) {
        c.eq("t.case_id", filter.case_id);
        c.eq("t.volunteer_id", filter.volunteer_id);
    }

    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        case_scope(viewer, c, "cs")?;
        if viewer.role == Role::Volunteer {
            c.int(OWN_ROWS, viewer.user_id.unwrap_or_default());
        }
        Ok(())
    }

    const WRITERS: &'static [Role] = &[Role::Admin, Role::Officer];

    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidTeamMember,
    ) -> Result<bool, sqlx::Error> {
        own_case(conn, viewer, valid.case_id).await
    }

    fn may_delete(viewer: &Viewer, _record: &TeamMember) -> bool {
        // The read scope already holds officers to their station's cases.
        matches!(viewer.role, Role::Admin | Role::Officer)
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<TeamMember>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.case_id, t.volunteer_id, t.officer_id, t.from_on, t.to_on, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        type Row = (
            i64,
            i64,
            Option<i64>,
            Option<i64>,
            String,
            Option<String>,
            i64,
        );
        let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, case_id, volunteer_id, officer_id, from_on, to_on, version)| TeamMember {
                    id,
                    case_id,
                    volunteer_id,
                    officer_id,
                    from_on,
                    to_on,
                    version,
                },
            )
            .collect())
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidTeamMember,
    ) -> Result<Option<Found>, sqlx::Error> {
        let (volunteer, officer) = ids(v.member);
        let row = sqlx::query_as(
            "SELECT id, deleted_at FROM case_team
             WHERE case_id = $1 AND COALESCE(volunteer_id, 0) = $2
               AND COALESCE(officer_id, 0) = $3 AND from_on = $4",
        )
        .bind(v.case_id)
        .bind(volunteer.unwrap_or(0))
        .bind(officer.unwrap_or(0))
        .bind(day(v.from_on))
        .fetch_optional(&mut *conn)
        .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidTeamMember,
    ) -> Result<i64, sqlx::Error> {
        let (volunteer, officer) = ids(v.member);
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO case_team (case_id, volunteer_id, officer_id, from_on, to_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(v.case_id)
        .bind(volunteer)
        .bind(officer)
        .bind(day(v.from_on))
        .bind(v.to_on.map(day))
        .bind(crate::db::now_text())
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidTeamMember,
    ) -> Result<(), sqlx::Error> {
        let (volunteer, officer) = ids(v.member);
        sqlx::query(
            "UPDATE case_team SET case_id = $1, volunteer_id = $2, officer_id = $3,
                 from_on = $4, to_on = $5
             WHERE id = $6",
        )
        .bind(v.case_id)
        .bind(volunteer)
        .bind(officer)
        .bind(day(v.from_on))
        .bind(v.to_on.map(day))
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// A team row that contacts name stays: end it with `to_on` instead.
    async fn in_use(conn: &mut AnyConnection, id: i64) -> Result<UsedBy, sqlx::Error> {
        crate::records::used_by(
            conn,
            id,
            &[(
                "contacts",
                "SELECT COUNT(*) FROM contacts WHERE team_member_id = $1 AND deleted_at IS NULL",
            )],
        )
        .await
    }

    async fn redact(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        rows: Vec<TeamMember>,
    ) -> Result<Vec<TeamMember>, sqlx::Error> {
        viewed(conn, viewer, Self::NAME, rows.iter().map(|r| r.case_id)).await?;
        Ok(rows)
    }

    fn version(r: &TeamMember) -> i64 {
        r.version
    }
}

fn ids(member: Member) -> (Option<i64>, Option<i64>) {
    match member {
        Member::Volunteer(v) => (Some(v), None),
        Member::Officer(o) => (None, Some(o)),
    }
}
