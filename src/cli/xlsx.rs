//! `-o FILE.xlsx`: rows of cells as one sheet of a workbook. Each cell's
//! type is its own (`Cell::xlsx`): text as text, numbers with their
//! format, days as dates. A bold header row, frozen, with filters;
//! columns as wide as their header and content (CJK characters count
//! two), at most `MAX_WIDTH`.
//!
//! The sheet is written in rust_xlsxwriter's constant-memory mode: each
//! row goes to a temporary file (in the output's folder) as soon as the
//! next begins, and the workbook is zipped from it at the end; a million
//! rows take as much memory as one.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use anyhow::Result;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use xaas::cells::{Cell, Field, NumberFormat, XlsxValue, XLSX_DATE_FORMAT};
use xaas::labels::Lang;
use xaas::msg::xlsx as msg;

use super::output::{display_width, thousands};

/// The widest a column is made, in characters.
const MAX_WIDTH: usize = 50;

/// Rows a sheet holds, the header's included.
const MAX_ROWS: u32 = 1_048_576;

/// Characters a cell holds.
const MAX_CHARS: usize = 32_767;

pub struct XlsxSink {
    book: Workbook,
    file: File,
    lang: Lang,
    headers: Vec<&'static str>,
    formats: Formats,
    /// The next row to write (0 is the header).
    row: u32,
    /// Each column's width so far, in characters.
    widths: Vec<usize>,
}

struct Formats {
    header: Format,
    date: Format,
    count: Format,
    amount: Format,
    tenths: Format,
}

impl Formats {
    fn number(&self, f: NumberFormat) -> &Format {
        match f {
            NumberFormat::Count => &self.count,
            NumberFormat::Amount => &self.amount,
            NumberFormat::Tenths => &self.tenths,
        }
    }
}

impl XlsxSink {
    /// A workbook to be saved into `file`, its one sheet named `sheet`,
    /// the header (in `lang`) written; temporary data goes to `tempdir`.
    pub fn new(
        file: File,
        tempdir: &Path,
        sheet: &str,
        lang: Lang,
        fields: &[Field],
    ) -> Result<XlsxSink> {
        let mut book = Workbook::new();
        book.set_tempdir(tempdir).map_err(xlsx_error)?;
        // Excel saves at level 3: ~30% faster than the default 6 for a
        // file ~5% larger.
        book.set_zip_compression_level(3);
        let num = |code: &str| Format::new().set_num_format(code);
        let formats = Formats {
            header: Format::new().set_bold(),
            date: num(XLSX_DATE_FORMAT),
            count: num(NumberFormat::Count.code()),
            amount: num(NumberFormat::Amount.code()),
            tenths: num(NumberFormat::Tenths.code()),
        };
        let headers: Vec<&'static str> = fields.iter().map(|f| f.header(lang)).collect();
        let ws = book
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        ws.set_name(sheet).map_err(xlsx_error)?;
        ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, col(c), *h, &formats.header)
                .map_err(xlsx_error)?;
        }
        // The header's width, and room for its filter button.
        let widths = headers
            .iter()
            .map(|h| display_width(h).min(MAX_WIDTH) + 2)
            .collect();
        Ok(XlsxSink {
            book,
            file,
            lang,
            headers,
            formats,
            row: 1,
            widths,
        })
    }

    /// One row of cells, in the header's order.
    pub fn row<'a>(&mut self, cells: impl Iterator<Item = &'a Cell>) -> Result<()> {
        if self.row >= MAX_ROWS {
            anyhow::bail!(msg::too_many_rows(thousands(u64::from(MAX_ROWS))));
        }
        let row = self.row;
        let ws = self.book.worksheet_from_index(0).map_err(xlsx_error)?;
        for (c, cell) in cells.enumerate() {
            let value = cell.xlsx(self.lang);
            if let Some(w) = self.widths.get_mut(c) {
                *w = (*w).max(value_width(&value).min(MAX_WIDTH));
            }
            let written = match value {
                XlsxValue::Empty => continue,
                XlsxValue::Text(t) => {
                    let chars = t.chars().count();
                    if chars > MAX_CHARS {
                        let column = self.headers.get(c).copied().unwrap_or_default();
                        anyhow::bail!(msg::cell_too_long(
                            column,
                            thousands(chars as u64),
                            thousands(MAX_CHARS as u64)
                        ));
                    }
                    ws.write_string(row, col(c), t.as_ref())
                }
                XlsxValue::Number(x, f) => {
                    ws.write_number_with_format(row, col(c), x, self.formats.number(f))
                }
                XlsxValue::Date(d) => match excel_day(d) {
                    Some(day) => {
                        ws.write_datetime_with_format(row, col(c), day, &self.formats.date)
                    }
                    // Before 1900: no day to Excel; its text then.
                    None => ws.write_string(row, col(c), xaas::date::iso(d)),
                },
            };
            written.map_err(xlsx_error)?;
        }
        self.row += 1;
        Ok(())
    }

    /// Filters over the header and the rows, the columns' widths, and the
    /// workbook saved into the file (flushed; the caller commits it).
    pub fn finish(mut self) -> Result<u64> {
        let rows = self.row;
        let n = self.headers.len();
        let widths = std::mem::take(&mut self.widths);
        let ws = self.book.worksheet_from_index(0).map_err(xlsx_error)?;
        if n > 0 {
            ws.autofilter(0, 0, rows - 1, col(n - 1))
                .map_err(xlsx_error)?;
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(col(c), (*w + 1) as f64)
                .map_err(xlsx_error)?;
        }
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, &self.file);
        self.book.save_to_writer(&mut out).map_err(xlsx_error)?;
        out.flush()?;
        Ok(u64::from(rows - 1))
    }
}

