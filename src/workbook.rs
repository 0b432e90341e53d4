//! Reading a workbook (xlsx, xlsm, xlsb, xls, ods) as rows of text, the
//! rows a CSV of the same sheet would hold, for the one row engine of
//! `sheet` (header matching, validation, bad rows) to read.
//!
//! A cell becomes the text a person sees in it: strings as they are;
//! numbers without a useless `.0` (`12`, not `12.0`), to the 15
//! significant digits Excel keeps; a number too large for those digits in
//! scientific notation (`6.22202123456789E+18`), as Excel shows it, so
//! that an id mangled into a number is refused by name, never stored as a
//! wrong id; a date-formatted cell as its ISO day (`2026-11-23`).
//!
//! An xlsx sheet is streamed, cell by cell, on a thread of its own (its
//! reader borrows the workbook): memory stays flat whatever its length.
//! Other kinds are read whole by calamine, then handed over row by row.

use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use calamine::{open_workbook_from_rs, Data, DataRef, ExcelDateTime, Reader, Sheets, Xlsx};

use crate::error::{Error, Result};
use crate::msg::xlsx as msg;

/// What a file named like this, or starting with these bytes, is: a
/// workbook (by its extension, or a zip or OLE signature), not text.
pub fn is_workbook(path: &str, head: &[u8]) -> bool {
    const BY_NAME: [&str; 7] = ["xlsx", "xlsm", "xlsb", "xls", "ods", "et", "ett"];
    let ext = Path::new(path).extension().and_then(|e| e.to_str());
    ext.is_some_and(|e| BY_NAME.iter().any(|w| e.eq_ignore_ascii_case(w)))
        || head.starts_with(b"PK\x03\x04")
        || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// One row of a sheet: its number as the spreadsheet shows it (from 1)
/// and its cells as text, from column A.
pub type BookRow = (u64, Vec<String>);

/// Rows travel from the reading thread in batches of this many.
const BATCH: usize = 256;

type Batch = std::result::Result<Vec<BookRow>, String>;

/// An open sheet of a workbook, its rows coming from a reading thread.
pub struct Book {
    /// The sheet being read.
    pub sheet: String,
    /// The kind of workbook, for messages: `xlsx`, `xls`, `ods`, ...
    pub kind: &'static str,
    /// When the first of several sheets is read (no `--sheet`), a hint
    /// naming them, for a header that is not a service list's.
    pub other_sheets: Option<String>,
    rx: Receiver<Batch>,
    batch: std::vec::IntoIter<BookRow>,
    done: bool,
}

/// Where the workbook's bytes are.
pub enum Source {
    /// A file, read where it is.
    Path(String),
    /// The whole file in memory (standard input).
    Bytes(Vec<u8>),
}

impl Book {
    /// Opens the workbook `name` (as messages call it) from `source`, and
    /// its sheet `want` (the first when `None`). `progress` is moved from
    /// 0 to `size` as the rows are read.
    pub fn open(
        name: &str,
        source: Source,
        want: Option<&str>,
        size: u64,
        progress: Arc<AtomicU64>,
    ) -> Result<Book> {
        match source {
            Source::Path(path) => {
                let file =
                    std::fs::File::open(&path).map_err(|e| Error::io(msg::cannot_open(name), e))?;
                Opened::open(BufReader::new(file), name)?.start(name, want, size, progress)
            }
            Source::Bytes(bytes) => {
                let bytes: Arc<[u8]> = bytes.into();
                Opened::open(Cursor::new(bytes), name)?.start(name, want, size, progress)
            }
        }
    }
}

/// A workbook opened: xlsx (streamed) or another kind (read whole).
enum Opened<RS: Read + Seek> {
    Xlsx(Xlsx<RS>),
    Other(Sheets<RS>),
}

/// Something calamine can open twice: a file reopened, bytes shared.
trait Reopen: Read + Seek + Sized + Send + 'static {
    fn again(&self) -> std::io::Result<Self>;
}

impl Reopen for Cursor<Arc<[u8]>> {
    fn again(&self) -> std::io::Result<Self> {
        Ok(Cursor::new(Arc::clone(self.get_ref())))
    }
}

