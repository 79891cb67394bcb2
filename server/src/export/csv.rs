//! CSV as Excel opens it: UTF-8 with a byte-order mark (without it Excel reads Chinese as
//! mojibake), quoting by the `csv` crate, and text that a spreadsheet would take for a
//! formula defused with a leading `'`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use super::Cell;
use crate::error::ApiError;

const BOM: &[u8] = "\u{feff}".as_bytes();

pub struct CsvOut {
    writer: csv::Writer<Shared>,
    written: Shared,
}

/// The bytes the CSV writer has written, which [`CsvOut::take`] takes out between rows.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CsvOut {
    pub fn new(headers: &[&str]) -> Result<CsvOut, ApiError> {
        let written = Shared::default();
        written.0.borrow_mut().extend_from_slice(BOM);
        let mut writer = csv::Writer::from_writer(written.clone());
        writer.write_record(headers).map_err(internal)?;
        Ok(CsvOut { writer, written })
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<(), ApiError> {
        let fields = cells.iter().map(|cell| match cell {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Number(n) => Cow::Owned(n.to_string()),
            Cell::Text(text) => guard(text),
        });
        let fields = fields.map(|f| f.into_owned().into_bytes());
        self.writer.write_record(fields).map_err(internal)
    }

    /// Bytes written and not yet taken.
    pub fn buffered(&self) -> usize {
        self.written.0.borrow().len()
    }

    /// Takes what is written so far.
    pub fn take(&mut self) -> Result<Vec<u8>, ApiError> {
        self.writer
            .flush()
            .map_err(|e| ApiError::Internal(e.into()))?;
        Ok(std::mem::take(&mut *self.written.0.borrow_mut()))
    }
}

/// A cell that starts like a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
/// before one) would run as one in Excel or LibreOffice: `=cmd|' /C calc'!A0` starts a
/// program. A leading `'` makes it text; the person sees the text as typed after it.
pub fn guard(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

fn internal(e: csv::Error) -> ApiError {
    ApiError::Internal(e.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_starts_like_a_formula_is_made_text() {
        let cases = [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1", "'+1"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("博爱小学", "博爱小学"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(guard(text), expected, "{text}");
        }
    }

    #[test]
    fn the_file_starts_with_the_byte_order_mark_and_quotes_what_needs_it() {
        let mut out = CsvOut::new(&["名称", "备注"]).unwrap();
        out.row(&[Cell::Text("a,b".into()), Cell::Number(3.into())])
            .unwrap();
        let bytes = out.take().unwrap();
        assert!(bytes.starts_with(BOM));
        assert_eq!(
            std::str::from_utf8(&bytes[BOM.len()..]).unwrap(),
            "名称,备注\n\"a,b\",3\n"
        );
    }
}
