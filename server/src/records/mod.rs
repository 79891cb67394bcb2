//! Every record of the campaign — the organisation, schools, topics, campaigns, films,
//! screenings, trainings, outcome values and the sessions themselves — served the same way:
//! list with filters, paging and sorting; get with an `ETag`; create with an optional
//! `Idempotency-Key`; update with `If-Match`; soft delete; every change audited.
//!
//! A record type says what is particular to it (its rules, its SQL, its natural key) by
//! implementing [`Resource`]; [`handlers`] holds the HTTP behaviour they all share, so that
//! a retry, a stale edit or a duplicate is answered alike everywhere.

pub mod assignments;
pub mod campaigns;
pub mod cities;
pub mod confirmations;
pub mod dependents;
pub mod districts;
pub mod films;
pub mod handlers;
pub mod links;
pub mod named;
pub mod outcomes;
pub mod place;
pub mod registers;
pub mod schools;
pub mod sessions;
pub mod stations;
pub mod topics;
pub mod trainees;
pub mod trainings;

use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::{Any, AnyConnection, Transaction};

use crate::db::idempotency::Pending;
pub use crate::db::where_clause::Conditions;
use crate::error::{ApiError, Conflict};
pub use crate::returns::locks::Period;
use crate::viewer::{Scope, Viewer};
pub use dependents::{outside_dates, used_by, Dated, Outside};
use humiao_shared::account::Role;
use humiao_shared::record::used_by::UsedBy;

/// What a create does when a live record already has the new one's natural key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// 409 with the existing record: the client edits that one instead.
    Conflict,
    /// The create updates the existing record (a school's second confirmation of a film).
    Update,
}