impl Reopen for BufReader<std::fs::File> {
    fn again(&self) -> std::io::Result<Self> {
        Ok(BufReader::new(self.get_ref().try_clone()?))
    }
}

impl<RS: Reopen> Opened<RS> {
    fn open(rs: RS, name: &str) -> Result<Opened<RS>> {
        let other = rs
            .again()
            .map_err(|e| Error::io(msg::cannot_open(name), e))?;
        if let Ok(book) = open_workbook_from_rs::<Xlsx<RS>, RS>(rs) {
            return Ok(Opened::Xlsx(book));
        }
        let mut rs = other;
        let mut last = String::new();
        for kind in ["xls", "xlsb", "ods"] {
            rs.rewind()
                .map_err(|e| Error::io(msg::cannot_read(name), e))?;
            let again = rs
                .again()
                .map_err(|e| Error::io(msg::cannot_read(name), e))?;
            let opened = match kind {
                "xls" => open_workbook_from_rs(rs)
                    .map(Sheets::Xls)
                    .map_err(|e| e.to_string()),
                "xlsb" => open_workbook_from_rs(rs)
                    .map(Sheets::Xlsb)
                    .map_err(|e| e.to_string()),
                _ => open_workbook_from_rs(rs)
                    .map(Sheets::Ods)
                    .map_err(|e| e.to_string()),
            };
            match opened {
                Ok(s) => return Ok(Opened::Other(s)),
                Err(e) => last = e,
            }
            rs = again;
        }
        Err(Error::Invalid(msg::not_a_workbook(name, last)))
    }

    fn kind(&self) -> &'static str {
        match self {
            Opened::Xlsx(_) => "xlsx",
            Opened::Other(Sheets::Xls(_)) => "xls",
            Opened::Other(Sheets::Xlsb(_)) => "xlsb",
            Opened::Other(Sheets::Ods(_)) => "ods",
            Opened::Other(Sheets::Xlsx(_)) => "xlsx",
        }
    }

    fn sheet_names(&self) -> Vec<String> {
        match self {
            Opened::Xlsx(b) => b.sheet_names(),
            Opened::Other(b) => b.sheet_names(),
        }
    }

    /// Chooses the sheet and starts reading it on a thread.
    fn start(
        self,
        name: &str,
        want: Option<&str>,
        size: u64,
        progress: Arc<AtomicU64>,
    ) -> Result<Book> {
        let names = self.sheet_names();
        let sheet = choose(name, &names, want)?;
        let other_sheets = (want.is_none() && names.len() > 1)
            .then(|| msg::first_sheet_read(&sheet, listed(&names)));
        let kind = self.kind();
        let (tx, rx) = sync_channel::<Batch>(4);
        let s = sheet.clone();
        let file = name.to_string();
        std::thread::Builder::new()
            .name("xaas-workbook".into())
            .spawn(move || {
                let sent = match self {
                    Opened::Xlsx(mut b) => stream_xlsx(&mut b, &s, &tx, size, &progress),
                    Opened::Other(mut b) => match b.worksheet_range(&s) {
                        Ok(range) => send_range(&range, &tx, size, &progress),
                        Err(e) => Err(e.to_string()),
                    },
                };
                if let Err(e) = sent {
                    let _ = tx.send(Err(msg::unreadable_sheet(&s, &file, e)));
                }
            })
            .map_err(|e| Error::io(msg::no_reading_thread(), e))?;
        Ok(Book {
            sheet,
            kind,
            other_sheets,
            rx,
            batch: Vec::new().into_iter(),
            done: false,
        })
    }
}

/// The sheet to read: `want` (exactly, else the one that matches it but
/// for case), or the first.
fn choose(file: &str, names: &[String], want: Option<&str>) -> Result<String> {
    let Some(want) = want else {
        return names
            .first()
            .cloned()
            .ok_or_else(|| Error::Invalid(msg::no_sheets(file)));
    };
    if let Some(n) = names.iter().find(|n| n.as_str() == want) {
        return Ok(n.clone());
    }
    let folded: Vec<&String> = names
        .iter()
        .filter(|n| n.to_lowercase() == want.to_lowercase())
        .collect();
    if let [one] = folded[..] {
        return Ok(one.clone());
    }
    Err(Error::Invalid(msg::no_such_sheet(
        file,
        want,
        listed(names),
    )))
}

