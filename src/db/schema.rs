//! Schema versions in `PRAGMA user_version`, upgraded forward in one
//! transaction. A database newer than this build is refused untouched.

use rusqlite::TransactionBehavior;

use super::Db;
use crate::error::{Error, Result};

/// Each entry upgrades from version `i` to `i + 1`.
pub(super) const VERSIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11];

pub const LATEST: i64 = VERSIONS.len() as i64;

const V1: &str = "
CREATE TABLE customers (
    customer_id      TEXT PRIMARY KEY NOT NULL,
    customer_name    TEXT NOT NULL,
    industry         TEXT,
    region           TEXT,
    size             TEXT,
    tier             TEXT,
    department       TEXT,
    distributor_type TEXT,
    csm              TEXT,
    sales            TEXT,
    sales_contact    TEXT
) WITHOUT ROWID;
CREATE INDEX customers_csm ON customers(csm);

-- One row per service, holding its current term. Amounts in cents, dates
-- as ISO text. `status` NULL is none (pending is derived in the window).
CREATE TABLE services (
    service_id        TEXT PRIMARY KEY NOT NULL,
    customer_id       TEXT NOT NULL REFERENCES customers(customer_id),
    service_type      TEXT NOT NULL,
    product           TEXT,
    start_date        TEXT,
    expiry_date       TEXT NOT NULL,
    amount            INTEGER,
    accounts          INTEGER,
    run_status        TEXT,
    renewal_of        TEXT,
    status            TEXT,
    status_changed_at TEXT,
    reason            TEXT,
    last_followup_at  TEXT
) WITHOUT ROWID;
CREATE INDEX services_customer ON services(customer_id);
CREATE INDEX services_expiry ON services(expiry_date);
CREATE INDEX services_status ON services(status) WHERE status IS NOT NULL;

-- Terms that have ended in a renewal; the current term lives in services.
CREATE TABLE terms (
    id            INTEGER PRIMARY KEY,
    service_id    TEXT NOT NULL REFERENCES services(service_id),
    start_date    TEXT,
    expiry_date   TEXT NOT NULL,
    amount        INTEGER,
    status_before TEXT,
    new_expiry    TEXT,
    new_amount    INTEGER,
    renewed_by    TEXT,
    closed_at     TEXT NOT NULL,
    source        TEXT NOT NULL
);
CREATE INDEX terms_service ON terms(service_id);
CREATE INDEX terms_expiry ON terms(expiry_date);

-- Append-only: status changes, renewals and expiry corrections.
CREATE TABLE history (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    service_id  TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    term_expiry TEXT,
    from_value  TEXT,
    to_value    TEXT,
    at          TEXT NOT NULL,
    author      TEXT NOT NULL,
    source      TEXT NOT NULL,
    reason      TEXT,
    note        TEXT
);
CREATE INDEX history_service ON history(service_id);
CREATE INDEX history_customer ON history(customer_id);
CREATE TRIGGER history_append_only_u BEFORE UPDATE ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_append_only_d BEFORE DELETE ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

-- Follow-up records (跟进记录).
CREATE TABLE records (
    id            INTEGER PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customers(customer_id),
    at            TEXT NOT NULL,
    author        TEXT NOT NULL,
    sales         TEXT,
    sales_contact TEXT,
    background    TEXT,
    satisfaction  TEXT,
    reason        TEXT,
    reason_detail TEXT,
    note          TEXT,
    status_change TEXT
);
CREATE INDEX records_customer ON records(customer_id, at);
CREATE TABLE record_services (
    record_id  INTEGER NOT NULL REFERENCES records(id),
    service_id TEXT NOT NULL REFERENCES services(service_id),
    PRIMARY KEY (record_id, service_id)
) WITHOUT ROWID;
CREATE INDEX record_services_service ON record_services(service_id);
";

/// Team settings (SPEC "Team settings"): a key absent here has its default.
const V2: &str = "
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;
";

