//! Schools: each in one district and in one station's area, with its roll per school
//! year (coverage uses the roll of the period).

use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::org::{Enrolment, NewSchool, School, SchoolKind, ValidSchool};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::named::{self, Named};
use super::{
    checked, date, day, is_live, outside_dates, used_by, Conditions, Dated, Found, Outside,
    Resource,
};
use crate::db::placeholders;
use crate::error::ApiError;
use crate::viewer::Viewer;
use humiao_shared::account::Role;
use humiao_shared::record::used_by::UsedBy;

pub struct Schools;

/// Filters of `GET /api/v1/schools`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchoolFilter {
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
    #[param(inline)]
    pub kind: Option<SchoolKind>,
    /// Part of the name or code, as typed in a search box.
    pub q: Option<String>,
}

impl Resource for Schools {
    const NAME: &'static str = "schools";
    const TABLE: &'static str = "schools";
    const FROM: &'static str = "schools t";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("name", "t.name, t.id"),
        ("code", "t.code"),
        ("station", "t.station_id, t.name, t.id"),
    ];
    const KEY_FIELD: &'static str = "code";
    const SUMMARY: &'static str = "Schools, their district and station, and their rolls";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::SCHOOLS;

    type Input = NewSchool;
    type Valid = ValidSchool;
    type Record = School;
    type Filter = SchoolFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewSchool,
    ) -> Result<ValidSchool, ApiError> {
        let mut refs = FieldErrors::default();
        if input.district_id.is_some() && !is_live(conn, "districts", input.district_id).await? {
            refs.push("district_id", FieldCode::UnknownValue);
        }
        if let Some(station_id) = input.station_id {
            let district: Option<(i64,)> = sqlx::query_as(
                "SELECT district_id FROM stations WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(station_id)
            .fetch_optional(&mut *conn)
            .await?;
            match district {
                None => refs.push("station_id", FieldCode::UnknownValue),
                // A school lies in its station's district: reported on both, either may
                // be the one to correct.
                Some((d,)) if input.district_id.is_some_and(|id| id != d) => {
                    if refs.get("district_id").is_none() {
                        refs.push("district_id", FieldCode::NotInDistrict);
                    }
                    refs.push("station_id", FieldCode::NotInDistrict);
                }
                Some(_) => {}
            }
        }
        checked(input.validate(), refs)
    }

    fn named(filter: &SchoolFilter) -> Vec<Named> {
        named::given([
            (Named::District, filter.district_id),
            (Named::Station, filter.station_id),
        ])
    }

    fn filter(filter: &SchoolFilter, c: &mut Conditions) {
        c.eq("t.district_id", filter.district_id);
        c.eq("t.station_id", filter.station_id);
        c.eq_text("t.kind", filter.kind.map(SchoolKind::code));
        c.contains("(t.name || ' ' || t.code)", filter.q.as_deref());
    }

    /// A school sees itself; officers and district leaders the schools of their district
    /// (an officer finds a neighbouring area's school too); the city sees all.
    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        match viewer.role {
            Role::School => c.eq("t.id", viewer.school()),
            // A volunteer needs no school of the list (a case's school is the officers').
            Role::Volunteer => return Err(ApiError::Forbidden),
            _ => super::within_districts(viewer, c, "t.district_id"),
        }
        Ok(())
    }

    /// Administrators, a city's in the districts of their city (the station was checked
    /// to lie in the district).
    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidSchool,
    ) -> Result<bool, sqlx::Error> {
        let district = Named::District(valid.district_id);
        Ok(viewer.is_admin() && named::within_scope(conn, viewer, district).await?)
    }

    /// Administrators; a city's see only their city's schools.
    fn may_delete(viewer: &Viewer, _record: &School) -> bool {
        viewer.is_admin()
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<School>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.code, t.name, t.kind, t.district_id, t.station_id, t.closed_on,
                    t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        type Row = (i64, String, String, String, i64, i64, Option<String>, i64);
        let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let rolls = enrolments(conn, &ids).await?;
        rows.into_iter()
            .map(
                |(id, code, name, kind, district_id, station_id, closed_on, version)| {
                    let enrolments: Vec<Enrolment> = rolls
                        .iter()
                        .filter(|(school, _)| *school == id)
                        .map(|(_, e)| *e)
                        .collect();
                    Ok(School {
                        id,
                        code,
                        kind: SchoolKind::from_code(&kind).unwrap_or(SchoolKind::Other),
                        district_id,
                        station_id,
                        enrolment: enrolments.last().map_or(0, |e| e.students),
                        enrolments,
                        closed_on: closed_on.as_deref().map(date).transpose()?,
                        version,
                        initials: initials(&name),
                        name,
                    })
                },
            )
            .collect()
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidSchool,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as("SELECT id, deleted_at FROM schools WHERE code = $1")
            .bind(&v.code)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidSchool,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO schools (district_id, station_id, code, name, kind, closed_on)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(v.district_id)
        .bind(v.station_id)
        .bind(&v.code)
        .bind(&v.name)
        .bind(v.kind.code())
        .bind(v.closed_on.map(day))
        .fetch_one(&mut **tx)
        .await?;
        set_enrolments(tx, id, &v.enrolments).await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidSchool,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE schools SET district_id = $1, station_id = $2, code = $3, name = $4, kind = $5,
                    closed_on = $6
             WHERE id = $7",
        )
        .bind(v.district_id)
        .bind(v.station_id)
        .bind(&v.code)
        .bind(&v.name)
        .bind(v.kind.code())
        .bind(v.closed_on.map(day))
        .bind(id)
        .execute(&mut **tx)
        .await?;
        set_enrolments(tx, id, &v.enrolments).await
    }

    /// A school with live sessions, screening assignments, confirmations or accounts
    /// stays: coverage and reach count it. One with history is closed instead.
    async fn in_use(conn: &mut AnyConnection, id: i64) -> Result<UsedBy, sqlx::Error> {
        used_by(
            conn,
            id,
            &[
                (
                    "sessions",
                    "SELECT COUNT(*) FROM sessions WHERE school_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "assignments",
                    "SELECT COUNT(*) FROM assignment_schools x
                     JOIN screening_assignments a ON a.id = x.assignment_id
                     WHERE x.school_id = $1 AND a.deleted_at IS NULL",
                ),
                (
                    "confirmations",
                    "SELECT COUNT(*) FROM screening_confirmations
                     WHERE school_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "users",
                    "SELECT COUNT(*) FROM users WHERE school_id = $1 AND disabled_at IS NULL",
                ),
                (
                    "cases",
                    "SELECT COUNT(*) FROM cases WHERE school_id = $1 AND deleted_at IS NULL",
                ),
            ],
        )
        .await
    }

    const CLOSABLE: bool = true;

    /// A closing day before what already happened at the school (sessions, screenings) is
    /// refused: the school was open then.
    async fn left_outside(
        conn: &mut AnyConnection,
        id: i64,
        v: &ValidSchool,
    ) -> Result<Option<Outside>, sqlx::Error> {
        let Some(closed_on) = v.closed_on else {
            return Ok(None);
        };
        const DATED: &[Dated] = &[
            Dated {
                collection: "sessions",
                rows: "sessions t WHERE t.school_id = $1 AND t.deleted_at IS NULL",
                first: "t.held_on",
                last: "t.held_on",
            },
            Dated {
                collection: "confirmations",
                rows: "screening_confirmations t WHERE t.school_id = $1 AND t.deleted_at IS NULL",
                first: "t.shown_on",
                last: "t.shown_on",
            },
        ];
        outside_dates(conn, id, DATED, None, Some(("closed_on", closed_on))).await
    }

    fn version(s: &School) -> i64 {
        s.version
    }
}

