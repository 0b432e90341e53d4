//! Output formats shared by every listing: a table on a terminal, TSV when
//! piped, CSV and JSON on request. Data to stdout, nothing else.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use clap::ValueEnum;
use comfy_table::{
    presets, ColumnConstraint, ContentArrangement, Table, TableComponent, Width as ComfyWidth,
};

use xaas::cells::{self, guard, Cell, Field};
use xaas::labels::Lang;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Auto,
    Table,
    Tsv,
    Csv,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Tsv,
    Csv,
    Json,
}

impl FormatArg {
    /// `auto` is a table on a terminal and TSV when piped, as `gh` does.
    pub fn resolve(self) -> Format {
        match self {
            FormatArg::Auto if std::io::stdout().is_terminal() => Format::Table,
            FormatArg::Auto | FormatArg::Tsv => Format::Tsv,
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
        }
    }
}

enum Sink {
    Delimited(Box<csv::Writer<Box<dyn Write>>>),
    Json(Box<dyn Write>),
    Table(Vec<Vec<String>>, Box<dyn Write>),
}

/// Writes rows of cells in one format. TSV and tables print nothing at all
/// when there are no rows (cron mails any output); CSV keeps its header
/// and JSON prints `[]`.
pub struct Out {
    lang: Lang,
    guard: bool,
    fields: Vec<Field>,
    sink: Sink,
    rows: u64,
    /// CSV writes its header up front; TSV with its first row.
    header_done: bool,
    /// Reused for cells that are not stored text.
    scratch: String,
}

impl Out {
    pub fn new(w: Box<dyn Write>, format: Format, lang: Lang, fields: Vec<Field>) -> Result<Out> {
        let delimited = |d: u8, w| {
            csv::WriterBuilder::new()
                .delimiter(d)
                .has_headers(false)
                .from_writer(w)
        };
        let sink = match format {
            Format::Csv => Sink::Delimited(Box::new(delimited(b',', w))),
            Format::Tsv => Sink::Delimited(Box::new(delimited(b'\t', w))),
            Format::Json => Sink::Json(w),
            Format::Table => Sink::Table(Vec::new(), w),
        };
        let mut out = Out {
            lang: if format == Format::Json {
                Lang::En
            } else {
                lang
            },
            guard: false,
            fields,
            sink,
            rows: 0,
            header_done: false,
            scratch: String::new(),
        };
        if format == Format::Csv {
            out.header()?;
        }
        Ok(out)
    }

    /// Quote formula-like text cells (for files meant for spreadsheets).
    pub fn guarded(mut self) -> Out {
        self.guard = true;
        self
    }

    fn header(&mut self) -> Result<()> {
        self.header_done = true;
        if let Sink::Delimited(w) = &mut self.sink {
            w.write_record(self.fields.iter().map(|f| f.header(self.lang)))?;
        }
        Ok(())
    }

    /// One row given in two parts (a shared prefix and the rest).
    pub fn row2(&mut self, head: &[Cell], tail: &[Cell]) -> Result<()> {
        if let Sink::Delimited(_) = self.sink {
            return self.delimited(head.iter().chain(tail));
        }
        let all: Vec<Cell> = head.iter().chain(tail).cloned().collect();
        self.row(&all)
    }

    /// The cells at `idx` (from `pick`) of a full row.
    pub fn picked(&mut self, cells: &[Cell], idx: &[usize]) -> Result<()> {
        let row: Vec<Cell> = idx.iter().map(|&i| cells[i].clone()).collect();
        self.row(&row)
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        if let Sink::Delimited(_) = self.sink {
            return self.delimited(cells.iter());
        }
        self.rows += 1;
        let lang = self.lang;
        match &mut self.sink {
            Sink::Delimited(_) => unreachable!("written above"),
            Sink::Json(w) => {
                w.write_all(if self.rows == 1 { b"[\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *w, &cells::object(&self.fields, cells))?;
            }
            Sink::Table(rows, _) => {
                rows.push(cells.iter().map(|c| c.text(lang).into_owned()).collect())
            }
        }
        Ok(())
    }

    pub fn finish(self) -> Result<u64> {
        let n = self.rows;
        match self.sink {
            Sink::Delimited(mut w) => w.flush()?,
            Sink::Json(mut w) => {
                w.write_all(if n == 0 { b"[]\n" } else { b"\n]\n" })?;
                w.flush()?;
            }
            Sink::Table(rows, mut w) => {
                if !rows.is_empty() {
                    let t = table(&self.fields, self.lang, rows);
                    writeln!(w, "{t}")?;
                    w.flush()?;
                }
            }
        }
        Ok(n)
    }
}

/// Fields and a picker for the table's narrower set of columns.
pub fn pick(format: Format, fields: Vec<Field>, table_keys: &[&str]) -> (Vec<Field>, Vec<usize>) {
    if format != Format::Table {
        let all = (0..fields.len()).collect();
        return (fields, all);
    }
    let idx: Vec<usize> = table_keys
        .iter()
        .filter_map(|k| fields.iter().position(|f| f.key == *k))
        .collect();
    (idx.iter().map(|&i| fields[i]).collect(), idx)
}

/// Columns of free text: on a narrow terminal these wrap first.
const FREE_TEXT: &[&str] = &[
    "customer_name",
    "product",
    "note",
    "reason_detail",
    "background",
    "satisfaction",
    "services",
];

impl Out {
    fn delimited<'a>(&mut self, cells: impl Iterator<Item = &'a Cell>) -> Result<()> {
        self.rows += 1;
        if !self.header_done {
            self.header()?;
        }
        let Sink::Delimited(w) = &mut self.sink else {
            unreachable!("called for delimited sinks only")
        };
        for c in cells {
            match c {
                Cell::Text(t) if self.guard => w.write_field(guard(t).as_bytes())?,
                Cell::Text(t) => w.write_field(t.as_bytes())?,
                other => {
                    self.scratch.clear();
                    other.write_text(self.lang, &mut self.scratch);
                    w.write_field(self.scratch.as_bytes())?;
                }
            }
        }
        w.write_record(None::<&[u8]>)?;
        Ok(())
    }
}

/// A table fitted to the terminal (or to `COLUMNS`, when set): natural
/// widths when they fit; otherwise free text wraps first, then the widest
/// columns, so ids, dates and amounts stay on one line as long as possible.
pub fn table(fields: &[Field], lang: Lang, rows: Vec<Vec<String>>) -> Table {
    let header: Vec<String> = fields.iter().map(|f| f.header(lang).to_string()).collect();
    let free: Vec<bool> = fields.iter().map(|f| FREE_TEXT.contains(&f.key)).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(display_width(cell));
        }
    }
    let mut t = Table::new();
    // No borders, one rule under the header: more room for the data.
    t.load_preset(presets::NOTHING)
        .set_style(TableComponent::HeaderLines, '─')
        .set_style(TableComponent::MiddleHeaderIntersections, '─')
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
    {
        t.set_width(w);
    }
    for r in rows {
        t.add_row(r);
    }
    if let Some(width) = t.width() {
        // Each column has a space of padding on either side, and a blank
        // separator between columns.
        let room = (usize::from(width) + 1).saturating_sub(3 * widths.len());
        if widths.iter().sum::<usize>() > room {
            let limits = fit(&widths, &free, room)
                .into_iter()
                .map(|w| ColumnConstraint::Absolute(ComfyWidth::Fixed((w + 2) as u16)));
            t.set_constraints(limits)
                .set_content_arrangement(ContentArrangement::Dynamic);
        }
    }
    t
}

