//! Reading a service list (服务清单) sheet: source, encoding, delimiter,
//! header, and one typed, validated row at a time. No database here: the
//! rows flow on to `db::load`, and `ops::import` joins the two.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::cells::FORMULA_START;
use crate::columns::{Col, CUSTOMER_ATTRS};
use crate::customer::Customer;
use crate::date::{iso, parse_date};
use crate::error::{Error, Result};
use crate::money::Cents;
use crate::msg::{files as fm, import as im, xlsx as msg};
use crate::service::{RunStatus, ServiceType};
use crate::workbook::{is_workbook, Book, Source};

/// How the bytes of the file are to be read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 if the start of the file is valid UTF-8, else GB18030.
    #[default]
    Auto,
    Utf8,
    /// GBK as Chinese Excel and WPS save it, read as its superset GB18030.
    Gbk,
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" => Ok(Encoding::Auto),
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "gbk" | "gb2312" | "gb18030" | "cp936" => Ok(Encoding::Gbk),
            _ => Err(fm::file_unknown_encoding(s)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRow {
    pub id: String,
    pub service_type: ServiceType,
    pub product: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub expiry_date: NaiveDate,
    pub amount: Option<Cents>,
    pub accounts: Option<i64>,
    pub run_status: Option<RunStatus>,
    pub renewal_of: Option<String>,
}

/// A valid row of the file.
#[derive(Clone, Debug)]
pub struct Row {
    pub line: u64,
    /// Shared with the rows before it while the customer's cells repeat
    /// (a list runs customer by customer): built once per run.
    pub customer: Arc<Customer>,
    pub service: ServiceRow,
    /// The cells as read, for `--rejects` if the database refuses the row.
    pub raw: csv::ByteRecord,
}

impl Row {
    pub fn cells(&self) -> Vec<String> {
        lossy(&self.raw)
    }
}

/// The cells as text, without the `\r` a CRLF line end leaves at the end
/// of the last one (records end at `\n`; see `Sheet::rows`).
pub fn lossy(rec: &csv::ByteRecord) -> Vec<String> {
    let last = rec.len().saturating_sub(1);
    rec.iter()
        .enumerate()
        .map(|(i, c)| {
            let c = if i == last {
                c.strip_suffix(b"\r").unwrap_or(c)
            } else {
                c
            };
            String::from_utf8_lossy(c).into_owned()
        })
        .collect()
}

/// A cell's value: trimmed, and without the `'` an export puts before a
/// value that a spreadsheet would take for a formula (one of
/// `FORMULA_START`: what `cells::guard` writes, import takes off).
pub fn cell_value(s: &str) -> &str {
    let s = s.trim();
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => s,
    }
}

/// A row that cannot be imported, with what is wrong and where.
#[derive(Clone, Debug)]
pub struct BadRow {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
    /// The row's cells as read, for `--rejects`.
    pub cells: Vec<String>,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = if self.value.is_empty() {
            im::import_bad_row(self.line, &self.column, &self.reason)
        } else {
            im::import_bad_row_value(self.line, &self.column, clip(&self.value), &self.reason)
        };
        f.write_str(&text)
    }
}

/// Shortens a value for a message: a 10 MB cell is not to be echoed.
pub fn clip(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        fm::file_clipped(head, s.chars().count())
    }
}

/// Where each column is in the file: an array, not a map, because every
/// row asks about twenty times.
#[derive(Clone, Debug)]
struct ColIndex([Option<usize>; Col::ALL.len()]);

// By hand: `Default` is derived for arrays of at most 32.
impl Default for ColIndex {
    fn default() -> ColIndex {
        ColIndex([None; Col::ALL.len()])
    }
}

impl ColIndex {
    fn get(&self, c: Col) -> Option<usize> {
        self.0[c as usize]
    }

    /// The earlier index when the column was already placed.
    fn insert(&mut self, c: Col, i: usize) -> Option<usize> {
        self.0[c as usize].replace(i)
    }
}

/// The header line, mapped to columns.
#[derive(Clone, Debug)]
pub struct Header {
    /// The cells as written in the file.
    pub names: Vec<String>,
    /// For each cell, the column it is (None: unknown or derived).
    cols: Vec<Option<Col>>,
    /// Column (as its position in `EXPORT`'s enum) → index in the file.
    index: ColIndex,
    pub unknown: Vec<String>,
}

impl Header {
    pub fn parse(cells: Vec<String>) -> Result<Header, String> {
        let mut cols = Vec::with_capacity(cells.len());
        let mut index = ColIndex::default();
        let mut unknown = Vec::new();
        for (i, name) in cells.iter().enumerate() {
            match Col::from_header(name) {
                Some(c) if c.is_derived() => cols.push(None),
                Some(c) => {
                    if let Some(j) = index.insert(c, i) {
                        return Err(im::import_column_twice(c.id(), j + 1, i + 1));
                    }
                    cols.push(Some(c));
                }
                None => {
                    if !name.trim().is_empty() {
                        unknown.push(clip(name.trim()));
                    }
                    cols.push(None);
                }
            }
        }
        let missing: Vec<String> = Col::ALL
            .iter()
            .filter(|&&c| c.is_required() && index.get(c).is_none())
            .map(|c| im::import_column_name(c.id(), c.zh()))
            .collect();
        if !missing.is_empty() {
            let found: Vec<String> = cells.iter().take(30).map(|c| clip(c)).collect();
            return Err(im::import_missing(
                missing.len(),
                missing.join(", "),
                found.join(", "),
            ));
        }
        Ok(Header {
            names: cells,
            cols,
            index,
            unknown,
        })
    }

    pub fn has(&self, c: Col) -> bool {
        self.index.get(c).is_some()
    }

    pub fn len(&self) -> usize {
        self.cols.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cols.is_empty()
    }

    /// Validates one record into a typed row, which keeps the record.
    /// `last` is the previous row's customer, reused if this row repeats it.
    pub fn row(
        &self,
        line: u64,
        rec: csv::ByteRecord,
        last: Option<&Arc<Customer>>,
    ) -> Result<Row, BadRow> {
        let (customer, service) = self.typed(line, &rec, last)?;
        Ok(Row {
            line,
            customer,
            service,
            raw: rec,
        })
    }

    fn typed(
        &self,
        line: u64,
        rec: &csv::ByteRecord,
        last: Option<&Arc<Customer>>,
    ) -> Result<(Arc<Customer>, ServiceRow), BadRow> {
        let cells = Cells {
            header: self,
            line,
            rec,
        };
        if rec.len() != self.len() {
            return Err(cells.bad("-", "", im::import_cell_count(rec.len(), self.len())));
        }
        let customer_id = cells.required_id(Col::CustomerId)?;
        let name = cells.required(Col::CustomerName)?;
        let service = cells.service()?;
        let customer = cells.customer(customer_id, name, last)?;
        Ok((customer, service))
    }

