//! Every kind of record the API serves, in one list. The routes (`routes::configure_api`),
//! the API document's resource sections (`openapi::build`) and the access-matrix check
//! are built from [`RESOURCES`]; import dispatch (`routes::imports`) from [`IMPORTS`].
//!
//! Adding a kind of record is: its shared type with its declaration (`Described`), its
//! [`Resource`] impl, its migrations, one line here and its tests.

use actix_web::web;
use futures_util::future::LocalBoxFuture;
use humiao_shared::account::Role;
use humiao_shared::import::{HeaderMap, ImportKind, ImportReport};
use humiao_shared::record::{Described, RecordKind};
use humiao_shared::Lang;

use crate::db::Db;
use crate::error::ApiError;
use crate::import::read::{Budget, Table};
use crate::import::{self, Sheet};
use crate::openapi::Doc;
use crate::records::{self, handlers, Resource};
use crate::viewer::Viewer;

/// One [`Resource`], with what is built from it.
pub struct Registered {
    /// Its declaration: fields, labels, natural key, export and import.
    pub kind: &'static RecordKind,
    /// The URL segment, [`Resource::NAME`].
    pub name: &'static str,
    /// Its five routes under `/api/v1`.
    pub configure: fn(&mut web::ServiceConfig),
    /// Its five operations in the API document.
    pub(crate) document: fn(&mut Doc),
    /// [`Resource::EXPORT`] and [`Resource::KEY_FIELD`], checked against the declaration.
    pub export: &'static humiao_shared::columns::Table,
    pub key_field: &'static str,
}

impl Registered {
    const fn of<R>() -> Registered
    where
        R: Resource,
        R::Input: Described,
    {
        Registered {
            kind: <R::Input as Described>::KIND,
            name: R::NAME,
            configure: handlers::configure::<R>,
            document: Doc::resource::<R>,
            export: R::EXPORT,
            key_field: R::KEY_FIELD,
        }
    }

    /// A resource whose operations the document describes by hand, where the generic
    /// description would say less (sessions: their own list limit and filters).
    const fn described_by<R>(document: fn(&mut Doc)) -> Registered
    where
        R: Resource,
        R::Input: Described,
    {
        Registered {
            document,
            ..Registered::of::<R>()
        }
    }
}

/// Every record served by the shared handlers, in the API document's order.
pub const RESOURCES: &[Registered] = &[
    Registered::described_by::<records::sessions::Sessions>(Doc::sessions),
    Registered::of::<records::cities::Cities>(),
    Registered::of::<records::districts::Districts>(),
    Registered::of::<records::stations::Stations>(),
    Registered::of::<records::schools::Schools>(),
    Registered::of::<records::topics::Topics>(),
    Registered::of::<records::campaigns::Campaigns>(),
    Registered::of::<records::films::Films>(),
    Registered::of::<records::assignments::Assignments>(),
    Registered::of::<records::confirmations::Confirmations>(),
    Registered::of::<records::trainings::Trainings>(),
    Registered::of::<records::trainees::Trainees>(),
    Registered::of::<records::outcomes::Outcomes>(),
    Registered::of::<records::registers::volunteers::Volunteers>(),
    Registered::of::<records::registers::cases::Cases>(),
    Registered::of::<records::registers::case_team::CaseTeam>(),
    Registered::of::<records::registers::contacts::Contacts>(),
    Registered::of::<records::registers::case_events::CaseEvents>(),
    Registered::of::<records::registers::runaway_calls::RunawayCalls>(),
    Registered::of::<records::registers::night_care::NightCareRecords>(),
];

/// Runs one kind's import: the file's rows checked, and stored unless a dry run.
type Run = for<'a> fn(
    &'a Db,
    &'a Viewer,
    &'a Table,
    &'a HeaderMap,
    bool,
    Lang,
    &'a Budget,
) -> LocalBoxFuture<'a, Result<ImportReport, ApiError>>;

/// One kind of file an import takes.
pub struct Importer {
    pub kind: ImportKind,
    /// Who may import it; the others get 403.
    pub importers: &'static [Role],
    pub run: Run,
}

impl Importer {
    const fn of<S: Sheet + 'static>() -> Importer {
        Importer {
            kind: S::KIND,
            importers: S::IMPORTERS,
            run: run::<S>,
        }
    }
}

fn run<'a, S: Sheet + 'static>(
    db: &'a Db,
    viewer: &'a Viewer,
    table: &'a Table,
    map: &'a HeaderMap,
    dry_run: bool,
    lang: Lang,
    budget: &'a Budget,
) -> LocalBoxFuture<'a, Result<ImportReport, ApiError>> {
    Box::pin(import::run::<S>(
        db, viewer, table, map, dry_run, lang, budget,
    ))
}

/// Every import, one per [`ImportKind`].
pub const IMPORTS: &[Importer] = &[
    Importer::of::<import::schools::Schools>(),
    Importer::of::<import::stations::Stations>(),
    Importer::of::<import::speakers::Speakers>(),
    Importer::of::<import::sessions::Sessions>(),
    Importer::of::<import::confirmations::Confirmations>(),
    Importer::of::<import::volunteers::VolunteerSheet>(),
    Importer::of::<import::cases::CaseSheet>(),
];

/// The import of `kind`.
pub fn importer(kind: ImportKind) -> &'static Importer {
    IMPORTS
        .iter()
        .find(|i| i.kind == kind)
        .expect("every import kind is registered (see the test below)")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn each_registered_resource_agrees_with_its_declaration() {
        let mut names = BTreeSet::new();
        for r in RESOURCES {
            assert!(names.insert(r.name), "{} registered twice", r.name);
            assert_eq!(r.kind.collection, r.name);
            assert!(
                r.kind.export.is_some_and(|t| std::ptr::eq(t, r.export)),
                "{}: the declared export table is not the one the resource exports",
                r.name
            );
            assert!(
                r.kind.natural_key.contains(&r.key_field),
                "{}: KEY_FIELD {:?} is not in the declared natural key {:?}",
                r.name,
                r.key_field,
                r.kind.natural_key
            );
        }
    }

    #[test]
    fn every_import_kind_has_one_importer_and_a_declared_kind() {
        for kind in ImportKind::ALL {
            assert_eq!(
                IMPORTS.iter().filter(|i| i.kind == kind).count(),
                1,
                "{kind:?}"
            );
            assert!(
                humiao_shared::record::KINDS
                    .iter()
                    .any(|k| k.import == Some(kind)),
                "{kind:?}"
            );
        }
    }

    /// The access matrix (tests/access_matrix.csv) has a row for each of a registered
    /// resource's five operations; `tests/tests/suite/access.rs` then sends them all.
    #[test]
    fn the_access_matrix_has_every_registered_operation() {
        let matrix = include_str!("../../tests/access_matrix.csv");
        let rows: BTreeSet<(&str, &str)> = matrix
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut cells = line.split(',');
                Some((cells.next()?, cells.next()?))
            })
            .collect();
        let mut missing = Vec::new();
        for r in RESOURCES {
            let collection = format!("/api/v1/{}", r.name);
            let item = format!("{collection}/{{id}}");
            for (method, path) in [
                ("GET", &collection),
                ("POST", &collection),
                ("GET", &item),
                ("PUT", &item),
                ("DELETE", &item),
            ] {
                if !rows.contains(&(method, path.as_str())) {
                    missing.push(format!("{method} {path}"));
                }
            }
        }
        assert!(missing.is_empty(), "no access-matrix rows for {missing:?}");
    }
}
