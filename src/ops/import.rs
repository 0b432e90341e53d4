//! `import`: a service list into the database. Data flows one way: the
//! sheet's rows are read and validated on one thread, written by
//! `db::load` on this one inside one transaction, and summed up in a
//! report. Memory does not grow with the file.

use std::sync::atomic::Ordering;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use crate::columns::Col;
use crate::db::load::{self, Loader, Summary};
use crate::db::{imports, settings, Db};
use crate::error::{Error, Result};
use crate::history::Actor;
use crate::sheet::{BadRow, Item, Sheet};

/// How an import treats bad rows.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Write the good rows and report the bad ones, instead of nothing.
    pub skip_invalid: bool,
    /// Validate and count, then roll everything back.
    pub dry_run: bool,
}

/// What an import did (or, rolled back, would have done).
#[derive(Debug)]
pub struct Report {
    pub rows: u64,
    pub summary: Summary,
    pub rejected: u64,
    /// The first bad rows, for the message.
    pub bad: Vec<BadRow>,
    pub unknown_columns: Vec<String>,
    pub encoding: &'static str,
    pub delimiter: u8,
    /// A workbook's sheet that was read (None for text).
    pub sheet: Option<String>,
    /// False when bad rows (without `--skip-invalid`) or `--dry-run` rolled
    /// the transaction back.
    pub committed: bool,
}

/// Told to the caller while an import runs. An error the caller returns
/// stops the import and rolls it back: nothing is written.
pub enum Event<'a> {
    /// The file's header cells, before any row.
    Header(&'a [String]),
    Progress {
        bytes: u64,
    },
    Bad(&'a BadRow),
    /// Every row is in, the transaction not yet committed: the last chance
    /// to finish what must not fail once the rows are written (the rejects
    /// file).
    Done,
}

pub(super) const MAX_BAD_SHOWN: usize = 20;

/// Rows travel between the threads in batches of this many.
const BATCH: usize = 512;

/// Imports `sheet` into `db` in one transaction: all or nothing, unless
/// `skip_invalid`.
pub fn run(
    db: &mut Db,
    sheet: Sheet,
    opts: Options,
    who: Actor,
    on: &mut dyn FnMut(Event) -> Result<()>,
) -> Result<Report> {
    let encoding = sheet.encoding;
    let delimiter = sheet.delimiter;
    let sheet_read = sheet.sheet.clone();
    let bytes = sheet.bytes_read.clone();
    let file = sheet.name.clone();
    let log_as = who.clone();
    let rows = sheet.rows()?;
    let header = rows.header.clone();
    on(Event::Header(&header.names))?;
    let (batches, _, parser) = read_in_background(rows)?;
    let direct = !opts.dry_run && db.direct_writes_if_empty()?;
    load::take_turn(db.sql())?;
    let written = db.change(|tx| {
        let at = settings::as_of(tx, who.today)?;
        let mut loader = Loader::new(tx, &header, who, at)?;
        let (mut rows, mut rejected, mut bad_shown) = (0u64, 0u64, Vec::new());
        let mut reject = |b: BadRow, on: &mut dyn FnMut(Event) -> Result<()>| {
            rejected += 1;
            on(Event::Bad(&b))?;
            if bad_shown.len() < MAX_BAD_SHOWN {
                bad_shown.push(b);
            }
            Ok::<(), Error>(())
        };
        let mut batches = batches.into_iter();
        let mut next = |loader: &mut Loader| -> Result<bool> {
            let Some(batch) = batches.next() else {
                return Ok(false);
            };
            let batch = batch?;
            loader.prefetch(&batch)?;
            for item in batch {
                rows += 1;
                match item {
                    Item::Row(r) => {
                        if let Err(b) = loader.apply(&r)? {
                            reject(b, on)?;
                        }
                    }
                    Item::Bad(b) => {
                        // In the file, if not importable: not absent.
                        if let Some(id) = header.cell(Col::ServiceId, &b.cells) {
                            loader.saw_service(id);
                        }
                        reject(*b, on)?
                    }
                }
            }
            on(Event::Progress {
                bytes: bytes.load(Ordering::Relaxed),
            })?;
            Ok(true)
        };
        if loader.streams() {
            loader.stream(&mut next)?;
        } else {
            while next(&mut loader)? {}
        }
        let summary = loader.finish()?;
        on(Event::Done)?;
        let committed = !opts.dry_run && (rejected == 0 || opts.skip_invalid);
        if committed {
            imports::log(tx, &log_as, imports::Kind::Services, &file, rows, rejected)?;
        } else {
            tx.discard();
        }
        Ok((rows, summary, rejected, bad_shown, committed))
    });
    let _ = parser.join();
    let turn = load::end_turn(db.sql());
    if direct {
        db.restore_wal()?;
    }
    let (rows, summary, rejected, bad, committed) = written?;
    turn?;
    Ok(Report {
        rows,
        summary,
        rejected,
        bad,
        unknown_columns: header.unknown.clone(),
        encoding,
        delimiter,
        sheet: sheet_read,
        committed,
    })
}

/// Batches of rows in file order, from the reading thread.
pub(super) type Batches<T> = Receiver<Result<Vec<T>>>;

/// Batches handed back once written, so that the reading thread, which
/// made their rows, frees them (a free on another thread than the
/// allocating one costs several times more) and reuses the vectors.
/// Dropping it is fine: the rows are then freed where they are dropped.
pub(super) type Recycle<T> = SyncSender<Vec<T>>;

/// Reads the rows on another thread and hands them over in batches, in
/// file order; the channel ends early with an error if reading fails.
/// Joined, the thread gives the rows back (a usage sheet's header learns
/// its columns as it reads).
pub(super) fn read_in_background<I, T>(
    mut rows: I,
) -> Result<(Batches<T>, Recycle<T>, JoinHandle<I>)>
where
    I: Iterator<Item = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = sync_channel::<Result<Vec<T>>>(8);
    let (recycle, returned) = sync_channel::<Vec<T>>(8);
    let handle = std::thread::Builder::new()
        .name("xaas-read".into())
        .spawn(move || {
            let next = || match returned.try_recv() {
                Ok(mut used) => {
                    used.clear();
                    used
                }
                Err(_) => Vec::with_capacity(BATCH),
            };
            let mut batch = next();
            for item in rows.by_ref() {
                match item {
                    Ok(item) => {
                        batch.push(item);
                        if batch.len() == BATCH
                            && tx.send(Ok(std::mem::replace(&mut batch, next()))).is_err()
                        {
                            return rows;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Ok(std::mem::take(&mut batch)));
                        let _ = tx.send(Err(e));
                        return rows;
                    }
                }
            }
            let _ = tx.send(Ok(batch));
            rows
        })
        .map_err(|e| Error::io(crate::msg::import::import_reading_thread(), e))?;
    Ok((rx, recycle, handle))
}
