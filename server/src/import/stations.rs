//! Police stations from a file, with their district (by code or name) and care workstation.
//! The natural key is the code.

use humiao_shared::account::Role;
use humiao_shared::import::ImportKind;
use humiao_shared::org::{NewStation, Station, ValidStation};
use sqlx::{Any, AnyConnection, Transaction};

use super::{
    date_text, reference, resource_status, resource_store, Cells, Names, RowProblems, Sheet, Status,
};
use crate::error::ApiError;
use crate::records::stations::Stations as Resource_;
use crate::records::Resource;
use crate::viewer::Viewer;

pub struct Stations;

impl Sheet for Stations {
    const KIND: ImportKind = ImportKind::Stations;
    const IMPORTERS: &'static [Role] = &[Role::Admin];
    const SCOPE_COLUMN: &'static str = "code";
    const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("code", "code"),
        ("name", "name"),
        ("district_id", "district"),
        ("workstation", "workstation"),
        ("closed_on", "closed_on"),
    ];

    type Input = NewStation;
    type Valid = ValidStation;
    /// Districts by code or name.
    type Names = Names;

    async fn names(conn: &mut AnyConnection) -> Result<Names, sqlx::Error> {
        Names::load(
            conn,
            "SELECT id, code, name FROM districts WHERE deleted_at IS NULL",
        )
        .await
    }

    fn input(
        cells: &Cells<'_>,
        districts: &Names,
        _viewer: &Viewer,
        problems: &mut RowProblems,
    ) -> NewStation {
        let workstation = cells.get("workstation");
        NewStation {
            district_id: reference(problems, "district", districts, cells.get("district")),
            code: cells.get("code").to_string(),
            name: cells.get("name").to_string(),
            workstation: (!workstation.is_empty()).then(|| workstation.to_string()),
            closed_on: Some(date_text(cells.get("closed_on"))),
        }
    }

    async fn validate(
        conn: &mut AnyConnection,
        _names: &Names,
        input: &NewStation,
    ) -> Result<ValidStation, ApiError> {
        Resource_::validate(conn, input).await
    }

    /// As the API's create: a city's administrators import into their city only.
    async fn in_scope(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidStation,
    ) -> Result<bool, sqlx::Error> {
        Resource_::may_write(conn, viewer, valid).await
    }

    fn key(valid: &ValidStation) -> String {
        valid.code.clone()
    }

    async fn status(conn: &mut AnyConnection, valid: &ValidStation) -> Result<Status, sqlx::Error> {
        resource_status::<Resource_>(conn, valid, same).await
    }

    async fn store(
        tx: &mut Transaction<'static, Any>,
        rows: &[(ValidStation, Status)],
    ) -> Result<Vec<i64>, sqlx::Error> {
        resource_store::<Resource_>(tx, rows).await
    }
}

fn same(v: &ValidStation, s: &Station) -> bool {
    v.name == s.name
        && v.district_id == s.district_id
        && v.workstation == s.workstation
        && v.closed_on == s.closed_on
}
