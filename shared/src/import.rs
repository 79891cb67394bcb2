//! Importing records from a spreadsheet: the kinds that can be imported, the columns of
//! each kind's template (headers in Chinese and English, either accepted on upload), how a
//! file's header row is matched to them, how a cell's text becomes a value, and the report
//! an import answers with.
//!
//! Pure like the rest of this crate: the server reads the file and looks names up; the
//! rules here say what a cell may hold and what the user is told when it holds something
//! else, in both languages.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::FieldCode;
use crate::i18n::Text;
use crate::mentoring::{case, volunteer};
use crate::record::Field;
use crate::{org, screening, session, training, Lang};

crate::coded_enum! {
    /// What a file can hold: one kind of record per file. The code is the URL segment:
    /// `/api/v1/imports/{code}`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum ImportKind {
        Schools = "schools",
        Stations = "stations",
        /// Trainees of a speaker course (宣讲员): one row per person and course.
        Speakers = "speakers",
        Sessions = "sessions",
        Confirmations = "confirmations",
        /// A station's volunteers (志愿者): one row per person, found again by phone.
        Volunteers = "volunteers",
        /// Mentoring cases (帮教对象) by code: a row with a code is that case, a row
        /// without one opens a case and is issued a code.
        Cases = "cases",
    }
}

/// One column of a kind's template. A column that holds a declared field (`crate::record`)
/// takes that field's label; one that holds something else (a station given by code or
/// name) may still take the label of the field it fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The stable name the server's code uses.
    pub key: &'static str,
    /// The header, in either language (either is accepted on upload).
    pub title: Text,
    /// A required column must be in the file; its cells may still be blank where the
    /// rules allow (they then report the blank cell).
    pub required: bool,
    /// What the cell holds, for the template's notes sheet.
    pub hint: Option<Text>,
}

impl Column {
    pub fn header(&self, lang: Lang) -> &'static str {
        self.title.get(lang)
    }

    pub fn hint(&self, lang: Lang) -> &'static str {
        self.hint.map_or("", |h| h.get(lang))
    }
}

/// A column of something no record declares as a field.
const fn col(key: &'static str, title: Text, required: bool, hint: Text) -> Column {
    Column {
        key,
        title,
        required,
        hint: Some(hint),
    }
}

/// A column that fills in the declared field `field`, under its label, hint and
/// requiredness.
const fn of(key: &'static str, field: Field) -> Column {
    Column {
        key,
        title: field.label,
        required: field.required,
        hint: field.hint,
    }
}

/// [`of`] with a hint of its own, for a cell that names the record by code or name.
const fn hinted(key: &'static str, field: Field, hint: Text) -> Column {
    Column {
        hint: Some(hint),
        ..of(key, field)
    }
}

const BY_CODE_OR_NAME: Text = Text::new("编码或名称", "Code or name");
const CAMPAIGN_YEAR: Text = Text::new("行动年度", "Campaign year");

const SCHOOLS: &[Column] = &[
    of("code", org::SCHOOL_CODE),
    of("name", org::SCHOOL_NAME),
    of("kind", org::SCHOOL_KIND),
    hinted("district", org::DISTRICT_ID, BY_CODE_OR_NAME),
    // 所属派出所, not the field's 派出所: the header filled-in files already carry.
    col(
        "station",
        Text::new("所属派出所", "Police station"),
        true,
        BY_CODE_OR_NAME,
    ),
    col(
        "school_year",
        Text::new("学年", "School year"),
        false,
        Text::new(
            "学年，如 2025 或 2025-2026（均指 2025–26 学年）",
            "The school year, e.g. 2025 or 2025-2026 (both mean 2025–26)",
        ),
    ),
    of("students", org::ENROLMENTS),
    of("closed_on", org::CLOSED_ON),
];

const STATIONS: &[Column] = &[
    of("code", org::STATION_CODE),
    of("name", org::STATION_NAME),
    hinted("district", org::DISTRICT_ID, BY_CODE_OR_NAME),
    of("workstation", org::WORKSTATION),
    of("closed_on", org::CLOSED_ON),
];

const SPEAKERS: &[Column] = &[
    of("training", training::TRAINING_ID),
    of("name", training::TRAINEE_NAME),
    hinted("station", org::STATION_ID, BY_CODE_OR_NAME),
    of("days", training::DAYS_ATTENDED),
    of("completed", training::COMPLETED),
];

