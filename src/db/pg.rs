//! PostgreSQL, for a team (SPEC "Team mode"): connecting as libpq would
//! (the address, `PGPASSWORD`, `~/.pgpass`), the schema and the roles, and
//! the engine's half of `sql`: statements prepared once, values crossing
//! as `sql::Value`.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::str::FromStr;

use bytes::BytesMut;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{FromSql, IsNull, ToSql, Type};
use postgres::{Client, Config, NoTls, Statement};
use rust_decimal::prelude::ToPrimitive;

use super::sql::{numbered, Arg, Value};
use crate::error::{Error, Result};
use crate::msg::team as m;

pub(crate) const SCHEMA: &str = include_str!("pg/schema.sql");
pub(crate) const TEAM: &str = include_str!("pg/team.sql");

/// Whether `db` names a PostgreSQL database rather than a file.
pub fn is_address(db: &str) -> bool {
    db.starts_with("postgres://")
        || db.starts_with("postgresql://")
        // libpq's other form: `host=... dbname=...`.
        || db.split_whitespace().any(|w| w.starts_with("host=") || w.starts_with("dbname="))
}

/// One connection, with the statements it prepared.
pub(crate) struct Session {
    client: Client,
    statements: HashMap<String, Statement>,
}

/// Connects to the database at `address`.
pub(crate) fn connect(address: &str) -> Result<Session> {
    let mut config =
        Config::from_str(address).map_err(|e| Error::Invalid(m::bad_address(shown(address), e)))?;
    if config.get_password().is_some() {
        return Err(Error::Invalid(m::password_in_address(shown(address))));
    }
    if config.get_user().is_none() {
        let user = std::env::var("PGUSER")
            .or_else(|_| std::env::var("USER"))
            .unwrap_or_else(|_| "postgres".into());
        config.user(&user);
    }
    if let Some(p) = password(&config) {
        config.password(p);
    }
    let client = config
        .connect(NoTls)
        .map_err(|e| Error::Team(m::cannot_connect(address, cause(&e))))?;
    Ok(Session {
        client,
        statements: HashMap::new(),
    })
}

/// `address` as it may be printed: a password in it (refused, but said
/// back in the refusal) as `***`.
pub(crate) fn shown(address: &str) -> String {
    let masked = mask_parameter(address);
    let Some((scheme, rest)) = masked.split_once("://") else {
        return masked;
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return masked;
    };
    match rest[..at].split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***{}", &rest[at..]),
        None => masked,
    }
}

/// `password=VALUE` (a URL's query parameter, or libpq's key=value form)
/// with the value as `***`.
fn mask_parameter(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut rest = address;
    while let Some(i) = rest.find("password=") {
        let start = i + "password=".len();
        out.push_str(&rest[..start]);
        out.push_str("***");
        let value = &rest[start..];
        let end = value
            .find(|c: char| c == '&' || c.is_whitespace())
            .unwrap_or(value.len());
        rest = &value[end..];
    }
    out.push_str(rest);
    out
}

/// The password libpq would use: `PGPASSWORD`, else the first line of
/// `PGPASSFILE` (default `~/.pgpass`) matching host, port, database and
/// user (`*` matches anything).
fn password(config: &Config) -> Option<String> {
    if let Ok(p) = std::env::var("PGPASSWORD") {
        return Some(p);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".pgpass")))?;
    // As libpq: a file others may read is not used (and said so).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            eprintln!("{}", m::pgpass_ignored(file.display()));
            return None;
        }
    }
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let db = config.get_dbname().unwrap_or("").to_string();
    let user = config.get_user().unwrap_or("").to_string();
    pgpass_lookup(&text, [&host, &port, &db, &user])
}

fn pgpass_lookup(text: &str, want: [&str; 4]) -> Option<String> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|line| {
            let fields: Vec<&str> = line.splitn(5, ':').collect();
            if fields.len() != 5 {
                return None;
            }
            let matches = fields[..4]
                .iter()
                .zip(want)
                .all(|(f, w)| *f == "*" || *f == w);
            matches.then(|| fields[4].to_string())
        })
}

/// The innermost cause of a PostgreSQL error, which says what happened
/// ("password authentication failed", "Connection refused").
fn cause(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut s: &dyn StdError = e;
    while let Some(inner) = s.source() {
        s = inner;
    }
    s.to_string()
}

/// A PostgreSQL failure as xaas's error: a privilege the login lacks
/// names the role it needs; two writers on the same rows is a conflict
/// (`Db::change` says who and what); anything else is said as the server
/// said it.
pub(crate) fn error(e: postgres::Error, sql: &str) -> Error {
    use postgres::error::SqlState;
    let Some(db) = e.as_db_error() else {
        return Error::Team(m::connection_lost(cause(&e)));
    };
    let code = db.code();
    if *code == SqlState::INSUFFICIENT_PRIVILEGE {
        return Error::Team(m::needs_role(db.message()));
    }
    if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED {
        return Error::Conflict(Vec::new());
    }
    if *code == SqlState::UNDEFINED_TABLE && sql.is_empty() {
        return Error::Team(db.message().to_string());
    }
    let place = sql.trim().lines().next().unwrap_or("");
    Error::Team(m::server_said(db.message(), place))
}