    /// The value of column `c` among `cells` (a bad row's, say) as a row
    /// reads it; None when the column is absent or the cell empty.
    pub fn cell<'a>(&self, c: Col, cells: &'a [String]) -> Option<&'a str> {
        let v = cell_value(cells.get(self.index.get(c)?)?);
        (!v.is_empty()).then_some(v)
    }
}

/// One record, read against the header.
struct Cells<'a> {
    header: &'a Header,
    line: u64,
    rec: &'a csv::ByteRecord,
}

impl<'a> Cells<'a> {
    fn bad(&self, column: &str, value: &str, reason: String) -> BadRow {
        BadRow {
            line: self.line,
            column: column.to_string(),
            value: value.to_string(),
            reason,
            cells: lossy(self.rec),
        }
    }

    /// The column's name as the file writes it.
    fn name_of(&self, c: Col) -> &'a str {
        let h = self.header;
        h.index.get(c).map_or(c.id(), |i| h.names[i].trim())
    }

    /// The value of a column (see `cell_value`); None when the column is
    /// absent or the cell empty.
    fn text(&self, c: Col) -> Result<Option<&'a str>, BadRow> {
        let Some(i) = self.header.index.get(c) else {
            return Ok(None);
        };
        let s = std::str::from_utf8(&self.rec[i]).map_err(|_| {
            self.bad(
                &self.header.names[i],
                &String::from_utf8_lossy(&self.rec[i]),
                fm::file_cell_not_utf8(),
            )
        })?;
        let s = cell_value(s);
        Ok((!s.is_empty()).then_some(s))
    }

    fn required(&self, c: Col) -> Result<&'a str, BadRow> {
        self.text(c)?.ok_or_else(|| {
            self.bad(
                self.name_of(c),
                "",
                im::import_required(c.header(crate::msg::lang())),
            )
        })
    }

    /// An id column (customer, service, renewal_of): no control
    /// characters, which no id holds and which would break every list and
    /// lookup (a newline, a tab, a NUL).
    fn id(&self, c: Col, value: Option<&'a str>) -> Result<Option<&'a str>, BadRow> {
        match value {
            Some(v) if v.chars().any(char::is_control) => Err(self.bad(
                self.name_of(c),
                &v.escape_debug().to_string(),
                im::import_control_in_id(),
            )),
            Some(v) if is_scientific(v) => Err(self.bad(self.name_of(c), v, msg::id_as_number())),
            _ => Ok(value),
        }
    }

    /// A required id column.
    fn required_id(&self, c: Col) -> Result<&'a str, BadRow> {
        let v = self.required(c)?;
        self.id(c, Some(v)).map(|_| v)
    }

    /// A required column, parsed.
    fn parse<T>(&self, c: Col, parse: impl FnOnce(&str) -> Result<T, String>) -> Result<T, BadRow> {
        let v = self.required(c)?;
        parse(v).map_err(|e| self.bad(self.name_of(c), v, e))
    }

    /// An optional column, parsed; None when absent or empty.
    fn parse_opt<T>(
        &self,
        c: Col,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, BadRow> {
        match self.text(c)? {
            Some(v) => parse(v)
                .map(Some)
                .map_err(|e| self.bad(self.name_of(c), v, e)),
            None => Ok(None),
        }
    }

    /// The service part of the row.
    fn service(&self) -> Result<ServiceRow, BadRow> {
        let id = self.required_id(Col::ServiceId)?;
        let service_type = self.parse(Col::ServiceType, ServiceType::parse)?;
        let expiry_date = self.parse(Col::ExpiryDate, parse_date)?;
        let start_date = self.parse_opt(Col::StartDate, parse_date)?;
        if let Some(start) = start_date.filter(|s| *s > expiry_date) {
            return Err(self.bad(
                self.name_of(Col::StartDate),
                &start.to_string(),
                im::import_starts_after_expiry(expiry_date),
            ));
        }
        let amount = self.parse_opt(Col::Amount, Cents::parse)?;
        let accounts = self.parse_opt(Col::Accounts, parse_count)?;
        let run_status = self.parse_opt(Col::RunStatus, RunStatus::parse)?;
        let renewal_of = self.id(Col::RenewalOf, self.text(Col::RenewalOf)?)?;
        if renewal_of == Some(id) {
            return Err(self.bad(self.name_of(Col::RenewalOf), id, im::import_renews_itself()));
        }
        Ok(ServiceRow {
            id: id.to_string(),
            service_type,
            product: self.text(Col::Product)?.map(str::to_string),
            start_date,
            expiry_date,
            amount,
            accounts,
            run_status,
            renewal_of: renewal_of.map(str::to_string),
        })
    }

    /// The customer part of the row: `last` again when the row repeats
    /// it (a list runs customer by customer), else built once.
    fn customer(
        &self,
        id: &str,
        name: &str,
        last: Option<&Arc<Customer>>,
    ) -> Result<Arc<Customer>, BadRow> {
        let mut attrs: [Option<Cow<'a, str>>; CUSTOMER_ATTRS.len()] = Default::default();
        for (slot, c) in attrs.iter_mut().zip(CUSTOMER_ATTRS) {
            *slot = if c.is_date() {
                // Stored as ISO text, whatever form the sheet wrote.
                self.parse_opt(c, parse_date)?.map(|d| Cow::Owned(iso(d)))
            } else if c == Col::SalesContact {
                // A phone number a spreadsheet wrote as 6.2E+18 has lost
                // its last digits: refused like an id, not stored so.
                match self.text(c)? {
                    Some(v) if is_scientific(v) => {
                        return Err(self.bad(self.name_of(c), v, msg::number_as_scientific()))
                    }
                    v => v.map(Cow::Borrowed),
                }
            } else {
                self.text(c)?.map(Cow::Borrowed)
            };
        }
        let repeats = |c: &Customer| {
            c.id == id
                && c.name == name
                && c.attrs
                    .iter()
                    .zip(&attrs)
                    .all(|(a, b)| a.as_deref() == b.as_deref())
        };
        Ok(match last {
            Some(c) if repeats(c) => Arc::clone(c),
            _ => Arc::new(Customer {
                id: id.to_string(),
                name: name.to_string(),
                attrs: attrs.map(|a| a.map(Cow::into_owned)),
            }),
        })
    }
}

/// A number in scientific notation as a spreadsheet writes one it could
/// not show whole (`6.22202123456789E+18`, `1E+15`): in an id column, an
/// id that Excel or LibreOffice turned into a number, its digits after
/// the 15th lost. The exponent's `+` is what they write, and what an id
/// such as `1E5` lacks.
pub fn is_scientific(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(e) = b.iter().position(|&x| x == b'E' || x == b'e') else {
        return false;
    };
    let (mantissa, exp) = (&b[..e], &b[e + 1..]);
    let mantissa = mantissa.strip_prefix(b"-").unwrap_or(mantissa);
    let (int, frac) = match mantissa.iter().position(|&x| x == b'.') {
        Some(dot) => (&mantissa[..dot], Some(&mantissa[dot + 1..])),
        None => (mantissa, None),
    };
    let digits = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
    digits(int) && frac.is_none_or(digits) && exp.first() == Some(&b'+') && digits(&exp[1..])
}

/// A number of accounts: `12`, `1,200` (thousands grouped by three) or
/// `12.0` as a spreadsheet may write a whole number.
fn parse_count(s: &str) -> Result<i64, String> {
    let whole = s.strip_suffix(".0").unwrap_or(s);
    crate::money::ungroup(whole)
        .and_then(|d| d.parse::<u32>().ok())
        .map(i64::from)
        .ok_or_else(|| im::import_not_accounts(s))
}

/// An opened service list: where the rows come from, as bytes in one
/// encoding that each record is decoded from (`Decode`), or as the rows
/// of a workbook's sheet.
pub struct Sheet {
    pub name: String,
    input: Input,
    /// Text only: the delimiter and the encoding read.
    pub delimiter: u8,
    pub encoding: &'static str,
    /// A workbook's sheet being read (None for text).
    pub sheet: Option<String>,
    /// Bytes of the original file read so far, for a progress bar.
    pub bytes_read: Arc<AtomicU64>,
}

enum Input {
    Text {
        reader: Box<dyn Read + Send>,
        decode: Decode,
    },
    Book(Book),
}

struct Counting<R> {
    inner: R,
    n: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n.fetch_add(k as u64, Ordering::Relaxed);
        Ok(k)
    }
}

