//! Turning an uploaded file into a header row and rows of cell text.
//!
//! The file is XLSX (read with calamine: the first sheet) or UTF-8 CSV (read with the
//! `csv` crate). Anything a person would have to fix in the file itself — another format,
//! another encoding, formulas, merged cells, error values, no rows — is a [`FileError`]
//! naming what to do, before any row is looked at.
//!
//! Sheets are read as people keep them: the header row is found among the first rows
//! (`looks_like_header`), so a title and a 填报单位/日期 line above it are skipped; the
//! template's example row under it and a 合计 row at the end are set apart. Merged cells,
//! formulas and error values there are fine (a merged title, a `=SUM` total); inside the
//! header and the rows of data they are refused as before.
//!
//! A file is hostile until read within its [`Budget`]: an XLSX is a ZIP archive, so its
//! parts are unzipped once through a counter before calamine opens it (declared sizes can
//! lie), and its cells are streamed one at a time, never laid out by the size the sheet
//! declares. A cell past the last row or column, too many cells, or a file still being read
//! at the deadline stops the reading there.

use std::collections::BTreeMap;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::time::{Duration, Instant};

use calamine::{Data, DataRef, DataType, Reader, Xlsx, XlsxError, XlsxFormulaMetadata};
use humiao_shared::import::{
    cell_ref, is_example_row, is_total_row, looks_like_header, ImportIssue, ImportKind, SkipReason,
    HEADER_SEARCH_ROWS, MAX_PROBLEMS,
};

use crate::configuration::ImportLimits;

/// A file's content, as text per cell.
#[derive(Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    /// The header's row as Excel numbers it (1 unless titles come above it).
    pub header_row: u32,
    /// The rows of data, blank rows left out.
    pub rows: Vec<Row>,
    /// A 合计/总计/小计 row at the end: not a record, checked against the rows' sums.
    pub total: Option<Row>,
    /// Rows with text that are not records, by their Excel number, in order.
    pub skipped: Vec<(u32, SkipReason)>,
}

impl Table {
    /// Whether the row (as Excel numbers it) is the header or lies among the rows of data
    /// (blank rows between them included): merged cells and formulas there are refused.
    fn holds(&self, row: u32) -> bool {
        let last = self.rows.last().map_or(self.header_row, |r| r.number);
        (self.header_row..=last).contains(&row)
    }
}

/// One row of data.
#[derive(Debug)]
pub struct Row {
    /// As numbered in Excel.
    pub number: u32,
    pub cells: Vec<String>,
}

/// What can be wrong with the file as a whole.
#[derive(Debug)]
pub enum FileError {
    /// No bytes were sent.
    Empty,
    TooLarge {
        limit: usize,
    },
    /// Neither XLSX nor CSV (a picture, a PDF, a Word file…).
    NotSpreadsheet,
    /// The old binary Excel format (.xls).
    OldExcel,
    /// Text that is not UTF-8: usually a CSV saved as GBK by Excel or WPS.
    NotUtf8,
    /// Looks like XLSX but cannot be read as one.
    Unreadable,
    /// No header row, or a header and no rows of data.
    NoRows,
    /// Cells that hold what an import cannot take: formulas, merged cells, error values;
    /// each with its row as Excel numbers it and its reference (`B3`, `A2:C2`). At most
    /// [`MAX_PROBLEMS`] are listed; the count says how many there were.
    Cells(Vec<(u32, String, ImportIssue)>, u64),
    /// The XLSX file's parts hold more than `limit` bytes once unzipped.
    TooLargeUnzipped {
        limit: u64,
    },
    /// The XLSX file has more than `limit` parts.
    TooManyParts {
        limit: usize,
    },
    /// A cell below row `limit`.
    TooManyRows {
        limit: u32,
    },
    /// A cell right of column `limit`, the header's included.
    TooManyColumns {
        limit: u32,
    },
    /// More than `limit` cells, counting each row from column A to its last cell.
    TooManyCells {
        limit: usize,
    },
    /// Still being read or checked when the time limit ran out.
    TimedOut {
        limit: Duration,
    },
}

