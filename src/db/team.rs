//! A team's database on PostgreSQL: opening it, creating it (`team init`),
//! granting roles, moving a file's book into it (`team push`) and copying
//! it into a file to read offline (`snapshot`).

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use super::pg::{self, Session};
use super::sql::{args, Conn, Sql, Value};
use super::{schema, Db, Open};
use crate::error::{Error, Result};
use crate::msg::team as m;

/// The tables of a book, parents first: the order a copy fills them in.
const TABLES: &[&str] = &[
    "customers",
    "services",
    "terms",
    "history",
    "records",
    "record_services",
    "settings",
    "usage",
    "indicators",
    "calibrations",
    "tasks",
    "task_sync",
    "risks",
    "leads",
    "budgets",
    "imports",
];

/// The tables whose ids PostgreSQL counts (identity columns).
const COUNTED: &[&str] = &[
    "terms",
    "history",
    "records",
    "calibrations",
    "tasks",
    "risks",
    "leads",
    "budgets",
    "imports",
];

/// Opens the team database at `address`, which `team init` made.
pub(crate) fn open(address: &str, _mode: Open) -> Result<Db> {
    let db = connect(address)?;
    let version = db
        .conn
        .row_opt(
            "SELECT value FROM xaas_meta WHERE key = 'schema_version'",
            args![],
            |r| r.get::<String>(0),
        )
        .map_err(|_| Error::Team(m::not_initialised(address)))?;
    let version: i64 = version.and_then(|v| v.parse().ok()).unwrap_or(0);
    if version > schema::LATEST {
        return Err(Error::SchemaTooNew {
            path: PathBuf::from(address),
            found: version,
            supported: schema::LATEST,
        });
    }
    if version < schema::LATEST {
        return Err(Error::Team(m::older_schema(
            address,
            version,
            schema::LATEST,
        )));
    }
    Ok(db)
}

fn connect(address: &str) -> Result<Db> {
    Ok(Db {
        conn: Conn::Pg(Box::new(RefCell::new(pg::connect(address)?))),
        path: PathBuf::from(address),
        overlay: None,
        snapshot: None,
    })
}

/// What `team init` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init {
    Created,
    AlreadyThere,
}

/// Creates the schema and the roles in the database at `address` (as its
/// owner or a superuser); a database already made is left as it is.
pub fn init(address: &str) -> Result<Init> {
    let db = connect(address)?;
    let there: bool = db.conn.one(
        "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'xaas_meta')",
        args![],
    )?;
    if there {
        return Ok(Init::AlreadyThere);
    }
    let can: bool = db.conn.one(
        "SELECT (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xaas_csm')
                 AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xaas_lead'))
             OR (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user)",
        args![],
    )?;
    if !can {
        return Err(Error::Team(m::init_needs_createrole()));
    }
    roles(&db.conn)?;
    db.conn.batch("BEGIN")?;
    let made = db
        .conn
        .batch(pg::SCHEMA)
        .and_then(|()| db.conn.batch(pg::TEAM))
        .and_then(|()| {
            db.conn.execute(
                "INSERT INTO xaas_meta (key, value) VALUES ('schema_version', ?1)",
                args![schema::LATEST.to_string()],
            )
        });
    match made {
        Ok(_) => db.conn.batch("COMMIT")?,
        Err(e) => {
            let _ = db.conn.batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(Init::Created)
}

/// The two roles, made once for the server (every xaas database on it
/// shares them). Two databases made at the same time race for them: the
/// loser finds them made and goes on.
fn roles(conn: &Conn) -> Result<()> {
    let sql = "DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'xaas_csm') THEN
            CREATE ROLE xaas_csm NOLOGIN; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'xaas_lead') THEN
            CREATE ROLE xaas_lead NOLOGIN; END IF;
        IF NOT pg_has_role('xaas_lead', 'xaas_csm', 'MEMBER') THEN
            GRANT xaas_csm TO xaas_lead; END IF;
        END $$";
    let mut tries = 0;
    loop {
        match conn.batch(sql) {
            Ok(()) => return Ok(()),
            Err(_) if tries < 5 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50 * tries));
            }
            Err(e) => return Err(e),
        }
    }
}

/// The role `team grant` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Csm,
    Lead,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Csm => "xaas_csm",
            Role::Lead => "xaas_lead",
        }
    }
}

/// Gives `login` the role (and takes the lead's away from a CSM).
pub fn grant(address: &str, login: &str, role: Role) -> Result<()> {
    let db = open(address, Open::MustExist)?;
    let exists: bool = db.conn.one(
        "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1 AND rolcanlogin)",
        args![login],
    )?;
    if !exists {
        return Err(Error::Invalid(m::no_such_login(login)));
    }
    let who = quoted(login);
    db.conn.batch(&format!("GRANT {} TO {who}", role.name()))?;
    if role == Role::Csm {
        db.conn.batch(&format!("REVOKE xaas_lead FROM {who}"))?;
    }
    Ok(())
}