impl Sheet {
    /// Opens `path` (`-` for standard input), detects the encoding from its
    /// first 64 KiB and the delimiter from the flag, the extension or the
    /// header line.
    ///
    /// A workbook (xlsx, xls, ods: by its name or its first bytes) is read
    /// from its sheet `sheet`, or its first; its rows go through the same
    /// header, validation and bad rows as text.
    pub fn open(
        path: &str,
        encoding: Encoding,
        delimiter: Option<u8>,
        sheet: Option<&str>,
    ) -> Result<Sheet> {
        let raw: Box<dyn Read + Send> = if path == "-" {
            Box::new(io::stdin())
        } else {
            let mut f =
                std::fs::File::open(path).map_err(|e| Error::io(fm::file_cannot_open(path), e))?;
            // A workbook in a regular file is read where it is; one from a
            // pipe (`<(…)`) is read into memory by `from_reader`.
            if let Some(size) = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len()) {
                let mut head = [0u8; 8];
                let n = read_head(&mut f, &mut head)
                    .map_err(|e| Error::io(fm::file_cannot_read(path), e))?;
                if is_workbook(path, &head[..n]) {
                    return Sheet::book(path, Source::Path(path.to_string()), sheet, size);
                }
                f.rewind()
                    .map_err(|e| Error::io(fm::file_cannot_read(path), e))?;
            }
            Box::new(f)
        };
        let name = if path == "-" { "<stdin>" } else { path };
        Sheet::from_reader(name, raw, encoding, delimiter, sheet)
    }

    /// Reads a sheet from `raw`, named `name` in messages (its extension
    /// may give the delimiter), as `open` does; a workbook is read into
    /// memory first (it must be read out of order).
    pub fn from_reader(
        name: &str,
        raw: Box<dyn Read + Send>,
        encoding: Encoding,
        delimiter: Option<u8>,
        sheet: Option<&str>,
    ) -> Result<Sheet> {
        let (path, name) = (name, name.to_string());
        let bytes_read = Arc::new(AtomicU64::new(0));
        let mut reader = BufReader::with_capacity(
            64 * 1024,
            Counting {
                inner: raw,
                n: bytes_read.clone(),
            },
        );
        let head = reader
            .fill_buf()
            .map_err(|e| Error::io(fm::file_cannot_read(&name), e))?
            .to_vec();
        if head.is_empty() {
            return Err(Error::Invalid(fm::file_empty(&name)));
        }
        if is_workbook(path, &head) {
            let mut bytes = Vec::new();
            reader
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io(fm::file_cannot_read(&name), e))?;
            let size = bytes.len() as u64;
            return Sheet::book(&name, Source::Bytes(bytes), sheet, size);
        }
        if sheet.is_some() {
            return Err(Error::Invalid(msg::sheet_on_text(&name)));
        }
        if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
            return Err(Error::Invalid(fm::file_utf16(&name)));
        }
        if let Some(at) = head.iter().position(|&b| b == 0) {
            return Err(Error::Invalid(fm::file_not_text(&name, at)));
        }
        let bom = head.starts_with(b"\xEF\xBB\xBF");
        let decode = match encoding {
            _ if bom => Decode::Utf8,
            Encoding::Utf8 => Decode::Utf8,
            Encoding::Gbk => Decode::Gbk { detected: false },
            Encoding::Auto => {
                detect(&head).ok_or_else(|| Error::Invalid(fm::file_unknown_text(&name)))?
            }
        };
        let delimiter = delimiter
            .or_else(|| delimiter_from_extension(path))
            .unwrap_or_else(|| {
                let first_line = head.split(|&b| b == b'\n' || b == b'\r').next();
                let first_line = first_line.unwrap_or(&[]);
                if first_line.contains(&b'\t') {
                    b'\t'
                } else {
                    b','
                }
            });
        if bom {
            reader.consume(3);
        }
        let reader: Box<dyn Read + Send> = Box::new(reader);
        // Lines ended by CR alone (old Mac Excel): read as LF, byte for
        // byte (neither byte occurs inside a GBK character).
        let reader: Box<dyn Read + Send> = if head.contains(&b'\r') && !head.contains(&b'\n') {
            Box::new(CrAsLf(reader))
        } else {
            reader
        };
        Ok(Sheet {
            name,
            input: Input::Text { reader, decode },
            delimiter,
            encoding: decode.label(),
            sheet: None,
            bytes_read,
        })
    }

    /// A workbook's sheet: `want`, or the first.
    fn book(name: &str, source: Source, want: Option<&str>, size: u64) -> Result<Sheet> {
        let bytes_read = Arc::new(AtomicU64::new(0));
        let book = Book::open(name, source, want, size, bytes_read.clone())?;
        Ok(Sheet {
            name: name.to_string(),
            delimiter: b',',
            encoding: book.kind,
            sheet: Some(book.sheet.clone()),
            input: Input::Book(book),
            bytes_read,
        })
    }

    /// Wraps an in-memory text, for tests and library callers.
    pub fn from_text(name: &str, text: &str, delimiter: u8) -> Sheet {
        Sheet {
            name: name.to_string(),
            input: Input::Text {
                reader: Box::new(Cursor::new(text.as_bytes().to_vec())),
                decode: Decode::Utf8,
            },
            delimiter,
            encoding: "UTF-8",
            sheet: None,
            bytes_read: Arc::new(AtomicU64::new(0)),
        }
    }
}

