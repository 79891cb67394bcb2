//! `/api/v1/imports/{kind}`: records from an XLSX or CSV file, sent as the raw request body
//! (the file's own `Content-Type`, as `fetch` or `XMLHttpRequest.send(file)` send it), and
//! `/api/v1/imports/{kind}/template`: the file to fill in.
//!
//! `?dry_run=true` checks every row and answers what would happen, storing nothing. Without
//! it, the same checks run and the rows are stored in one transaction, or nothing is when any
//! row has a problem (422 with every problem by row and column). Problems with the file as a
//! whole (too large, another format, GBK text, formulas, merged cells, wrong columns, no rows)
//! are answered before any row is read, with what to do about them.
//!
//! A file is read within the limits of `ImportLimits` (unzipped size, parts, rows, columns,
//! cells, time), by at most a few imports at a time (`ImportGate`; 429 with `Retry-After`
//! when all are taken); a file past a limit gets a 4xx naming it, and nothing is stored.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use humiao_shared::import::{
    HeaderProblems, ImportKind, ImportProblem, ImportReport, MAX_PROBLEMS,
};
use humiao_shared::{ErrorBody, Lang};
use serde::{Deserialize, Serialize};

use crate::configuration::ImportLimits;
use crate::db::audit::{self, Event};
use crate::db::Db;
use crate::error::{lang_of, ApiError};
use crate::extract::Query;
use crate::import::gate::{ImportGate, RETRY_AFTER_SECS};
use crate::import::read::{self, Budget, FileError, XLSX_MIME};
use crate::import::{self, template, TimedOut};
use crate::viewer::Viewer;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/imports/{kind}", "POST").route(web::post().to(upload)))
        .service(super::resource("/imports/{kind}/template", "GET").route(web::get().to(download)));
}

/// The largest file an import takes, in bytes (`--import-limit-mb`).
#[derive(Debug, Clone, Copy)]
pub struct ImportLimit(pub usize);

/// 10 MB: a city's 855 schools take about 60 KB, 10,000 sessions about 1.5 MB.
pub const DEFAULT_LIMIT_MB: usize = 10;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// Check every row and answer what would happen, storing nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Default, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TemplateFormat {
    #[default]
    Xlsx,
    Csv,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// `xlsx` (the default) or `csv`.
    #[serde(default)]
    #[param(inline)]
    pub format: TemplateFormat,
}

/// The answer when the file itself must be fixed: the usual error fields, and where in the
/// file (cells, columns) the problems are.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportFailure {
    #[serde(flatten)]
    pub error: ErrorBody,
    /// How many problems there are; at most 1,000 are listed.
    pub problem_count: u64,
    pub problems: Vec<ImportProblem>,
}

/// The kind named in the path (404 for any other), if the viewer may import it (403,
/// audited, if not).
async fn allowed(db: &Db, viewer: &Viewer, kind: &str) -> Result<ImportKind, ApiError> {
    let kind = ImportKind::from_code(kind).ok_or(ApiError::NotFound)?;
    if crate::registry::importer(kind)
        .importers
        .contains(&viewer.role)
    {
        return Ok(kind);
    }
    audit::event(&db.pool, &Event::denied(viewer, "imports", 0)).await?;
    Err(ApiError::Forbidden)
}

async fn download(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    kind: web::Path<String>,
    Query(q): Query<TemplateQuery>,
) -> Result<HttpResponse, ApiError> {
    let kind = allowed(&db, &viewer, &kind).await?;
    let lang = lang_of(&req);
    let (body, content_type, extension) = match q.format {
        TemplateFormat::Xlsx => (
            template::xlsx(kind, lang).map_err(|e| ApiError::Internal(e.into()))?,
            XLSX_MIME,
            "xlsx",
        ),
        TemplateFormat::Csv => (template::csv(kind, lang), "text/csv; charset=utf-8", "csv"),
    };
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(format!(
            "humiao-{}-template.{extension}",
            kind.code()
        ))],
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .body(body))
}