/// The outcome columns of the service list, kept on the service as its
/// records and renewals are written, so an export reads them without a
/// join; filled here from what an older book already holds.
const V3: &str = "
-- A customer's attribute changes (rule 5), found without reading the log.
CREATE INDEX history_customer_attribute ON history(note, customer_id)
    WHERE kind = 'attribute' AND service_id = '';
ALTER TABLE services ADD COLUMN reason_detail TEXT;
ALTER TABLE services ADD COLUMN last_note TEXT;
ALTER TABLE services ADD COLUMN last_note_at TEXT;
ALTER TABLE services ADD COLUMN previous_expiry TEXT;
ALTER TABLE services ADD COLUMN previous_amount INTEGER;
UPDATE services SET
    previous_expiry = (SELECT t.expiry_date FROM terms t WHERE t.service_id = services.service_id
                       ORDER BY t.expiry_date DESC, t.id DESC LIMIT 1),
    previous_amount = (SELECT t.amount FROM terms t WHERE t.service_id = services.service_id
                       ORDER BY t.expiry_date DESC, t.id DESC LIMIT 1)
WHERE EXISTS (SELECT 1 FROM terms t WHERE t.service_id = services.service_id);
UPDATE services SET reason_detail = (
    SELECT r.reason_detail FROM records r
    JOIN record_services x ON x.record_id = r.id AND x.service_id = services.service_id
    WHERE r.status_change = 'not_renewing' ORDER BY r.at DESC, r.id DESC LIMIT 1)
WHERE status = 'not_renewing';
UPDATE services SET (last_note, last_note_at) = (
    SELECT r.note, r.at FROM records r
    WHERE r.customer_id = services.customer_id AND r.note IS NOT NULL
      AND (EXISTS (SELECT 1 FROM record_services x WHERE x.record_id = r.id AND x.service_id = services.service_id)
           OR NOT EXISTS (SELECT 1 FROM record_services x WHERE x.record_id = r.id))
    ORDER BY r.at DESC, r.id DESC LIMIT 1)
WHERE EXISTS (SELECT 1 FROM records r WHERE r.customer_id = services.customer_id);
";

/// Usage and health (SPEC "Usage and health").
const V4: &str = "
-- One row per service and day, as imported; other numeric columns of the
-- file in `custom` (a JSON object).
CREATE TABLE usage (
    service_id    TEXT NOT NULL,
    day           TEXT NOT NULL,
    accounts      INTEGER,
    active_users  INTEGER,
    key_actions   INTEGER,
    features_used INTEGER,
    custom        TEXT,
    PRIMARY KEY (service_id, day)
) WITHOUT ROWID;

-- Each service's indicators as of its latest usage row, refreshed by
-- usage import, so that reads join one row instead of reading usage.
CREATE TABLE indicators (
    service_id          TEXT PRIMARY KEY NOT NULL,
    day                 TEXT NOT NULL,
    active_ratio        REAL,
    actions_per_account REAL,
    features_used       REAL,
    active_trend        REAL
) WITHOUT ROWID;

-- Numbered calibrations: distributions are four ascending arrays, in the
-- order of the weights setting, packed as bytes (see db::health::pack; JSON
-- text is read too).
CREATE TABLE calibrations (
    id            INTEGER PRIMARY KEY,
    made_at       TEXT NOT NULL,
    as_of         TEXT NOT NULL,
    sample        INTEGER NOT NULL,
    weights       TEXT NOT NULL,
    danger_pct    INTEGER NOT NULL,
    fair_pct      INTEGER NOT NULL,
    danger_below  REAL NOT NULL,
    fair_below    REAL NOT NULL,
    distributions BLOB NOT NULL
);
";