/// Up to `buf.len()` first bytes of `r` (fewer only at its end).
fn read_head(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// How each record's bytes become text. A file is read in one encoding
/// from its first byte to its last, decided once (`detect`); a byte
/// sequence invalid in it makes a bad row, never a replacement character
/// or a guess at another encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decode {
    Utf8,
    /// GBK, read as its superset GB18030. When the encoding was detected
    /// rather than given, a cell that is UTF-8 Chinese (`looks_utf8_cjk`)
    /// is refused too: it would decode as GBK mojibake (a UTF-8 cell
    /// pasted into a GBK file).
    Gbk {
        detected: bool,
    },
}

/// What is wrong with a record's bytes: the cell, the byte offset in it,
/// and why.
struct BadBytes {
    cell: usize,
    offset: usize,
    reason: String,
    /// The record's cells, invalid bytes replaced (`Decode::lossy`).
    cells: Vec<String>,
}

impl Decode {
    fn label(self) -> &'static str {
        match self {
            Decode::Utf8 => "UTF-8",
            Decode::Gbk { .. } => "GBK",
        }
    }

    /// The record as UTF-8 text, checked: every byte valid in the file's
    /// encoding, and no NUL.
    fn record(self, rec: csv::ByteRecord) -> Result<csv::ByteRecord, BadBytes> {
        let bytes = rec.as_slice();
        if let Some(at) = bytes.iter().position(|&b| b == 0) {
            return Err(self.locate(&rec, at, fm::file_nul_byte()));
        }
        if bytes.is_ascii() {
            return Ok(rec);
        }
        match self {
            Decode::Utf8 => match std::str::from_utf8(bytes) {
                Ok(_) => Ok(rec),
                Err(e) => {
                    let b = bytes[e.valid_up_to()];
                    Err(self.locate(
                        &rec,
                        e.valid_up_to(),
                        fm::file_not_utf8_byte(format!("0x{b:02X}")),
                    ))
                }
            },
            Decode::Gbk { detected } => {
                if detected {
                    if let Some(i) = (0..rec.len()).find(|&i| looks_utf8_cjk(&rec[i])) {
                        let at = rec.range(i).map_or(0, |r| r.start)
                            + rec[i].iter().position(|b| !b.is_ascii()).unwrap_or(0);
                        // Shown as the UTF-8 it is, not as GBK mojibake.
                        let mut bad = Decode::Utf8.locate(&rec, at, fm::file_utf8_in_gbk());
                        bad.cells = lossy(&rec);
                        return Err(bad);
                    }
                }
                let mut out = csv::ByteRecord::with_capacity(bytes.len() * 3 / 2, rec.len());
                for (i, cell) in rec.iter().enumerate() {
                    match decode_gbk(cell) {
                        Ok(text) => out.push_field(text.as_bytes()),
                        Err(offset) => {
                            return Err(BadBytes {
                                cell: i,
                                offset,
                                cells: self.lossy(&rec),
                                reason: fm::file_not_gbk_byte(format!("0x{:02X}", cell[offset])),
                            })
                        }
                    }
                }
                Ok(out)
            }
        }
    }

    /// The cell of `rec` that holds its byte `at`, and the offset there.
    fn locate(self, rec: &csv::ByteRecord, at: usize, reason: String) -> BadBytes {
        let cell = (0..rec.len())
            .find(|&i| rec.range(i).is_some_and(|r| r.contains(&at)))
            .unwrap_or(0);
        let start = rec.range(cell).map_or(0, |r| r.start);
        BadBytes {
            cell,
            offset: at - start,
            reason,
            cells: self.lossy(rec),
        }
    }

    /// The cells as text for a message or `--rejects`, with invalid bytes
    /// replaced: the row is refused anyway.
    fn lossy(self, rec: &csv::ByteRecord) -> Vec<String> {
        match self {
            Decode::Utf8 => lossy(rec),
            Decode::Gbk { .. } => lossy(rec)
                .into_iter()
                .zip(rec.iter())
                .map(|(utf8, raw)| {
                    if raw.is_ascii() {
                        utf8
                    } else {
                        let text = encoding_rs::GB18030.decode_without_bom_handling(raw).0;
                        text.trim_end_matches('\r').to_string()
                    }
                })
                .collect(),
        }
    }
}

/// Whether a cell of a GBK file is really UTF-8 Chinese: valid UTF-8 with
/// a three- or four-byte sequence, as every CJK character in UTF-8 is.
/// GBK text is almost never that (a few bytes by chance can form two-byte
/// sequences, hardly ever three-byte ones across its character pairs).
fn looks_utf8_cjk(cell: &[u8]) -> bool {
    cell.iter().any(|&b| b >= 0xE0) && std::str::from_utf8(cell).is_ok()
}

/// One cell from GBK (as GB18030) to text; the offset of the first
/// invalid byte otherwise.
fn decode_gbk(cell: &[u8]) -> Result<std::borrow::Cow<'_, str>, usize> {
    let gbk = encoding_rs::GB18030;
    if let Some(text) = gbk.decode_without_bom_handling_and_without_replacement(cell) {
        return Ok(text);
    }
    let mut decoder = gbk.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(cell.len() * 4 + 4);
    let (result, read) = decoder.decode_to_string_without_replacement(cell, &mut out, true);
    let offset = match result {
        encoding_rs::DecoderResult::Malformed(bad, extra) => {
            read.saturating_sub(usize::from(bad) + usize::from(extra))
        }
        _ => read,
    };
    Err(offset.min(cell.len().saturating_sub(1)))
}

