//! Mentoring cases (帮教对象) from an officer's existing spreadsheet, by code. A row with a
//! code is the case the server issued it to: unchanged when the file agrees with what is
//! stored, else `present` and kept as stored (an import never overwrites: a new grade is a
//! dated row of the case's history, changed on the case's page). A row without a code opens
//! a case, and the server issues its code (`TN03-2024-018`) as a create through the API
//! would; such a row is found again, on a second import of the same file, by station, day
//! opened, birth year, sex and category, so the file adds nothing twice (two such rows in
//! one file are one case: the second is reported as repeated — give each a code, or open
//! the second on the form).
//!
//! No cell holds who the minor is: every cell passes the free-text rule's check (ID number,
//! phone, name), the note with its length limit as on the form, and a cell that fails it is
//! reported by its code, never echoed back.

use std::collections::HashMap;

use humiao_shared::account::Role;
use humiao_shared::error::FieldCode;
use humiao_shared::import::{ImportIssue, ImportKind};
use humiao_shared::mentoring::case::{Case, NewCase, ValidCase};
use humiao_shared::mentoring::{Category, Grade, Sex};
use humiao_shared::rules;
use sqlx::{Any, AnyConnection, Transaction};

use super::{
    choice, date_text, identifying_cell, reference, Cells, Names, RowProblems, Sheet, Status,
};
use crate::error::ApiError;
use crate::records::registers::cases::Cases;
use crate::records::{day, fetch, Resource};
use crate::viewer::Viewer;

pub struct CaseSheet;

/// Stations and schools by code or name; the cases' codes (upper case) with their id and
/// station.
pub struct CaseNames {
    stations: Names,
    schools: Names,
    codes: HashMap<String, (i64, i64)>,
}

/// A row: the stored case its code names, if any, and the case as the form would send it.
pub struct CaseInput {
    existing: Option<(String, i64)>,
    case: NewCase,
}

pub struct CaseRow {
    existing: Option<(String, i64)>,
    case: ValidCase,
}