fn quoted(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// Rows copied per table by `push` or `snapshot`.
pub type Copied = Vec<(&'static str, u64)>;

/// Copies the book in the file at `from` into the empty team database at
/// `address`, every row as it is (ids, authors, days), in one
/// transaction.
pub fn push(from: &Path, address: &str) -> Result<Copied> {
    let file = Db::open(from, Open::MustExist)?;
    let lite = file.conn()?;
    let team = open(address, Open::MustExist)?;
    let Conn::Pg(session) = &team.conn else {
        unreachable!("open gives a PostgreSQL connection")
    };
    let empty: bool = team.conn.one(
        "SELECT NOT EXISTS (SELECT 1 FROM services) AND NOT EXISTS (SELECT 1 FROM customers)
            AND NOT EXISTS (SELECT 1 FROM history)",
        args![],
    )?;
    if !empty {
        return Err(Error::Refused(m::push_not_empty(address)));
    }
    let mut s = session.borrow_mut();
    s.batch("BEGIN; SET LOCAL xaas.keep_authors = 'on'")?;
    let copied = copy_into_team(lite, &mut s);
    let end = match &copied {
        Ok(_) => s.batch("COMMIT"),
        Err(_) => s.batch("ROLLBACK"),
    };
    let copied = copied?;
    end?;
    Ok(copied)
}

fn copy_into_team(lite: &rusqlite::Connection, s: &mut Session) -> Result<Copied> {
    let mut copied = Vec::new();
    for &table in TABLES {
        let cols = columns(lite, table)?;
        let list = cols.join(", ");
        let mut stmt = lite.prepare(&format!("SELECT {list} FROM {table}"))?;
        let n = cols.len();
        let mut rows = stmt.query([])?;
        let mut count = 0;
        s.copy_in(&format!("COPY {table} ({list}) FROM STDIN"), |w| {
            let mut line = Vec::with_capacity(256);
            while let Some(r) = rows.next()? {
                line.clear();
                for i in 0..n {
                    if i > 0 {
                        line.push(b'\t');
                    }
                    copy_field(&mut line, r.get_ref(i)?);
                }
                line.push(b'\n');
                w.write_all(&line)
                    .map_err(|e| Error::Team(m::connection_lost(e)))?;
                count += 1;
            }
            Ok(())
        })?;
        copied.push((table, count));
    }
    for &table in COUNTED {
        s.batch(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
        ))?;
    }
    Ok(copied)
}

/// One value in COPY's text format.
fn copy_field(out: &mut Vec<u8>, v: rusqlite::types::ValueRef) {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => out.extend_from_slice(b"\\N"),
        ValueRef::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        ValueRef::Real(r) => out.extend_from_slice(format!("{r:?}").as_bytes()),
        ValueRef::Text(t) => {
            for &b in t {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b => out.push(b),
                }
            }
        }
        ValueRef::Blob(b) => {
            out.extend_from_slice(b"\\\\x");
            for byte in b {
                out.extend_from_slice(format!("{byte:02x}").as_bytes());
            }
        }
    }
}

/// The columns of `table` in the file, in order.
fn columns(lite: &rusqlite::Connection, table: &str) -> Result<Vec<String>> {
    let mut st = lite.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let cols = st
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(cols)
}

/// Writes the team database at `address` into a new file at `to`, to
/// read offline: every table, then the file made read-only and marked as
/// a snapshot of `address` taken `at`.
pub fn snapshot(address: &str, to: &Path, at: &str) -> Result<Copied> {
    if to.exists() {
        return Err(Error::Refused(m::snapshot_exists(to.display())));
    }
    let team = open(address, Open::MustExist)?;
    let copied = write_snapshot(&team, to, address, at);
    if copied.is_err() {
        let _ = std::fs::remove_file(to);
    }
    copied
}

fn write_snapshot(team: &Db, to: &Path, address: &str, at: &str) -> Result<Copied> {
    let mut file = Db::open(to, Open::CreateIfMissing)?;
    // One snapshot of the team database for every table.
    team.conn
        .batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
    let mut copied = Vec::new();
    let tx = file.conn.lite_mut()?.transaction()?;
    for &table in TABLES {
        let cols = columns(&tx, table)?;
        let list = cols.join(", ");
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let mut insert = tx.prepare(&format!(
            "INSERT INTO {table} ({list}) VALUES ({})",
            marks.join(", ")
        ))?;
        let mut count = 0;
        team.conn
            .each(&format!("SELECT {list} FROM {table}"), args![], &mut |r| {
                let values: Vec<rusqlite::types::Value> = (0..cols.len())
                    .map(|i| r.value(i).map(lite_value))
                    .collect::<Result<_>>()?;
                insert.execute(rusqlite::params_from_iter(values))?;
                count += 1;
                Ok(())
            })?;
        copied.push((table, count));
    }
    tx.execute(
        "CREATE TABLE snapshot (source TEXT NOT NULL, taken_at TEXT NOT NULL)",
        [],
    )?;
    tx.execute(
        "INSERT INTO snapshot (source, taken_at) VALUES (?1, ?2)",
        [address, at],
    )?;
    tx.commit()?;
    team.conn.batch("COMMIT")?;
    let lite = file.conn()?;
    lite.query_row("PRAGMA journal_mode=DELETE", [], |_| Ok(()))?;
    drop(file);
    read_only(to)?;
    Ok(copied)
}

fn lite_value(v: Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as V;
    match v {
        Value::Null => V::Null,
        Value::Int(i) => V::Integer(i),
        Value::Real(r) => V::Real(r),
        Value::Text(t) => V::Text(t.into_owned()),
        Value::Blob(b) => V::Blob(b.into_owned()),
    }
}

fn read_only(path: &Path) -> Result<()> {
    let mut perms = std::fs::metadata(path)
        .map_err(|e| Error::io(path.display().to_string(), e))?
        .permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(path, perms).map_err(|e| Error::io(path.display().to_string(), e))
}