const SESSIONS: &[Column] = &[
    col(
        "campaign",
        CAMPAIGN_YEAR,
        false,
        Text::new(
            "空白时按日期所在的行动",
            "Blank: the campaign the date falls in",
        ),
    ),
    hinted(
        "station",
        org::STATION_ID,
        Text::new(
            "编码或名称；民警可留空（本所）",
            "Code or name; officers may leave it blank (their own)",
        ),
    ),
    hinted(
        "school",
        session::SESSION_SCHOOL,
        Text::new(
            "编码或名称；与“其他场所”二选一",
            "Code or name; or fill in Other venue",
        ),
    ),
    of("venue", session::VENUE),
    of("held_on", session::HELD_ON),
    of("format", session::FORMAT),
    of("topics", session::SESSION_TOPICS),
    of("students", session::STUDENTS),
    of("parents", session::PARENTS),
    of("teachers", session::TEACHERS),
    of("others", session::OTHERS),
    of("confirm_large", session::CONFIRM_LARGE),
    of("duration", session::DURATION),
    of("speakers", session::SPEAKERS),
    of("notes", session::NOTES),
];

const CONFIRMATIONS: &[Column] = &[
    col(
        "campaign",
        CAMPAIGN_YEAR,
        true,
        Text::new("如 2024", "e.g. 2024"),
    ),
    of("assignment", screening::ASSIGNMENT_ID),
    hinted(
        "school",
        screening::CONFIRMING_SCHOOL,
        Text::new(
            "编码或名称；学校账号可留空（本校）",
            "Code or name; a school may leave it blank (itself)",
        ),
    ),
    hinted(
        "film",
        screening::FILM_ID,
        Text::new("片名", "The film's title"),
    ),
    of("shown_on", screening::SHOWN_ON),
    of("students", screening::WATCHING_STUDENTS),
    of("parents", screening::WATCHING_PARENTS),
    of("classes", screening::CLASSES),
    of("method", screening::METHOD),
];

/// An officer may leave a register's station blank: their own.
const OWN_STATION: Text = Text::new(
    "编码或名称；民警可留空（本所）",
    "Code or name; officers may leave it blank (their own)",
);

const VOLUNTEERS: &[Column] = &[
    hinted("station", org::STATION_ID, OWN_STATION),
    of("team", volunteer::TEAM),
    of("name", volunteer::NAME),
    hinted(
        "phone",
        volunteer::PHONE,
        Text::new(
            "手机号或带区号的座机；同一派出所按电话识别同一人",
            "A mobile, or a landline with its area code; a station's volunteer is found again by phone",
        ),
    ),
    of("active_from", volunteer::ACTIVE_FROM),
    of("active_to", volunteer::ACTIVE_TO),
];

const CASES: &[Column] = &[
    col(
        "code",
        Text::new("帮教编号", "Case code"),
        false,
        Text::new(
            "已有编号的行对应该对象（不覆盖已存内容）；留空则新建并由系统发号",
            "A row with a code is that case (stored content is not overwritten); blank opens a case and the server issues its code",
        ),
    ),
    hinted("station", org::STATION_ID, OWN_STATION),
    of("birth_year", case::BIRTH_YEAR),
    of("sex", case::SEX),
    of("category", case::CATEGORY),
    of("grade", case::GRADE),
    of("opened_on", case::OPENED_ON),
    hinted(
        "school",
        case::SCHOOL_ID,
        Text::new("编码或名称；可留空", "Code or name; may be blank"),
    ),
    of("note", case::NOTE),
];

impl ImportKind {
    /// The title of the kind of record the file adds (`crate::record`).
    pub fn label(self, lang: Lang) -> &'static str {
        crate::record::KINDS
            .iter()
            .find(|k| k.import == Some(self))
            .map_or(self.code(), |k| k.title.get(lang))
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            ImportKind::Schools => SCHOOLS,
            ImportKind::Stations => STATIONS,
            ImportKind::Speakers => SPEAKERS,
            ImportKind::Sessions => SESSIONS,
            ImportKind::Confirmations => CONFIRMATIONS,
            ImportKind::Volunteers => VOLUNTEERS,
            ImportKind::Cases => CASES,
        }
    }
}

/// Where each of a kind's columns is in a file's header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMap {
    /// For each of the kind's columns, in template order, the file's column index.
    positions: Vec<Option<usize>>,
}

