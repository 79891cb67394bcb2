//! Schools from a file: all 855 of a city at once. Districts and stations are given by code
//! or name; one school year's roll may come with each school. The natural key is the code.

use humiao_shared::account::Role;
use humiao_shared::import::{parse_school_year, ImportIssue, ImportKind};
use humiao_shared::org::{Enrolment, NewSchool, School, SchoolKind, ValidSchool};
use sqlx::{Any, AnyConnection, Transaction};

use super::{
    choice, count, date_text, reference, resource_status, resource_store, Cells, Names,
    RowProblems, Sheet, Status,
};
use crate::error::ApiError;
use crate::records::schools::Schools as Resource_;
use crate::records::Resource;
use crate::viewer::Viewer;

pub struct Schools;

/// Districts and stations, by code or name.
pub struct SchoolNames {
    districts: Names,
    stations: Names,
}

impl Sheet for Schools {
    const KIND: ImportKind = ImportKind::Schools;
    const IMPORTERS: &'static [Role] = &[Role::Admin];
    const SCOPE_COLUMN: &'static str = "code";
    const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("code", "code"),
        ("name", "name"),
        ("kind", "kind"),
        ("district_id", "district"),
        ("station_id", "station"),
        ("school_year", "school_year"),
        ("students", "students"),
        ("closed_on", "closed_on"),
    ];

    type Input = NewSchool;
    type Valid = ValidSchool;
    type Names = SchoolNames;

    async fn names(conn: &mut AnyConnection) -> Result<SchoolNames, sqlx::Error> {
        Ok(SchoolNames {
            districts: Names::load(
                conn,
                "SELECT id, code, name FROM districts WHERE deleted_at IS NULL",
            )
            .await?,
            stations: Names::load(
                conn,
                "SELECT id, code, name FROM stations WHERE deleted_at IS NULL",
            )
            .await?,
        })
    }

    fn input(
        cells: &Cells<'_>,
        names: &SchoolNames,
        _viewer: &Viewer,
        problems: &mut RowProblems,
    ) -> NewSchool {
        let year = cells.get("school_year");
        let students = cells.get("students");
        let enrolments = match (year.is_empty(), students.is_empty()) {
            (true, true) => Vec::new(),
            (false, false) => match problems.check("school_year", parse_school_year(year)) {
                Some(school_year) => vec![Enrolment {
                    school_year,
                    students: count(problems, "students", students),
                }],
                None => Vec::new(),
            },
            (true, false) => {
                problems.push("school_year", ImportIssue::IncompleteRoll);
                Vec::new()
            }
            (false, true) => {
                problems.push("students", ImportIssue::IncompleteRoll);
                Vec::new()
            }
        };
        NewSchool {
            code: cells.get("code").to_string(),
            name: cells.get("name").to_string(),
            kind: choice(
                problems,
                "kind",
                cells.get("kind"),
                &SchoolKind::ALL,
                SchoolKind::code,
                SchoolKind::label,
            ),
            district_id: reference(
                problems,
                "district",
                &names.districts,
                cells.get("district"),
            ),
            station_id: reference(problems, "station", &names.stations, cells.get("station")),
            enrolments,
            closed_on: Some(date_text(cells.get("closed_on"))),
        }
    }

    async fn validate(
        conn: &mut AnyConnection,
        _names: &SchoolNames,
        input: &NewSchool,
    ) -> Result<ValidSchool, ApiError> {
        Resource_::validate(conn, input).await
    }

    /// As the API's create: a city's administrators import into their city only.
    async fn in_scope(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidSchool,
    ) -> Result<bool, sqlx::Error> {
        Resource_::may_write(conn, viewer, valid).await
    }

    fn key(valid: &ValidSchool) -> String {
        valid.code.clone()
    }

    async fn status(conn: &mut AnyConnection, valid: &ValidSchool) -> Result<Status, sqlx::Error> {
        resource_status::<Resource_>(conn, valid, same).await
    }

    async fn store(
        tx: &mut Transaction<'static, Any>,
        rows: &[(ValidSchool, Status)],
    ) -> Result<Vec<i64>, sqlx::Error> {
        resource_store::<Resource_>(tx, rows).await
    }
}

/// The stored school says what the row says; a roll the row gives must be on record.
fn same(v: &ValidSchool, s: &School) -> bool {
    v.name == s.name
        && v.kind == s.kind
        && v.district_id == s.district_id
        && v.station_id == s.station_id
        && v.closed_on == s.closed_on
        && v.enrolments.iter().all(|e| s.enrolments.contains(e))
}