#[allow(clippy::too_many_arguments)]
async fn upload(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    kind: web::Path<String>,
    Query(q): Query<UploadQuery>,
    limit: Option<web::Data<ImportLimit>>,
    limits: Option<web::Data<ImportLimits>>,
    gate: web::Data<ImportGate>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let kind = allowed(&db, &viewer, &kind).await?;
    let lang = lang_of(&req);
    let limit = limit.map_or(DEFAULT_LIMIT_MB * 1024 * 1024, |l| l.0);
    let limits = limits.map_or_else(ImportLimits::default, |l| l.as_ref().clone());
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = match body(&req, payload, limit).await {
        Ok(bytes) => bytes,
        Err(e) => return Ok(file_failure(e, lang)),
    };
    // Held until the answer is ready; the body was received first, so a slow upload takes
    // no one's turn.
    let Ok(_turn) = gate.enter().await else {
        return Ok(busy(lang));
    };
    let budget = Budget::starting_now(&limits);
    // Unzipping and parsing take CPU time: off the worker that serves other requests.
    let (parsed, bytes) = web::block(move || {
        let parsed = read::format_of(content_type.as_deref(), &bytes)
            .and_then(|format| Ok((format, read::read(kind, format, &bytes, &budget)?)));
        (parsed, bytes)
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?;
    let (format, table) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => return Ok(file_failure(e, lang)),
    };
    let map = match import::headers(kind, &table) {
        Ok(map) => map,
        Err(_) if format == read::Format::Csv && read::is_gbk_csv_of(kind, &bytes) => {
            return Ok(file_failure(FileError::NotUtf8, lang))
        }
        Err(problems) => return Ok(header_failure(kind, table.header_row, problems, lang)),
    };
    let (table, map, dry_run, b) = (&table, &map, q.dry_run, &budget);
    let run = crate::registry::importer(kind).run;
    let report = run(&db, &viewer, table, map, dry_run, lang, b).await;
    let report = match report {
        Ok(report) => report,
        Err(ApiError::Internal(e)) if e.is::<TimedOut>() => {
            let limit = budget.time;
            return Ok(file_failure(FileError::TimedOut { limit }, lang));
        }
        // Another request stored one of these records meanwhile: the file is fine, and a
        // second try finds the record and leaves it be.
        Err(ApiError::Internal(e))
            if e
                .downcast_ref::<sqlx::Error>()
                .is_some_and(crate::db::idempotency::is_taken) =>
        {
            return Ok(failure(
                StatusCode::CONFLICT,
                "import_raced",
                lang.pick(
                    "导入期间有人存入了其中的记录，没有导入任何记录；请重新导入",
                    "Someone stored some of these records meanwhile, so nothing was imported; import the file again",
                ),
                Vec::new(),
            ))
        }
        Err(e) => return Err(e),
    };
    Ok(answer(report))
}

/// 200 with the report; 422 with it when a real import found problems and stored nothing.
fn answer(report: ImportReport) -> HttpResponse {
    let status = if report.stored || report.dry_run {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    HttpResponse::build(status).json(report)
}

/// The body, refused as soon as it is known to be larger than `limit`.
async fn body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Vec<u8>, FileError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(FileError::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| FileError::Unreadable)?;
        if bytes.len() + chunk.len() > limit {
            return Err(FileError::TooLarge { limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn failure(
    status: StatusCode,
    code: &str,
    message: &str,
    problems: Vec<ImportProblem>,
) -> HttpResponse {
    let count = problems.len() as u64;
    failure_of(status, code, message, problems, count)
}

/// A failure listing some of `problem_count` problems.
fn failure_of(
    status: StatusCode,
    code: &str,
    message: &str,
    problems: Vec<ImportProblem>,
    problem_count: u64,
) -> HttpResponse {
    HttpResponse::build(status).json(ImportFailure {
        error: ErrorBody {
            code: code.to_string(),
            message: message.to_string(),
            fields: Vec::new(),
            request_id: None,
        },
        problem_count,
        problems,
    })
}

/// 429: every turn to import is taken.
fn busy(lang: Lang) -> HttpResponse {
    let mut res = failure(
        StatusCode::TOO_MANY_REQUESTS,
        "imports_busy",
        lang.pick(
            "正在进行的导入太多，请稍后再试",
            "Too many imports are running; try again in a moment",
        ),
        Vec::new(),
    );
    res.headers_mut().insert(
        header::RETRY_AFTER,
        header::HeaderValue::from(RETRY_AFTER_SECS),
    );
    res
}

fn file_failure(error: FileError, lang: Lang) -> HttpResponse {
    use StatusCode as S;
    let (status, code, zh, en) = match &error {
        FileError::Empty => (S::BAD_REQUEST, "empty_file", "没有收到文件内容".to_string(), "No file was sent".to_string()),
        FileError::TooLarge { limit } => {
            let mb = limit / (1024 * 1024);
            (
                S::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("文件超过 {mb} MB 的上限，请拆分成几个文件分别导入"),
                format!("The file is larger than the {mb} MB limit; split it into smaller files"),
            )
        }
        FileError::NotSpreadsheet => (
            S::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_file",
            "只能导入 XLSX 或 CSV 文件".into(),
            "Only XLSX and CSV files can be imported".into(),
        ),
        FileError::OldExcel => (
            S::UNSUPPORTED_MEDIA_TYPE,
            "old_excel_format",
            "这是旧版 Excel（.xls）文件，请另存为 .xlsx 后导入".into(),
            "This is an old Excel (.xls) file; save it as .xlsx and import that".into(),
        ),
        FileError::NotUtf8 => (
            S::UNPROCESSABLE_ENTITY,
            "not_utf8",
            "文件不是 UTF-8 编码（可能是 GBK）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 XLSX 后导入".into(),
            "The file is not UTF-8 (perhaps GBK). Save it as \"CSV UTF-8\" or as XLSX and import that".into(),
        ),
        FileError::Unreadable => (
            S::UNPROCESSABLE_ENTITY,
            "unreadable_file",
            "文件已损坏，或不是有效的 XLSX / CSV 文件".into(),
            "The file is damaged, or not a valid XLSX or CSV file".into(),
        ),
        FileError::NoRows => (
            S::UNPROCESSABLE_ENTITY,
            "no_rows",
            "第一个工作表中没有可导入的数据：表头之下每行一条记录（模板的示例行不会导入）".into(),
            "The first sheet has no rows to import: one record per row under the header (the template's example row is not imported)".into(),
        ),
        FileError::Cells(..) => (
            S::UNPROCESSABLE_ENTITY,
            "unsupported_cells",
            "文件中有无法导入的单元格（公式、合并单元格或错误值），请按列表修改".into(),
            "Some cells cannot be imported (formulas, merged cells or error values); fix those listed".into(),
        ),
        FileError::TooLargeUnzipped { limit } => {
            let mb = limit / (1024 * 1024);
            (
                S::PAYLOAD_TOO_LARGE,
                "unzipped_too_large",
                format!("文件解压后超过 {mb} MB 的上限，请拆分成几个文件分别导入"),
                format!("Unzipped, the file is larger than the {mb} MB limit; split it into smaller files"),
            )
        }
        FileError::TooManyParts { limit } => (
            S::PAYLOAD_TOO_LARGE,
            "too_many_parts",
            format!("文件内部的组成部分超过 {limit} 个，不像普通的 XLSX 文件；请在 Excel 中另存为 .xlsx 后导入"),
            format!("The file has more than {limit} parts inside, unlike an ordinary XLSX file; save it again as .xlsx in Excel"),
        ),
        FileError::TooManyRows { limit } => (
            S::PAYLOAD_TOO_LARGE,
            "too_many_rows",
            format!("第一个工作表有内容超过第 {limit} 行的上限，请拆分成几个文件分别导入"),
            format!("The first sheet has cells below row {limit}, the limit; split it into smaller files"),
        ),
        FileError::TooManyColumns { limit } => {
            let last = humiao_shared::import::column_letters((*limit as usize).saturating_sub(1));
            (
                S::PAYLOAD_TOO_LARGE,
                "too_many_columns",
                format!("文件有内容超过第 {limit} 列（{last} 列）的上限；请使用导入模板的列"),
                format!("The file has cells right of column {limit} ({last}), the limit; use the template's columns"),
            )
        }
        FileError::TooManyCells { limit } => (
            S::PAYLOAD_TOO_LARGE,
            "too_many_cells",
            format!("文件的单元格超过 {limit} 个的上限，请拆分成几个文件分别导入"),
            format!("The file has more than {limit} cells, the limit; split it into smaller files"),
        ),
        FileError::TimedOut { limit } => {
            let secs = limit.as_secs();
            (
                S::UNPROCESSABLE_ENTITY,
                "import_timed_out",
                format!("检查文件用时超过 {secs} 秒的上限，没有导入任何记录；请拆分成几个文件分别导入"),
                format!("Checking the file took longer than the {secs} s limit, so nothing was imported; split it into smaller files"),
            )
        }
    };
    let (problems, count) = match error {
        FileError::Cells(cells, count) => (
            cells
                .into_iter()
                .map(|(row, cell, issue)| ImportProblem {
                    row: Some(row),
                    column: Some(cell),
                    code: import::problem_code(issue.into()),
                    message: issue.message(lang).to_string(),
                })
                .collect(),
            count,
        ),
        _ => (Vec::new(), 0),
    };
    let count = count.max(problems.len() as u64);
    failure_of(status, code, lang.pick(&zh, &en), problems, count)
}

fn header_failure(
    kind: ImportKind,
    row: u32,
    problems: HeaderProblems,
    lang: Lang,
) -> HttpResponse {
    let mut list = Vec::new();
    let mut count = 0u64;
    // Capped as a report's problems are: a header can be as wide as the column limit.
    let mut push = |column: String, code: &str, zh: String, en: String| {
        count += 1;
        if list.len() < MAX_PROBLEMS {
            list.push(ImportProblem {
                row: Some(row),
                column: Some(column),
                code: code.to_string(),
                message: lang.pick(&zh, &en).to_string(),
            })
        }
    };
    for column in &problems.missing {
        push(
            column.header(lang).to_string(),
            "missing_column",
            format!("缺少必填列“{}”", column.title.zh),
            format!("The required column \"{}\" is missing", column.title.en),
        );
    }
    for header in problems.unknown {
        push(
            header.clone(),
            "unknown_column",
            format!("模板中没有“{header}”这一列"),
            format!("The template has no column \"{header}\""),
        );
    }
    for header in problems.repeated {
        push(
            header.clone(),
            "repeated_column",
            format!("“{header}”列出现了两次"),
            format!("The column \"{header}\" is there twice"),
        );
    }
    let label = kind.label(lang);
    failure_of(
        StatusCode::UNPROCESSABLE_ENTITY,
        "wrong_columns",
        lang.pick(
            &format!("表头与“{label}”导入模板不符，请下载模板对照修改"),
            &format!("The header row does not match the {label} template; download it and compare"),
        ),
        list,
        count,
    )
}