/// The encoding of a file from its first bytes (`head`): UTF-8 when they
/// are ASCII or mostly valid UTF-8 (a stray byte in a UTF-8 file must not
/// turn it into GBK), else GBK when they decode as GBK and read like
/// Chinese text, else UTF-8 if any of it is, else None (Latin-1, UTF-16
/// without BOM: ask).
fn detect(head: &[u8]) -> Option<Decode> {
    if head.is_ascii() {
        return Some(Decode::Utf8);
    }
    let (chars, invalid) = utf8_census(head);
    if chars > invalid {
        return Some(Decode::Utf8);
    }
    if looks_gbk(head) {
        return Some(Decode::Gbk { detected: true });
    }
    // Some valid UTF-8 and more broken bytes: still UTF-8, whose broken
    // rows are refused one by one.
    (chars > 0).then_some(Decode::Utf8)
}

/// Multi-byte UTF-8 characters and invalid sequences in `head`; a
/// character cut off at its end counts as neither.
fn utf8_census(head: &[u8]) -> (usize, usize) {
    let leads = |b: &[u8]| b.iter().filter(|&&b| b >= 0xC0).count();
    let (mut chars, mut invalid) = (0, 0);
    let mut rest = head;
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => return (chars + leads(rest), invalid),
            Err(e) => {
                chars += leads(&rest[..e.valid_up_to()]);
                match e.error_len() {
                    Some(n) => {
                        invalid += 1;
                        rest = &rest[e.valid_up_to() + n..];
                    }
                    None => return (chars, invalid),
                }
            }
        }
    }
}

/// Whether `head` decodes as GBK without error and at least half its
/// double-byte characters are in the common GB2312 range (both bytes
/// 0xA1 and up), as Chinese text is: Latin-1 (`é` then an ASCII letter)
/// often decodes as rare GBK characters but never looks like that.
fn looks_gbk(head: &[u8]) -> bool {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let Some(cap) = decoder.max_utf8_buffer_length_without_replacement(head.len()) else {
        return false;
    };
    let mut out = String::with_capacity(cap);
    let (result, _) = decoder.decode_to_string_without_replacement(head, &mut out, false);
    if result != encoding_rs::DecoderResult::InputEmpty {
        return false;
    }
    let (mut wide, mut common, mut i) = (0usize, 0usize, 0usize);
    while i < head.len() {
        let b = head[i];
        let next = head.get(i + 1).copied().unwrap_or(0);
        if b < 0x80 {
            i += 1;
            continue;
        }
        wide += 1;
        if next.is_ascii_digit() {
            i += 4; // a four-byte GB18030 sequence
            continue;
        }
        if (0xA1..=0xF7).contains(&b) && (0xA1..=0xFE).contains(&next) {
            common += 1;
        }
        i += 2;
    }
    common * 2 >= wide
}

/// Reads every CR as LF: for files whose lines end in CR alone.
struct CrAsLf<R>(R);

impl<R: Read> Read for CrAsLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.read(buf)?;
        for b in &mut buf[..n] {
            if *b == b'\r' {
                *b = b'\n';
            }
        }
        Ok(n)
    }
}

fn delimiter_from_extension(path: &str) -> Option<u8> {
    let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "tsv" | "tab" => Some(b'\t'),
        "csv" => Some(b','),
        _ => None,
    }
}

/// Parses `--delimiter`: one ASCII character, or `tab` / `\t`.
pub fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" | "TAB" => Ok(b'\t'),
        "comma" => Ok(b','),
        "semicolon" => Ok(b';'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(fm::file_not_a_delimiter(s)),
    }
}

/// A row of the file: typed and valid, or bad with what is wrong.
pub enum Item {
    Row(Box<Row>),
    Bad(Box<BadRow>),
}

impl Sheet {
    /// Reads the header (so a bad header fails before any row) and returns
    /// the rows that follow it.
    ///
    /// Records end at `\n` only, and the text gets one more `\n` at its
    /// end, so every record is read through its `\n`: a record's first
    /// line is then the lines read so far less those inside its quoted
    /// cells (a CRLF line leaves its `\r` in the last cell, which trimming
    /// takes off). The reader's own position would count from before the
    /// blank lines it skips, and before a CRLF's `\n`.
    pub fn rows(self) -> Result<Rows> {
        let records = self.records()?;
        let header = Header::parse(records.header.clone()).map_err(|e| records.header_error(e))?;
        Ok(Rows {
            header,
            records,
            last: None,
        })
    }

    /// The header's cells and the records after it, decoded and checked
    /// (see `rows`): the part every kind of sheet shares.
    pub fn records(self) -> Result<Records> {
        let name = self.name;
        let (reader, decode) = match self.input {
            Input::Text { reader, decode } => (reader, decode),
            Input::Book(book) => return Records::book(name, book),
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(256 * 1024)
            .from_reader(reader.chain(&b"\n"[..]));
        let mut rec = csv::ByteRecord::new();
        let got = reader
            .read_byte_record(&mut rec)
            .map_err(|e| csv_error(&name, e))?;
        if !got {
            return Err(Error::Invalid(fm::file_no_header(&name)));
        }
        let rec = decode.record(rec).map_err(|b| {
            Error::Invalid(fm::file_header_bytes(&name, b.cell + 1, b.offset, b.reason))
        })?;
        let header = lossy(&rec);
        Ok(Records {
            name,
            source: RecordSource::Text {
                decode,
                sizes: (256, header.len()),
                reader,
            },
            header,
        })
    }
}

/// The records of a sheet after its header, decoded, blank ones skipped.
pub struct Records {
    pub name: String,
    /// The header's cells as written.
    pub header: Vec<String>,
    source: RecordSource,
}

enum RecordSource {
    Text {
        reader: csv::Reader<io::Chain<Box<dyn Read + Send>, &'static [u8]>>,
        decode: Decode,
        /// Bytes and fields of the largest record so far.
        sizes: (usize, usize),
    },
    /// A workbook's rows, as wide as the header.
    Book(Book),
}

/// A record and the physical line it starts on, or a bad row when its
/// bytes are not text in the file's encoding.
pub type Record = (u64, Result<csv::ByteRecord, BadRow>);

impl Iterator for Records {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        let (reader, decode, sizes) = match &mut self.source {
            RecordSource::Text {
                reader,
                decode,
                sizes,
            } => (reader, *decode, sizes),
            RecordSource::Book(book) => return next_book_row(book, self.header.len()),
        };
        loop {
            // Each row keeps its record; sized like the last one, it is
            // read without growing.
            let mut rec = csv::ByteRecord::with_capacity(sizes.0, sizes.1);
            match reader.read_byte_record(&mut rec) {
                Ok(false) => return None,
                Err(e) => return Some(Err(csv_error(&self.name, e))),
                Ok(true) => {
                    let line = first_line(reader.position().line(), &rec);
                    let rec = match decode.record(rec) {
                        Ok(rec) => rec,
                        Err(b) => return Some(Ok((line, Err(bad_bytes(&self.header, line, b))))),
                    };
                    if is_blank(&rec) {
                        continue; // as spreadsheets leave at the end: `,,,,`
                    }
                    *sizes = (rec.as_slice().len().max(sizes.0), rec.len());
                    return Some(Ok((line, Ok(rec))));
                }
            }
        }
    }
}