impl HeaderMap {
    /// The file's column index of the column `key`, if the file has it.
    pub fn position(&self, kind: ImportKind, key: &str) -> Option<usize> {
        kind.columns()
            .iter()
            .position(|c| c.key == key)
            .and_then(|i| self.positions[i])
    }
}

/// What is wrong with a header row: required columns missing, headers that name no column,
/// headers given twice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderProblems {
    pub missing: Vec<&'static Column>,
    pub unknown: Vec<String>,
    pub repeated: Vec<String>,
}

/// A header as people type it: no surrounding blanks, full-width brackets as half-width,
/// English in any case, and a trailing `*` (a required-column mark) ignored.
fn normalize_header(text: &str) -> String {
    text.trim()
        .trim_start_matches('\u{feff}')
        .trim_end_matches('*')
        .trim()
        .replace('（', "(")
        .replace('）', ")")
        .to_lowercase()
}

/// Matches a header row to the kind's columns; each header may be the Chinese or the
/// English name. Blank headers are ignored (trailing empty columns are common).
pub fn match_headers(kind: ImportKind, headers: &[String]) -> Result<HeaderMap, HeaderProblems> {
    let columns = kind.columns();
    let mut positions = vec![None; columns.len()];
    let mut problems = HeaderProblems::default();
    for (index, header) in headers.iter().enumerate() {
        let wanted = normalize_header(header);
        if wanted.is_empty() {
            continue;
        }
        let found = columns.iter().position(|c| {
            normalize_header(c.title.zh) == wanted || normalize_header(c.title.en) == wanted
        });
        match found {
            Some(i) if positions[i].is_some() => problems.repeated.push(header.trim().into()),
            Some(i) => positions[i] = Some(index),
            None => problems.unknown.push(header.trim().into()),
        }
    }
    for (column, position) in columns.iter().zip(&positions) {
        if column.required && position.is_none() {
            problems.missing.push(column);
        }
    }
    if problems == HeaderProblems::default() {
        Ok(HeaderMap { positions })
    } else {
        Err(problems)
    }
}

/// Problems that only a file can have, beside the record rules' [`FieldCode`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportIssue {
    /// A name or code that matches no stored record.
    UnknownName,
    /// A name that more than one stored record has: use the code.
    AmbiguousName,
    /// The same record (same natural key) is in an earlier row of the file.
    RepeatedRow,
    /// A record outside the importer's own station or school.
    OutsideScope,
    NotABoolean,
    NotAYear,
    /// Not a school year: `2025`, `2025-2026`, `2025—2026学年`, `2025/26`…
    NotASchoolYear,
    /// A 合计 row's figure is not the sum of the column above it.
    TotalMismatch,
    /// School year and students on roll come together.
    IncompleteRoll,
    /// A cell with an Excel error value (#N/A, #REF!…).
    ErrorValue,
    /// A cell whose value is worked out by a formula.
    Formula,
    /// A cell inside merged cells.
    MergedCells,
    /// The row falls in a station's month whose return is submitted, approved or accepted.
    PeriodLocked,
}

impl ImportIssue {
    pub fn message(self, lang: Lang) -> &'static str {
        use ImportIssue::*;
        let (zh, en) = match self {
            UnknownName => ("找不到这个名称或编码", "No record has this name or code"),
            AmbiguousName => (
                "有多条记录同名，请改填编码",
                "More than one record has this name; use the code",
            ),
            RepeatedRow => (
                "与文件中前面的一行是同一条记录",
                "The same record is in an earlier row of the file",
            ),
            OutsideScope => (
                "超出您的管辖范围（只能导入本所或本校的记录）",
                "Outside your scope: import your own station's or school's records only",
            ),
            NotABoolean => ("请填写“是”或“否”", "Use yes or no"),
            NotAYear => ("请填写四位年份，如 2024", "Use a year like 2024"),
            NotASchoolYear => (
                "请填写学年，如 2025 或 2025-2026（开始的年份）",
                "Use a school year such as 2025 or 2025-2026 (the year it starts)",
            ),
            TotalMismatch => (
                "合计行的数字与上面各行之和不符",
                "The total row's figure is not the sum of the rows above",
            ),
            IncompleteRoll => (
                "学年和在册学生数须同时填写",
                "Give the school year and the students on roll together",
            ),
            ErrorValue => (
                "单元格是错误值（如 #N/A），请改为正确的数据",
                "The cell holds an error value (such as #N/A); enter the value itself",
            ),
            Formula => (
                "单元格含有公式，请复制后“选择性粘贴为数值”再导入",
                "The cell holds a formula; paste it as a value before importing",
            ),
            MergedCells => (
                "含有合并单元格，请取消合并，每格填写各自的数据",
                "Merged cells: unmerge them and fill in each cell",
            ),
            PeriodLocked => (
                "该所这个月的月报已上报或已审核，记录已锁定；请先由分局退回或由管理员重新打开",
                "The station's return for this month is submitted or approved, so the month \
                 is locked; have it sent back or reopened first",
            ),
        };
        lang.pick(zh, en)
    }
}

