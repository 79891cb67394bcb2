//! Importing records from XLSX or CSV: every row is read, checked with the same rules as
//! the API's forms and scoped to the importer; a dry run answers what would happen, a real
//! import stores every row in one transaction or none at all.
//!
//! Each kind says how a row's cells become its input ([`Sheet`]); this module holds what
//! all kinds share: names looked up once per file, problems filed by row and column, the
//! natural key that makes a second import of the same file add nothing, and the storing.
//! Rows whose record is already stored are never overwritten: they count as `unchanged`
//! (same content) or `present` (other content).

pub mod cases;
pub mod confirmations;
pub mod gate;
pub mod read;
pub mod schools;
pub mod sessions;
pub mod speakers;
pub mod stations;
pub mod template;
pub mod volunteers;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use humiao_shared::account::Role;
use humiao_shared::error::FieldCode;
use humiao_shared::import::{
    allowed_values, match_headers, total_figures, HeaderMap, ImportIssue, ImportKind,
    ImportProblem, ImportReport, Problem, SkippedRow, MAX_PROBLEMS,
};
use humiao_shared::rules;
use humiao_shared::Lang;
use sqlx::{Any, AnyConnection, Transaction};

use crate::db::audit::{self, Change};
use crate::db::{now_text, Db, Turn};
use crate::error::ApiError;
use crate::records::{fetch, Found, Resource};
use crate::returns::locks::{self, Period};
use crate::viewer::Viewer;
use read::{Budget, Table};

/// The import ran past its time limit while checking rows, and stored nothing.
#[derive(Debug, thiserror::Error)]
#[error("the import ran past its time limit")]
pub struct TimedOut;

/// Where a row's record stands against what is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    New,
    /// A deleted record has the key: the import brings it back with the row's content.
    Deleted(i64),
    Unchanged,
    /// Stored with other content; kept as it is.
    Present,
}

/// One kind of record as a file holds it.
// actix-web runs each worker on one thread, so the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Sheet {
    const KIND: ImportKind;
    /// Who may import this kind; the others get 403.
    const IMPORTERS: &'static [Role];
    /// The column a row outside the importer's scope is reported in.
    const SCOPE_COLUMN: &'static str;
    /// Which column each field of the record rules is read from: by the field's name, its
    /// part before any `[` (`days_attended[1]`), or its last part (`audience.students`,
    /// `enrolments[0].students`); fields not listed are reported on the whole row.
    const FIELDS: &'static [(&'static str, &'static str)];

    type Input;
    type Valid;
    /// Names and codes of what the rows refer to, looked up once per file.
    type Names;

    async fn names(conn: &mut AnyConnection) -> Result<Self::Names, sqlx::Error>;

    /// The row's input; problems with single cells go to `problems`.
    fn input(
        cells: &Cells<'_>,
        names: &Self::Names,
        viewer: &Viewer,
        problems: &mut RowProblems,
    ) -> Self::Input;

    /// The record rules, as the API runs them on a create.
    async fn validate(
        conn: &mut AnyConnection,
        names: &Self::Names,
        input: &Self::Input,
    ) -> Result<Self::Valid, ApiError>;

    async fn in_scope(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &Self::Valid,
    ) -> Result<bool, sqlx::Error>;

    /// The natural key, to find the same record twice in one file.
    fn key(valid: &Self::Valid) -> String;

    /// The station's month a row's record falls in, when a monthly return covers it
    /// (sessions): a row in a locked month is a row error `period_locked`, reported in
    /// [`Sheet::PERIOD_COLUMN`], and nothing of the file is stored.
    fn period(_valid: &Self::Valid) -> Option<Period> {
        None
    }

    /// The column a row in a locked month is reported in.
    const PERIOD_COLUMN: &'static str = "";

    async fn status(conn: &mut AnyConnection, valid: &Self::Valid) -> Result<Status, sqlx::Error>;

    /// Stores the rows that are new (or deleted) and returns the ids written.
    async fn store(
        tx: &mut Transaction<'static, Any>,
        rows: &[(Self::Valid, Status)],
    ) -> Result<Vec<i64>, sqlx::Error>;
}

