//! Screening confirmations: a school confirms it showed a film of an assignment, with how
//! many watched. At most one per school, film and assignment: a second one updates it.

use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::org::{roll_for, Enrolment};
use humiao_shared::screening::{
    Confirmation, ConfirmationContext, NewConfirmation, ShowMethod, ValidConfirmation,
};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::named::{self, Named};
use super::{checked, date, day, is_live, Conditions, Found, OnExisting, Resource};
use crate::clock;
use crate::error::ApiError;
use crate::viewer::Viewer;
use humiao_shared::account::Role;

pub struct Confirmations;

/// Filters of `GET /api/v1/confirmations`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConfirmationFilter {
    pub campaign_id: Option<i64>,
    pub assignment_id: Option<i64>,
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
    pub school_id: Option<i64>,
    pub film_id: Option<i64>,
    /// Shown on or after this day (`YYYY-MM-DD`).
    pub from: Option<chrono::NaiveDate>,
    /// Shown on or before this day.
    pub to: Option<chrono::NaiveDate>,
}

impl Resource for Confirmations {
    const NAME: &'static str = "confirmations";
    const TABLE: &'static str = "screening_confirmations";
    const FROM: &'static str = "screening_confirmations t
        JOIN screening_assignments a ON a.id = t.assignment_id
        JOIN schools sc ON sc.id = t.school_id";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("-shown_on", "t.shown_on DESC, t.id DESC"),
        ("shown_on", "t.shown_on, t.id"),
        ("school", "t.school_id, t.film_id"),
    ];
    const ON_EXISTING: OnExisting = OnExisting::Update;
    const KEY_FIELD: &'static str = "film_id";
    const SUMMARY: &'static str = "Schools' confirmations that they screened a film";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::CONFIRMATIONS;

    type Input = NewConfirmation;
    type Valid = ValidConfirmation;
    type Record = Confirmation;
    type Filter = ConfirmationFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewConfirmation,
    ) -> Result<ValidConfirmation, ApiError> {
        let mut refs = FieldErrors::default();
        let mut ctx = ConfirmationContext {
            today: clock::today(),
            window: None,
            enrolment: None,
            // Unknown ids are reported as such below, not as unassigned.
            film_assigned: true,
            school_expected: true,
        };
        if let Some(assignment) = input.assignment_id {
            let row: Option<(String, String)> = sqlx::query_as(
                "SELECT opens_on, closes_on FROM screening_assignments
                 WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(assignment)
            .fetch_optional(&mut *conn)
            .await?;
            match row {
                Some((opens, closes)) => ctx.window = Some((date(&opens)?, date(&closes)?)),
                None => refs.push("assignment_id", FieldCode::UnknownValue),
            }
        }
        if input.school_id.is_some() && !is_live(conn, "schools", input.school_id).await? {
            refs.push("school_id", FieldCode::UnknownValue);
        }
        if input.film_id.is_some() && !is_live(conn, "films", input.film_id).await? {
            refs.push("film_id", FieldCode::UnknownValue);
        }
        if let (Some(assignment), true) = (input.assignment_id, ctx.window.is_some()) {
            if let Some(film) = input.film_id.filter(|_| refs.get("film_id").is_none()) {
                ctx.film_assigned =
                    linked(conn, "assignment_films", "film_id", assignment, film).await?;
            }
            if let Some(school) = input.school_id.filter(|_| refs.get("school_id").is_none()) {
                ctx.school_expected =
                    linked(conn, "assignment_schools", "school_id", assignment, school).await?;
            }
        }
        if let (Some(school), Ok(shown_on)) = (
            input.school_id,
            humiao_shared::session::parse_date(&input.shown_on),
        ) {
            let rolls: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT school_year, students FROM school_enrolments WHERE school_id = $1",
            )
            .bind(school)
            .fetch_all(&mut *conn)
            .await?;
            let rolls: Vec<Enrolment> = rolls
                .into_iter()
                .map(|(year, students)| Enrolment {
                    school_year: year as i32,
                    students,
                })
                .collect();
            ctx.enrolment = roll_for(&rolls, shown_on);
        }
        checked(input.validate(&ctx), refs)
    }

    fn named(filter: &ConfirmationFilter) -> Vec<Named> {
        named::given([
            (Named::Campaign, filter.campaign_id),
            (Named::Assignment, filter.assignment_id),
            (Named::District, filter.district_id),
            (Named::Station, filter.station_id),
            (Named::School, filter.school_id),
            (Named::Film, filter.film_id),
        ])
    }

    fn filter(filter: &ConfirmationFilter, c: &mut Conditions) {
        c.eq("a.campaign_id", filter.campaign_id);
        c.eq("t.assignment_id", filter.assignment_id);
        c.eq("sc.district_id", filter.district_id);
        c.eq("sc.station_id", filter.station_id);
        c.eq("t.school_id", filter.school_id);
        c.eq("t.film_id", filter.film_id);
        if let Some(from) = filter.from {
            c.text("t.shown_on >= ?", day(from));
        }
        if let Some(to) = filter.to {
            c.text("t.shown_on <= ?", day(to));
        }
    }

    /// A school sees its own confirmations, an officer those of the station's schools, a
    /// leader those of the scope's schools.
    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        match viewer.role {
            Role::School => {
                c.eq("t.school_id", viewer.school());
                c.eq("a.campaign_id", viewer.campaign);
            }
            Role::Officer => c.eq("sc.station_id", viewer.station()),
            Role::Admin | Role::Leader => super::within_districts(viewer, c, "sc.district_id"),
            Role::Volunteer => return Err(ApiError::Forbidden),
        }
        Ok(())
    }

    const WRITERS: &'static [Role] = &[Role::Admin, Role::School];

    /// A school confirms for itself only, and through a link only within the link's
    /// campaign.
    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidConfirmation,
    ) -> Result<bool, sqlx::Error> {
        if viewer.is_admin() {
            let school = super::named::Named::School(valid.school_id);
            return super::named::within_scope(conn, viewer, school).await;
        }
        if viewer.school() != Some(valid.school_id) {
            return Ok(false);
        }
        let Some(campaign) = viewer.campaign else {
            return Ok(true);
        };
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM screening_assignments WHERE id = $1 AND campaign_id = $2",
        )
        .bind(valid.assignment_id)
        .bind(campaign)
        .fetch_one(&mut *conn)
        .await?;
        Ok(n > 0)
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<Confirmation>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.assignment_id, t.school_id, t.film_id, t.shown_on, t.students,
                    t.parents, t.classes, t.method, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        type Row = (i64, i64, i64, i64, String, i64, i64, i64, String, i64);
        let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        rows.into_iter()
            .map(
                |(
                    id,
                    assignment_id,
                    school_id,
                    film_id,
                    shown,
                    students,
                    parents,
                    classes,
                    method,
                    version,
                )| {
                    Ok(Confirmation {
                        id,
                        assignment_id,
                        school_id,
                        film_id,
                        shown_on: date(&shown)?,
                        students,
                        parents,
                        classes,
                        method: ShowMethod::from_code(&method).unwrap_or(ShowMethod::Other),
                        version,
                    })
                },
            )
            .collect()
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidConfirmation,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as(
            "SELECT id, deleted_at FROM screening_confirmations
             WHERE assignment_id = $1 AND school_id = $2 AND film_id = $3",
        )
        .bind(v.assignment_id)
        .bind(v.school_id)
        .bind(v.film_id)
        .fetch_optional(&mut *conn)
        .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidConfirmation,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO screening_confirmations (assignment_id, school_id, film_id, shown_on,
                    students, parents, classes, method, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(v.assignment_id)
        .bind(v.school_id)
        .bind(v.film_id)
        .bind(day(v.shown_on))
        .bind(v.students)
        .bind(v.parents)
        .bind(v.classes)
        .bind(v.method.code())
        .bind(crate::db::now_text())
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidConfirmation,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE screening_confirmations SET assignment_id = $1, school_id = $2, film_id = $3,
                    shown_on = $4, students = $5, parents = $6, classes = $7, method = $8
             WHERE id = $9",
        )
        .bind(v.assignment_id)
        .bind(v.school_id)
        .bind(v.film_id)
        .bind(day(v.shown_on))
        .bind(v.students)
        .bind(v.parents)
        .bind(v.classes)
        .bind(v.method.code())
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// A school may take back its own confirmation.
    fn may_delete(viewer: &Viewer, record: &Confirmation) -> bool {
        viewer.is_admin() || viewer.school() == Some(record.school_id)
    }

    fn version(c: &Confirmation) -> i64 {
        c.version
    }
}

/// Is `item` in the assignment's link table (its films or its schools)?
async fn linked(
    conn: &mut AnyConnection,
    table: &'static str,
    column: &'static str,
    assignment: i64,
    item: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE assignment_id = $1 AND {column} = $2");
    let (n,): (i64,) = sqlx::query_as(&sql)
        .bind(assignment)
        .bind(item)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}
