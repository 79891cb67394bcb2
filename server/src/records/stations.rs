//! Police stations (派出所), each in one district and with its care workstation
//! (关爱工作站): the second level of the organisation tree.

use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::org::{NewStation, School, Station, ValidStation};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::named::{self, Named};
use super::schools::Schools;
use super::{
    checked, date, day, is_live, outside_dates, used_by, Conditions, Dated, Found, Outside,
    Resource,
};
use crate::db::audit::{self, Change};
use crate::db::now_text;
use crate::error::ApiError;
use crate::viewer::Viewer;
use humiao_shared::record::used_by::UsedBy;

pub struct Stations;

/// Filters of `GET /api/v1/stations`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StationFilter {
    pub district_id: Option<i64>,
    /// Part of the name or code.
    pub q: Option<String>,
}

impl Resource for Stations {
    const NAME: &'static str = "stations";
    const TABLE: &'static str = "stations";
    const FROM: &'static str = "stations t";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("code", "t.code"),
        ("name", "t.name, t.id"),
        ("district", "t.district_id, t.code"),
    ];
    const PAGE: i64 = 1000;
    const KEY_FIELD: &'static str = "code";
    const SUMMARY: &'static str = "Police stations and their care workstations";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::STATIONS;

    type Input = NewStation;
    type Valid = ValidStation;
    type Record = Station;
    type Filter = StationFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewStation,
    ) -> Result<ValidStation, ApiError> {
        let mut refs = FieldErrors::default();
        if input.district_id.is_some() && !is_live(conn, "districts", input.district_id).await? {
            refs.push("district_id", FieldCode::UnknownValue);
        }
        checked(input.validate(), refs)
    }

    fn named(filter: &StationFilter) -> Vec<Named> {
        named::given([(Named::District, filter.district_id)])
    }

    fn filter(filter: &StationFilter, c: &mut Conditions) {
        c.eq("t.district_id", filter.district_id);
        if let Some(q) = filter.q.as_deref() {
            c.contains("(t.name || ' ' || t.code)", Some(q));
        }
    }

    /// Reference data: every signed-in person picks from it, within their city.
    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        super::within_city(viewer, c, "t.district_id");
        Ok(())
    }

    /// Administrators, a city's in the districts of their city.
    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidStation,
    ) -> Result<bool, sqlx::Error> {
        let district = Named::District(valid.district_id);
        Ok(viewer.is_admin() && named::within_scope(conn, viewer, district).await?)
    }

    /// Administrators; a city's see only their city's stations.
    fn may_delete(viewer: &Viewer, _record: &Station) -> bool {
        viewer.is_admin()
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<Station>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.code, t.name, t.district_id, t.workstation, t.closed_on, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        type Row = (
            i64,
            String,
            String,
            i64,
            Option<String>,
            Option<String>,
            i64,
        );
        let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        rows.into_iter()
            .map(
                |(id, code, name, district_id, workstation, closed_on, version)| {
                    Ok(Station {
                        id,
                        code,
                        name,
                        district_id,
                        workstation,
                        closed_on: closed_on.as_deref().map(date).transpose()?,
                        version,
                    })
                },
            )
            .collect()
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidStation,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as("SELECT id, deleted_at FROM stations WHERE code = $1")
            .bind(&v.code)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidStation,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO stations (district_id, code, name, workstation, closed_on)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(v.district_id)
        .bind(&v.code)
        .bind(&v.name)
        .bind(v.workstation.clone())
        .bind(v.closed_on.map(day))
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidStation,
    ) -> Result<(), sqlx::Error> {
        let (old_district,): (i64,) =
            sqlx::query_as("SELECT district_id FROM stations WHERE id = $1")
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
        sqlx::query(
            "UPDATE stations SET district_id = $1, code = $2, name = $3, workstation = $4,
                    closed_on = $5
             WHERE id = $6",
        )
        .bind(v.district_id)
        .bind(&v.code)
        .bind(&v.name)
        .bind(v.workstation.clone())
        .bind(v.closed_on.map(day))
        .bind(id)
        .execute(&mut **tx)
        .await?;
        if old_district != v.district_id {
            crate::db::rollups::recount_districts(tx, &[old_district, v.district_id]).await?;
        }
        Ok(())
    }

    /// A station with live schools, sessions, trained officers, outcome values, accounts
    /// or mentoring registers stays: they would lose their place, and every figure of its
    /// past with them.
    async fn in_use(conn: &mut AnyConnection, id: i64) -> Result<UsedBy, sqlx::Error> {
        used_by(
            conn,
            id,
            &[
                (
                    "schools",
                    "SELECT COUNT(*) FROM schools WHERE station_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "sessions",
                    "SELECT COUNT(*) FROM sessions WHERE station_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "trainees",
                    "SELECT COUNT(*) FROM trainees WHERE station_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "outcomes",
                    "SELECT COUNT(*) FROM outcome_values
                     WHERE station_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "users",
                    "SELECT COUNT(*) FROM users WHERE station_id = $1 AND disabled_at IS NULL",
                ),
                (
                    "volunteers",
                    "SELECT COUNT(*) FROM volunteers WHERE station_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "cases",
                    "SELECT COUNT(*) FROM cases WHERE station_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "runaway_calls",
                    "SELECT COUNT(*) FROM runaway_calls
                     WHERE station_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "night_care",
                    "SELECT COUNT(*) FROM night_care WHERE station_id = $1 AND deleted_at IS NULL",
                ),
            ],
        )
        .await
    }

    const CLOSABLE: bool = true;

    /// A closing day before sessions the station already gave is refused: they happened.
    async fn left_outside(
        conn: &mut AnyConnection,
        id: i64,
        v: &ValidStation,
    ) -> Result<Option<Outside>, sqlx::Error> {
        let Some(closed_on) = v.closed_on else {
            return Ok(None);
        };
        // Outcome values are per month: one belongs to the station from the month's first day.
        const DATED: &[Dated] = &[
            Dated {
                collection: "sessions",
                rows: "sessions t WHERE t.station_id = $1 AND t.deleted_at IS NULL",
                first: "t.held_on",
                last: "t.held_on",
            },
            Dated {
                collection: "outcomes",
                rows: "outcome_values t WHERE t.station_id = $1 AND t.deleted_at IS NULL",
                first: "t.month || '-01'",
                last: "t.month || '-01'",
            },
        ];
        outside_dates(conn, id, DATED, None, Some(("closed_on", closed_on))).await
    }

    /// A station that moved to another district takes the schools of its area with it,
    /// each edit audited: every school lies in its station's district, so coverage never
    /// counts a school in one district and its station in another.
    async fn updated(
        tx: &mut Transaction<'static, Any>,
        viewer: &Viewer,
        before: &Station,
        after: &Station,
    ) -> Result<(), sqlx::Error> {
        if before.district_id == after.district_id {
            return Ok(());
        }
        let mut area = Conditions::live();
        area.eq("t.station_id", Some(after.id));
        let schools = Schools::load(tx, &area, "ORDER BY t.id").await?;
        sqlx::query(
            "UPDATE schools SET district_id = $1, version = version + 1, updated_at = $2
             WHERE station_id = $3 AND deleted_at IS NULL",
        )
        .bind(after.district_id)
        .bind(now_text())
        .bind(after.id)
        .execute(&mut **tx)
        .await?;
        let moved = Schools::load(tx, &area, "ORDER BY t.id").await?;
        let changes: Vec<Change<'_, School>> = schools
            .iter()
            .zip(&moved)
            .map(|(before, after)| Change {
                actor: Some(viewer.actor()),
                action: "update",
                resource: Schools::NAME,
                resource_id: after.id,
                before: Some(before),
                after: Some(after),
            })
            .collect();
        audit::record(tx, &changes).await
    }

    fn version(s: &Station) -> i64 {
        s.version
    }
}