/// Why a cell or a row is refused: a record rule or a file problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    Field(FieldCode),
    File(ImportIssue),
}

impl Problem {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            Problem::Field(code) => code.message(lang),
            Problem::File(issue) => issue.message(lang),
        }
    }
}

impl From<FieldCode> for Problem {
    fn from(code: FieldCode) -> Self {
        Problem::Field(code)
    }
}

impl From<ImportIssue> for Problem {
    fn from(issue: ImportIssue) -> Self {
        Problem::File(issue)
    }
}

/// One problem found in a file, where the user sees it in Excel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    /// The row as numbered in Excel: the header is row 1. `null` for the whole file.
    pub row: Option<u32>,
    /// The column's header as in the file, or a cell or range such as `B3` or `A2:C2`;
    /// `null` for a whole row.
    pub column: Option<String>,
    /// A stable machine code.
    pub code: String,
    pub message: String,
}

/// The answer to an import or a dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub kind: ImportKind,
    pub dry_run: bool,
    /// True when the records were stored (never on a dry run or when a row has a problem).
    pub stored: bool,
    /// Rows of data read (blank rows are skipped).
    pub rows: u64,
    /// Rows that add a new record (or would, on a dry run).
    pub added: u64,
    /// Rows whose record is already stored with the same content: nothing to do.
    pub unchanged: u64,
    /// Rows whose record is already stored with other content: the stored one is kept
    /// (an import never overwrites; edit such records one by one).
    pub present: u64,
    /// How many problems were found in all; at most [`MAX_PROBLEMS`] are listed.
    pub problem_count: u64,
    pub problems: Vec<ImportProblem>,
    /// Rows with text that are not records and were left out: titles and notes above the
    /// header, the template's example row, a 合计 row at the end. Listed so the user sees
    /// the file was understood.
    #[serde(default)]
    pub skipped: Vec<SkippedRow>,
}

crate::coded_enum! {
    /// Why a row with text is not a record.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum SkipReason {
        /// A title or note row above the header row.
        Title = "title",
        /// The template's example row, right under the header (first cell `示例…`).
        Example = "example",
        /// A 合计/总计/小计 row at the end, checked against the columns' sums.
        Total = "total",
    }
}

impl SkipReason {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            SkipReason::Title => lang.pick(
                "表头上方的标题或说明，未导入",
                "Title or note above the header; not imported",
            ),
            SkipReason::Example => lang.pick(
                "模板的示例行，未导入",
                "The template's example row; not imported",
            ),
            SkipReason::Total => lang.pick(
                "末尾的合计行，已与各列之和核对，未导入",
                "The total row at the end, checked against the column sums; not imported",
            ),
        }
    }
}

/// A row left out of an import, as Excel numbers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkippedRow {
    pub row: u32,
    pub reason: SkipReason,
    pub message: String,
}

/// No answer lists more problems than this; `problem_count` says how many there were.
pub const MAX_PROBLEMS: usize = 1000;

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column index.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A cell reference such as `B3` from 0-based row and column indexes.
pub fn cell_ref(row: u32, column: usize) -> String {
    format!("{}{}", column_letters(column), row + 1)
}

/// A date as people type it in a sheet: `2024-07-24`, `2024/7/24`, `2024.7.24` or
/// `2024年7月24日`, in either width.
pub fn parse_cell_date(text: &str) -> Result<NaiveDate, FieldCode> {
    let text = crate::rules::half_width(text);
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() {
        return Err(FieldCode::Required);
    }
    ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(&text, format).ok())
        .ok_or(FieldCode::InvalidDate)
}