/// One kind of record. Implementations hold its SQL and rules; the handlers do the rest.
///
/// The async functions take a connection so that they run inside the handler's transaction.
// actix-web runs each worker on one thread, so the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Resource: 'static {
    /// The URL segment under `/api/v1`, also the resource name in the audit log.
    const NAME: &'static str;
    /// The table; its rows have `id`, `version`, `updated_at` and `deleted_at`.
    const TABLE: &'static str;
    /// Rows from the `FROM` clause [`Resource::load`] reads, with the table as `t`.
    const FROM: &'static str;
    /// Sort keys a list accepts, each with its `ORDER BY`; the first is the default.
    const SORTS: &'static [(&'static str, &'static str)];
    /// A list answers this many rows unless asked otherwise (at most [`Resource::MAX_LIMIT`]).
    const PAGE: i64 = 50;
    /// The most rows a page of the list holds.
    const MAX_LIMIT: i64 = MAX_PAGE;
    /// Whether a `limit` or `page` out of range is brought into range rather than refused
    /// with 400. Only sessions: their list has always clamped, and clients rely on it.
    const CLAMP_PAGING: bool = false;
    /// The code of the 409 that a create or an edit gets when a live record has its key.
    const DUPLICATE: Conflict = Conflict::DuplicateRecord;
    /// How a create stores a new record: `None`, in the handler's own transaction;
    /// otherwise handed to a writer that commits many requests' records at once (sessions,
    /// [`crate::db::writer`]), which audits each and records its idempotency key with it.
    const GROUP_COMMIT: Option<GroupCommit<Self>> = None;
    const ON_EXISTING: OnExisting = OnExisting::Conflict;
    /// The input field that holds the natural key, where a clash with a deleted record
    /// is reported.
    const KEY_FIELD: &'static str;
    /// A one-line summary for the API documentation, e.g. "Schools and their rolls".
    const SUMMARY: &'static str;
    /// The columns of the list as a CSV or Excel file.
    const EXPORT: &'static humiao_shared::columns::Table;
    /// Who may have the list as a file: `None`, whoever reads it; otherwise these roles
    /// only, the others 403 (audited). Case rows are administrators' only.
    const EXPORTERS: Option<&'static [Role]> = None;

    /// The body of a create or an update.
    type Input: DeserializeOwned + Serialize + utoipa::ToSchema + 'static;
    /// The input once every rule passed.
    type Valid;
    /// The record as the API returns it.
    type Record: Serialize + utoipa::ToSchema + 'static;
    /// The list's filters, from the query string.
    type Filter: DeserializeOwned + utoipa::IntoParams + 'static;

    /// The shared rules plus whatever needs the database (do the ids name live records?).
    async fn validate(
        conn: &mut AnyConnection,
        input: &Self::Input,
    ) -> Result<Self::Valid, ApiError>;

    /// The ids the filter names: each must name a record the viewer may see, or the list
    /// is 404 (see [`named`]).
    fn named(_filter: &Self::Filter) -> Vec<named::Named> {
        Vec::new()
    }

    /// Adds the filter's conditions (on `t` and the joins of [`Resource::FROM`]).
    fn filter(filter: &Self::Filter, conditions: &mut Conditions);

    /// The live records matching `conditions`, with `tail` (ORDER BY, LIMIT) appended.
    async fn load(
        conn: &mut AnyConnection,
        conditions: &Conditions,
        tail: &str,
    ) -> Result<Vec<Self::Record>, sqlx::Error>;

    /// The record, live or deleted, with the same natural key, if any. The key is unique
    /// over deleted rows too: a create with a deleted record's key brings that record back.
    async fn existing(
        conn: &mut AnyConnection,
        valid: &Self::Valid,
    ) -> Result<Option<Found>, sqlx::Error>;

    /// A live record other than `id` with the same natural key, if any: what an edit to
    /// `valid` would clash with.
    async fn other_with_key(
        conn: &mut AnyConnection,
        valid: &Self::Valid,
        id: i64,
    ) -> Result<Option<Found>, sqlx::Error> {
        Ok(Self::existing(conn, valid).await?.filter(|f| f.id != id))
    }

    /// Stores a new record and returns its id.
    async fn insert(
        tx: &mut Transaction<'static, Any>,
        valid: &Self::Valid,
    ) -> Result<i64, sqlx::Error>;

    /// Replaces a record's content; the handler has already moved its version on.
    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        valid: &Self::Valid,
    ) -> Result<(), sqlx::Error>;

    /// Which records the viewer may read: adds the scope's conditions to `c`, or refuses
    /// (403) a role that reads none of them. No default: each record type decides.
    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError>;

    /// Roles that may create or change these records at all; the rest get 403 before their
    /// input is even read.
    const WRITERS: &'static [Role] = &[Role::Admin];

    /// May the viewer (one of [`Resource::WRITERS`]) store a record with this content?
    /// Whole-database administrators may; a record type that belongs to a place lets
    /// others (a city's administrators, officers) write within their scope.
    async fn may_write(
        _conn: &mut AnyConnection,
        viewer: &Viewer,
        _valid: &Self::Valid,
    ) -> Result<bool, sqlx::Error> {
        Ok(viewer.manages_all())
    }

    /// May the viewer delete this (visible) record? Whole-database administrators only,
    /// unless a record type says otherwise: what every city shares is not one city's.
    fn may_delete(viewer: &Viewer, _record: &Self::Record) -> bool {
        viewer.manages_all()
    }

    /// What else a delete changes, in its transaction, once the record (`before`) is
    /// marked deleted (sessions leave the reach rollups).
    async fn deleted(
        _tx: &mut Transaction<'static, Any>,
        _before: &Self::Record,
    ) -> Result<(), sqlx::Error> {
        Ok(())
    }

    /// The live records that still point at this one, by kind: while there are any, it
    /// must not be deleted (409 `in_use`, naming them).
    async fn in_use(_conn: &mut AnyConnection, _id: i64) -> Result<UsedBy, sqlx::Error> {
        Ok(UsedBy::default())
    }

    /// Whether a record in use is closed (with a date) rather than deleted: schools and
    /// stations, whose history stays in every past figure. The 409 says so.
    const CLOSABLE: bool = false;

    /// The live records that the edit of `id` to `valid` would leave outside its dates (a
    /// campaign's narrower window, a school's closing day), and the fields that do it: the
    /// edit is then refused (409 `records_outside`) rather than make a figure disagree with
    /// the rows.
    async fn left_outside(
        _conn: &mut AnyConnection,
        _id: i64,
        _valid: &Self::Valid,
    ) -> Result<Option<Outside>, sqlx::Error> {
        Ok(None)
    }

    /// What else an edit changes, in its transaction, once the record is stored: records
    /// that must follow it (a station's schools follow it to another district), audited
    /// as the viewer's.
    async fn updated(
        _tx: &mut Transaction<'static, Any>,
        _viewer: &Viewer,
        _before: &Self::Record,
        _after: &Self::Record,
    ) -> Result<(), sqlx::Error> {
        Ok(())
    }

    /// The records as this viewer may see them in a list, a read, a file or a 409 body
    /// (e.g. outcome counts hidden); may read the database to decide.
    async fn redact(
        _conn: &mut AnyConnection,
        _viewer: &Viewer,
        records: Vec<Self::Record>,
    ) -> Result<Vec<Self::Record>, sqlx::Error> {
        Ok(records)
    }

    /// The station's month whose return locks records with this content (sessions and
    /// outcome values): while that return is submitted, approved or accepted, the handlers
    /// refuse to create, change or delete them (409 `period_locked`, see
    /// [`crate::returns::locks`]). `None` for records no return covers.
    fn period(_valid: &Self::Valid) -> Option<Period> {
        None
    }

    /// The same of a stored record: where an edit moves it from, or what a delete removes.
    fn period_of(_record: &Self::Record) -> Option<Period> {
        None
    }

    fn version(record: &Self::Record) -> i64;
}