/// Health stored beside the indicators: the calibration it was judged
/// under, its score and band as of the indicators' own day (fresh then;
/// reads judge freshness as of theirs). Written by usage import under the
/// newest calibration and by `health calibrate`; a row of another
/// calibration, or none, is judged when read. The index lets `--health`
/// count a band without reading every row.
const V5: &str = "
ALTER TABLE indicators ADD COLUMN cal INTEGER;
ALTER TABLE indicators ADD COLUMN score REAL;
ALTER TABLE indicators ADD COLUMN band TEXT;
CREATE INDEX indicators_band ON indicators(cal, band, day);
";

/// Tasks (SPEC "The CSM's work"): manual ones, and those `tasks sync`
/// makes from the rules. A rule's task is unique per customer, service
/// (`''` for a customer's) and key (the term's expiry, the month, the
/// budget date, the resume date), whatever its status: a task done or
/// closed is not made again. `due` moves with a snooze; `original_due`
/// keeps the day the rule (or the CSM) first gave.
const V6: &str = "
CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers(customer_id),
    service_id   TEXT REFERENCES services(service_id),
    rule         TEXT,
    key          TEXT,
    title        TEXT NOT NULL,
    due          TEXT NOT NULL,
    original_due TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open',
    created_at   TEXT NOT NULL,
    closed_at    TEXT,
    author       TEXT NOT NULL,
    note         TEXT
);
CREATE UNIQUE INDEX tasks_rule_key ON tasks(rule, customer_id, coalesce(service_id, ''), key)
    WHERE rule IS NOT NULL;
-- Open tasks by rule (what a sync checks) and due day (what today and
-- tasks list read); a customer's tasks (show).
CREATE INDEX tasks_status ON tasks(status, rule, due);
CREATE INDEX tasks_customer ON tasks(customer_id, status);

-- What `tasks sync` has done: the latest day it ran for, and the last
-- follow-up record it has seen (a later one may close a monthly touch).
CREATE TABLE task_sync (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_day    TEXT NOT NULL,
    record_mark INTEGER NOT NULL
);
";

/// The CSM's work around renewals (SPEC "The CSM's work"): risks, upsell
/// leads and budget cycles, each change also a history entry naming its
/// item. Dates are ISO days; amounts cents.
const V7: &str = "
-- A customer attribute of the registry (预算制定时间), ISO date.
ALTER TABLE customers ADD COLUMN budget_date TEXT;

-- A risk, lead or budget entry names its item (NULL for other kinds).
ALTER TABLE history ADD COLUMN item_id INTEGER;
CREATE INDEX history_item ON history(kind, item_id) WHERE item_id IS NOT NULL;

-- Risks (风险): open while `outcome` is NULL; `closed` is the day the
-- outcome was recorded, `planned` the day of the latest plan (应对方案).
CREATE TABLE risks (
    id           INTEGER PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers(customer_id),
    service_id   TEXT REFERENCES services(service_id),
    kind         TEXT NOT NULL,
    owner        TEXT,
    note         TEXT NOT NULL,
    plan         TEXT,
    planned      TEXT,
    outcome      TEXT,
    outcome_note TEXT,
    raised       TEXT NOT NULL,
    closed       TEXT,
    author       TEXT NOT NULL
);
CREATE INDEX risks_customer ON risks(customer_id);
CREATE INDEX risks_raised ON risks(raised);

-- Upsell leads (增购线索): `closed` is the day a lead first left
-- `entered` (validated, invalid or converted), `converted` the day it
-- became a deal; amounts in cents.
CREATE TABLE leads (
    id          INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(customer_id),
    service_id  TEXT REFERENCES services(service_id),
    product     TEXT NOT NULL,
    amount      INTEGER,
    note        TEXT NOT NULL,
    status      TEXT NOT NULL,
    entered     TEXT NOT NULL,
    closed      TEXT,
    converted   TEXT,
    author      TEXT NOT NULL
);
CREATE INDEX leads_customer ON leads(customer_id);
CREATE INDEX leads_entered ON leads(entered);