/// A school year, as the year it starts: `2025`, `2025-2026`, `2025—2026学年`,
/// `2025/2026`, `2025-26`, `2025年`, in either width, all mean the school year starting
/// 2025. A second year that does not follow the first (`2025-2027`) is refused.
pub fn parse_school_year(text: &str) -> Result<i32, ImportIssue> {
    let text = crate::rules::half_width(text);
    let text = text.trim();
    let text = ["学年度", "学年", "年度", "年"]
        .iter()
        .find_map(|suffix| text.strip_suffix(suffix))
        .unwrap_or(text)
        .trim();
    let Some(split) = text.find(['-', '/', '~', '–', '—', '至']) else {
        return parse_year(text).map_err(|_| ImportIssue::NotASchoolYear);
    };
    let first = parse_year(&text[..split]).map_err(|_| ImportIssue::NotASchoolYear)?;
    let rest = text[split..].trim_start_matches(['-', '/', '~', '–', '—', '至', ' ']);
    let rest = rest.strip_suffix('年').unwrap_or(rest).trim();
    let follows = match rest.len() {
        4 => rest.parse::<i32>().ok() == Some(first + 1),
        2 => rest.parse::<i32>().ok() == Some((first + 1) % 100),
        _ => false,
    };
    if follows && rest.bytes().all(|b| b.is_ascii_digit()) {
        Ok(first)
    } else {
        Err(ImportIssue::NotASchoolYear)
    }
}

/// Yes or no in either language; blank is no.
pub fn parse_bool(text: &str) -> Result<bool, ImportIssue> {
    match text.trim().to_lowercase().as_str() {
        "" | "否" | "no" | "n" | "false" | "0" | "×" => Ok(false),
        "是" | "yes" | "y" | "true" | "1" | "√" | "✓" => Ok(true),
        _ => Err(ImportIssue::NotABoolean),
    }
}

/// A four-digit year, in either width.
pub fn parse_year(text: &str) -> Result<i32, ImportIssue> {
    let text = crate::rules::half_width(text);
    let text = text.trim();
    if text.len() != 4 {
        return Err(ImportIssue::NotAYear);
    }
    text.parse::<i32>()
        .ok()
        .filter(|y| (1900..=9999).contains(y))
        .ok_or(ImportIssue::NotAYear)
}

