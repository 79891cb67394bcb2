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
            "学年开始的年份，如 2024 即 2024–25 学年",
            "The year the school year starts, e.g. 2024 for 2024–25",
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
    /// School year and students on roll come together.
    IncompleteRoll,
    /// A cell with an Excel error value (#N/A, #REF!…).
    ErrorValue,
    /// A cell whose value is worked out by a formula.
    Formula,
    /// A cell inside merged cells.
    MergedCells,
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

/// A date as people type it in a sheet: `2024-07-24`, `2024/7/24` or `2024.7.24`.
pub fn parse_cell_date(text: &str) -> Result<NaiveDate, FieldCode> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldCode::Required);
    }
    ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
        .ok_or(FieldCode::InvalidDate)
}

/// Yes or no in either language; blank is no.
pub fn parse_bool(text: &str) -> Result<bool, ImportIssue> {
    match text.trim().to_lowercase().as_str() {
        "" | "否" | "no" | "n" | "false" | "0" | "×" => Ok(false),
        "是" | "yes" | "y" | "true" | "1" | "√" | "✓" => Ok(true),
        _ => Err(ImportIssue::NotABoolean),
    }
}

/// A four-digit year.
pub fn parse_year(text: &str) -> Result<i32, ImportIssue> {
    text.trim()
        .parse::<i32>()
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
