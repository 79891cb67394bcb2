//! The template of each kind: the header row in the asker's language and one example row,
//! as XLSX (with a notes sheet saying what each column holds) or as CSV that Excel opens as
//! UTF-8.
//!
//! The example row shows a plausible record; its first cell starts with `示例：`
//! (`Example:`), so an import recognises and skips it. It is never imported, because what
//! it names (a school, a station) need not exist in this city: a template sent back as it
//! came is refused as having no rows, and one filled in under the example imports only the
//! rows filled in, whether the example row was kept or deleted.

use humiao_shared::import::ImportKind;
use humiao_shared::Lang;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// An XLSX workbook: the data sheet first (the one an import reads), its cells formatted as
/// text so that Excel keeps codes such as `007` and dates as typed, then the notes.
pub fn xlsx(kind: ImportKind, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let text = Format::new().set_num_format("@");
    let header = Format::new().set_bold().set_num_format("@");
    let columns = kind.columns();

    let sheet = book.add_worksheet();
    sheet.set_name(kind.label(lang))?;
    for (i, column) in columns.iter().enumerate() {
        let i = u16::try_from(i).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, i, column.header(lang), &header)?;
        sheet.set_column_width(i, 18)?;
        sheet.set_column_format(i, &text)?;
    }
    let example = Format::new()
        .set_italic()
        .set_font_color("#6B6B6B")
        .set_num_format("@");
    for (i, cell) in kind.example(lang).into_iter().enumerate() {
        let i = u16::try_from(i).unwrap_or(u16::MAX);
        sheet.write_string_with_format(1, i, cell, &example)?;
    }
    sheet.set_freeze_panes(1, 0)?;

    let notes = book.add_worksheet();
    notes.set_name(lang.pick("填写说明", "Notes"))?;
    let titles = [
        lang.pick("列", "Column"),
        lang.pick("是否必填", "Required"),
        lang.pick("说明", "What it holds"),
    ];
    for (i, title) in titles.into_iter().enumerate() {
        notes.write_string_with_format(0, i as u16, title, &header)?;
    }
    for (r, column) in columns.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        notes.write_string(r, 0, column.header(lang))?;
        let required = if column.required {
            lang.pick("是", "yes")
        } else {
            ""
        };
        notes.write_string(r, 1, required)?;
        notes.write_string(r, 2, column.hint(lang))?;
    }
    let last = u32::try_from(columns.len() + 2).unwrap_or(u32::MAX);
    notes.write_string(
        last,
        0,
        lang.pick(
            "第 2 行是示例（第一格以“示例”开头），导入时跳过；可保留，也可删除。",
            "Row 2 is an example (its first cell starts with \"Example\"); imports skip it, so keep or delete it.",
        ),
    )?;
    notes.set_column_width(0, 20)?;
    notes.set_column_width(2, 60)?;
    book.save_to_buffer()
}

/// A CSV header line and the example line, behind the byte-order mark that makes Excel
/// read it as UTF-8.
pub fn csv(kind: ImportKind, lang: Lang) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let mut writer = csv::Writer::from_writer(&mut out);
    // Writing to memory cannot fail.
    let _ = writer.write_record(kind.columns().iter().map(|c| c.header(lang)));
    let _ = writer.write_record(kind.example(lang));
    let _ = writer.flush();
    drop(writer);
    out
}
