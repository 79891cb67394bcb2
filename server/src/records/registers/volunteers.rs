//! Volunteers (志愿者) of a station. Their name and phone are adults' personal data: the
//! station's officers and administrators read them in full, anyone else (a leader) masked.
//! Volunteers themselves read no volunteer list.

use humiao_shared::account::Role;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::mentoring::volunteer::{NewVolunteer, ValidVolunteer, Volunteer};
use humiao_shared::mentoring::{mask_name, mask_phone};
use humiao_shared::record::used_by::UsedBy;
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use crate::clock;
use crate::error::ApiError;
use crate::records::named::{self, Named};
use crate::records::{checked, day, is_live, Conditions, Found, Resource};
use crate::viewer::Viewer;

pub struct Volunteers;

/// Filters of `GET /api/v1/volunteers`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VolunteerFilter {
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
}

type Row = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    i64,
);

impl Resource for Volunteers {
    const NAME: &'static str = "volunteers";
    const TABLE: &'static str = "volunteers";
    const FROM: &'static str = "volunteers t JOIN stations st ON st.id = t.station_id";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("station", "st.code, t.team, t.id"),
        ("team", "t.team, t.id"),
    ];
    const PAGE: i64 = 200;
    const KEY_FIELD: &'static str = "phone";
    const SUMMARY: &'static str = "Mentoring volunteers, their teams and active periods";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::VOLUNTEERS;

    type Input = NewVolunteer;
    type Valid = ValidVolunteer;
    type Record = Volunteer;
    type Filter = VolunteerFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewVolunteer,
    ) -> Result<ValidVolunteer, ApiError> {
        let mut refs = FieldErrors::default();
        if input.station_id.is_some() && !is_live(conn, "stations", input.station_id).await? {
            refs.push("station_id", FieldCode::UnknownValue);
        }
        if let Some(user) = input.user_id {
            // The account a volunteer signs in with: a volunteer's, of the same station.
            let row: Option<(String, Option<i64>)> =
                sqlx::query_as("SELECT role, station_id FROM users WHERE id = $1")
                    .bind(user)
                    .fetch_optional(&mut *conn)
                    .await?;
            match row {
                None => refs.push("user_id", FieldCode::UnknownValue),
                Some((role, station)) => {
                    if role != Role::Volunteer.code() || station != input.station_id {
                        refs.push("user_id", FieldCode::NotForRole);
                    }
                }
            }
        }
        checked(input.validate(clock::today()), refs)
    }

    fn named(filter: &VolunteerFilter) -> Vec<Named> {
        named::given([
            (Named::District, filter.district_id),
            (Named::Station, filter.station_id),
        ])
    }

    fn filter(filter: &VolunteerFilter, c: &mut Conditions) {
        c.eq("st.district_id", filter.district_id);
        c.eq("t.station_id", filter.station_id);
    }

    /// A station's record: its officers, and leaders and administrators of the scope.
    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        crate::records::station_records(viewer, c)
    }

    const WRITERS: &'static [Role] = &[Role::Admin, Role::Officer];

    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidVolunteer,
    ) -> Result<bool, sqlx::Error> {
        crate::records::own_station(conn, viewer, valid.station_id).await
    }

    fn may_delete(viewer: &Viewer, record: &Volunteer) -> bool {
        crate::records::takes_back(viewer, record.station_id)
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<Volunteer>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.station_id, t.team, t.name, t.phone, t.active_from, t.active_to,
                    t.user_id, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, station_id, team, name, phone, active_from, active_to, user_id, version)| {
                    Volunteer {
                        id,
                        station_id,
                        team,
                        name,
                        phone,
                        active_from,
                        active_to,
                        user_id,
                        version,
                    }
                },
            )
            .collect())
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidVolunteer,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as(
            "SELECT id, deleted_at FROM volunteers WHERE station_id = $1 AND phone = $2",
        )
        .bind(v.station_id)
        .bind(&v.phone)
        .fetch_optional(&mut *conn)
        .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidVolunteer,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO volunteers
                 (station_id, team, name, phone, active_from, active_to, user_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(v.station_id)
        .bind(&v.team)
        .bind(&v.name)
        .bind(&v.phone)
        .bind(day(v.active_from))
        .bind(v.active_to.map(day))
        .bind(v.user_id)
        .bind(crate::db::now_text())
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidVolunteer,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE volunteers SET station_id = $1, team = $2, name = $3, phone = $4,
                 active_from = $5, active_to = $6, user_id = $7
             WHERE id = $8",
        )
        .bind(v.station_id)
        .bind(&v.team)
        .bind(&v.name)
        .bind(&v.phone)
        .bind(day(v.active_from))
        .bind(v.active_to.map(day))
        .bind(v.user_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// A volunteer on a live team row stays: the contacts name them (end the pairing, or
    /// give the volunteer's active period an end, instead).
    async fn in_use(conn: &mut AnyConnection, id: i64) -> Result<UsedBy, sqlx::Error> {
        crate::records::used_by(
            conn,
            id,
            &[(
                "case_team",
                "SELECT COUNT(*) FROM case_team WHERE volunteer_id = $1 AND deleted_at IS NULL",
            )],
        )
        .await
    }

    /// Outside the station's officers and administrators, names and phones are masked.
    async fn redact(
        _conn: &mut AnyConnection,
        viewer: &Viewer,
        mut volunteers: Vec<Volunteer>,
    ) -> Result<Vec<Volunteer>, sqlx::Error> {
        for v in &mut volunteers {
            let in_full = viewer.is_admin()
                || (viewer.role == Role::Officer && viewer.station() == Some(v.station_id));
            if !in_full {
                v.name = mask_name(&v.name);
                v.phone = mask_phone(&v.phone);
            }
        }
        Ok(volunteers)
    }

    fn version(v: &Volunteer) -> i64 {
        v.version
    }
}