impl Sheet for CaseSheet {
    const KIND: ImportKind = ImportKind::Cases;
    const IMPORTERS: &'static [Role] = &[Role::Admin, Role::Officer];
    const SCOPE_COLUMN: &'static str = "station";
    const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("station_id", "station"),
        ("birth_year", "birth_year"),
        ("sex", "sex"),
        ("category", "category"),
        ("grade", "grade"),
        ("opened_on", "opened_on"),
        ("school_id", "school"),
        ("note", "note"),
        ("closed_on", "code"),
        ("closing_reason", "code"),
    ];

    type Input = CaseInput;
    type Valid = CaseRow;
    type Names = CaseNames;

    async fn names(conn: &mut AnyConnection) -> Result<CaseNames, sqlx::Error> {
        let codes: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT code, id, station_id FROM cases WHERE deleted_at IS NULL")
                .fetch_all(&mut *conn)
                .await?;
        Ok(CaseNames {
            stations: Names::load(
                conn,
                "SELECT id, code, name FROM stations WHERE deleted_at IS NULL",
            )
            .await?,
            schools: Names::load(
                conn,
                "SELECT id, code, name FROM schools WHERE deleted_at IS NULL",
            )
            .await?,
            codes: codes
                .into_iter()
                .map(|(code, id, station)| (code.to_uppercase(), (id, station)))
                .collect(),
        })
    }

    fn input(
        cells: &Cells<'_>,
        names: &CaseNames,
        viewer: &Viewer,
        problems: &mut RowProblems,
    ) -> CaseInput {
        // The cells read as choices, dates and numbers: a name or number in one of them is
        // said as such rather than as a bad value.
        let mut plain = |column: &'static str| {
            let text = cells.get(column);
            (!identifying_cell(problems, column, text)).then_some(text)
        };
        let code = plain("code");
        let birth_year = plain("birth_year");
        let sex = plain("sex");
        let category = plain("category");
        let grade = plain("grade");
        let opened_on = plain("opened_on");
        let station_id = match cells.get("station") {
            "" if viewer.role == Role::Officer => viewer.station(),
            text if identifying_cell(problems, "station", text) => None,
            text => reference(problems, "station", &names.stations, text),
        };
        let school_id = match cells.get("school") {
            "" => None,
            text if identifying_cell(problems, "school", text) => None,
            text => reference(problems, "school", &names.schools, text),
        };
        let existing = match code.map(|c| rules::half_width(c).trim().to_uppercase()) {
            None => None,
            Some(c) if c.is_empty() => None,
            Some(c) => match names.codes.get(&c) {
                None => {
                    problems.push("code", ImportIssue::UnknownName);
                    None
                }
                // The code is the station's: a row cannot move a case to another one.
                Some(&(_, station)) if station_id.is_some_and(|s| s != station) => {
                    problems.push("code", FieldCode::OtherStation);
                    None
                }
                Some(&(id, _)) => Some((c, id)),
            },
        };
        let birth_year = birth_year.filter(|t| !t.is_empty()).and_then(|t| {
            problems.check(
                "birth_year",
                rules::plain_number(t)
                    .parse::<i64>()
                    .map_err(|_| FieldCode::NotANumber),
            )
        });
        let sex = sex.and_then(|t| choice(problems, "sex", t, &Sex::ALL, Sex::code, Sex::label));
        let category = category.and_then(|t| {
            choice(
                problems,
                "category",
                t,
                &Category::ALL,
                Category::code,
                Category::label,
            )
        });
        let grade = grade
            .and_then(|t| choice(problems, "grade", t, &Grade::ALL, Grade::code, Grade::label));
        CaseInput {
            existing,
            case: NewCase {
                station_id,
                birth_year,
                sex,
                school_id,
                category,
                grade,
                opened_on: opened_on.map(date_text).unwrap_or_default(),
                closed_on: None,
                closing_reason: None,
                note: Some(cells.get("note").to_string()).filter(|n| !n.is_empty()),
            },
        }
    }

    async fn validate(
        conn: &mut AnyConnection,
        _names: &CaseNames,
        input: &CaseInput,
    ) -> Result<CaseRow, ApiError> {
        Ok(CaseRow {
            existing: input.existing.clone(),
            case: Cases::validate(conn, &input.case).await?,
        })
    }

    /// Administrators within their scope, officers for their own station.
    async fn in_scope(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        row: &CaseRow,
    ) -> Result<bool, sqlx::Error> {
        Cases::may_write(conn, viewer, &row.case).await
    }

    fn key(row: &CaseRow) -> String {
        match &row.existing {
            Some((code, _)) => code.clone(),
            None => unnumbered_key(&row.case),
        }
    }

    async fn status(conn: &mut AnyConnection, row: &CaseRow) -> Result<Status, sqlx::Error> {
        let id = match row.existing {
            Some((_, id)) => Some(id),
            None => same_case(conn, &row.case).await?,
        };
        let Some(id) = id else {
            return Ok(Status::New);
        };
        Ok(match fetch::<Cases>(conn, id).await? {
            Some(stored) if same(&row.case, &stored) => Status::Unchanged,
            Some(_) => Status::Present,
            // Deleted since the names were read: a create, with a new code.
            None => Status::New,
        })
    }

    async fn store(
        tx: &mut Transaction<'static, Any>,
        rows: &[(CaseRow, Status)],
    ) -> Result<Vec<i64>, sqlx::Error> {
        let mut ids = Vec::new();
        for (row, status) in rows {
            if matches!(status, Status::New) {
                ids.push(Cases::insert(tx, &row.case).await?);
            }
        }
        Ok(ids)
    }
}

/// What finds a row without a code again: station, day opened, birth year, sex, category.
fn unnumbered_key(v: &ValidCase) -> String {
    format!(
        "{}|{}|{}|{}|{}",
        v.station_id,
        v.opened_on,
        v.birth_year,
        v.sex.code(),
        v.category.code()
    )
}

/// The live case a row without a code is, if one was stored with its key.
async fn same_case(conn: &mut AnyConnection, v: &ValidCase) -> Result<Option<i64>, sqlx::Error> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM cases
         WHERE station_id = $1 AND opened_on = $2 AND birth_year = $3 AND sex = $4
           AND category = $5 AND deleted_at IS NULL
         ORDER BY id LIMIT 1",
    )
    .bind(v.station_id)
    .bind(day(v.opened_on))
    .bind(v.birth_year)
    .bind(v.sex.code())
    .bind(v.category.code())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.map(|(id,)| id))
}

/// The file agrees with the stored case on what it gives.
fn same(v: &ValidCase, c: &Case) -> bool {
    c.grade == v.grade
        && c.category == v.category
        && c.birth_year == Some(v.birth_year)
        && c.sex == Some(v.sex)
        && c.opened_on == v.opened_on.to_string()
        && c.school_id == v.school_id
}
