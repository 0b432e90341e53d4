//! `usage import`: a usage sheet into the database, as `import` loads a
//! service list: rows read and validated on one thread, written by
//! `db::usage` on this one inside one transaction, all or nothing unless
//! `skip_invalid`; then the indicators of the services whose usage
//! changed, in the same transaction.

use std::sync::atomic::Ordering;

use super::import::{read_in_background, MAX_BAD_SHOWN};
use crate::db::usage::AnyLoader;
use crate::db::{imports, Db};
use crate::error::{Error, Result};
use crate::history::Actor;
use crate::sheet::{BadRow, Sheet};
use crate::usage::{Counts, Item, UsageRows};

pub use super::import::Event;

/// How a usage import treats bad rows, and what it knows of its file.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Write the good rows and report the bad ones, instead of nothing.
    pub skip_invalid: bool,
    /// Validate and count, then roll everything back.
    pub dry_run: bool,
    /// The file's size, when known (not for standard input).
    pub size: Option<u64>,
}

/// From this size on, a first usage import writes through a rollback
/// journal rather than the WAL, each page once instead of twice (as the
/// first `import` does). The switch to and back from it moves the
/// database header's change counter even when the import then writes
/// nothing; below this size nothing at all changes then.
const DIRECT_FROM_BYTES: u64 = 64 << 20;

/// What a usage import did (or, rolled back, would have done).
#[derive(Debug)]
pub struct Report {
    pub rows: u64,
    pub counts: Counts,
    pub rejected: u64,
    /// The first bad rows, for the message.
    pub bad: Vec<BadRow>,
    /// Other columns kept as custom metrics.
    pub custom: Vec<String>,
    /// Other columns ignored, each with why.
    pub ignored: Vec<(String, &'static str)>,
    pub encoding: &'static str,
    pub delimiter: u8,
    /// A workbook's sheet that was read (None for text).
    pub sheet: Option<String>,
    /// False when bad rows (without `--skip-invalid`) or `--dry-run` rolled
    /// the transaction back.
    pub committed: bool,
}

/// Imports the usage sheet `sheet` into `db` in one transaction: all or
/// nothing, unless `skip_invalid`. Days after `today` are refused.
pub fn import(
    db: &mut Db,
    sheet: Sheet,
    opts: Options,
    who: &Actor,
    on: &mut dyn FnMut(Event) -> Result<()>,
) -> Result<Report> {
    let today = who.today;
    let file = sheet.name.clone();
    let encoding = sheet.encoding;
    let delimiter = sheet.delimiter;
    let sheet_read = sheet.sheet.clone();
    let bytes = sheet.bytes_read.clone();
    let rows = UsageRows::new(sheet.records()?, today)?;
    let header = rows.header.clone();
    on(Event::Header(&header.names))?;
    let (batches, recycle, reader) = read_in_background(rows)?;
    let large = opts.size.is_some_and(|n| n >= DIRECT_FROM_BYTES);
    let direct = large && !opts.dry_run && db.direct_writes_if_no_usage()?;
    let written = db.change(|tx| {
        let mut loader = AnyLoader::new(tx, &header)?;
        let (mut rows, mut rejected, mut bad_shown) = (0u64, 0u64, Vec::new());
        let mut reject = |b: BadRow, on: &mut dyn FnMut(Event) -> Result<()>| {
            rejected += 1;
            on(Event::Bad(&b))?;
            if bad_shown.len() < MAX_BAD_SHOWN {
                bad_shown.push(b);
            }
            Ok::<(), Error>(())
        };
        for batch in batches {
            let batch = batch?;
            for item in &batch {
                rows += 1;
                match item {
                    Item::Row(r) => {
                        if let Err(b) = loader.apply(r)? {
                            reject(b, on)?;
                        }
                    }
                    Item::Bad(b) => reject((**b).clone(), on)?,
                }
            }
            // Freed by the reading thread, which made the rows.
            let _ = recycle.try_send(batch);
            on(Event::Progress {
                bytes: bytes.load(Ordering::Relaxed),
            })?;
        }
        let committed = !opts.dry_run && (rejected == 0 || opts.skip_invalid);
        let counts = loader.finish(committed)?;
        on(Event::Done)?;
        if committed {
            imports::log(tx, who, imports::Kind::Usage, &file, rows, rejected)?;
        } else {
            tx.discard();
        }
        Ok((rows, counts, rejected, bad_shown, committed))
    });
    // The reader's header has learnt what the other columns are.
    let header = reader.join().map(|r| r.header).unwrap_or(header);
    if direct {
        db.restore_wal()?;
    }
    let (rows, counts, rejected, bad, committed) = written?;
    Ok(Report {
        rows,
        counts,
        rejected,
        bad,
        custom: header.custom(),
        ignored: header.ignored(),
        encoding,
        delimiter,
        sheet: sheet_read,
        committed,
    })
}