/// What reading and checking one file may cost: [`ImportLimits`] and the moment the
/// import must be done by.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub unzipped: u64,
    pub parts: usize,
    pub rows: u32,
    pub columns: u32,
    pub cells: usize,
    pub time: Duration,
    pub deadline: Instant,
}

impl Budget {
    /// The limits, with the time counted from now.
    pub fn starting_now(limits: &ImportLimits) -> Budget {
        let time = Duration::from_secs(limits.import_time_limit_secs);
        Budget {
            unzipped: (limits.import_unzipped_limit_mb as u64).saturating_mul(1024 * 1024),
            parts: limits.import_max_parts,
            rows: limits.import_max_rows,
            columns: limits.import_max_columns,
            cells: limits.import_max_cells,
            time,
            deadline: Instant::now() + time,
        }
    }

    pub fn check_time(&self) -> Result<(), FileError> {
        if Instant::now() >= self.deadline {
            return Err(FileError::TimedOut { limit: self.time });
        }
        Ok(())
    }

    /// A cell (0-based, as calamine and the CSV reader count) within the last row and column.
    fn check_position(&self, row: u32, column: u32) -> Result<(), FileError> {
        if row >= self.rows {
            return Err(FileError::TooManyRows { limit: self.rows });
        }
        if column >= self.columns {
            return Err(FileError::TooManyColumns {
                limit: self.columns,
            });
        }
        Ok(())
    }

    /// What went wrong when a reader stopped: the deadline if it has passed (the reader was
    /// stopped by [`Timed`]), else a file that cannot be read.
    fn unreadable(&self) -> FileError {
        self.check_time().err().unwrap_or(FileError::Unreadable)
    }
}

/// The two formats an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Which format the body is in: the bytes decide where they can (an XLSX file is a ZIP
/// archive), then the `Content-Type`. Browsers on Windows send CSV as
/// `application/vnd.ms-excel`, and some send no type at all.
pub fn format_of(content_type: Option<&str>, bytes: &[u8]) -> Result<Format, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Format::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FileError::OldExcel);
    }
    let mime = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let textual = !bytes.contains(&0);
    match mime.as_str() {
        XLSX_MIME => Err(FileError::Unreadable),
        "text/csv"
        | "application/csv"
        | "text/comma-separated-values"
        | "text/plain"
        | "application/vnd.ms-excel"
        | "application/octet-stream"
        | "" if textual => Ok(Format::Csv),
        _ => Err(FileError::NotSpreadsheet),
    }
}

/// Reads the body in its format as a file of `kind`, within the budget.
pub fn read(
    kind: ImportKind,
    format: Format,
    bytes: &[u8],
    budget: &Budget,
) -> Result<Table, FileError> {
    match format {
        Format::Xlsx => read_xlsx(kind, bytes, budget),
        Format::Csv => read_csv(kind, bytes, budget),
    }
}

fn read_csv(kind: ImportKind, bytes: &[u8], budget: &Budget) -> Result<Table, FileError> {
    // Excel's "CSV UTF-8" starts with a byte-order mark; its "Unicode text" is UTF-16.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(FileError::NotUtf8);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells_read = 0usize;
    for (index, record) in reader.records().enumerate() {
        budget.check_time()?;
        let record = record.map_err(|_| FileError::Unreadable)?;
        let row = u32::try_from(index).unwrap_or(u32::MAX);
        // Every field counts, blank ones too: a CSV has no cells to skip.
        let width = u32::try_from(record.len()).unwrap_or(u32::MAX);
        budget.check_position(row, width.saturating_sub(1))?;
        cells_read += record.len();
        if cells_read > budget.cells {
            return Err(FileError::TooManyCells {
                limit: budget.cells,
            });
        }
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        rows.push(Row {
            number: row.saturating_add(1),
            cells,
        });
    }
    into_table(kind, rows)
}

