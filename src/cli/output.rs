//! Output formats shared by every listing: a table on a terminal, TSV when
//! piped, CSV and JSON on request. Data to stdout, nothing else.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use clap::ValueEnum;
use comfy_table::{presets, ContentArrangement, Table, TableComponent};

use xaas::labels::Lang;
use xaas::record::{guard, Cell, Field};

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

    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        self.rows += 1;
        let lang = self.lang;
        match &mut self.sink {
            Sink::Delimited(_) => {
                if !self.header_done {
                    self.header()?;
                }
                let Sink::Delimited(w) = &mut self.sink else {
                    unreachable!("matched above")
                };
                for c in cells {
                    let t = c.text(lang);
                    if self.guard && matches!(c, Cell::Text(_)) {
                        w.write_field(guard(&t).as_bytes())?;
                    } else {
                        w.write_field(t.as_bytes())?;
                    }
                }
                w.write_record(None::<&[u8]>)?;
            }
            Sink::Json(w) => {
                let obj: serde_json::Map<String, serde_json::Value> = self
                    .fields
                    .iter()
                    .zip(cells)
                    .map(|(f, c)| (f.key.to_string(), c.json()))
                    .collect();
                w.write_all(if self.rows == 1 { b"[\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *w, &obj)?;
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
                    let t = table(
                        self.fields
                            .iter()
                            .map(|f| f.header(self.lang).to_string())
                            .collect(),
                        rows,
                    );
                    writeln!(w, "{t}")?;
                    w.flush()?;
                }
            }
        }
        Ok(n)
    }
}

/// A table fitted to the terminal (or to `COLUMNS`, when set).
pub fn table(header: Vec<String>, rows: Vec<Vec<String>>) -> Table {
    let mut t = Table::new();
    // No borders, one rule under the header: more room for the data.
    t.load_preset(presets::NOTHING)
        .set_style(TableComponent::HeaderLines, '─')
        .set_style(TableComponent::MiddleHeaderIntersections, '─')
        .set_content_arrangement(ContentArrangement::Dynamic)
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
    // Natural widths when they fit; wrap cells only when the table is
    // wider than the terminal (Dynamic alone spreads columns evenly).
    if let Some(width) = t.width() {
        t.set_content_arrangement(ContentArrangement::Disabled);
        let natural = t.lines().map(|l| comfy_width(&l)).max().unwrap_or(0);
        if natural > usize::from(width) {
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
    }
    t
}

/// Display width, counting CJK characters as two columns.
fn comfy_width(line: &str) -> usize {
    line.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !('\u{2500}'..='\u{257F}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
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
