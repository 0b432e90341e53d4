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

use super::xlsx::XlsxSink;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Auto,
    Table,
    Tsv,
    Csv,
    Json,
    // Markdown: `digest` only (the others refuse it before they run).
    #[value(alias = "markdown")]
    Md,
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
            FormatArg::Table | FormatArg::Md => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
        }
    }
}

enum Sink {
    Delimited(Box<csv::Writer<Box<dyn Write>>>),
    Json(Box<dyn Write>),
    Table(Vec<Vec<String>>, Box<dyn Write>),
    Xlsx(Box<XlsxSink>),
}

/// Writes rows of cells in one format. TSV and tables print nothing at all
/// when there are no rows (cron mails any output); CSV keeps its header
/// and JSON prints `[]`. Text in CSV and TSV is guarded against formulas
/// wherever it goes: `export --csv > list.csv` is a spreadsheet's file too.
pub struct Out {
    lang: Lang,
    fields: Vec<Field>,
    sink: Sink,
    rows: u64,
    /// Delimited formats write their header with the first row, CSV (which
    /// keeps it with no rows) at the latest when finished: an error before
    /// the first row leaves stdout empty.
    header_done: bool,
    header_always: bool,
    /// Reused for cells that are not stored text.
    scratch: String,
    /// Table columns whose values the row shows elsewhere too.
    redundant: Vec<&'static str>,
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
        let out = Out {
            lang: if format == Format::Json {
                Lang::En
            } else {
                lang
            },
            fields,
            sink,
            rows: 0,
            header_done: false,
            header_always: format == Format::Csv,
            scratch: String::new(),
            redundant: Vec::new(),
        };
        Ok(out)
    }

    /// Rows into a workbook (`-o FILE.xlsx`), its header already written.
    pub fn xlsx(sink: XlsxSink, lang: Lang, fields: Vec<Field>) -> Out {
        Out {
            lang,
            fields,
            sink: Sink::Xlsx(Box::new(sink)),
            rows: 0,
            header_done: true,
            header_always: false,
            scratch: String::new(),
            redundant: Vec::new(),
        }
    }

    /// Table columns that repeat what another column of the row says
    /// (`today`'s days and health are in its why): when the table does
    /// not fit, they are left out first, without a note, before anything
    /// wraps or other columns go.
    pub fn redundant(mut self, keys: &[&'static str]) -> Out {
        self.redundant = keys.to_vec();
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
        match &mut self.sink {
            Sink::Delimited(_) => return self.delimited(head.iter().chain(tail)),
            Sink::Xlsx(x) => {
                self.rows += 1;
                return x.row(head.iter().chain(tail));
            }
            _ => {}
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
            Sink::Xlsx(x) => x.row(cells.iter())?,
            Sink::Json(w) => {
                w.write_all(if self.rows == 1 { b"[\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *w, &cells::object(&self.fields, cells))?;
            }
            Sink::Table(rows, _) => rows.push(cells.iter().map(|c| table_text(c, lang)).collect()),
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<u64> {
        if self.header_always && !self.header_done {
            self.header()?;
        }
        let n = self.rows;
        match self.sink {
            Sink::Delimited(mut w) => w.flush()?,
            Sink::Xlsx(x) => {
                x.finish()?;
            }
            Sink::Json(mut w) => {
                w.write_all(if n == 0 { b"[]\n" } else { b"\n]\n" })?;
                w.flush()?;
            }
            Sink::Table(rows, mut w) => {
                if !rows.is_empty() {
                    let (fields, rows) =
                        without_redundant(self.fields, self.lang, rows, &self.redundant);
                    let t = table(&fields, self.lang, rows);
                    writeln!(w, "{}", render(&t))?;
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
    "last_note",
    "why",
    "plan",
    "outcome_note",
    "title",
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
                Cell::Text(t) => w.write_field(guard(t).as_bytes())?,
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

/// A table fitted to the terminal (or to `COLUMNS`, when set). Natural
/// widths when they fit. Otherwise the compact form: one space between
/// columns, headers wrapped at their words, free text (names, notes)
/// wrapped; ids, dates, amounts and statuses are never broken. Columns that
/// still do not fit are left out from the right, and stderr says which.
pub fn table(fields: &[Field], lang: Lang, mut rows: Vec<Vec<String>>) -> Table {
    let mut header: Vec<String> = fields.iter().map(|f| f.header(lang).to_string()).collect();
    let free: Vec<bool> = fields.iter().map(|f| FREE_TEXT.contains(&f.key)).collect();
    let content = content_widths(header.len(), &rows);
    let mut t = Table::new();
    // No borders, one rule under the header: more room for the data.
    t.load_preset(presets::NOTHING)
        .set_style(TableComponent::HeaderLines, '─')
        .set_style(TableComponent::MiddleHeaderIntersections, '─')
        .set_content_arrangement(ContentArrangement::Disabled);
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
    {
        t.set_width(w);
    }
    let plan = t.width().and_then(|width| {
        if fits(&header, &content, usize::from(width)) {
            return None;
        }
        let words: Vec<usize> = header.iter().map(|h| longest_word(&spaced(h))).collect();
        Some(compact(&content, &words, &free, usize::from(width)))
    });
    if let Some(plan) = &plan {
        let hidden: Vec<&str> = (plan.keep..header.len())
            .map(|i| fields[i].header(lang))
            .collect();
        if !hidden.is_empty() {
            eprintln!(
                "{}",
                xaas::msg::show::columns_left_out(
                    hidden.join(xaas::msg::pick(", ", "、")),
                    t.width().unwrap_or(0)
                )
            );
        }
        header.truncate(plan.keep);
        header = header.iter().map(|h| spaced(h)).collect();
        for r in &mut rows {
            r.truncate(plan.keep);
        }
    }
    t.set_header(header);
    for r in rows {
        t.add_row(r);
    }
    if let Some(plan) = plan {
        let limits = plan
            .widths
            .iter()
            .map(|&w| ColumnConstraint::Absolute(ComfyWidth::Fixed(w as u16)));
        t.set_constraints(limits)
            .set_content_arrangement(ContentArrangement::Dynamic);
        // The blank border between columns is the only gap.
        for c in t.column_iter_mut() {
            c.set_padding((0, 0));
        }
    }
    t
}

/// Whether columns of these headers and content widths fit `width` at
/// their natural widths.
fn fits(header: &[String], content: &[usize], width: usize) -> bool {
    let natural: usize = header
        .iter()
        .zip(content)
        .map(|(h, &c)| display_width(h).max(c))
        .sum();
    // A space of padding either side, and a blank between columns.
    natural + 3 * header.len() <= width + 1
}

/// The widest cell of each column.
fn content_widths(n: usize, rows: &[Vec<String>]) -> Vec<usize> {
    (0..n)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| display_width(c)))
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// The fields and rows without the `redundant` columns, when the table
/// does not fit the terminal with them.
fn without_redundant(
    fields: Vec<Field>,
    lang: Lang,
    mut rows: Vec<Vec<String>>,
    redundant: &[&str],
) -> (Vec<Field>, Vec<Vec<String>>) {
    let Some(w) = width().filter(|_| !redundant.is_empty()) else {
        return (fields, rows);
    };
    let header: Vec<String> = fields.iter().map(|f| f.header(lang).to_string()).collect();
    if fits(&header, &content_widths(fields.len(), &rows), w) {
        return (fields, rows);
    }
    let keep: Vec<bool> = fields.iter().map(|f| !redundant.contains(&f.key)).collect();
    for r in &mut rows {
        let mut i = 0;
        r.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }
    let fields = fields
        .into_iter()
        .filter(|f| !redundant.contains(&f.key))
        .collect();
    (fields, rows)
}

/// How a table that does not fit is shown: the first `keep` columns, at
/// these widths.
#[derive(Debug, PartialEq, Eq)]
struct Compact {
    keep: usize,
    widths: Vec<usize>,
}

/// Free text narrower than this is not wrapped further.
const MIN_FREE: usize = 8;

/// The compact layout within `width`: each column costs its width plus a
/// space; a column is as wide as its content (free text down to
/// `MIN_FREE`) and its header's longest word.
fn compact(content: &[usize], words: &[usize], free: &[bool], width: usize) -> Compact {
    let need = |i: usize| -> usize {
        let c = if free[i] {
            content[i].min(MIN_FREE)
        } else {
            content[i]
        };
        c.max(words[i])
    };
    let mut keep = content.len();
    while keep > 1 && (0..keep).map(|i| need(i) + 1).sum::<usize>() > width + 1 {
        keep -= 1;
    }
    let fixed: usize = (0..keep).filter(|&i| !free[i]).map(|i| need(i) + 1).sum();
    let free_cols: Vec<usize> = (0..keep).filter(|&i| free[i]).collect();
    let room = (width + 1).saturating_sub(fixed + free_cols.len());
    let caps: Vec<usize> = free_cols
        .iter()
        .map(|&i| content[i].max(words[i]))
        .collect();
    let cap = cap_for(&caps, room).max(MIN_FREE);
    let widths = (0..keep)
        .map(|i| {
            if free[i] {
                content[i].max(words[i]).min(cap).max(need(i))
            } else {
                need(i)
            }
        })
        .collect();
    Compact { keep, widths }
}

/// English headers wrap at their words: `nearest_expiry` → `nearest expiry`.
/// A header as it may wrap on a narrow terminal: English at its words
/// (`days_left` → `days left`), Chinese every two characters (`剩余天数` →
/// `剩余 天数`), so a Chinese header is no wider than its column needs.
fn spaced(h: &str) -> String {
    if h.is_ascii() {
        return h.replace('_', " ");
    }
    let chars: Vec<char> = h.chars().collect();
    if chars.len() <= 3 || chars.iter().any(|c| c.is_ascii()) {
        return h.to_string();
    }
    chars
        .chunks(2)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn longest_word(h: &str) -> usize {
    h.split(' ').map(display_width).max().unwrap_or(0)
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

/// A cell as a table shows it: lists break after their commas.
pub fn table_text(c: &Cell, lang: Lang) -> String {
    match c {
        Cell::List(v) => v.join(", "),
        other => other.text(lang).into_owned(),
    }
}

/// A table as text, without the padding comfy-table leaves at line ends.
pub fn render(t: &Table) -> String {
    t.lines()
        .map(|l| l.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The terminal's width (or `COLUMNS`), if output goes to one.
pub fn width() -> Option<usize> {
    if let Some(w) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(w);
    }
    let term = console::Term::stdout();
    term.is_term().then(|| usize::from(term.size().1))
}

/// `lead` then the items joined by ` · `, broken between items (never
/// inside one) to fit the terminal; later lines indented by `indent`.
pub fn items_line(lead: &str, items: &[String], indent: usize) -> String {
    let max = width().unwrap_or(usize::MAX);
    let mut out = lead.to_string();
    let mut used = display_width(lead);
    for (i, item) in items.iter().enumerate() {
        let sep = if i == 0 { "" } else { " · " };
        let w = display_width(sep) + display_width(item);
        if i > 0 && used + w > max {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            out.push_str(item);
            used = indent + display_width(item);
        } else {
            out.push_str(sep);
            out.push_str(item);
            used += w;
        }
    }
    out
}

/// `s` padded with spaces to `width` terminal columns.
pub fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(display_width(s))))
}

/// Columns on a terminal: CJK characters take two.
pub fn display_width(s: &str) -> usize {
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

/// `12.3 MB`: file sizes for people (powers of 1,000, as `ls -lh --si`).
pub fn size(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1000.0;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// `1,234`: counts for people (the report's rule).
pub fn thousands(n: u64) -> String {
    xaas::report::count(n)
}

/// A writer that starts with a UTF-8 BOM (for Excel and WPS) at its first
/// write, not before: an error before any output leaves stdout empty.
pub struct BomFirst {
    inner: Box<dyn Write>,
    pending: bool,
}

impl BomFirst {
    pub fn new(inner: Box<dyn Write>) -> BomFirst {
        BomFirst {
            inner,
            pending: true,
        }
    }
}

impl Write for BomFirst {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.pending && !buf.is_empty() {
            self.inner.write_all(b"\xEF\xBB\xBF")?;
            self.pending = false;
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
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
    fn rendered_lines_have_no_trailing_spaces() {
        let t = table(
            &[
                Field {
                    key: "a", zh: "甲"
                },
                Field {
                    key: "note",
                    zh: "备注",
                },
            ],
            Lang::En,
            vec![
                vec!["x".into(), "long text".into()],
                vec!["yy".into(), "z".into()],
            ],
        );
        let text = render(&t);
        assert!(text.lines().all(|l| l == l.trim_end()), "{text:?}");
        assert!(text.contains("long text"));
    }

    #[test]
    fn compact_tables_wrap_free_text_and_never_break_ids_or_dates() {
        // show's services at 80 columns: id, product, expiry, days,
        // window, status, run status, amount, accounts.
        let content = [6, 7, 10, 3, 9, 7, 6, 8, 3];
        let words = [7, 7, 6, 4, 6, 6, 6, 6, 8];
        let free = [false, true, false, false, false, false, false, false, false];
        let c = compact(&content, &words, &free, 80);
        assert_eq!(c.keep, 9);
        assert_eq!(c.widths, [7, 7, 10, 4, 9, 7, 6, 8, 8]);
        // A long name wraps; the dates beside it keep their width.
        let c = compact(
            &[8, 40, 10, 10],
            &[8, 8, 7, 7],
            &[false, true, false, false],
            50,
        );
        assert_eq!(c.widths, [8, 19, 10, 10]);
        // due's services: two free columns give way to keep the amount.
        let c = compact(
            &[12, 6, 16, 10, 2, 9, 7, 10, 8],
            &[8, 7, 7, 6, 4, 6, 6, 6, 6],
            &[true, false, true, false, false, false, false, false, false],
            80,
        );
        assert_eq!(c.keep, 9);
        // Too narrow even so: columns go from the right, never the first.
        let c = compact(&[10, 10, 10, 10], &[4, 4, 4, 4], &[false; 4], 30);
        assert_eq!(c.keep, 2);
        let c = compact(&[50, 10], &[4, 4], &[false; 2], 20);
        assert_eq!(c.keep, 1);
        assert_eq!(spaced("nearest_expiry"), "nearest expiry");
        assert_eq!(longest_word("nearest expiry"), 7);
    }

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(display_width("金盾物流"), 8);
        assert_eq!(display_width("S00004"), 6);
        assert_eq!(display_width("ab\nabcd"), 4);
    }
}