/// The file's bytes as calamine reads them, refusing to be read after the deadline:
/// calamine's loops read through here, so a sheet that takes too long to parse stops at its
/// next read instead of holding a thread that cannot be killed.
struct Timed<'a> {
    bytes: Cursor<&'a [u8]>,
    deadline: Instant,
}

impl Read for Timed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if Instant::now() >= self.deadline {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.bytes.read(buf)
    }
}

impl Seek for Timed<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.bytes.seek(pos)
    }
}

/// Unzips every part of the archive once, counting the bytes it inflates to, before calamine
/// sees it: a few kilobytes can declare small sizes and inflate to gigabytes.
fn check_archive(bytes: &[u8], budget: &Budget) -> Result<(), FileError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FileError::Unreadable)?;
    if archive.len() > budget.parts {
        return Err(FileError::TooManyParts {
            limit: budget.parts,
        });
    }
    let mut unzipped = 0u64;
    let mut buf = vec![0; 64 * 1024];
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(|_| FileError::Unreadable)?;
        loop {
            budget.check_time()?;
            let n = match part.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return Err(FileError::Unreadable),
            };
            unzipped += n as u64;
            if unzipped > budget.unzipped {
                return Err(FileError::TooLargeUnzipped {
                    limit: budget.unzipped,
                });
            }
        }
    }
    Ok(())
}

/// Rows of cell text built from cells in any order, each row as wide as its last cell with
/// text; counts what it holds against the budget.
struct SparseRows<'b> {
    budget: &'b Budget,
    rows: BTreeMap<u32, Vec<String>>,
    /// Cells read, and cells laid out (blank ones left of a cell with text included).
    read: usize,
    laid_out: usize,
}

impl SparseRows<'_> {
    fn count_read(&mut self) -> Result<(), FileError> {
        self.read += 1;
        self.check_cells(self.read)
    }

    fn check_cells(&self, n: usize) -> Result<(), FileError> {
        if n > self.budget.cells {
            return Err(FileError::TooManyCells {
                limit: self.budget.cells,
            });
        }
        Ok(())
    }

    fn put(&mut self, row: u32, column: u32, text: String) -> Result<(), FileError> {
        let cells = self.rows.entry(row).or_default();
        let column = column as usize;
        if cells.len() <= column {
            let added = column + 1 - cells.len();
            if self.laid_out + added > self.budget.cells {
                return Err(FileError::TooManyCells {
                    limit: self.budget.cells,
                });
            }
            self.laid_out += added;
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
        Ok(())
    }

    fn into_rows(self) -> Vec<Row> {
        self.rows
            .into_iter()
            .map(|(row, cells)| Row {
                number: row + 1,
                cells,
            })
            .collect()
    }
}

/// Cells an import cannot take, as [`FileError::Cells`] lists them: the first
/// [`MAX_PROBLEMS`] found, and how many in all.
#[derive(Default)]
struct CellProblems {
    listed: Vec<(u32, String, ImportIssue)>,
    count: u64,
}

impl CellProblems {
    fn push(&mut self, row: u32, cell: impl FnOnce() -> String, issue: ImportIssue) {
        self.count += 1;
        if self.listed.len() < MAX_PROBLEMS {
            self.listed.push((row, cell(), issue));
        }
    }
}