/// The next row of a workbook with a cell in it, as a record as wide as
/// the header (a sheet does not store the empty cells at a row's end):
/// one with a value beyond the header keeps it, and is refused as a
/// CSV row with too many cells is.
fn next_book_row(book: &mut Book, width: usize) -> Option<Result<Record>> {
    loop {
        let (line, mut cells) = match book.next()? {
            Ok(row) => row,
            Err(e) => return Some(Err(e)),
        };
        if cells.len() < width {
            cells.resize(width, String::new());
        }
        let rec = csv::ByteRecord::from(cells);
        if is_blank(&rec) {
            continue;
        }
        return Some(Ok((line, Ok(rec))));
    }
}

impl Records {
    /// What is wrong with the header (`e`), naming the file; for a
    /// workbook whose first sheet was read, its other sheets too.
    pub fn header_error(&self, e: String) -> Error {
        let other_sheets = match &self.source {
            RecordSource::Book(b) => b.other_sheets.as_deref().unwrap_or_default(),
            RecordSource::Text { .. } => "",
        };
        Error::Invalid(fm::file_error(&self.name, format!("{e}{other_sheets}")))
    }

    /// A workbook's records: its first row with a cell in it is the header.
    fn book(name: String, mut book: Book) -> Result<Records> {
        let header = loop {
            match book.next() {
                None => return Err(Error::Invalid(msg::empty_sheet(&name, &book.sheet))),
                Some(Err(e)) => return Err(e),
                Some(Ok((_, cells))) if cells.iter().all(|c| c.trim().is_empty()) => continue,
                Some(Ok((_, cells))) => break cells,
            }
        };
        Ok(Records {
            name,
            header,
            source: RecordSource::Book(book),
        })
    }
}

/// The bad row for a record whose bytes are not text in the file's
/// encoding (`b` says where).
fn bad_bytes(header: &[String], line: u64, b: BadBytes) -> BadRow {
    let column = match header.get(b.cell) {
        Some(name) => name.trim().to_string(),
        None => fm::file_beyond_header(b.cell + 1),
    };
    BadRow {
        line,
        column,
        value: b.cells.get(b.cell).cloned().unwrap_or_default(),
        reason: fm::file_at_byte(b.offset, b.reason),
        cells: b.cells,
    }
}

/// The rows of a service list after its header, in file order. An error
/// ends them (reading failed midway).
pub struct Rows {
    pub header: Header,
    records: Records,
    last: Option<Arc<Customer>>,
}

impl Iterator for Rows {
    type Item = Result<Item>;

    fn next(&mut self) -> Option<Result<Item>> {
        let (line, rec) = match self.records.next()? {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        let rec = match rec {
            Ok(rec) => rec,
            Err(bad) => return Some(Ok(Item::Bad(Box::new(bad)))),
        };
        Some(Ok(match self.header.row(line, rec, self.last.as_ref()) {
            Ok(r) => {
                self.last = Some(Arc::clone(&r.customer));
                Item::Row(Box::new(r))
            }
            Err(b) => Item::Bad(Box::new(b)),
        }))
    }
}

/// A blank line, or a row whose cells are all empty once trimmed.
fn is_blank(rec: &csv::ByteRecord) -> bool {
    let bytes = rec.as_slice();
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => true,
        Some(b) if b.is_ascii() => false,
        // Not ASCII: perhaps a full-width space (U+3000), which trims too.
        Some(_) => rec
            .iter()
            .all(|c| std::str::from_utf8(c).is_ok_and(|t| t.trim().is_empty())),
    }
}

/// The physical line a record starts on, from the reader's line after
/// reading it through its `\n` (`Sheet::rows`): less that `\n` and those
/// inside its quoted cells.
fn first_line(line_after: u64, rec: &csv::ByteRecord) -> u64 {
    let inside = rec.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
    line_after.saturating_sub(inside + 1)
}