fn excel_day(d: chrono::NaiveDate) -> Option<ExcelDateTime> {
    use chrono::Datelike;
    let (y, m, day) = (
        u16::try_from(d.year()).ok()?,
        d.month() as u8,
        d.day() as u8,
    );
    ExcelDateTime::from_ymd(y, m, day).ok()
}

fn col(c: usize) -> u16 {
    u16::try_from(c).expect("a sheet's columns fit in u16")
}

/// How many characters wide a value shows: CJK characters count two.
fn value_width(v: &XlsxValue<'_>) -> usize {
    match v {
        XlsxValue::Empty => 0,
        XlsxValue::Text(t) => display_width(t),
        XlsxValue::Date(_) => 10,
        XlsxValue::Number(x, f) => {
            let digits = |n: f64| {
                let whole = n.abs().trunc();
                (if whole < 1.0 {
                    1.0
                } else {
                    whole.log10().floor() + 1.0
                }) as usize
                    + usize::from(n < 0.0)
            };
            match f {
                NumberFormat::Count => digits(*x),
                // Grouped by three, then two decimals.
                NumberFormat::Amount => {
                    let d = digits(*x);
                    d + (d.saturating_sub(1)) / 3 + 3
                }
                NumberFormat::Tenths => digits(*x) + 2,
            }
        }
    }
}

/// The library's error as this program's: an I/O error stays one (so that
/// the caller names the file it hit).
fn xlsx_error(e: XlsxError) -> anyhow::Error {
    match e {
        XlsxError::IoError(io) => io.into(),
        other => anyhow::anyhow!(msg::cannot_write_workbook(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_what_the_cell_shows() {
        let text = |s: &'static str| XlsxValue::Text(s.into());
        assert_eq!(value_width(&text("S00004")), 6);
        assert_eq!(value_width(&text("金盾物流")), 8);
        assert_eq!(
            value_width(&XlsxValue::Number(1_234_567.5, NumberFormat::Amount)),
            12
        );
        assert_eq!(
            value_width(&XlsxValue::Number(0.5, NumberFormat::Amount)),
            4
        );
        assert_eq!(
            value_width(&XlsxValue::Number(-12.0, NumberFormat::Count)),
            3
        );
    }
}