fn read_xlsx(kind: ImportKind, bytes: &[u8], budget: &Budget) -> Result<Table, FileError> {
    check_archive(bytes, budget)?;
    let timed = Timed {
        bytes: Cursor::new(bytes),
        deadline: budget.deadline,
    };
    let mut book = Xlsx::new(timed).map_err(|_| budget.unreadable())?;
    let sheet = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(FileError::NoRows)?;
    let mut problems = CellProblems::default();
    let mut rows = SparseRows {
        budget,
        rows: BTreeMap::new(),
        read: 0,
        laid_out: 0,
    };
    let unreadable = |_: XlsxError| budget.unreadable();
    {
        // The sheet's declared dimension is never used: it can claim a million rows.
        let mut cells = book.worksheet_cells_reader(&sheet).map_err(unreadable)?;
        while let Some(cell) = cells
            .next_cell_with_formula_metadata()
            .map_err(unreadable)?
        {
            rows.count_read()?;
            let (row, column) = cell.pos;
            let formula = cell.formula.is_some_and(|f| match f {
                XlsxFormulaMetadata::Normal { formula } => !formula.is_empty(),
                _ => true,
            });
            if matches!(cell.value, DataRef::Empty) && !formula {
                // A blank cell with a style only: nothing to read, wherever it is.
                continue;
            }
            budget.check_position(row, column)?;
            let at = || cell_ref(row, column as usize);
            if formula {
                problems.push(row + 1, at, ImportIssue::Formula);
            }
            if matches!(cell.value, DataRef::Error(_)) {
                problems.push(row + 1, at, ImportIssue::ErrorValue);
            }
            let text = text_of(&Data::from(cell.value));
            if !text.is_empty() {
                rows.put(row, column, text)?;
            }
        }
    }
    budget.check_time()?;
    let merged = book.merge_cells_by_sheet_name(&sheet).unwrap_or_default();
    let table = into_table(kind, rows.into_rows());
    // Cells an import cannot take count only in the header and the rows of data; with no
    // rows found, all of them are listed.
    let holds = |row: u32| table.as_ref().map_or(true, |t| t.holds(row));
    let CellProblems { listed, count } = problems;
    // The cells found after the first MAX_PROBLEMS were not kept; they came after those
    // kept (a sheet lists its rows in order), below any title: counted as in the data.
    let unlisted = count - listed.len() as u64;
    let mut problems = CellProblems::default();
    for (row, cell, issue) in listed.into_iter().filter(|p| holds(p.0)) {
        problems.push(row, || cell, issue);
    }
    problems.count += unlisted;
    for area in merged {
        budget.check_time()?;
        let (first, last) = (area.start.0 + 1, area.end.0 + 1);
        if !(first..=last).any(holds) {
            continue;
        }
        let from = cell_ref(area.start.0, area.start.1 as usize);
        let to = cell_ref(area.end.0, area.end.1 as usize);
        problems.push(first, || format!("{from}:{to}"), ImportIssue::MergedCells);
    }
    budget.check_time()?;
    if problems.count > 0 {
        let CellProblems { mut listed, count } = problems;
        let all_listed = count == listed.len() as u64;
        listed.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        listed.dedup();
        let count = if all_listed {
            listed.len() as u64
        } else {
            count
        };
        return Err(FileError::Cells(listed, count));
    }
    table
}