-- Budget cycles (预算管理): one per customer and budget date. The current
-- cycle is the one at the customer's `budget_date`; earlier ones stay, so
-- a date that passed unsubmitted still counts against the team.
CREATE TABLE budgets (
    id          INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(customer_id),
    budget_date TEXT NOT NULL,
    submitted   TEXT,
    result      TEXT,
    result_date TEXT,
    created     TEXT NOT NULL,
    author      TEXT NOT NULL,
    UNIQUE (customer_id, budget_date)
);
CREATE INDEX budgets_date ON budgets(budget_date);
";

const V8: &str = "
-- Every import that wrote (not a dry run, not a refused file), for
-- `doctor`'s last import: a service list or a usage sheet.
CREATE TABLE imports (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,     -- local RFC 3339
    author   TEXT NOT NULL,
    kind     TEXT NOT NULL,     -- services | usage
    file     TEXT NOT NULL,     -- as the user named it
    rows     INTEGER NOT NULL,  -- data rows read
    rejected INTEGER NOT NULL   -- of those, skipped (--skip-invalid)
);
";

const V9: &str = "
-- The expiry index carries what the worklist scores a service on (all
-- but its health), so `today` ranks the window from the index alone and
-- reads the rows and health of the few that can make its first page.
DROP INDEX services_expiry;
CREATE INDEX services_expiry ON services(expiry_date, status, amount, last_followup_at, customer_id);
";

const V10: &str = "
-- The open tasks by due day: `today` counts those due and reads the first
-- page of them in due order, stopping after a page (a first sync makes
-- hundreds of thousands on a large book).
CREATE INDEX tasks_open_due ON tasks(due, customer_id) WHERE status = 'open';
";

const V11: &str = "
-- The book as of a day (db::asof): what was written after it is found by
-- its date. A service or customer of the first list (or of an older book)
-- has no date of arrival: it has always been there.
CREATE INDEX history_at ON history(at);
CREATE INDEX records_at ON records(at);
CREATE INDEX history_status ON history(service_id, term_expiry) WHERE kind = 'status';
ALTER TABLE services ADD COLUMN added TEXT;
ALTER TABLE customers ADD COLUMN added TEXT;
CREATE INDEX services_added ON services(added) WHERE added IS NOT NULL;
CREATE INDEX customers_added ON customers(added) WHERE added IS NOT NULL;
";

pub(super) fn migrate(db: &mut Db) -> Result<()> {
    let found = version(db)?;
    if found > LATEST {
        return Err(too_new(&db.path, found));
    }
    if found == LATEST {
        return Ok(());
    }
    let tx = db
        .conn
        .lite_mut()?
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have migrated while we waited for the lock; and
    // what `probe` found empty must still be empty, now that it is locked.
    let mut v: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if v > LATEST {
        return Err(too_new(&db.path, v));
    }
    if v == 0 {
        let entries: i64 = tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if entries > 0 {
            return Err(Error::Foreign {
                path: db.path.clone(),
                what: crate::msg::storage::db_other_program(),
            });
        }
    }
    while v < LATEST {
        tx.execute_batch(VERSIONS[v as usize])?;
        v += 1;
    }
    tx.pragma_update(None, "user_version", v)?;
    tx.commit()?;
    Ok(())
}