/// The items of a list cell: split on commas, 、, semicolons and line breaks, in either
/// width, blanks dropped.
pub fn split_list(text: &str) -> Vec<&str> {
    text.split([',', '，', '、', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A choice given by its code or its label in either language, e.g. a format.
pub fn parse_choice<T: Copy>(
    text: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T, Lang) -> &'static str,
) -> Result<Option<T>, FieldCode> {
    let wanted = text.trim().to_lowercase();
    if wanted.is_empty() {
        return Ok(None);
    }
    all.iter()
        .copied()
        .find(|item| {
            code(*item) == wanted
                || label(*item, Lang::Zh) == wanted
                || label(*item, Lang::En).to_lowercase() == wanted
        })
        .map(Some)
        .ok_or(FieldCode::UnknownValue)
}

/// How many rows with text, from the top, may come before and include the header row:
/// a title, a 填报单位/日期 line and a note or two fit well within it.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// Whether a row is the kind's header row: at least two of its cells name one of the kind's
/// columns (in either language, as [`match_headers`] reads them), and those are at least
/// half of its cells with text. A title ("天宁分局辖区学校名单（2025学年）"), a note
/// ("填报单位：天宁分局") or a row of data names none, so the first row within
/// [`HEADER_SEARCH_ROWS`] that passes is the header and the rows above it are skipped; when
/// none passes, the first row with text is taken as the header and its problems reported.
pub fn looks_like_header(kind: ImportKind, cells: &[String]) -> bool {
    let columns = kind.columns();
    let mut with_text = 0;
    let mut named = 0;
    for cell in cells {
        let wanted = normalize_header(cell);
        if wanted.is_empty() {
            continue;
        }
        with_text += 1;
        if columns.iter().any(|c| {
            normalize_header(c.title.zh) == wanted || normalize_header(c.title.en) == wanted
        }) {
            named += 1;
        }
    }
    named >= 2 && named * 2 >= with_text
}

/// The first cell with text in a row.
fn first_text(cells: &[String]) -> &str {
    cells
        .iter()
        .map(|c| c.trim())
        .find(|c| !c.is_empty())
        .unwrap_or("")
}

/// Whether a row is an example to read, not a record: its first cell with text starts with
/// `示例` (or `Example`, `e.g.`), as the template's example row does.
pub fn is_example_row(cells: &[String]) -> bool {
    let first = first_text(cells);
    let lower = first.to_lowercase();
    first.starts_with("示例") || lower.starts_with("example") || lower.starts_with("e.g.")
}

/// Whether a row is a total: its first cell with text is 合计, 总计 or 小计 (blanks inside
/// and a trailing colon allowed: `合 计：`), or `Total`.
pub fn is_total_row(cells: &[String]) -> bool {
    let first: String = first_text(cells)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    ["合计", "总计", "小计"]
        .iter()
        .any(|w| first.starts_with(w))
        || first.to_lowercase().trim_end_matches([':', '：']) == "total"
}

/// What the template's example row holds for each column, in template order: plausible
/// values, the first starting with `示例：` so the reader recognises and skips it.
const SCHOOLS_EXAMPLE: &[(&str, &str)] = &[
    ("示例：TN-0101", "Example: TN-0101"),
    ("常州市雕庄中心小学", "常州市雕庄中心小学"),
    ("小学", "Primary school"),
    ("天宁分局", "天宁分局"),
    ("雕庄派出所", "雕庄派出所"),
    ("2025-2026", "2025-2026"),
    ("1,185", "1,185"),
    ("", ""),
];
const STATIONS_EXAMPLE: &[(&str, &str)] = &[
    ("示例：TN-05", "Example: TN-05"),
    ("雕庄派出所", "雕庄派出所"),
    ("天宁分局", "天宁分局"),
    ("关爱站", "关爱站"),
    ("", ""),
];
const SPEAKERS_EXAMPLE: &[(&str, &str)] = &[
    ("示例：2025年宣讲员培训班", "Example: 2025年宣讲员培训班"),
    ("张警官", "张警官"),
    ("雕庄派出所", "雕庄派出所"),
    ("2025-03-10、2025-03-11", "2025-03-10, 2025-03-11"),
    ("是", "yes"),
];
const SESSIONS_EXAMPLE: &[(&str, &str)] = &[
    ("示例：2025", "Example: 2025"),
    ("雕庄派出所", "雕庄派出所"),
    ("常州市雕庄中心小学", "常州市雕庄中心小学"),
    ("", ""),
    ("2025年9月1日", "2025-09-01"),
    ("开学第一课", "First lesson of term"),
    ("防溺水、交通安全", "防溺水, 交通安全"),
    ("320", "320"),
    ("0", "0"),
    ("12", "12"),
    ("0", "0"),
    ("否", "no"),
    ("45", "45"),
    ("张警官", "张警官"),
    ("", ""),
];
const CONFIRMATIONS_EXAMPLE: &[(&str, &str)] = &[
    ("示例：2025", "Example: 2025"),
    ("2025年秋季观影任务", "2025年秋季观影任务"),
    ("常州市雕庄中心小学", "常州市雕庄中心小学"),
    ("守护明天", "守护明天"),
    ("2025年10月15日", "2025-10-15"),
    ("1,185", "1,185"),
    ("0", "0"),
    ("28", "28"),
    ("班级多媒体", "In classrooms"),
];

const VOLUNTEERS_EXAMPLE: &[(&str, &str)] = &[
    ("示例：雕庄派出所", "Example: 雕庄派出所"),
    ("雕庄先锋队", "雕庄先锋队"),
    ("张建国", "张建国"),
    ("139 0000 0000", "139 0000 0000"),
    ("2024-03-01", "2024-03-01"),
    ("", ""),
];
const CASES_EXAMPLE: &[(&str, &str)] = &[
    ("示例：TN03-2024-017", "Example: TN03-2024-017"),
    ("雕庄派出所", "雕庄派出所"),
    ("2010", "2010"),
    ("男", "Male"),
    ("不良行为", "Misbehaviour"),
    ("黄", "Yellow"),
    ("2024-03-01", "2024-03-01"),
    ("", ""),
    ("", ""),
];

impl ImportKind {
    /// The template's example row in `lang`, one cell per column.
    pub fn example(self, lang: Lang) -> Vec<&'static str> {
        let cells = match self {
            ImportKind::Schools => SCHOOLS_EXAMPLE,
            ImportKind::Stations => STATIONS_EXAMPLE,
            ImportKind::Speakers => SPEAKERS_EXAMPLE,
            ImportKind::Sessions => SESSIONS_EXAMPLE,
            ImportKind::Confirmations => CONFIRMATIONS_EXAMPLE,
            ImportKind::Volunteers => VOLUNTEERS_EXAMPLE,
            ImportKind::Cases => CASES_EXAMPLE,
        };
        cells.iter().map(|(zh, en)| lang.pick(zh, en)).collect()
    }

    /// The columns of counts, which a 合计 row at the end may total.
    pub fn summed(self) -> &'static [&'static str] {
        match self {
            ImportKind::Schools => &["students"],
            ImportKind::Stations
            | ImportKind::Speakers
            | ImportKind::Volunteers
            | ImportKind::Cases => &[],
            ImportKind::Sessions => &["students", "parents", "teachers", "others", "duration"],
            ImportKind::Confirmations => &["students", "parents", "classes"],
        }
    }
}

