//! A station's volunteers (志愿者) from a file: station (by code or name; an officer may
//! leave it blank: their own), team, name, phone, active from–to. The natural key is the
//! one `POST /api/v1/volunteers` uses, station + phone: a second import of the same file
//! adds nothing, and a volunteer already stored with other details is kept as stored.
//!
//! The name and phone cells hold an adult's name and phone by design; every other cell
//! passes the free-text rule's check (no ID number, phone or name), like the API's free
//! texts, and a cell that fails it is never echoed back in the report.

use humiao_shared::account::Role;
use humiao_shared::import::ImportKind;
use humiao_shared::mentoring::volunteer::{NewVolunteer, ValidVolunteer, Volunteer};
use sqlx::{Any, AnyConnection, Transaction};

use super::{
    date_text, identifying_cell, reference, resource_status, resource_store, Cells, Names,
    RowProblems, Sheet, Status,
};
use crate::error::ApiError;
use crate::records::registers::volunteers::Volunteers;
use crate::records::Resource;
use crate::viewer::Viewer;

pub struct VolunteerSheet;

impl Sheet for VolunteerSheet {
    const KIND: ImportKind = ImportKind::Volunteers;
    const IMPORTERS: &'static [Role] = &[Role::Admin, Role::Officer];
    const SCOPE_COLUMN: &'static str = "station";
    const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("station_id", "station"),
        ("team", "team"),
        ("name", "name"),
        ("phone", "phone"),
        ("active_from", "active_from"),
        ("active_to", "active_to"),
    ];

    type Input = NewVolunteer;
    type Valid = ValidVolunteer;
    type Names = Names;

    async fn names(conn: &mut AnyConnection) -> Result<Names, sqlx::Error> {
        Names::load(
            conn,
            "SELECT id, code, name FROM stations WHERE deleted_at IS NULL",
        )
        .await
    }

    fn input(
        cells: &Cells<'_>,
        stations: &Names,
        viewer: &Viewer,
        problems: &mut RowProblems,
    ) -> NewVolunteer {
        for column in ["team", "active_from", "active_to"] {
            identifying_cell(problems, column, cells.get(column));
        }
        let station_id = match cells.get("station") {
            "" if viewer.role == Role::Officer => viewer.station(),
            text if identifying_cell(problems, "station", text) => None,
            text => reference(problems, "station", stations, text),
        };
        NewVolunteer {
            station_id,
            team: cells.get("team").to_string(),
            name: cells.get("name").to_string(),
            phone: cells.get("phone").to_string(),
            active_from: date_text(cells.get("active_from")),
            active_to: Some(date_text(cells.get("active_to"))).filter(|d| !d.is_empty()),
            // Accounts are tied to volunteers one by one, not from a file.
            user_id: None,
        }
    }

    async fn validate(
        conn: &mut AnyConnection,
        _names: &Names,
        input: &NewVolunteer,
    ) -> Result<ValidVolunteer, ApiError> {
        Volunteers::validate(conn, input).await
    }

    /// Administrators within their scope, officers for their own station.
    async fn in_scope(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidVolunteer,
    ) -> Result<bool, sqlx::Error> {
        Volunteers::may_write(conn, viewer, valid).await
    }

    fn key(v: &ValidVolunteer) -> String {
        format!("{}|{}", v.station_id, v.phone)
    }

    async fn status(
        conn: &mut AnyConnection,
        valid: &ValidVolunteer,
    ) -> Result<Status, sqlx::Error> {
        resource_status::<Volunteers>(conn, valid, same).await
    }

    async fn store(
        tx: &mut Transaction<'static, Any>,
        rows: &[(ValidVolunteer, Status)],
    ) -> Result<Vec<i64>, sqlx::Error> {
        resource_store::<Volunteers>(tx, rows).await
    }
}

/// Compared as stored: the API answers the station's officers and administrators in full,
/// and the import reads the row unmasked.
fn same(v: &ValidVolunteer, t: &Volunteer) -> bool {
    v.team == t.team
        && v.name == t.name
        && v.active_from.to_string() == t.active_from
        && v.active_to.map(|d| d.to_string()) == t.active_to
}
