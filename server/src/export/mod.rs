//! Lists and aggregates as files: `?format=csv` or `?format=xlsx` on the same endpoints
//! that answer JSON, with the same scope, filters and order (JSON stays the default).
//!
//! The columns and their headers (Chinese, or English on `Accept-Language: en`) come from
//! [`humiao_shared::columns`]. A list's export is the whole filtered list, not a page, so
//! it is streamed: rows go from the database to the client a batch at a time ([`respond`])
//! and no export holds more than a batch of records. CSV leaves as it is written; an Excel
//! workbook needs its zip directory at the end, so its rows go to a temporary file
//! (rust_xlsxwriter's constant-memory mode) and the finished file is then sent in chunks.

mod csv;
mod xlsx;

use std::borrow::Cow;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use humiao_shared::columns::{Column, Rows, Table, SMALL};
use humiao_shared::Lang;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::mpsc;

use std::sync::Arc;

use crate::db::Db;
use crate::error::{lang_of, ApiError};
use crate::records::{Conditions, Resource};
use crate::viewer::Viewer;

/// What a list or an aggregate answers with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Json,
    /// UTF-8 with a byte-order mark, comma-separated, a header row.
    Csv,
    /// An Excel workbook with one sheet and a header row.
    Xlsx,
}

impl Format {
    /// The export format named by a `format` value, if it names one (the aggregates'
    /// `format` also filters by session format).
    pub fn from_code(code: &str) -> Option<Format> {
        match code {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => CSV_TYPE,
            Format::Xlsx => XLSX_TYPE,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

pub const CSV_TYPE: &str = "text/csv; charset=utf-8";
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The `format` parameter of every list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `json` (the default), or `csv` / `xlsx` for the whole filtered list as a file
    /// (paging does not apply to a file).
    #[param(inline)]
    pub format: Option<Format>,
}

/// An export asked for: the file's format, its table and the headers' language.
#[derive(Debug, Clone, Copy)]
pub struct Export {
    pub format: Format,
    pub table: &'static Table,
    pub lang: Lang,
}

impl Export {
    /// The export a request asks for, or `None` for JSON.
    pub fn asked(
        req: &HttpRequest,
        format: Option<Format>,
        table: &'static Table,
    ) -> Option<Export> {
        match format.unwrap_or_default() {
            Format::Json => None,
            format => Some(Export {
                format,
                table,
                lang: lang_of(req),
            }),
        }
    }

    /// `attachment` with an ASCII name for old clients and the name in the request's
    /// language as RFC 5987 `filename*`, e.g. `宣讲记录-2026-11-29.csv`.
    fn disposition(&self) -> String {
        let today = crate::clock::today().format("%Y-%m-%d");
        let ext = self.format.extension();
        let ascii = format!("{}-{today}.{ext}", self.table.file);
        let named = format!("{}-{today}.{ext}", self.table.name(self.lang));
        format!(
            "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
            rfc5987(&named)
        )
    }
}

/// Percent-encodes all but RFC 5987's `attr-char`s.
fn rfc5987(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Number(serde_json::Number),
    /// Text a person typed or the system wrote; a file format guards it as it must.
    Text(Cow<'a, str>),
}

fn cell<'a>(record: &'a Value, column: &Column, lang: Lang) -> Cell<'a> {
    match record.pointer(column.field) {
        None | Some(Value::Null) if column.small_hidden => Cell::Text(Cow::Borrowed(SMALL)),
        None | Some(Value::Null) => Cell::Empty,
        Some(Value::Number(n)) => Cell::Number(n.clone()),
        Some(Value::String(s)) => Cell::Text(Cow::Borrowed(column.show(s, lang))),
        Some(Value::Bool(b)) => Cell::Text(Cow::Borrowed(yes_no(*b, lang))),
        Some(Value::Array(items)) => Cell::Text(Cow::Owned(
            items
                .iter()
                .map(|item| match item {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", "),
        )),
        Some(other) => Cell::Text(Cow::Owned(other.to_string())),
    }
}

fn yes_no(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

/// The response's side of the channel that carries the file's chunks.
type Chunks = mpsc::Sender<Result<Bytes, std::io::Error>>;

/// Where rows go: a CSV being written or a workbook being filled.
enum Out {
    Csv(Box<csv::CsvOut>),
    Xlsx(Box<xlsx::XlsxOut>),
}

/// The rows of an export under way. [`Sink::push`] takes one element of the JSON answer.
pub struct Sink {
    out: Out,
    tx: Chunks,
    table: &'static Table,
    lang: Lang,
    rows: u64,
}

/// How long a download may stand still before it is given up.
const STALLED: std::time::Duration = std::time::Duration::from_secs(60);

/// CSV leaves in chunks of about this size.
const CHUNK: usize = 64 * 1024;

impl Sink {
    fn start(export: &Export, tx: Chunks) -> Result<Sink, ApiError> {
        let headers: Vec<&str> = export
            .table
            .columns
            .iter()
            .map(|c| c.header(export.lang))
            .collect();
        let out = match export.format {
            Format::Xlsx => Out::Xlsx(Box::new(xlsx::XlsxOut::new(
                export.table.name(export.lang),
                &headers,
            )?)),
            Format::Csv | Format::Json => Out::Csv(Box::new(csv::CsvOut::new(&headers)?)),
        };
        Ok(Sink {
            out,
            tx,
            table: export.table,
            lang: export.lang,
            rows: 0,
        })
    }

    /// Adds one element of the answer: one row, or one per element of its nested list.
    pub async fn push<T: Serialize>(&mut self, record: &T) -> Result<(), ApiError> {
        let value = serde_json::to_value(record).map_err(|e| ApiError::Internal(e.into()))?;
        match self.table.rows {
            Rows::List | Rows::One => self.row(&value)?,
            Rows::Nested(key) => {
                let mut outer = value;
                let inner = outer
                    .as_object_mut()
                    .and_then(|o| o.remove(key))
                    .unwrap_or(Value::Null);
                for mut item in inner.as_array().cloned().unwrap_or_default() {
                    if let Some(fields) = item.as_object_mut() {
                        fields.insert("up".into(), outer.clone());
                    }
                    self.row(&item)?;
                }
            }
        }
        if let Out::Csv(csv) = &mut self.out {
            if csv.buffered() >= CHUNK {
                let chunk = csv.take()?;
                Sink::send(&self.tx, chunk).await?;
            }
        }
        Ok(())
    }

    fn row(&mut self, record: &Value) -> Result<(), ApiError> {
        let cells: Vec<Cell> = self
            .table
            .columns
            .iter()
            .map(|c| cell(record, c, self.lang))
            .collect();
        self.rows += 1;
        match &mut self.out {
            Out::Csv(csv) => csv.row(&cells),
            Out::Xlsx(xlsx) => xlsx.row(&cells),
        }
    }

    /// Hands a chunk to the response. A client that takes nothing for [`STALLED`] loses the
    /// download, so that it cannot hold a turn and two connections forever.
    async fn send(tx: &Chunks, chunk: Vec<u8>) -> Result<(), ApiError> {
        match tokio::time::timeout(STALLED, tx.send(Ok(Bytes::from(chunk)))).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(ApiError::Internal(anyhow::anyhow!(
                "the client left the download"
            ))),
            Err(_) => Err(ApiError::Internal(anyhow::anyhow!(
                "the client stopped reading the download"
            ))),
        }
    }

    /// Sends what is left: the CSV's last chunk, or the whole workbook.
    async fn finish(self) -> Result<u64, ApiError> {
        let Sink { out, tx, rows, .. } = self;
        match out {
            Out::Csv(mut csv) => {
                let chunk = csv.take()?;
                Sink::send(&tx, chunk).await?;
            }
            Out::Xlsx(workbook) => {
                // Zipping the sheet is CPU and file work: off the async workers.
                let mut file = actix_web::web::block(move || workbook.finish())
                    .await
                    .map_err(|e| {
                        ApiError::Internal(anyhow::anyhow!("writing the workbook: {e}"))
                    })??;
                loop {
                    let mut chunk = vec![0; CHUNK];
                    // A local temporary file: a read of 64 KB does not hold the worker up.
                    let n = std::io::Read::read(&mut file, &mut chunk)
                        .map_err(|e| ApiError::Internal(e.into()))?;
                    if n == 0 {
                        break;
                    }
                    chunk.truncate(n);
                    Sink::send(&tx, chunk).await?;
                }
            }
        }
        Ok(rows)
    }
}

/// Answers with the export: the headers and the file's first bytes leave while `produce`
/// still pushes rows into the [`Sink`]. The channel holds a few chunks, so a slow client
/// slows the database reads instead of filling memory. An error after the answer started
/// cuts the download short (the client sees an incomplete file, never a truncated one
/// that looks whole) and is logged.
pub fn respond<F>(export: Export, produce: F) -> Result<HttpResponse, ApiError>
where
    F: AsyncFnOnce(&mut Sink) -> Result<(), ApiError> + 'static,
{
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let mut sink = Sink::start(&export, tx.clone())?;
    let table = export.table.file;
    actix_web::rt::spawn(async move {
        let done = match produce(&mut sink).await {
            Ok(()) => sink.finish().await,
            Err(e) => Err(e),
        };
        match done {
            Ok(rows) => tracing::info!(table, rows, "export sent"),
            Err(e) => {
                tracing::warn!(table, error = %e, "export cut short");
                let _ = tx
                    .send(Err(std::io::Error::other("the export failed")))
                    .await;
            }
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Ok(HttpResponse::Ok()
        .content_type(export.format.content_type())
        .insert_header((header::CONTENT_DISPOSITION, export.disposition()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}

/// Answers with an export of an answer already computed (an aggregate: a few rows).
pub fn respond_with<T: Serialize + 'static>(
    export: Export,
    answer: T,
) -> Result<HttpResponse, ApiError> {
    respond(export, async move |sink: &mut Sink| {
        let value = serde_json::to_value(&answer).map_err(|e| ApiError::Internal(e.into()))?;
        match (export.table.rows, value) {
            (Rows::One, value) => sink.push(&value).await,
            (_, Value::Array(items)) => {
                for item in &items {
                    sink.push(item).await?;
                }
                Ok(())
            }
            (_, other) => sink.push(&other).await,
        }
    })
}

/// A list of records as a file: the whole list within the viewer's scope and `conditions`,
/// in the list's `order`. The ids are streamed in that order from one connection; each
/// batch of them is loaded whole (with whatever the record type joins and links) over a
/// second one, in the same order, and redacted as the JSON list is.
pub fn records<R: Resource>(
    export: Export,
    db: Arc<Db>,
    viewer: Viewer,
    conditions: Conditions,
    order: &'static str,
) -> Result<HttpResponse, ApiError> {
    respond(export, async move |sink: &mut Sink| {
        use futures_util::TryStreamExt;
        let _turn = turn().await?;
        // `t.id` last makes the order total, so every batch reads in the same order.
        let order = format!("{order}, t.id");
        let mut ids_conn = db.pool.acquire().await?;
        let mut rows_conn = db.pool.acquire().await?;
        let sql = format!(
            "SELECT t.id FROM {} WHERE {} ORDER BY {order}",
            R::FROM,
            conditions.sql()
        );
        let query = conditions.bind(sqlx::query_as::<_, (i64,)>(&sql));
        let mut ids = query.fetch(&mut *ids_conn);
        let mut batch = Vec::with_capacity(BATCH);
        loop {
            let next = ids.try_next().await?;
            if let Some((id,)) = next {
                batch.push(id);
            }
            if batch.len() == BATCH || (next.is_none() && !batch.is_empty()) {
                let mut these = conditions.clone();
                // Integers read from the database: safe to write into the SQL.
                let list: Vec<String> = batch.drain(..).map(|id| id.to_string()).collect();
                these.raw(&format!("t.id IN ({})", list.join(", ")));
                let tail = format!("ORDER BY {order}");
                let records = R::load(&mut rows_conn, &these, &tail).await?;
                for record in R::redact(&mut rows_conn, &viewer, records).await? {
                    sink.push(&record).await?;
                }
            }
            if next.is_none() {
                return Ok(());
            }
        }
    })
}

/// List exports streaming from the database at once, per server process. Each holds two
/// pooled connections for its whole length, so more at once would starve the rest of the
/// API (SQLite's pool has 8); the others wait their turn, their download already started.
static STREAMING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Waits for a turn to stream a list from the database; the turn ends with the permit.
pub async fn turn() -> Result<tokio::sync::SemaphorePermit<'static>, ApiError> {
    STREAMING
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(e.into()))
}

/// Records loaded at once in a list's export.
const BATCH: usize = 500;

/// The aggregates' query: their filters, where `format` is the session format filter, plus
/// the export format, also `format`. A `format` of `csv`, `xlsx` or `json` asks for the
/// file; any other is the session format (`format=class_talk&format=csv` both filters and
/// exports). A bad value is a 400 naming `format`.
pub fn split_format<T: serde::de::DeserializeOwned>(
    req: &HttpRequest,
) -> Result<(Option<Format>, T), ApiError> {
    let mut export = None;
    let rest: Vec<(String, String)> = crate::extract::query_pairs(req.query_string())?
        .into_iter()
        .filter_map(|(k, v)| match (k.as_str(), Format::from_code(&v)) {
            ("format", Some(format)) => {
                export = Some(format);
                None
            }
            _ => Some((k, v)),
        })
        .collect();
    Ok((export, crate::extract::query_of(&rest)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use humiao_shared::columns::{OUTCOMES, SESSIONS};

    #[test]
    fn file_names_are_ascii_with_the_readable_name_encoded_beside() {
        assert_eq!(rfc5987("宣讲-1.csv"), "%E5%AE%A3%E8%AE%B2-1.csv");
        assert_eq!(rfc5987("a b\"c"), "a%20b%22c");
    }

    #[test]
    fn a_hidden_count_reads_as_the_hidden_mark_and_a_missing_note_stays_empty() {
        let outcome = serde_json::json!({"id": 1, "value": null});
        let value = OUTCOMES
            .columns
            .iter()
            .find(|c| c.field == "/value")
            .unwrap();
        assert_eq!(cell(&outcome, value, Lang::Zh), Cell::Text("*".into()));
        let session = serde_json::json!({"notes": null, "topic_ids": [1, 2]});
        let notes = SESSIONS
            .columns
            .iter()
            .find(|c| c.field == "/notes")
            .unwrap();
        assert_eq!(cell(&session, notes, Lang::Zh), Cell::Empty);
        let topics = SESSIONS
            .columns
            .iter()
            .find(|c| c.field == "/topic_ids")
            .unwrap();
        assert_eq!(cell(&session, topics, Lang::En), Cell::Text("1, 2".into()));
    }
}