fn version(db: &Db) -> Result<i64> {
    Ok(db
        .conn()?
        .query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

fn too_new(path: &std::path::Path, found: i64) -> Error {
    Error::SchemaTooNew {
        path: path.to_path_buf(),
        found,
        supported: LATEST,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Open;

    #[test]
    fn every_version_creates_its_tables() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        assert_eq!(version(&db).unwrap(), LATEST);
        let tables: Vec<String> = db
            .conn()
            .unwrap()
            .prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            tables,
            [
                "budgets",
                "calibrations",
                "customers",
                "history",
                "imports",
                "indicators",
                "leads",
                "record_services",
                "records",
                "risks",
                "services",
                "settings",
                "task_sync",
                "tasks",
                "terms",
                "usage"
            ]
        );
    }

    #[test]
    fn the_schema_has_every_column_of_the_registry() {
        use crate::columns::{Col, Home};
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        let columns = |table: &str| -> Vec<String> {
            db.conn()
                .unwrap()
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let (mut customers, services) = (columns("customers"), columns("services"));
        // When a row arrived (for the book as of a day) is no column of the list.
        customers.retain(|c| c != "added");
        for &c in Col::ALL {
            match c.home() {
                Home::Customer => assert!(customers.contains(&c.id().to_string()), "{c:?}"),
                Home::Service => assert!(services.contains(&c.id().to_string()), "{c:?}"),
                Home::Derived => {}
            }
        }
        let registered = Col::of(Home::Customer).count();
        assert_eq!(
            customers.len(),
            registered,
            "customers has a column the registry lacks"
        );
    }

    #[test]
    fn a_version_one_database_gains_settings_and_keeps_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(V1).unwrap();
        c.execute_batch(
            "INSERT INTO customers(customer_id, customer_name) VALUES ('C1', 'n');
             PRAGMA user_version = 1;",
        )
        .unwrap();
        drop(c);
        let db = Db::open(&path, Open::MustExist).unwrap();
        assert_eq!(version(&db).unwrap(), LATEST);
        let n: i64 = db
            .conn()
            .unwrap()
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        let settings: i64 = db
            .conn()
            .unwrap()
            .query_row("SELECT count(*) FROM settings", [], |r| r.get(0))
            .unwrap();
        assert_eq!(settings, 0, "every setting has its default");
    }

    #[test]
    fn version_three_fills_the_outcome_columns_from_what_the_book_holds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(V1).unwrap();
        c.execute_batch(V2).unwrap();
        c.execute_batch(
            "INSERT INTO customers(customer_id, customer_name) VALUES ('C1', 'n');
             INSERT INTO services(service_id, customer_id, service_type, expiry_date, amount, status, reason)
               VALUES ('S1', 'C1', 'basic', '2027-11-13', 500, NULL, NULL),
                      ('S2', 'C1', 'basic', '2026-12-01', 100, 'not_renewing', 'budget');
             INSERT INTO terms(service_id, expiry_date, amount, new_expiry, closed_at, source)
               VALUES ('S1', '2026-11-13', 400, '2027-11-13', '2026-11-01T09:00:00+08:00', 'renew');
             INSERT INTO records(id, customer_id, at, author, note, reason_detail, status_change)
               VALUES (1, 'C1', '2026-11-02T09:00:00+08:00', 'me', '老客户', NULL, NULL),
                      (2, 'C1', '2026-11-03T09:00:00+08:00', 'me', '砍了', '预算砍半', 'not_renewing');
             INSERT INTO record_services(record_id, service_id) VALUES (2, 'S2');
             PRAGMA user_version = 2;",
        )
        .unwrap();
        drop(c);
        let db = Db::open(&path, Open::MustExist).unwrap();
        let row = |id: &str| -> (Option<String>, Option<i64>, Option<String>, Option<String>) {
            db.conn().unwrap()
                .query_row(
                    "SELECT previous_expiry, previous_amount, last_note, reason_detail FROM services WHERE service_id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .unwrap()
        };
        assert_eq!(
            row("S1"),
            (
                Some("2026-11-13".into()),
                Some(400),
                Some("老客户".into()),
                None
            )
        );
        assert_eq!(
            row("S2"),
            (None, None, Some("砍了".into()), Some("预算砍半".into()))
        );
    }

    #[test]
    fn version_six_adds_tasks_with_one_task_per_rule_target_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        let c = rusqlite::Connection::open(&path).unwrap();
        for v in [V1, V2, V3, V4, V5] {
            c.execute_batch(v).unwrap();
        }
        c.execute_batch(
            "INSERT INTO customers(customer_id, customer_name) VALUES ('C1', 'n');
             INSERT INTO services(service_id, customer_id, service_type, expiry_date)
               VALUES ('S1', 'C1', 'basic', '2026-12-24');
             PRAGMA user_version = 5;",
        )
        .unwrap();
        drop(c);
        let db = Db::open(&path, Open::MustExist).unwrap();
        assert_eq!(version(&db).unwrap(), LATEST);
        let add = |rule: &str, service: &str, key: &str| {
            db.conn().unwrap().execute(
                &format!(
                    "INSERT INTO tasks(customer_id, service_id, rule, key, title, due, original_due, created_at, author)
                     VALUES ('C1', {service}, {rule}, {key}, 't', '2026-09-25', '2026-09-25', 'x', 'me')"
                ),
                [],
            )
        };
        add("'kickoff'", "'S1'", "'2026-12-24'").unwrap();
        assert!(
            add("'kickoff'", "'S1'", "'2026-12-24'").is_err(),
            "one per key"
        );
        add("'kickoff'", "'S1'", "'2027-12-24'").unwrap();
        add("'monthly_touch'", "NULL", "'2026-11'").unwrap();
        assert!(
            add("'monthly_touch'", "NULL", "'2026-11'").is_err(),
            "a customer's task: one per key too"
        );
        add("NULL", "NULL", "NULL").unwrap();
        add("NULL", "NULL", "NULL").unwrap();
        let n: i64 = db
            .conn()
            .unwrap()
            .query_row(
                "SELECT count(*) FROM tasks WHERE status = 'open'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 5, "manual tasks are never duplicates");
    }

    #[test]
    fn version_seven_gives_a_version_five_book_its_work_tables() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        let c = rusqlite::Connection::open(&path).unwrap();
        for v in &VERSIONS[..5] {
            c.execute_batch(v).unwrap();
        }
        c.execute_batch(
            "INSERT INTO customers(customer_id, customer_name, sales_contact) VALUES ('C1', 'n', '138');
             INSERT INTO history(kind, service_id, customer_id, at, author, source)
               VALUES ('status', 'S1', 'C1', '2026-01-01T00:00:00+08:00', 'me', 'manual');
             PRAGMA user_version = 5;",
        )
        .unwrap();
        drop(c);
        let db = Db::open(&path, Open::MustExist).unwrap();
        assert_eq!(version(&db).unwrap(), LATEST);
        let (contact, budget): (String, Option<String>) = db
            .conn()
            .unwrap()
            .query_row(
                "SELECT sales_contact, budget_date FROM customers",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((contact.as_str(), budget), ("138", None));
        let item: Option<i64> = db
            .conn()
            .unwrap()
            .query_row("SELECT item_id FROM history", [], |r| r.get(0))
            .unwrap();
        assert_eq!(item, None, "an older entry names no item");
        for t in ["risks", "leads", "budgets"] {
            let n: i64 = db
                .conn()
                .unwrap()
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap();
            assert_eq!(n, 0, "{t}");
        }
    }

    #[test]
    fn a_newer_database_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        drop(Db::open(&path, Open::CreateIfMissing).unwrap());
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        let err = Db::open(&path, Open::MustExist).err().unwrap();
        assert!(err.to_string().contains("schema version 99"), "{err}");
        let c = rusqlite::Connection::open(&path).unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 99);
    }

    #[test]
    fn history_cannot_be_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        db.conn().unwrap()
            .execute(
                "INSERT INTO history(kind, service_id, customer_id, at, author, source) VALUES ('status','S','C','2026-01-01T00:00:00+08:00','me','manual')",
                [],
            )
            .unwrap();
        assert!(db
            .conn()
            .unwrap()
            .execute("UPDATE history SET author='x'", [])
            .is_err());
        assert!(db
            .conn()
            .unwrap()
            .execute("DELETE FROM history", [])
            .is_err());
    }
}