/// Allowed values listed in a problem: all of them when few, else this many and a count.
pub const ALLOWED_LISTED: usize = 10;

/// What a choice cell would accept, to follow the problem's message: `可填：小学、初中…`,
/// or the first [`ALLOWED_LISTED`] and how many there are in all.
pub fn allowed_values(lang: Lang, items: &[&str]) -> String {
    let shown = &items[..items.len().min(ALLOWED_LISTED)];
    let more = items.len() - shown.len();
    match lang {
        Lang::Zh if more > 0 => format!(
            "可填：{} 等，共 {} 项",
            shown.join("、"),
            crate::charts::thousands(items.len() as i64)
        ),
        Lang::Zh => format!("可填：{}", shown.join("、")),
        Lang::En if more > 0 => format!(
            "accepted: {}, and {} more",
            shown.join(", "),
            crate::charts::thousands(more as i64)
        ),
        Lang::En => format!("accepted: {}", shown.join(", ")),
    }
}

/// The figures of a 合计 that is not the column's sum, to follow the problem's message.
pub fn total_figures(lang: Lang, stated: i64, sum: i64) -> String {
    let (stated, sum) = (
        crate::charts::thousands(stated),
        crate::charts::thousands(sum),
    );
    lang.pick(
        &format!("合计填的是 {stated}，各行之和是 {sum}"),
        &format!("the total says {stated}, the rows add up to {sum}"),
    )
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_match_in_either_language_and_in_any_order() {
        let file = headers(&["Station code", "派出所名称", " DISTRICT ", ""]);
        let map = match_headers(ImportKind::Stations, &file).expect("matched");
        assert_eq!(map.position(ImportKind::Stations, "code"), Some(0));
        assert_eq!(map.position(ImportKind::Stations, "district"), Some(2));
        assert_eq!(map.position(ImportKind::Stations, "workstation"), None);
    }

    #[test]
    fn a_header_row_reports_missing_unknown_and_repeated_columns_at_once() {
        let file = headers(&["派出所编码", "Station code", "电话"]);
        let problems = match_headers(ImportKind::Stations, &file).expect_err("problems");
        let missing: Vec<&str> = problems.missing.iter().map(|c| c.key).collect();
        assert_eq!(missing, ["name", "district"]);
        assert_eq!(problems.unknown, ["电话"]);
        assert_eq!(problems.repeated, ["Station code"]);
    }

    #[test]
    fn cells_are_read_as_people_type_them() {
        let date = NaiveDate::from_ymd_opt(2024, 7, 24);
        for text in ["2024-07-24", "2024/7/24", " 2024.07.24 "] {
            assert_eq!(parse_cell_date(text).ok(), date, "{text}");
        }
        assert_eq!(parse_cell_date("24/7/2024"), Err(FieldCode::InvalidDate));
        assert_eq!(parse_bool("是"), Ok(true));
        assert_eq!(parse_bool("No"), Ok(false));
        assert_eq!(parse_bool("maybe"), Err(ImportIssue::NotABoolean));
        assert_eq!(
            split_list("防溺水、交通安全, fraud；"),
            ["防溺水", "交通安全", "fraud"]
        );
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(cell_ref(2, 1), "B3");
    }

    #[test]
    fn school_years_are_read_as_people_write_them() {
        for text in [
            "2025",
            " 2025 ",
            "2025-2026",
            "2025—2026学年",
            "2025–2026",
            "2025/2026",
            "2025-26",
            "2025~2026",
            "2025至2026学年",
            "２０２５－２０２６",
            "2025学年",
            "2025年",
            "2025-2026学年度",
        ] {
            assert_eq!(parse_school_year(text), Ok(2025), "{text}");
        }
        for text in [
            "2025-2027",
            "2025-2025",
            "2026-2025",
            "2025-27",
            "25",
            "二〇二五",
            "2025-",
            "2025-2026-2027",
            "1,185",
        ] {
            assert_eq!(
                parse_school_year(text),
                Err(ImportIssue::NotASchoolYear),
                "{text}"
            );
        }
        assert_eq!(parse_year("２０２４"), Ok(2024));
        assert_eq!(parse_year("20245"), Err(ImportIssue::NotAYear));
    }

    #[test]
    fn dates_are_read_as_people_write_them_and_impossible_ones_refused() {
        let date = NaiveDate::from_ymd_opt(2024, 7, 24);
        for text in [
            "2024年7月24日",
            "2024 年 7 月 24 日",
            "２０２４年７月２４日",
            "2024.7.24",
            "2024/07/24",
        ] {
            assert_eq!(parse_cell_date(text).ok(), date, "{text}");
        }
        for text in [
            "2024年2月30日",
            "2024年7月",
            "7月24日",
            "2024-13-01",
            "24.7.2024",
        ] {
            assert_eq!(parse_cell_date(text), Err(FieldCode::InvalidDate), "{text}");
        }
        assert_eq!(parse_cell_date(" "), Err(FieldCode::Required));
    }

    #[test]
    fn the_header_row_is_told_from_titles_notes_examples_and_totals() {
        let kind = ImportKind::Schools;
        let cases = [
            (vec!["天宁分局辖区学校名单（2025学年）"], false),
            (
                vec!["填报单位：天宁分局", "", "", "日期：2025-09-01"],
                false,
            ),
            (
                vec!["学校编码", "学校名称", "学校类型", "所属分局", "所属派出所"],
                true,
            ),
            // A header with a column of the bureau's own is still the header.
            (vec!["学校编码", "学校名称", "联系电话"], true),
            (vec!["School code", "名称", "电话"], false),
            (vec!["TN-01", "雕庄小学", "小学", "天宁分局"], false),
            (vec!["学校编码"], false),
        ];
        for (cells, want) in cases {
            assert_eq!(looks_like_header(kind, &headers(&cells)), want, "{cells:?}");
        }
        assert!(is_total_row(&headers(&["", "合 计：", "", "1,185"])));
        assert!(is_total_row(&headers(&["总计"])));
        assert!(is_total_row(&headers(&["Total:"])));
        assert!(!is_total_row(&headers(&["TN-01", "合计小学"])));
        for kind in ImportKind::ALL {
            for lang in [Lang::Zh, Lang::En] {
                let example: Vec<String> =
                    kind.example(lang).iter().map(|s| s.to_string()).collect();
                assert_eq!(example.len(), kind.columns().len(), "{kind:?}");
                assert!(is_example_row(&example), "{kind:?} {lang:?}");
                assert!(!looks_like_header(kind, &example), "{kind:?}");
            }
            for key in kind.summed() {
                assert!(kind.columns().iter().any(|c| c.key == *key), "{key}");
            }
        }
    }

    #[test]
    fn allowed_values_are_listed_in_full_or_the_first_ten_and_a_count() {
        assert_eq!(
            allowed_values(Lang::Zh, &["小学", "初中"]),
            "可填：小学、初中"
        );
        assert_eq!(allowed_values(Lang::En, &["a", "b"]), "accepted: a, b");
        let many: Vec<String> = (1..=855).map(|n| format!("校{n}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let zh = allowed_values(Lang::Zh, &many);
        assert!(zh.starts_with("可填：校1、校2、"), "{zh}");
        assert!(zh.ends_with("校10 等，共 855 项"), "{zh}");
        assert!(allowed_values(Lang::En, &many).ends_with("and 845 more"));
        assert_eq!(
            total_figures(Lang::Zh, 1200, 1185),
            "合计填的是 1,200，各行之和是 1,185"
        );
    }

    #[test]
    fn every_kind_has_distinct_headers_in_each_language() {
        for kind in ImportKind::ALL {
            for lang in [Lang::Zh, Lang::En] {
                let mut names: Vec<String> = kind
                    .columns()
                    .iter()
                    .map(|c| normalize_header(c.header(lang)))
                    .collect();
                names.sort();
                names.dedup();
                assert_eq!(names.len(), kind.columns().len(), "{kind:?} {lang:?}");
            }
        }
    }
}