fn csv_error(name: &str, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    match (e.into_kind(), line) {
        (csv::ErrorKind::Io(io), Some(l)) => Error::io(fm::file_cannot_read_at(name, l), io),
        (csv::ErrorKind::Io(io), None) => Error::io(fm::file_cannot_read(name), io),
        (other, Some(l)) => Error::Invalid(fm::file_error_at(name, l, format!("{other:?}"))),
        (other, None) => Error::Invalid(fm::file_error(name, format!("{other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(line: &str) -> Header {
        Header::parse(line.split(',').map(String::from).collect()).unwrap()
    }

    fn rec(line: &str) -> csv::ByteRecord {
        csv::ByteRecord::from(line.split(',').collect::<Vec<_>>())
    }

    const H: &str = "customer_id,customer_name,service_id,service_type,expiry_date,amount,start_date,renewal_of";

    #[test]
    fn missing_required_columns_are_named() {
        let e = Header::parse(vec!["customer_id".into(), "amount".into()]).unwrap_err();
        assert!(e.contains("customer_name (客户名称)"), "{e}");
        assert!(e.contains("expiry_date (到期时间)"), "{e}");
        assert!(!e.contains("customer_id ("), "{e}");
    }

    #[test]
    fn unknown_columns_are_kept_for_the_report_and_derived_ones_ignored() {
        let h = header(&format!("{H},colour,days_left,续费跟进状态"));
        assert_eq!(h.unknown, vec!["colour".to_string()]);
        assert!(!h.has(Col::Status));
    }

    #[test]
    fn a_duplicate_header_is_refused() {
        let e = Header::parse(format!("{H},客户ID").split(',').map(String::from).collect())
            .unwrap_err();
        assert!(e.contains("appears twice"), "{e}");
    }

    #[test]
    fn a_good_row_is_typed() {
        let h = header(H);
        let r = h
            .row(
                2,
                rec("C1,华宇科技,S1,安全托管,2026/1/5,¥12000,2025-01-06,"),
                None,
            )
            .unwrap();
        assert_eq!(r.service.service_type, ServiceType::Managed);
        assert_eq!(r.service.expiry_date.to_string(), "2026-01-05");
        assert_eq!(r.service.amount, Some(Cents(1_200_000)));
        assert_eq!(r.service.renewal_of, None);
        assert_eq!(r.customer.name, "华宇科技");
    }

    #[test]
    fn each_bad_cell_names_line_column_and_value() {
        let h = header(H);
        let cases = [
            (
                "C1,n,S1,subscription,2026-02-30,1,,",
                "expiry_date",
                "2026-02-30",
            ),
            (
                "C1,n,S1,hardware,2026-02-01,1,,",
                "service_type",
                "hardware",
            ),
            ("C1,n,S1,basic,2026-02-01,12.345,,", "amount", "12.345"),
            (",n,S1,basic,2026-02-01,1,,", "customer_id", ""),
            (
                "C1,n,S1,basic,2026-02-01,1,2026-03-01,",
                "start_date",
                "2026-03-01",
            ),
            ("C1,n,S1,basic,2026-02-01,1,,S1", "renewal_of", "S1"),
        ];
        for (line, col, value) in cases {
            let b = h.row(7, rec(line), None).unwrap_err();
            assert_eq!(
                (b.line, b.column.as_str(), b.value.as_str()),
                (7, col, value),
                "{line}"
            );
            assert!(b.to_string().starts_with("line 7, column "), "{b}");
        }
        let short = h.row(3, rec("C1,n,S1"), None).unwrap_err();
        assert!(
            short.reason.contains("3 cells, the header has 8"),
            "{}",
            short.reason
        );
    }

    #[test]
    fn a_repeated_customer_is_built_once() {
        let h = header(&format!("{H},csm"));
        let a = h
            .row(2, rec("C1,华宇,S1,basic,2026-02-01,1,,,张伟"), None)
            .unwrap();
        let b = h
            .row(
                3,
                rec("C1,华宇,S2,basic,2026-03-01,1,,,张伟"),
                Some(&a.customer),
            )
            .unwrap();
        assert!(Arc::ptr_eq(&a.customer, &b.customer));
        let c = h
            .row(
                4,
                rec("C1,华宇,S3,basic,2026-03-01,1,,,王芳"),
                Some(&b.customer),
            )
            .unwrap();
        assert!(!Arc::ptr_eq(&b.customer, &c.customer));
        assert_eq!(c.customer.csm(), Some("王芳"));
        assert_eq!(c.cells()[8], "王芳");
    }

    #[test]
    fn a_budget_date_is_read_as_a_date_and_kept_as_iso() {
        let h = header(&format!("{H},预算制定时间"));
        let a = h
            .row(2, rec("C1,华宇,S1,basic,2026-02-01,1,,,2027/3/1"), None)
            .unwrap();
        assert_eq!(a.customer.get(Col::BudgetDate), Some("2027-03-01"));
        // The same date written another way is the same customer.
        let b = h
            .row(
                3,
                rec("C1,华宇,S2,basic,2026-02-01,1,,,2027年3月1日"),
                Some(&a.customer),
            )
            .unwrap();
        assert!(Arc::ptr_eq(&a.customer, &b.customer));
        let empty = h
            .row(4, rec("C1,华宇,S3,basic,2026-02-01,1,,,"), None)
            .unwrap();
        assert_eq!(empty.customer.get(Col::BudgetDate), None);
        let bad = h
            .row(5, rec("C1,华宇,S4,basic,2026-02-01,1,,,2027-02-30"), None)
            .unwrap_err();
        assert_eq!(
            (bad.column.as_str(), bad.value.as_str()),
            ("预算制定时间", "2027-02-30")
        );
        assert!(bad.reason.contains("not a real date"), "{}", bad.reason);
    }

    #[test]
    fn formula_guard_is_stripped() {
        let h = header(H);
        let r = h
            .row(2, rec("C1,'=SUM(A1),S1,basic,2026-02-01,1,,"), None)
            .unwrap();
        assert_eq!(r.customer.name, "=SUM(A1)");
        let r = h
            .row(2, rec("C1,'quoted,S1,basic,2026-02-01,1,,"), None)
            .unwrap();
        assert_eq!(r.customer.name, "'quoted");
        for (cell, value) in [
            ("''x", "'x"),
            ("'\tx", "\tx"),
            ("'\rx", "\rx"),
            ("' =x", "' =x"),
        ] {
            assert_eq!(cell_value(cell), value, "{cell:?}");
        }
    }

    #[test]
    fn encodings_and_delimiters() {
        assert_eq!(delimiter_from_extension("a/b.TSV"), Some(b'\t'));
        assert_eq!(delimiter_from_extension("b.txt"), None);
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert!(parse_delimiter("ab").is_err());
        assert_eq!("GB18030".parse::<Encoding>(), Ok(Encoding::Gbk));
    }

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(s).0.into_owned()
    }

    const NAMES: &str = "华宇科技有限公司,北京,金融行业,张三";

    #[test]
    fn detection_decides_once_from_the_sample() {
        let utf8 = NAMES.repeat(20).into_bytes();
        assert_eq!(detect(b"a,b\n"), Some(Decode::Utf8));
        assert_eq!(detect(&utf8), Some(Decode::Utf8));
        assert_eq!(
            detect(&utf8[..utf8.len() - 1]),
            Some(Decode::Utf8),
            "cut mid-character"
        );
        assert_eq!(
            detect(&gbk(&NAMES.repeat(20))),
            Some(Decode::Gbk { detected: true })
        );
        // One flipped byte in a UTF-8 sample leaves it UTF-8.
        let mut flipped = utf8.clone();
        flipped[4] ^= 0x40;
        assert_eq!(detect(&flipped), Some(Decode::Utf8));
        // Latin-1 decodes as rare GBK characters, but is not Chinese text.
        let latin1: Vec<u8> = "Société Générale,Paris,Crédit\n"
            .chars()
            .map(|c| c as u32 as u8)
            .collect();
        assert_eq!(detect(&latin1), None);
    }

    /// The rows of a file with these bytes: values of good rows, and bad
    /// rows as their messages.
    fn read(bytes: &[u8], encoding: Encoding) -> Result<(Vec<String>, Vec<String>)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.csv");
        std::fs::write(&path, bytes).unwrap();
        let sheet = Sheet::open(path.to_str().unwrap(), encoding, None, None)?;
        let (mut good, mut bad) = (vec![], vec![]);
        for item in sheet.rows()? {
            match item? {
                Item::Row(r) => good.push(r.customer.name.clone()),
                Item::Bad(b) => bad.push(b.to_string()),
            }
        }
        Ok((good, bad))
    }

    const HEAD: &str = "customer_id,customer_name,service_id,service_type,expiry_date\n";

    #[test]
    fn one_encoding_from_first_byte_to_last() {
        // A stray byte far into a UTF-8 file is a bad row, named by line
        // and byte, not a reason to read the file as GBK.
        let mut text = HEAD.to_string();
        for i in 0..3000 {
            text.push_str(&format!("C{i},华宇科技有限公司,S{i},basic,2026-06-01\n"));
        }
        let mut bytes = text.into_bytes();
        let at = bytes.len() - 20; // inside the last row's name
        let line_start = bytes[..at].iter().rposition(|&b| b == b'\n').unwrap() + 1;
        let name_at = line_start + bytes[line_start..].iter().position(|&b| b == b',').unwrap() + 1;
        bytes[name_at + 1] = 0xFF;
        let (good, bad) = read(&bytes, Encoding::Auto).unwrap();
        assert_eq!(good.len(), 2999);
        assert!(good.iter().all(|n| n == "华宇科技有限公司"));
        assert_eq!(bad.len(), 1);
        assert!(
            bad[0].starts_with("line 3001, column customer_name, value `�")
                && bad[0].contains("at byte 0 of the cell, 0xE5 is not valid UTF-8"),
            "{}",
            bad[0]
        );

        // A UTF-8 row after GBK rows, and GBK rows after UTF-8 ones.
        let gbk_rows: Vec<u8> = gbk(&format!(
            "{HEAD}C1,华宇科技有限公司,S1,basic,2026-06-01\nC2,北京金融,S2,basic,2026-06-01\n"
        ));
        let mut mixed = gbk_rows.clone();
        mixed.extend_from_slice("C3,华宇科技有限公司,S3,basic,2026-06-01\n".as_bytes());
        let (good, bad) = read(&mixed, Encoding::Auto).unwrap();
        assert_eq!(good, ["华宇科技有限公司", "北京金融"]);
        assert!(
            bad[0].starts_with("line 4, column customer_name")
                && bad[0].contains("UTF-8 but the file is GBK"),
            "{}",
            bad[0]
        );

        let mut mixed = format!(
            "{HEAD}C1,华宇科技有限公司,S1,basic,2026-06-01\nC2,北京金融,S2,basic,2026-06-01\n"
        )
        .into_bytes();
        mixed.extend_from_slice(&gbk("C3,华宇科技有限公司,S3,basic,2026-06-01\n"));
        let (good, bad) = read(&mixed, Encoding::Auto).unwrap();
        assert_eq!(good, ["华宇科技有限公司", "北京金融"]);
        assert!(
            bad[0].starts_with("line 4, column customer_name")
                && bad[0].contains("not valid UTF-8"),
            "{}",
            bad[0]
        );

        // Overlong UTF-8 (`/` as C0 AF) is not UTF-8.
        let mut overlong = format!("{HEAD}C1,华宇,S1,basic,2026-06-01\nC2,a").into_bytes();
        overlong.extend_from_slice(&[0xC0, 0xAF]);
        overlong.extend_from_slice(b"b,S2,basic,2026-06-01\n");
        let (_, bad) = read(&overlong, Encoding::Auto).unwrap();
        assert!(
            bad[0].contains("at byte 1 of the cell, 0xC0 is not valid UTF-8"),
            "{}",
            bad[0]
        );

        // Latin-1 is refused as a whole, with the way out.
        let latin1: Vec<u8> = format!("{HEAD}C1,Société Générale,S1,basic,2026-06-01\n")
            .chars()
            .map(|c| c as u32 as u8)
            .collect();
        let e = read(&latin1, Encoding::Auto).unwrap_err().to_string();
        assert!(
            e.contains("neither UTF-8 nor GBK") && e.contains("--encoding"),
            "{e}"
        );

        // Told GBK, a GBK file reads; an invalid GBK byte is a bad row.
        let mut told = gbk(&format!("{HEAD}C1,华宇科技,S1,basic,2026-06-01\nC2,北京"));
        told.extend_from_slice(&[0x81, 0x20]);
        told.extend_from_slice(b",S2,basic,2026-06-01\n");
        let (good, bad) = read(&told, Encoding::Gbk).unwrap();
        assert_eq!(good, ["华宇科技"]);
        assert!(
            bad[0].contains("at byte 4 of the cell, 0x81 is not valid GBK"),
            "{}",
            bad[0]
        );
    }

    #[test]
    fn nul_bytes_and_control_characters_in_ids_are_bad_rows() {
        let mut text = HEAD.to_string();
        text.push_str(&"C0,x,S0,basic,2026-06-01\n".repeat(5000)); // past the 64 KiB sample
        text.push_str("C1,a\0b,S1,basic,2026-06-01\n");
        text.push_str("C2,b,\"S\n2\",basic,2026-06-01\n");
        text.push_str("C3,c,S3,basic,2026-06-01,\n");
        let (good, bad) = read(text.as_bytes(), Encoding::Auto).unwrap();
        assert_eq!(good.len(), 5000);
        assert!(
            bad[0].starts_with("line 5002, column customer_name") && bad[0].contains("NUL"),
            "{}",
            bad[0]
        );
        assert!(
            bad[1].starts_with("line 5003, column service_id, value `S\\n2`")
                && bad[1].contains("control character"),
            "{}",
            bad[1]
        );
        assert_eq!(
            bad.len(),
            3,
            "the row with a cell beyond the header is bad too"
        );
    }

    #[test]
    fn an_id_in_scientific_notation_is_a_bad_row() {
        for id in ["6.22202123456789E+18", "1E+15", "6.2e+18", "-1.5E+16"] {
            assert!(is_scientific(id), "{id}");
        }
        for id in [
            "1E5",
            "E+18",
            "6.E+18",
            "S1E+5",
            "6222021234567890000",
            "C0001",
            "1.5E+",
        ] {
            assert!(!is_scientific(id), "{id}");
        }
        let h = header(H);
        let b = h
            .row(
                4,
                rec("C1,n,6.22202123456789E+18,basic,2026-02-01,1,,"),
                None,
            )
            .unwrap_err();
        assert_eq!(
            (b.column.as_str(), b.value.as_str()),
            ("service_id", "6.22202123456789E+18")
        );
        assert!(b.reason.contains("scientific notation"), "{}", b.reason);
        let b = h
            .row(5, rec("1.23E+17,n,S1,basic,2026-02-01,1,,"), None)
            .unwrap_err();
        assert_eq!(b.column, "customer_id");
    }

    #[test]
    fn clip_keeps_messages_short() {
        let long = "x".repeat(10_000);
        assert!(clip(&long).len() < 100);
        assert_eq!(clip("short"), "short");
    }
}