/// A group-commit writer's store: the new record's id and the record as stored, once
/// committed. It gets the request
/// (for the writer, kept in the app's data), the viewer, the valid input and the request as
/// the idempotency protocol let it proceed.
pub type GroupCommit<R> = for<'a> fn(
    &'a actix_web::HttpRequest,
    &'a Viewer,
    &'a <R as Resource>::Valid,
    &'a Pending,
) -> futures_util::future::LocalBoxFuture<
    'a,
    Result<(i64, <R as Resource>::Record), sqlx::Error>,
>;

/// The read scope of a station's own records (trainees, outcome values), from `t` joined
/// to its station as `st`: an officer sees the station's, a leader the scope's; schools none.
pub fn station_records(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
    match viewer.role {
        Role::School | Role::Volunteer => return Err(ApiError::Forbidden),
        Role::Officer => c.eq("t.station_id", viewer.station()),
        Role::Admin | Role::Leader => within_districts(viewer, c, "st.district_id"),
    }
    Ok(())
}

/// Limits `column` (a district id) to the viewer's district, or to the districts of the
/// viewer's city; nothing for the whole database. Every read scope that goes by district
/// goes through here, so a city-scoped viewer never sees another city's rows.
pub fn within_districts(viewer: &Viewer, c: &mut Conditions, column: &str) {
    match viewer.scope {
        Scope::All => {}
        Scope::City(city) => c.int(&in_city(column), city),
        _ => c.eq(column, viewer.district()),
    }
}

/// Limits `column` (a district id) to the districts of the viewer's city, whatever their
/// scope within it: reference data (districts, stations) that anyone narrower than the
/// whole database picks from.
pub fn within_city(viewer: &Viewer, c: &mut Conditions, column: &str) {
    if let Some(city) = viewer.city {
        c.int(&in_city(column), city);
    }
}

/// `column IN` the districts of the city bound to `?`.
fn in_city(column: &str) -> String {
    format!("{column} IN (SELECT cd.id FROM districts cd WHERE cd.city_id = ?)")
}

/// May the viewer write a record of `station`? Whole-database administrators any, a
/// city's administrators their city's stations', officers their own station's.
pub async fn own_station(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    station: i64,
) -> Result<bool, sqlx::Error> {
    if viewer.station() == Some(station) || viewer.manages_all() {
        return Ok(true);
    }
    if !viewer.is_admin() {
        return Ok(false);
    }
    named::within_scope(conn, viewer, named::Named::Station(station)).await
}

/// May the viewer delete a station's record they can see? Administrators (whose read scope
/// already holds them to their city) and the station's officers.
pub fn takes_back(viewer: &Viewer, station: i64) -> bool {
    viewer.is_admin() || viewer.station() == Some(station)
}

/// A record found by its natural key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub id: i64,
    pub live: bool,
}