/// Column widths within `room`: free-text columns give way first (down
/// to a minimum), then every column evenly from the widest.
fn fit(widths: &[usize], free: &[bool], room: usize) -> Vec<usize> {
    const MIN_FREE: usize = 10;
    let fixed: usize = widths
        .iter()
        .zip(free)
        .filter(|(_, f)| !**f)
        .map(|(w, _)| w)
        .sum();
    let free_widths: Vec<usize> = widths
        .iter()
        .zip(free)
        .filter(|(_, f)| **f)
        .map(|(w, _)| *w)
        .collect();
    if !free_widths.is_empty()
        && fixed + MIN_FREE.min(*free_widths.iter().max().unwrap_or(&0)) * free_widths.len() <= room
    {
        let cap = cap_for(&free_widths, room - fixed);
        return widths
            .iter()
            .zip(free)
            .map(|(&w, &f)| if f { w.min(cap) } else { w })
            .collect();
    }
    let cap = cap_for(widths, room);
    widths.iter().map(|&w| w.min(cap)).collect()
}

/// The largest width such that capping every column at it fits `room`
/// (never below a readable minimum).
fn cap_for(widths: &[usize], room: usize) -> usize {
    const MIN: usize = 6;
    let mut sorted = widths.to_vec();
    sorted.sort_unstable();
    let mut used = 0;
    for (i, &w) in sorted.iter().enumerate() {
        let rest = sorted.len() - i;
        // Columns from i on share what is left, evenly.
        if used + w * rest > room {
            return ((room.saturating_sub(used)) / rest).max(MIN);
        }
        used += w;
    }
    sorted.last().copied().unwrap_or(MIN).max(MIN)
}

/// Columns on a terminal: CJK characters take two.
fn display_width(s: &str) -> usize {
    s.lines()
        .map(unicode_width::UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// A stored timestamp to the minute, for tables: files keep the full stamp.
pub fn short_time(at: &str) -> String {
    at.get(..16).unwrap_or(at).replace('T', " ")
}

pub fn stdout() -> Box<dyn Write> {
    Box::new(std::io::BufWriter::with_capacity(
        64 * 1024,
        std::io::stdout().lock(),
    ))
}

/// `1,234`: counts for people.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_widest_columns_give_way() {
        // 10 + 10 + 40 + 60 = 120 into 80: the two narrow ones keep theirs.
        assert_eq!(cap_for(&[10, 40, 10, 60], 80), 30);
        assert_eq!(cap_for(&[10, 10], 80), 10);
        assert_eq!(cap_for(&[50, 50, 50], 30), 10);
        assert_eq!(cap_for(&[50, 50, 50], 3), 6);
    }

    #[test]
    fn free_text_wraps_before_ids_and_dates() {
        // A 16-wide time, two 16-wide statuses and a 40-wide note into 70.
        let w = [16, 16, 16, 40];
        let free = [false, false, false, true];
        assert_eq!(fit(&w, &free, 70), [16, 16, 16, 22]);
        // No room even with the note at its minimum: everyone gives way.
        assert_eq!(fit(&w, &free, 40), [10, 10, 10, 10]);
        assert_eq!(fit(&w, &[false; 4], 70), [16, 16, 16, 22]);
    }

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(display_width("金盾物流"), 8);
        assert_eq!(display_width("S00004"), 6);
        assert_eq!(display_width("ab\nabcd"), 4);
    }
}