/// A cell's value as the text a person typed: whole numbers without a decimal point,
/// dates as `YYYY-MM-DD`.
fn text_of(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(_) => match cell.as_datetime() {
            Some(at) if at.time() == chrono::NaiveTime::MIN => at.format("%Y-%m-%d").to_string(),
            Some(at) => at.format("%Y-%m-%d %H:%M").to_string(),
            None => String::new(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    }
}

/// True when the body is CSV whose header row, read as GBK, is a header row of `kind`: a
/// GBK file whose bytes happen to be valid UTF-8 (short Chinese headers can be), which would
/// otherwise be reported as wrong columns rather than as the wrong encoding.
pub fn is_gbk_csv_of(kind: humiao_shared::import::ImportKind, bytes: &[u8]) -> bool {
    // The header row only: the rest of a large file need not be decoded.
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let Some(text) =
        encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(first_line)
    else {
        return false;
    };
    let first = text.lines().next().unwrap_or_default();
    let headers: Vec<String> = first.split(',').map(str::to_string).collect();
    humiao_shared::import::match_headers(kind, &headers).is_ok()
}

/// The header, the rows of data and the rows set apart. Blank rows are left out. The
/// header is the first of the first [`HEADER_SEARCH_ROWS`] rows with text that looks like
/// the kind's header (see `looks_like_header`), or else the first row with text (so a wrong
/// header is reported as one); rows above it are titles. Rows right under it that start
/// with `示例` are the template's example; a last row that starts with 合计/总计/小计 is
/// the total. None of these is a record.
fn into_table(kind: ImportKind, rows: Vec<Row>) -> Result<Table, FileError> {
    let blank = |row: &Row| row.cells.iter().all(|c| c.trim().is_empty());
    let mut rows: Vec<Row> = rows.into_iter().filter(|r| !blank(r)).collect();
    let at = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|r| looks_like_header(kind, &r.cells))
        .unwrap_or(0);
    let mut rest = rows.split_off((at + 1).min(rows.len()));
    let header = rows.pop().ok_or(FileError::NoRows)?;
    let mut skipped: Vec<(u32, SkipReason)> =
        rows.iter().map(|r| (r.number, SkipReason::Title)).collect();
    let examples = rest.iter().take_while(|r| is_example_row(&r.cells)).count();
    skipped.extend(
        rest.drain(..examples)
            .map(|r| (r.number, SkipReason::Example)),
    );
    let total = if rest.last().is_some_and(|r| is_total_row(&r.cells)) {
        rest.pop()
    } else {
        None
    };
    if let Some(total) = &total {
        skipped.push((total.number, SkipReason::Total));
    }
    if rest.is_empty() {
        return Err(FileError::NoRows);
    }
    Ok(Table {
        headers: header.cells,
        header_row: header.number,
        rows: rest,
        total,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget() -> Budget {
        Budget::starting_now(&ImportLimits::default())
    }

    #[test]
    fn the_bytes_and_the_content_type_tell_the_format() {
        let csv = "编码,名称\nA,B\n".as_bytes();
        let cases: [(Option<&str>, &[u8], Option<Format>); 7] = [
            (Some("text/csv; charset=utf-8"), csv, Some(Format::Csv)),
            (Some("application/vnd.ms-excel"), csv, Some(Format::Csv)),
            (None, csv, Some(Format::Csv)),
            (Some(XLSX_MIME), b"PK\x03\x04rest", Some(Format::Xlsx)),
            (Some("text/csv"), b"PK\x03\x04rest", Some(Format::Xlsx)),
            (Some("image/png"), b"\x89PNG\r\n\x1a\n\0\0", None),
            (Some(XLSX_MIME), csv, None),
        ];
        for (content_type, bytes, want) in cases {
            assert_eq!(
                format_of(content_type, bytes).ok(),
                want,
                "{content_type:?}"
            );
        }
    }

    #[test]
    fn csv_rows_are_numbered_as_excel_numbers_them_and_blank_rows_are_skipped() {
        let table = read_csv(
            ImportKind::Stations,
            "\u{feff}a,b\n1,2\n,\n\"x\ny\",3\n".as_bytes(),
            &budget(),
        )
        .expect("read");
        assert_eq!(table.headers, ["a", "b"]);
        let numbers: Vec<u32> = table.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 4]);
    }

    #[test]
    fn titles_above_the_header_the_example_row_and_the_total_are_set_apart() {
        let text = "天宁分局派出所名单,,\n填报单位：天宁分局,,日期：2025年9月1日\n\
                    派出所编码,派出所名称,所属分局\n示例：TN-05,雕庄派出所,天宁分局\n\
                    TN-01,甲所,TN\n,,\nTN-02,乙所,TN\n合 计,2 个,\n";
        let table = read_csv(ImportKind::Stations, text.as_bytes(), &budget()).expect("read");
        assert_eq!(table.header_row, 3);
        assert_eq!(table.headers[0], "派出所编码");
        let numbers: Vec<u32> = table.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [5, 7]);
        assert_eq!(table.total.as_ref().map(|r| r.number), Some(8));
        assert_eq!(
            table.skipped,
            [
                (1, SkipReason::Title),
                (2, SkipReason::Title),
                (4, SkipReason::Example),
                (8, SkipReason::Total)
            ]
        );
        assert!(table.holds(3) && table.holds(6) && table.holds(7));
        assert!(!table.holds(2) && !table.holds(8));

        // No row looks like the header: the first is taken, so its problems are reported.
        let table = read_csv(
            ImportKind::Stations,
            "编码,名字\nA,B\n".as_bytes(),
            &budget(),
        )
        .expect("read");
        assert_eq!((table.header_row, table.headers[0].as_str()), (1, "编码"));
        // The header is looked for among the first ten rows with text only.
        let late = format!(
            "{}派出所编码,派出所名称,所属分局\nA,B,C\n",
            "说明\n".repeat(10)
        );
        let table = read_csv(ImportKind::Stations, late.as_bytes(), &budget()).expect("read");
        assert_eq!(table.header_row, 1);
        // The template sent back as it came has no rows.
        let template = "派出所编码,派出所名称,所属分局\n示例：TN-05,雕庄派出所,天宁分局\n";
        assert!(matches!(
            read_csv(ImportKind::Stations, template.as_bytes(), &budget()),
            Err(FileError::NoRows)
        ));
    }

    #[test]
    fn a_csv_past_a_limit_stops_at_the_limit_it_broke() {
        let small = Budget {
            rows: 3,
            columns: 4,
            cells: 10,
            ..budget()
        };
        let late = Budget {
            deadline: Instant::now(),
            ..budget()
        };
        let cases: [(&str, Budget, &str, Option<&str>); 5] = [
            ("within", small, "a,b,c,d\n1,2,3,4\n", None),
            ("a fourth row", small, "a\n1\n2\n3\n", Some("rows")),
            ("a fifth column", small, "a,b,c,d,e\n1\n", Some("columns")),
            (
                "eleven cells",
                small,
                "a,b,c,d\n1,2,3,4\n5,6,7\n",
                Some("cells"),
            ),
            ("past the deadline", late, "a\n1\n", Some("time")),
        ];
        for (what, budget, text, want) in cases {
            let got = match read_csv(ImportKind::Stations, text.as_bytes(), &budget) {
                Ok(_) => None,
                Err(FileError::TooManyRows { limit: 3 }) => Some("rows"),
                Err(FileError::TooManyColumns { limit: 4 }) => Some("columns"),
                Err(FileError::TooManyCells { limit: 10 }) => Some("cells"),
                Err(FileError::TimedOut { .. }) => Some("time"),
                Err(other) => panic!("{what}: {other:?}"),
            };
            assert_eq!(got, want, "{what}");
        }
    }

    #[test]
    fn gbk_text_is_refused_with_its_own_error() {
        // 学校编码 in GBK: not UTF-8.
        let gbk = [
            0xD1, 0xA7, 0xD0, 0xA3, 0xB1, 0xE0, 0xC2, 0xEB, b'\n', b'1', b'\n',
        ];
        assert!(matches!(
            read_csv(ImportKind::Schools, &gbk, &budget()),
            Err(FileError::NotUtf8)
        ));
    }

    #[test]
    fn gbk_headers_that_happen_to_be_valid_utf8_are_recognised() {
        use humiao_shared::import::ImportKind;
        let (gbk, _, _) = encoding_rs::GBK.encode("派出所编码,派出所名称,所属分局\nA,B,C\n");
        let utf8 = "派出所编码,派出所名称,所属分局\nA,B,C\n".as_bytes();
        assert!(is_gbk_csv_of(ImportKind::Stations, &gbk));
        assert!(!is_gbk_csv_of(ImportKind::Stations, utf8));
        assert!(!is_gbk_csv_of(ImportKind::Schools, &gbk));
    }
}