/// Sheet names for a message: `服务清单`, `Usage`.
fn listed(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

impl Iterator for Book {
    type Item = Result<BookRow>;

    fn next(&mut self) -> Option<Result<BookRow>> {
        loop {
            if let Some(row) = self.batch.next() {
                return Some(Ok(row));
            }
            if self.done {
                return None;
            }
            match self.rx.recv() {
                Ok(Ok(batch)) => self.batch = batch.into_iter(),
                Ok(Err(e)) => {
                    self.done = true;
                    return Some(Err(Error::Invalid(e)));
                }
                Err(_) => {
                    self.done = true;
                    return None;
                }
            }
        }
    }
}

/// Moves the progress to the share of `size` that `row` of `last` is.
fn advance(progress: &AtomicU64, size: u64, row: u32, last: u32) {
    let done = u128::from(size) * u128::from(row + 1) / u128::from(last.max(row) + 1);
    progress.store(done as u64, Ordering::Relaxed);
}

/// Streams an xlsx sheet cell by cell, row after row.
fn stream_xlsx<RS: Read + Seek>(
    book: &mut Xlsx<RS>,
    sheet: &str,
    tx: &SyncSender<Batch>,
    size: u64,
    progress: &AtomicU64,
) -> std::result::Result<(), String> {
    let mut cells = book
        .worksheet_cells_reader(sheet)
        .map_err(|e| e.to_string())?;
    let last = cells.dimensions().end.0;
    let mut batch = Vec::with_capacity(BATCH);
    let mut row: Option<(u32, Vec<String>)> = None;
    while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
        let (r, c) = cell.get_position();
        let value = match cell.get_value() {
            DataRef::Empty => continue,
            v => text_ref(v),
        };
        if value.is_empty() {
            continue;
        }
        if row.as_ref().is_some_and(|(at, _)| *at != r) {
            let (at, cells) = row.take().expect("checked");
            batch.push((u64::from(at) + 1, cells));
            if batch.len() == BATCH {
                advance(progress, size, at, last);
                if tx.send(Ok(std::mem::take(&mut batch))).is_err() {
                    return Ok(());
                }
            }
        }
        let (_, cells) = row.get_or_insert_with(|| (r, Vec::new()));
        let c = c as usize;
        if cells.len() <= c {
            cells.resize(c + 1, String::new());
        }
        cells[c] = value;
    }
    if let Some((at, cells)) = row {
        batch.push((u64::from(at) + 1, cells));
    }
    progress.store(size, Ordering::Relaxed);
    let _ = tx.send(Ok(batch));
    Ok(())
}

/// Hands over the rows of a sheet read whole.
fn send_range(
    range: &calamine::Range<Data>,
    tx: &SyncSender<Batch>,
    size: u64,
    progress: &AtomicU64,
) -> std::result::Result<(), String> {
    let Some((top, left)) = range.start() else {
        let _ = tx.send(Ok(Vec::new()));
        return Ok(());
    };
    let last = range.end().map_or(top, |e| e.0);
    let mut batch = Vec::with_capacity(BATCH);
    for (i, cells) in range.rows().enumerate() {
        let at = top + i as u32;
        let mut row = vec![String::new(); left as usize];
        row.extend(cells.iter().map(text));
        while row.last().is_some_and(String::is_empty) {
            row.pop();
        }
        if row.is_empty() {
            continue;
        }
        batch.push((u64::from(at) + 1, row));
        if batch.len() == BATCH {
            advance(progress, size, at, last);
            if tx.send(Ok(std::mem::take(&mut batch))).is_err() {
                return Ok(());
            }
        }
    }
    progress.store(size, Ordering::Relaxed);
    let _ = tx.send(Ok(batch));
    Ok(())
}

/// A cell of a sheet read whole, as text.
fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => boolean(*b),
        Data::DateTime(d) => datetime(d),
        Data::DateTimeIso(s) => iso_datetime(s),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A streamed cell, as text.
fn text_ref(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => boolean(*b),
        DataRef::DateTime(d) => datetime(d),
        DataRef::DateTimeIso(s) => iso_datetime(s),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    }
}

fn boolean(b: bool) -> String {
    (if b { "TRUE" } else { "FALSE" }).to_string()
}