impl Found {
    /// From a row of `SELECT id, deleted_at`.
    pub fn from_row(row: Option<(i64, Option<String>)>) -> Option<Found> {
        row.map(|(id, deleted_at)| Found {
            id,
            live: deleted_at.is_none(),
        })
    }
}

/// No list answers more rows than this at once.
pub const MAX_PAGE: i64 = 1000;

/// The record with this id, if it is live.
pub async fn fetch<R: Resource>(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<R::Record>, sqlx::Error> {
    let mut conditions = Conditions::live();
    conditions.eq("t.id", Some(id));
    Ok(R::load(conn, &conditions, "").await?.pop())
}

/// The record with this id, if it is live and the viewer may read it.
pub async fn fetch_visible<R: Resource>(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: i64,
) -> Result<Option<R::Record>, ApiError> {
    let mut conditions = Conditions::live();
    R::read_scope(viewer, &mut conditions)?;
    conditions.eq("t.id", Some(id));
    Ok(R::load(conn, &conditions, "").await?.pop())
}

/// Is `id` a live row of `table`? For the reference checks of the rules.
pub async fn is_live(
    conn: &mut AnyConnection,
    table: &'static str,
    id: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let Some(id) = id else { return Ok(false) };
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE id = $1 AND deleted_at IS NULL");
    let (n,): (i64,) = sqlx::query_as(&sql).bind(id).fetch_one(&mut *conn).await?;
    Ok(n > 0)
}

/// How many of `ids` (distinct) are live rows of `table`.
pub async fn count_live(
    conn: &mut AnyConnection,
    table: &'static str,
    ids: &[i64],
) -> Result<usize, sqlx::Error> {
    let mut distinct = ids.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let mut found = 0;
    // Bound parameter lists stay well under every engine's limit.
    for chunk in distinct.chunks(500) {
        let sql = format!(
            "SELECT COUNT(*) FROM {table} WHERE deleted_at IS NULL AND id IN ({})",
            crate::db::placeholders(1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (i64,)>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        let (n,) = query.fetch_one(&mut *conn).await?;
        found += n as usize;
    }
    Ok(found)
}

/// Rows of a link table (`owner` → `item`) for the given owners, ordered by item.
pub async fn links(
    conn: &mut AnyConnection,
    table: &'static str,
    owner: &'static str,
    item: &'static str,
    owners: &[i64],
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let mut rows = Vec::new();
    for chunk in owners.chunks(500) {
        let sql = format!(
            "SELECT {owner}, {item} FROM {table} WHERE {owner} IN ({}) ORDER BY {owner}, {item}",
            crate::db::placeholders(1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        rows.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}

/// The items linked to `owner`, from rows that [`links`] returned.
pub fn items_of(rows: &[(i64, i64)], owner: i64) -> Vec<i64> {
    rows.iter()
        .filter(|(o, _)| *o == owner)
        .map(|(_, i)| *i)
        .collect()
}

/// Replaces the items linked to `owner` in a link table.
pub async fn set_links(
    tx: &mut Transaction<'static, Any>,
    table: &'static str,
    owner: &'static str,
    item: &'static str,
    owner_id: i64,
    items: &[i64],
) -> Result<(), sqlx::Error> {
    let sql = format!("DELETE FROM {table} WHERE {owner} = $1");
    sqlx::query(&sql).bind(owner_id).execute(&mut **tx).await?;
    for chunk in items.chunks(400) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("($1, ${})", i + 2))
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({owner}, {item}) VALUES {}",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(owner_id);
        for id in chunk {
            query = query.bind(*id);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A stored `YYYY-MM-DD` as a date, and a date as it is stored.
pub use crate::db::{date, day};

/// The rules' verdict with the reference problems found beside it, every problem at once.
pub fn checked<V>(
    rules: Result<V, humiao_shared::error::FieldErrors>,
    references: humiao_shared::error::FieldErrors,
) -> Result<V, ApiError> {
    match rules {
        Ok(valid) if references.is_empty() => Ok(valid),
        Ok(_) => Err(ApiError::Validation(references)),
        Err(mut errors) => {
            errors.extend(references);
            Err(ApiError::Validation(errors))
        }
    }
}