impl Session {
    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self
            .client
            .prepare(&numbered(sql))
            .map_err(|e| error(e, sql))?;
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    pub(crate) fn batch(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).map_err(|e| error(e, sql))
    }

    pub(crate) fn execute(&mut self, sql: &str, args: &[&dyn Arg]) -> Result<u64> {
        let st = self.statement(sql)?;
        let bound: Vec<Bound> = args.iter().map(|a| Bound(a.value())).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = bound.iter().map(|b| b as _).collect();
        self.client.execute(&st, &refs).map_err(|e| error(e, sql))
    }

    pub(crate) fn each(
        &mut self,
        sql: &str,
        args: &[&dyn Arg],
        mut f: impl FnMut(&postgres::Row) -> Result<()>,
    ) -> Result<()> {
        let st = self.statement(sql)?;
        let bound: Vec<Bound> = args.iter().map(|a| Bound(a.value())).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = bound.iter().map(|b| b as _).collect();
        let mut rows = self
            .client
            .query_raw(&st, refs.iter().copied())
            .map_err(|e| error(e, sql))?;
        while let Some(r) = rows.next().map_err(|e| error(e, sql))? {
            f(&r)?;
        }
        Ok(())
    }

    /// `COPY ... FROM STDIN` with the rows `write` produces, in COPY's
    /// text format.
    pub(crate) fn copy_in(
        &mut self,
        sql: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
    ) -> Result<u64> {
        let mut w = self.client.copy_in(sql).map_err(|e| error(e, sql))?;
        write(&mut w)?;
        w.finish().map_err(|e| error(e, sql))
    }
}

impl<'a> FromSql<'a> for Value<'a> {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn StdError + Sync + Send>> {
        use std::borrow::Cow;
        Ok(match *ty {
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::OID => Value::Int(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::NUMERIC => {
                let d = rust_decimal::Decimal::from_sql(ty, raw)?;
                match d.fract().is_zero().then(|| d.to_i64()).flatten() {
                    Some(i) => Value::Int(i),
                    None => Value::Real(d.to_f64().unwrap_or(f64::NAN)),
                }
            }
            Type::BYTEA => Value::Blob(Cow::Borrowed(<&[u8]>::from_sql(ty, raw)?)),
            _ => Value::Text(Cow::Borrowed(<&str>::from_sql(ty, raw)?)),
        })
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(Value::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// An argument, given the type PostgreSQL inferred for its parameter.
#[derive(Debug)]
struct Bound<'a>(Value<'a>);

impl ToSql for Bound<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match &self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                Type::NUMERIC => rust_decimal::Decimal::from(*i).to_sql(ty, out),
                _ => i.to_string().as_str().to_sql(ty, out),
            },
            Value::Real(r) => match *ty {
                Type::FLOAT8 => r.to_sql(ty, out),
                Type::FLOAT4 => (*r as f32).to_sql(ty, out),
                Type::NUMERIC => rust_decimal::Decimal::try_from(*r)?.to_sql(ty, out),
                Type::INT8 if r.fract() == 0.0 => (*r as i64).to_sql(ty, out),
                _ => r.to_string().as_str().to_sql(ty, out),
            },
            Value::Text(t) => match *ty {
                Type::INT8 => t.trim().parse::<i64>()?.to_sql(ty, out),
                Type::INT4 => t.trim().parse::<i32>()?.to_sql(ty, out),
                Type::FLOAT8 => t.trim().parse::<f64>()?.to_sql(ty, out),
                Type::BYTEA => t.as_bytes().to_sql(ty, out),
                _ => t.as_ref().to_sql(ty, out),
            },
            Value::Blob(b) => b.as_ref().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_takes_the_first_matching_line_with_wildcards() {
        let text =
            "# comment\nother:5432:*:bob:nope\n127.0.0.1:*:team:bob:s3cret\n*:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(text, ["127.0.0.1", "5433", "team", "bob"]).as_deref(),
            Some("s3cret")
        );
        assert_eq!(
            pgpass_lookup(text, ["10.0.0.1", "5432", "x", "amy"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup("bad line\n", ["h", "1", "d", "u"]), None);
    }

    #[test]
    fn a_password_in_an_address_is_never_shown() {
        assert_eq!(
            shown("postgres://amy:s3cr@t@db.example:5432/team"),
            "postgres://amy:***@db.example:5432/team"
        );
        assert_eq!(shown("postgres://amy@db/team"), "postgres://amy@db/team");
        assert_eq!(
            shown("postgresql://amy@h:1/x?sslmode=disable&password=Pw1&a=b"),
            "postgresql://amy@h:1/x?sslmode=disable&password=***&a=b"
        );
        assert_eq!(
            shown("host=h user=amy password=Pw1 dbname=x"),
            "host=h user=amy password=*** dbname=x"
        );
        assert_eq!(shown("postgres://db/te:am@x"), "postgres://db/te:am@x");
    }

    #[test]
    fn addresses_are_told_from_paths() {
        assert!(is_address("postgres://amy@db.example/team"));
        assert!(is_address("postgresql://amy@127.0.0.1:5433/team"));
        assert!(!is_address("/home/amy/.local/share/xaas/xaas.db"));
        assert!(!is_address("postgres.db"));
        assert!(is_address("host=127.0.0.1 user=amy dbname=xaas"));
    }
}