/// The digits Excel keeps of a number.
const EXCEL_DIGITS: usize = 15;

/// A number as a spreadsheet shows it: a whole number without `.0`; a
/// fraction to at most 15 significant digits (`0.30000000000000004` is
/// `0.3`); a whole number of 16 digits or more, which Excel cannot hold
/// exactly, in scientific notation with the 15 it kept
/// (`6.22202123456789E+18`), as Excel shows it.
pub fn number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f == 0.0 {
        return "0".to_string(); // not `-0`
    }
    let sci = format!("{:.*e}", EXCEL_DIGITS - 1, f);
    let (mantissa, exp) = sci.split_once('e').expect("an exponent");
    let exp: i32 = exp.parse().expect("an integer exponent");
    if f.fract() == 0.0 {
        if exp < EXCEL_DIGITS as i32 {
            return format!("{f:.0}");
        }
        let m = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{m}E+{exp}");
    }
    let plain = f.to_string();
    let significant = plain
        .trim_start_matches('-')
        .trim_start_matches(['0', '.'])
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    if significant <= EXCEL_DIGITS {
        return plain;
    }
    sci.parse::<f64>().map_or(plain, |g| g.to_string())
}

/// A date-formatted cell: its day (`2026-11-23`), with its time of day
/// when it has one (which no date column takes).
fn datetime(d: &ExcelDateTime) -> String {
    if !d.is_datetime() {
        return number(d.as_f64());
    }
    let (y, m, day, h, min, s, ms) = d.to_ymd_hms_milli();
    if (h, min, s, ms) == (0, 0, 0, 0) {
        format!("{y:04}-{m:02}-{day:02}")
    } else {
        format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{s:02}")
    }
}

/// An ISO date-time as OpenDocument writes it: the day alone at midnight.
fn iso_datetime(s: &str) -> String {
    match s.split_once('T') {
        Some((day, time)) if time.trim_start_matches(['0', ':', '.']).is_empty() => day.to_string(),
        Some((day, time)) => format!("{day} {time}"),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_spreadsheet_shows_them() {
        for (f, text) in [
            (12.0, "12"),
            (-5.0, "-5"),
            (0.0, "0"),
            (-0.0, "0"),
            (12000.5, "12000.5"),
            (1234.56, "1234.56"),
            (0.1 + 0.2, "0.3"),
            (999_999_999_999_999.0, "999999999999999"),
            (6_222_021_234_567_890_000.0, "6.22202123456789E+18"),
            (1e15, "1E+15"),
            (-1.5e16, "-1.5E+16"),
            (999_999_999_999.99, "999999999999.99"),
        ] {
            assert_eq!(number(f), text, "{f}");
        }
    }

    #[test]
    fn dates_read_as_days() {
        use calamine::ExcelDateTimeType::DateTime;
        let d = ExcelDateTime::new(46349.0, DateTime, false);
        assert_eq!(datetime(&d), "2026-11-23");
        let d = ExcelDateTime::new(46349.5, DateTime, false);
        assert_eq!(datetime(&d), "2026-11-23 12:00:00");
        assert_eq!(iso_datetime("2026-11-23T00:00:00"), "2026-11-23");
        assert_eq!(iso_datetime("2026-11-23"), "2026-11-23");
        assert_eq!(iso_datetime("2026-11-23T10:30:00"), "2026-11-23 10:30:00");
    }

    #[test]
    fn a_sheet_is_chosen_by_name_or_first() {
        let names = vec!["服务清单".to_string(), "Usage".to_string()];
        assert_eq!(choose("b.xlsx", &names, None).unwrap(), "服务清单");
        assert_eq!(choose("b.xlsx", &names, Some("usage")).unwrap(), "Usage");
        let e = choose("b.xlsx", &names, Some("Sheet1"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`Sheet1`") && e.contains("`服务清单`, `Usage`"),
            "{e}"
        );
    }

    #[test]
    fn workbooks_are_known_by_name_or_signature() {
        assert!(is_workbook("a.XLSX", b"x"));
        assert!(is_workbook("-", b"PK\x03\x04rest"));
        assert!(is_workbook("a.csv", &[0xD0, 0xCF, 0x11, 0xE0]));
        assert!(!is_workbook("a.csv", b"customer_id,"));
    }
}