/// The rolls of the given schools, by school and year.
async fn enrolments(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<Vec<(i64, Enrolment)>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT school_id, school_year, students FROM school_enrolments
             WHERE school_id IN ({}) ORDER BY school_id, school_year",
            placeholders(1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (i64, i64, i64)>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        for (school, year, students) in query.fetch_all(&mut *conn).await? {
            out.push((
                school,
                Enrolment {
                    school_year: year as i32,
                    students,
                },
            ));
        }
    }
    Ok(out)
}

async fn set_enrolments(
    tx: &mut Transaction<'static, Any>,
    school_id: i64,
    rolls: &[Enrolment],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM school_enrolments WHERE school_id = $1")
        .bind(school_id)
        .execute(&mut **tx)
        .await?;
    for roll in rolls {
        sqlx::query(
            "INSERT INTO school_enrolments (school_id, school_year, students) VALUES ($1, $2, $3)",
        )
        .bind(school_id)
        .bind(i64::from(roll.school_year))
        .bind(roll.students)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The pinyin initials of a school's name, lower case (雕庄小学: `dzxx`), for the form's
/// school search (`humiao_shared::school_search`); letters and digits in the name stay as
/// they are, other characters are left out.
fn initials(name: &str) -> String {
    use pinyin::ToPinyin;
    name.chars()
        .filter_map(|c| match c.to_pinyin() {
            Some(p) => p.first_letter().chars().next(),
            None => c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn initials_are_the_first_letters_of_each_characters_pinyin() {
        assert_eq!(super::initials("雕庄小学"), "dzxx");
        assert_eq!(super::initials("常州市雕庄初级中学"), "czsdzcjzx");
        assert_eq!(super::initials("第2中学（东校区）"), "d2zxdxq");
    }
}