/// A row's cells, by the template's column keys.
pub struct Cells<'a> {
    kind: ImportKind,
    map: &'a HeaderMap,
    cells: &'a [String],
}

impl Cells<'_> {
    /// The cell's text, trimmed; blank when the file has no such column.
    pub fn get(&self, key: &str) -> &str {
        self.map
            .position(self.kind, key)
            .and_then(|i| self.cells.get(i))
            .map_or("", |s| s.trim())
    }
}

/// What follows a problem's message, so the user can fix the cell without asking.
#[derive(Debug, Clone)]
pub enum Detail {
    /// The labels a choice accepts, in Chinese and English.
    Labels(Vec<(&'static str, &'static str)>),
    /// The names a reference accepts; those sharing characters with what was typed first.
    Names {
        typed: String,
        names: Arc<Vec<String>>,
    },
    /// A total row's figure and the column's sum.
    Total { stated: i64, sum: i64 },
}

impl Detail {
    /// The text, built only for the problems listed (at most [`MAX_PROBLEMS`]), so a file
    /// of unknown names costs one scan of the names per listed problem.
    fn text(&self, lang: Lang) -> String {
        match self {
            Detail::Labels(labels) => {
                let labels: Vec<&str> = labels.iter().map(|(zh, en)| lang.pick(zh, en)).collect();
                allowed_values(lang, &labels)
            }
            Detail::Names { typed, names } => {
                let shares = |name: &str| typed.chars().filter(|c| name.contains(*c)).count();
                let mut ranked: Vec<(usize, &str)> =
                    names.iter().map(|n| (shares(n), n.as_str())).collect();
                // Stable: equally close names keep their order (by name).
                ranked.sort_by_key(|(shared, _)| std::cmp::Reverse(*shared));
                let ranked: Vec<&str> = ranked.into_iter().map(|(_, n)| n).collect();
                allowed_values(lang, &ranked)
            }
            Detail::Total { stated, sum } => total_figures(lang, *stated, *sum),
        }
    }
}

/// A problem's message in `lang`, followed by its detail if any.
fn message(problem: Problem, detail: Option<&Detail>, lang: Lang) -> String {
    let message = problem.message(lang);
    match detail.map(|d| d.text(lang)).filter(|d| !d.is_empty()) {
        Some(detail) => format!("{message}{}{detail}", lang.pick("；", "; ")),
        None => message.to_string(),
    }
}

/// Problems of one row, by column key (`None`: the whole row).
#[derive(Debug, Default)]
pub struct RowProblems {
    items: Vec<(Option<&'static str>, Problem, Option<Detail>)>,
}

impl RowProblems {
    pub fn push(&mut self, column: &'static str, problem: impl Into<Problem>) {
        self.items.push((Some(column), problem.into(), None));
    }

    /// A problem with what the user needs to fix it.
    pub fn push_with(&mut self, column: &'static str, problem: impl Into<Problem>, detail: Detail) {
        self.items
            .push((Some(column), problem.into(), Some(detail)));
    }

