//! Excel workbooks with rust_xlsxwriter in constant-memory mode: each row goes to a
//! temporary file as soon as the next one starts, so a sheet of any length holds one row
//! in memory; the zip is assembled from that file at the end, into another temporary file
//! that is then sent in chunks. Cells are written as strings or numbers, never formulas,
//! so no text can run as one.

use std::fs::File;
use std::io::{Seek, SeekFrom};

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::Cell;
use crate::error::ApiError;

/// Excel's last row: a longer list cannot be one sheet.
const MAX_ROWS: u32 = 1_048_576;
/// The most characters an Excel cell holds; a longer text (an audit entry's whole record)
/// is cut there rather than failing the file.
const MAX_CELL: usize = 32_767;

pub struct XlsxOut {
    workbook: Workbook,
    next_row: u32,
}

impl XlsxOut {
    pub fn new(sheet: &str, headers: &[&str]) -> Result<XlsxOut, ApiError> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let worksheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(internal)?;
        worksheet.set_name(sheet).map_err(internal)?;
        for (col, header) in headers.iter().enumerate() {
            worksheet
                .write_string_with_format(0, col as u16, *header, &bold)
                .map_err(internal)?;
            worksheet
                .set_column_width(col as u16, 14)
                .map_err(internal)?;
        }
        worksheet.set_freeze_panes(1, 0).map_err(internal)?;
        Ok(XlsxOut {
            workbook,
            next_row: 1,
        })
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<(), ApiError> {
        if self.next_row >= MAX_ROWS {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "more rows than one Excel sheet holds"
            )));
        }
        let row = self.next_row;
        let worksheet = self.workbook.worksheet_from_index(0).map_err(internal)?;
        for (col, cell) in cells.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Empty => {}
                Cell::Number(n) => match n.as_f64() {
                    Some(x) => {
                        worksheet.write_number(row, col, x).map_err(internal)?;
                    }
                    None => {
                        worksheet
                            .write_string(row, col, n.to_string())
                            .map_err(internal)?;
                    }
                },
                Cell::Text(text) => {
                    let text = match text.char_indices().nth(MAX_CELL) {
                        Some((end, _)) => &text[..end],
                        None => text.as_ref(),
                    };
                    worksheet.write_string(row, col, text).map_err(internal)?;
                }
            }
        }
        self.next_row += 1;
        Ok(())
    }

    /// Assembles the workbook into a temporary file, ready to be read from the start.
    /// Blocking: run it off the async workers.
    pub fn finish(mut self) -> Result<File, ApiError> {
        let mut file = tempfile::tempfile().map_err(|e| ApiError::Internal(e.into()))?;
        self.workbook.save_to_writer(&mut file).map_err(internal)?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| ApiError::Internal(e.into()))?;
        Ok(file)
    }
}

fn internal(e: XlsxError) -> ApiError {
    ApiError::Internal(e.into())
}
