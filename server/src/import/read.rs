//! Turning an uploaded file into a header row and rows of cell text.
//!
//! The file is XLSX (read with calamine: the first sheet) or UTF-8 CSV (read with the
//! `csv` crate). Anything a person would have to fix in the file itself — another format,
//! another encoding, formulas, merged cells, error values, no rows — is a [`FileError`]
//! naming what to do, before any row is looked at.

use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx};
use humiao_shared::import::{cell_ref, ImportIssue};

/// A file's content, as text per cell.
#[derive(Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// One row of data.
#[derive(Debug)]
pub struct Row {
    /// As numbered in Excel (the header is row 1 when it is the first row).
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
    /// each with its row as Excel numbers it and its reference (`B3`, `A2:C2`).
    Cells(Vec<(u32, String, ImportIssue)>),
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

/// Reads the body in its format.
pub fn read(format: Format, bytes: &[u8]) -> Result<Table, FileError> {
    match format {
        Format::Xlsx => read_xlsx(bytes),
        Format::Csv => read_csv(bytes),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Table, FileError> {
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
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|_| FileError::Unreadable)?;
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        rows.push(Row {
            number: u32::try_from(index + 1).unwrap_or(u32::MAX),
            cells,
        });
    }
    into_table(rows)
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, FileError> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|_| FileError::Unreadable)?;
    let sheet = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(FileError::NoRows)?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|_| FileError::Unreadable)?;
    let mut problems = Vec::new();

    if let Ok(formulas) = book.worksheet_formula(&sheet) {
        let (top, left) = formulas.start().unwrap_or((0, 0));
        for (r, c, formula) in formulas.used_cells() {
            if !formula.is_empty() {
                let row = top + r as u32;
                problems.push((
                    row + 1,
                    cell_ref(row, left as usize + c),
                    ImportIssue::Formula,
                ));
            }
        }
    }
    if let Ok(merged) = book.merge_cells_by_sheet_name(&sheet) {
        for area in merged {
            let from = cell_ref(area.start.0, area.start.1 as usize);
            let to = cell_ref(area.end.0, area.end.1 as usize);
            problems.push((
                area.start.0 + 1,
                format!("{from}:{to}"),
                ImportIssue::MergedCells,
            ));
        }
    }

    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::with_capacity(range.height());
    for (r, row) in range.rows().enumerate() {
        let number = top + r as u32;
        let mut cells = Vec::with_capacity(row.len());
        for (c, cell) in row.iter().enumerate() {
            if matches!(cell, Data::Error(_)) {
                problems.push((
                    number + 1,
                    cell_ref(number, left as usize + c),
                    ImportIssue::ErrorValue,
                ));
            }
            cells.push(text_of(cell));
        }
        // Columns left of the used range are empty: keep positions as Excel shows them.
        let mut padded = vec![String::new(); left as usize];
        padded.extend(cells);
        rows.push(Row {
            number: number + 1,
            cells: padded,
        });
    }
    if !problems.is_empty() {
        problems.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        problems.dedup();
        return Err(FileError::Cells(problems));
    }
    into_table(rows)
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
    let Some(text) = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes)
    else {
        return false;
    };
    let first = text.lines().next().unwrap_or_default();
    let headers: Vec<String> = first.split(',').map(str::to_string).collect();
    humiao_shared::import::match_headers(kind, &headers).is_ok()
}

/// The first row with any text is the header; blank rows after it are skipped.
fn into_table(rows: Vec<Row>) -> Result<Table, FileError> {
    let blank = |row: &Row| row.cells.iter().all(|c| c.trim().is_empty());
    let mut rows = rows.into_iter().filter(|r| !blank(r));
    let header = rows.next().ok_or(FileError::NoRows)?;
    let rows: Vec<Row> = rows.collect();
    if rows.is_empty() {
        return Err(FileError::NoRows);
    }
    Ok(Table {
        headers: header.cells,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let table = read_csv("\u{feff}a,b\n1,2\n,\n\"x\ny\",3\n".as_bytes()).expect("read");
        assert_eq!(table.headers, ["a", "b"]);
        let numbers: Vec<u32> = table.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 4]);
    }

    #[test]
    fn gbk_text_is_refused_with_its_own_error() {
        // 学校编码 in GBK: not UTF-8.
        let gbk = [
            0xD1, 0xA7, 0xD0, 0xA3, 0xB1, 0xE0, 0xC2, 0xEB, b'\n', b'1', b'\n',
        ];
        assert!(matches!(read_csv(&gbk), Err(FileError::NotUtf8)));
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