    /// The value of a check, or `None` with its problem filed under `column`.
    pub fn check<T, E: Into<Problem>>(
        &mut self,
        column: &'static str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.push(column, e);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Names and codes of stored records, matched as people type them: codes first, then
/// names; case and surrounding blanks do not matter.
#[derive(Debug, Default)]
pub struct Names {
    codes: HashMap<String, i64>,
    names: HashMap<String, Vec<i64>>,
    /// The names of the first query, sorted, to list when a cell names none of them.
    shown: Arc<Vec<String>>,
}

fn fold(text: &str) -> String {
    text.trim().to_lowercase()
}

impl Names {
    /// From rows of `SELECT id, code, name` (the code may be NULL).
    pub async fn load(conn: &mut AnyConnection, sql: &str) -> Result<Names, sqlx::Error> {
        let mut names = Names::default();
        let mut shown = names.load_rows(conn, sql).await?;
        shown.sort();
        shown.dedup();
        names.shown = Arc::new(shown);
        Ok(names)
    }

    /// Adds the rows of another `SELECT id, code, name` (e.g. names in a second language).
    pub async fn load_more(
        &mut self,
        conn: &mut AnyConnection,
        sql: &str,
    ) -> Result<(), sqlx::Error> {
        self.load_rows(conn, sql).await.map(|_| ())
    }

    /// Adds the rows of a `SELECT id, code, name`; their names as stored.
    async fn load_rows(
        &mut self,
        conn: &mut AnyConnection,
        sql: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(i64, Option<String>, String)> =
            sqlx::query_as(sql).fetch_all(&mut *conn).await?;
        let mut names = Vec::with_capacity(rows.len());
        for (id, code, name) in rows {
            if let Some(code) = code {
                self.codes.insert(fold(&code), id);
            }
            self.add(&name, id);
            names.push(name);
        }
        Ok(names)
    }

    pub fn add(&mut self, name: &str, id: i64) {
        let ids = self.names.entry(fold(name)).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    /// The id the text names; blank is `None`.
    pub fn find(&self, text: &str) -> Result<Option<i64>, ImportIssue> {
        let key = fold(text);
        if key.is_empty() {
            return Ok(None);
        }
        if let Some(id) = self.codes.get(&key) {
            return Ok(Some(*id));
        }
        match self.names.get(&key).map(Vec::as_slice) {
            Some([id]) => Ok(Some(*id)),
            Some([]) | None => Err(ImportIssue::UnknownName),
            Some(_) => Err(ImportIssue::AmbiguousName),
        }
    }
}

/// The campaigns by year, with their windows.
#[derive(Debug, Default)]
pub struct Campaigns {
    by_year: HashMap<i32, (i64, NaiveDate, NaiveDate)>,
}

impl Campaigns {
    pub async fn load(conn: &mut AnyConnection) -> Result<Campaigns, sqlx::Error> {
        let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT id, year, starts_on, ends_on FROM campaigns WHERE deleted_at IS NULL",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut by_year = HashMap::new();
        for (id, year, starts, ends) in rows {
            let year = i32::try_from(year).unwrap_or_default();
            by_year.insert(
                year,
                (id, crate::db::date(&starts)?, crate::db::date(&ends)?),
            );
        }
        Ok(Campaigns { by_year })
    }

    /// The campaign of the year in the cell; blank is `None`.
    pub fn of_year(
        &self,
        problems: &mut RowProblems,
        column: &'static str,
        text: &str,
    ) -> Option<i64> {
        if text.trim().is_empty() {
            return None;
        }
        let year = problems.check(column, humiao_shared::import::parse_year(text))?;
        let found = self.by_year.get(&year).map(|(id, _, _)| *id);
        if found.is_none() {
            problems.push(column, ImportIssue::UnknownName);
        }
        found
    }

    /// The campaign whose window holds `day`.
    pub fn holding(&self, day: NaiveDate) -> Option<i64> {
        self.by_year
            .values()
            .find(|(_, starts, ends)| (*starts..=*ends).contains(&day))
            .map(|(id, _, _)| *id)
    }

    pub fn window(&self, id: Option<i64>) -> Option<(NaiveDate, NaiveDate)> {
        self.by_year
            .values()
            .find(|(c, _, _)| Some(*c) == id)
            .map(|(_, starts, ends)| (*starts, *ends))
    }
}

/// A required reference cell: blank is `Required`, an unknown name its own problem, with
/// the names that would be accepted.
pub fn reference(
    problems: &mut RowProblems,
    column: &'static str,
    names: &Names,
    text: &str,
) -> Option<i64> {
    match names.find(text) {
        Ok(Some(id)) => Some(id),
        // The record rules report the blank as required.
        Ok(None) => None,
        Err(ImportIssue::UnknownName) => {
            let detail = Detail::Names {
                typed: text.trim().to_string(),
                names: Arc::clone(&names.shown),
            };
            problems.push_with(column, ImportIssue::UnknownName, detail);
            None
        }
        Err(issue) => {
            problems.push(column, issue);
            None
        }
    }
}

/// A count cell: blank is 0.
pub fn count(problems: &mut RowProblems, column: &'static str, text: &str) -> i64 {
    problems
        .check(column, humiao_shared::session::parse_count(text))
        .unwrap_or(0)
}

/// A whole number in a cell as people write it (`1,185`, `１１８５`), if it is one.
fn number(text: &str) -> Option<i64> {
    humiao_shared::rules::plain_number(text).parse().ok()
}

/// A date cell, as `YYYY-MM-DD` for the record's input; a bad date stays as typed so the
/// record rules report it.
pub fn date_text(text: &str) -> String {
    humiao_shared::import::parse_cell_date(text)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| text.to_string())
}

/// Checks every row of `table` and, unless `dry_run` or a row has a problem, stores them
/// in one transaction with one audit entry. The report says what was (or would be) done.
/// Checking stops with [`TimedOut`] at the budget's deadline; storing, once begun, ends.
pub async fn run<S: Sheet>(
    db: &Db,
    viewer: &Viewer,
    table: &Table,
    map: &HeaderMap,
    dry_run: bool,
    lang: Lang,
    budget: &Budget,
) -> Result<ImportReport, ApiError> {
    let in_time = || {
        budget
            .check_time()
            .map_err(|_| ApiError::Internal(TimedOut.into()))
    };
    let mut conn = db.pool.acquire().await?;
    let names = S::names(&mut conn).await?;
    let mut problems: Vec<ImportProblem> = Vec::new();
    let mut problem_count = 0u64;
    let mut file_problem =
        |row: u32, column: Option<&'static str>, problem: Problem, detail: Option<&Detail>| {
            problem_count += 1;
            if problems.len() < MAX_PROBLEMS {
                problems.push(ImportProblem {
                    row: Some(row),
                    column: column.map(|key| column_title(S::KIND, table, map, key, lang)),
                    code: problem_code(problem),
                    message: message(problem, detail, lang),
                });
            }
        };
    let mut valid_rows: Vec<S::Valid> = Vec::with_capacity(table.rows.len());
    let mut first_row_of: HashMap<String, u32> = HashMap::new();
    let mut locked_months: HashMap<Period, bool> = HashMap::new();
    for row in &table.rows {
        in_time()?;
        let cells = Cells {
            kind: S::KIND,
            map,
            cells: &row.cells,
        };
        let mut found = RowProblems::default();
        // NUL and the like are never data; each such cell is named, whatever it was for.
        for column in S::KIND.columns() {
            found.check(column.key, rules::no_controls(cells.get(column.key)));
        }
        let input = S::input(&cells, &names, viewer, &mut found);
        let valid = match S::validate(&mut conn, &names, &input).await {
            Ok(valid) => Some(valid),
            Err(ApiError::Validation(errors)) => {
                for (field, code) in errors.codes() {
                    // A cell already reported keeps its first, more precise problem.
                    let column = column_of::<S>(field);
                    if !found
                        .items
                        .iter()
                        .any(|(c, _, _)| *c == column && c.is_some())
                    {
                        found.items.push((column, Problem::Field(code), None));
                    }
                }
                None
            }
            Err(other) => return Err(other),
        };
        let Some(valid) = valid.filter(|_| found.is_empty()) else {
            // Left to right, as the user reads the row; whole-row problems last.
            found.items.sort_by_key(|(column, _, _)| {
                column.map_or(usize::MAX, |key| {
                    map.position(S::KIND, key).unwrap_or(usize::MAX - 1)
                })
            });
            // One problem per cell: the first found (the sort is stable).
            found
                .items
                .dedup_by(|later, first| later.0.is_some() && later.0 == first.0);
            for (column, problem, detail) in found.items {
                file_problem(row.number, column, problem, detail.as_ref());
            }
            continue;
        };
        if !S::in_scope(&mut conn, viewer, &valid).await? {
            file_problem(
                row.number,
                Some(S::SCOPE_COLUMN),
                ImportIssue::OutsideScope.into(),
                None,
            );
            continue;
        }
        if let Some(period) = S::period(&valid) {
            // Rows of a file share a few months: each is read once.
            let locked = match locked_months.get(&period) {
                Some(locked) => *locked,
                None => {
                    let locked = locks::state_locking(&mut conn, period).await?.is_some();
                    locked_months.insert(period, locked);
                    locked
                }
            };
            if locked {
                file_problem(
                    row.number,
                    Some(S::PERIOD_COLUMN),
                    ImportIssue::PeriodLocked.into(),
                    None,
                );
                continue;
            }
        }
        if first_row_of.insert(S::key(&valid), row.number).is_some() {
            file_problem(row.number, None, ImportIssue::RepeatedRow.into(), None);
            continue;
        }
        valid_rows.push(valid);
    }

    // A 合计 row stands for the rows above it: each count it gives must be their sum.
    if let Some(total) = &table.total {
        for &key in S::KIND.summed() {
            in_time()?;
            let Some(at) = map.position(S::KIND, key) else {
                continue;
            };
            let stated = total.cells.get(at).map_or("", |c| c.trim());
            if stated.is_empty() {
                continue;
            }
            let Some(stated) = number(stated) else {
                file_problem(total.number, Some(key), FieldCode::NotANumber.into(), None);
                continue;
            };
            let sum = table
                .rows
                .iter()
                .filter_map(|r| r.cells.get(at).and_then(|c| number(c)))
                .fold(0i64, i64::saturating_add);
            if stated != sum {
                let detail = Detail::Total { stated, sum };
                file_problem(
                    total.number,
                    Some(key),
                    ImportIssue::TotalMismatch.into(),
                    Some(&detail),
                );
            }
        }
    }
    let skipped = table
        .skipped
        .iter()
        .map(|&(row, reason)| SkippedRow {
            row,
            reason,
            message: reason.message(lang).to_string(),
        })
        .collect();

    in_time()?;
    let mut report = ImportReport {
        kind: S::KIND,
        dry_run,
        stored: false,
        rows: table.rows.len() as u64,
        added: 0,
        unchanged: 0,
        present: 0,
        problem_count,
        problems,
        skipped,
    };
    if dry_run || problem_count > 0 {
        let statuses = statuses::<S>(&mut conn, valid_rows).await?;
        count_into(&mut report, &statuses);
        return Ok(report);
    }
    drop(conn);
    in_time()?;

    // Classified again inside the transaction, after any other import of this kind ended
    // (a retry sent while the first upload was still storing): what is stored now counts.
    let mut tx = db.write_tx_in_turn(Turn::Import(S::KIND)).await?;
    // A return submitted since the rows were checked: the whole file is refused (409).
    let periods: Vec<Period> = valid_rows.iter().filter_map(S::period).collect();
    locks::check(&mut tx, db.engine, &periods).await?;
    let statuses = statuses::<S>(&mut tx, valid_rows).await?;
    count_into(&mut report, &statuses);
    let ids = S::store(&mut tx, &statuses).await?;
    let summary = serde_json::json!({
        "kind": S::KIND,
        "rows": report.rows,
        "added": report.added,
        "unchanged": report.unchanged,
        "present": report.present,
        "ids": ids,
    });
    let change = Change {
        actor: Some(viewer.actor()),
        action: "import",
        resource: S::KIND.code(),
        resource_id: 0,
        before: None,
        after: Some(&summary),
    };
    audit::record(&mut tx, &[change]).await?;
    tx.commit().await?;
    report.stored = true;
    tracing::info!(
        kind = S::KIND.code(),
        rows = report.rows,
        added = report.added,
        "import stored"
    );
    Ok(report)
}

async fn statuses<S: Sheet>(
    conn: &mut AnyConnection,
    rows: Vec<S::Valid>,
) -> Result<Vec<(S::Valid, Status)>, sqlx::Error> {
    let mut out = Vec::with_capacity(rows.len());
    for valid in rows {
        let status = S::status(conn, &valid).await?;
        out.push((valid, status));
    }
    Ok(out)
}

fn count_into<V>(report: &mut ImportReport, statuses: &[(V, Status)]) {
    for (_, status) in statuses {
        match status {
            Status::New | Status::Deleted(_) => report.added += 1,
            Status::Unchanged => report.unchanged += 1,
            Status::Present => report.present += 1,
        }
    }
}

/// The column a field of the record rules is read from.
fn column_of<S: Sheet>(field: &str) -> Option<&'static str> {
    let head = field.split(['[', '.']).next().unwrap_or(field);
    let sub = field.rsplit('.').next().unwrap_or(field);
    S::FIELDS
        .iter()
        .find(|(f, _)| *f == field || *f == head)
        .or_else(|| S::FIELDS.iter().find(|(f, _)| *f == sub))
        .map(|(_, column)| *column)
}

/// A column as the user knows it: its header in the file, or the template's header in
/// the request's language when the file lacks the column.
fn column_title(kind: ImportKind, table: &Table, map: &HeaderMap, key: &str, lang: Lang) -> String {
    map.position(kind, key)
        .and_then(|i| table.headers.get(i))
        .map(|h| h.trim().to_string())
        .or_else(|| {
            kind.columns()
                .iter()
                .find(|c| c.key == key)
                .map(|c| c.header(lang).to_string())
        })
        .unwrap_or_else(|| key.to_string())
}

/// The stable machine code of a problem.
pub fn problem_code(problem: Problem) -> String {
    let value = match problem {
        Problem::Field(code) => serde_json::to_value(code),
        Problem::File(issue) => serde_json::to_value(issue),
    };
    value
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Matches the header row; see [`match_headers`].
pub fn headers(
    kind: ImportKind,
    table: &Table,
) -> Result<HeaderMap, humiao_shared::import::HeaderProblems> {
    match_headers(kind, &table.headers)
}

/// The rows' status for a kind stored through its [`Resource`]: found by its natural key,
/// then compared with `same`.
pub async fn resource_status<R: Resource>(
    conn: &mut AnyConnection,
    valid: &R::Valid,
    same: impl Fn(&R::Valid, &R::Record) -> bool,
) -> Result<Status, sqlx::Error> {
    Ok(match R::existing(conn, valid).await? {
        None => Status::New,
        Some(Found { id, live: false }) => Status::Deleted(id),
        Some(Found { id, live: true }) => match fetch::<R>(conn, id).await? {
            Some(record) if same(valid, &record) => Status::Unchanged,
            _ => Status::Present,
        },
    })
}

/// Stores new rows with the resource's own insert, and brings deleted ones back as a
/// create through the API would.
pub async fn resource_store<R: Resource>(
    tx: &mut Transaction<'static, Any>,
    rows: &[(R::Valid, Status)],
) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids = Vec::new();
    for (valid, status) in rows {
        match status {
            Status::New => ids.push(R::insert(tx, valid).await?),
            Status::Deleted(id) => {
                let sql = format!(
                    "UPDATE {} SET deleted_at = NULL, updated_at = $1, version = version + 1
                     WHERE id = $2",
                    R::TABLE
                );
                sqlx::query(&sql)
                    .bind(now_text())
                    .bind(*id)
                    .execute(&mut **tx)
                    .await?;
                R::update(tx, *id, valid).await?;
                ids.push(*id);
            }
            Status::Unchanged | Status::Present => {}
        }
    }
    Ok(ids)
}

/// A choice cell (a kind, a format, a method) by code or label.
pub fn choice<T: Copy>(
    problems: &mut RowProblems,
    column: &'static str,
    text: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T, Lang) -> &'static str,
) -> Option<T> {
    match humiao_shared::import::parse_choice(text, all, code, &label) {
        Ok(found) => found,
        Err(problem) => {
            let labels = all
                .iter()
                .map(|item| (label(*item, Lang::Zh), label(*item, Lang::En)))
                .collect();
            problems.push_with(column, problem, Detail::Labels(labels));
            None
        }
    }
}

/// The free-text rule on a cell of a register's file: true, with the problem filed under
/// `column`, when the cell holds what reads as an ID number, a phone or a name. Such a cell
/// is reported by its code only, never echoed (a reference's "did you mean" would).
pub fn identifying_cell(problems: &mut RowProblems, column: &'static str, text: &str) -> bool {
    match humiao_shared::mentoring::free_text::identifying(text) {
        Some(code) => {
            problems.push(column, code);
            true
        }
        None => false,
    }
}

/// Marks a field as a record rule would, for cells the rules never see.
pub fn required(problems: &mut RowProblems, column: &'static str) {
    problems.push(column, FieldCode::Required);
}
