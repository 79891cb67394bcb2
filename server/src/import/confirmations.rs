//! Screening confirmations from a file: a school's confirmation that it showed a film of an
//! assignment. The campaign is given by its year, the assignment by its title in that
//! campaign, the school by code or name (a school's own account may leave it blank), the film
//! by its title. The natural key is assignment + school + film, as for
//! `POST /api/v1/confirmations`; a stored confirmation is never overwritten by an import.

use std::collections::HashMap;

use humiao_shared::account::Role;
use humiao_shared::import::{ImportIssue, ImportKind};
use humiao_shared::screening::{Confirmation, NewConfirmation, ShowMethod, ValidConfirmation};
use sqlx::{Any, AnyConnection, Transaction};

use super::{
    choice, count, date_text, reference, resource_status, resource_store, Campaigns, Cells, Names,
    RowProblems, Sheet, Status,
};
use crate::error::ApiError;
use crate::records::confirmations::Confirmations as Resource_;
use crate::records::Resource;
use crate::viewer::Viewer;

pub struct Confirmations;

pub struct ConfirmationNames {
    campaigns: Campaigns,
    /// By campaign and title as folded.
    assignments: HashMap<(i64, String), i64>,
    schools: Names,
    films: Names,
}

impl Sheet for Confirmations {
    const KIND: ImportKind = ImportKind::Confirmations;
    const IMPORTERS: &'static [Role] = &[Role::Admin, Role::School];
    const SCOPE_COLUMN: &'static str = "school";
    const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("assignment_id", "assignment"),
        ("school_id", "school"),
        ("film_id", "film"),
        ("shown_on", "shown_on"),
        ("students", "students"),
        ("parents", "parents"),
        ("classes", "classes"),
        ("method", "method"),
    ];

    type Input = NewConfirmation;
    type Valid = ValidConfirmation;
    type Names = ConfirmationNames;

    async fn names(conn: &mut AnyConnection) -> Result<ConfirmationNames, sqlx::Error> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, campaign_id, title FROM screening_assignments WHERE deleted_at IS NULL",
        )
        .fetch_all(&mut *conn)
        .await?;
        Ok(ConfirmationNames {
            campaigns: Campaigns::load(conn).await?,
            assignments: rows
                .into_iter()
                .map(|(id, campaign, title)| ((campaign, title.trim().to_lowercase()), id))
                .collect(),
            schools: Names::load(
                conn,
                "SELECT id, code, name FROM schools WHERE deleted_at IS NULL",
            )
            .await?,
            films: Names::load(
                conn,
                "SELECT id, NULL, title FROM films WHERE deleted_at IS NULL",
            )
            .await?,
        })
    }

    fn input(
        cells: &Cells<'_>,
        names: &ConfirmationNames,
        viewer: &Viewer,
        problems: &mut RowProblems,
    ) -> NewConfirmation {
        let campaign = names
            .campaigns
            .of_year(problems, "campaign", cells.get("campaign"));
        let title = cells.get("assignment").to_lowercase();
        let assignment_id = match campaign {
            Some(campaign) if !title.is_empty() => {
                let found = names.assignments.get(&(campaign, title)).copied();
                if found.is_none() {
                    problems.push("assignment", ImportIssue::UnknownName);
                }
                found
            }
            _ => None,
        };
        let school_id = match cells.get("school") {
            "" if viewer.role == Role::School => viewer.school(),
            text => reference(problems, "school", &names.schools, text),
        };
        NewConfirmation {
            assignment_id,
            school_id,
            film_id: reference(problems, "film", &names.films, cells.get("film")),
            shown_on: date_text(cells.get("shown_on")),
            students: count(problems, "students", cells.get("students")),
            parents: count(problems, "parents", cells.get("parents")),
            classes: count(problems, "classes", cells.get("classes")),
            method: choice(
                problems,
                "method",
                cells.get("method"),
                &ShowMethod::ALL,
                ShowMethod::code,
                ShowMethod::label,
            ),
        }
    }

    async fn validate(
        conn: &mut AnyConnection,
        _names: &ConfirmationNames,
        input: &NewConfirmation,
    ) -> Result<ValidConfirmation, ApiError> {
        Resource_::validate(conn, input).await
    }

    /// A school its own, within its link's campaign; see the confirmations' `may_write`.
    async fn in_scope(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidConfirmation,
    ) -> Result<bool, sqlx::Error> {
        Resource_::may_write(conn, viewer, valid).await
    }

    fn key(v: &ValidConfirmation) -> String {
        format!("{}|{}|{}", v.assignment_id, v.school_id, v.film_id)
    }

    async fn status(
        conn: &mut AnyConnection,
        valid: &ValidConfirmation,
    ) -> Result<Status, sqlx::Error> {
        resource_status::<Resource_>(conn, valid, same).await
    }

    async fn store(
        tx: &mut Transaction<'static, Any>,
        rows: &[(ValidConfirmation, Status)],
    ) -> Result<Vec<i64>, sqlx::Error> {
        resource_store::<Resource_>(tx, rows).await
    }
}

fn same(v: &ValidConfirmation, c: &Confirmation) -> bool {
    v.shown_on == c.shown_on
        && v.students == c.students
        && v.parents == c.parents
        && v.classes == c.classes
        && v.method == c.method
}
