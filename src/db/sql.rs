//! One small call shape over the two engines (SQLite, PostgreSQL): run a
//! statement with arguments, read rows by column index. Modules of `db`
//! written against `Conn` work on both; SQL that differs between the
//! engines is chosen with `Conn::kind` beside each other in those modules.
//!
//! Statements are written with SQLite's numbered parameters (`?1`); on
//! PostgreSQL they are rewritten once to `$1`. Values cross as `Value`:
//! integers, reals, text, bytes or NULL, the types SQLite stores. On
//! PostgreSQL an argument takes the type the server inferred for its
//! parameter (a text column compared with an integer gets text), and a
//! column of any numeric type reads as an integer or a real, so both
//! engines give the same Rust values for the same SQL.

use std::borrow::Cow;

use crate::error::{Error, Result};

/// Which engine a connection talks to, for the SQL that differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Lite,
    Pg,
}

/// A value as both engines store it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Blob(Cow<'a, [u8]>),
}

impl Value<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Int(_) => "an integer",
            Value::Real(_) => "a real",
            Value::Text(_) => "text",
            Value::Blob(_) => "bytes",
        }
    }
}

/// A statement's argument.
pub(crate) trait Arg {
    fn value(&self) -> Value<'_>;
}

/// `args![a, b]`: the arguments of a statement, `?1` and `?2`.
macro_rules! args {
    () => { &[] as &[&dyn $crate::db::sql::Arg] };
    ($($a:expr),+ $(,)?) => { &[$(&$a as &dyn $crate::db::sql::Arg),+] as &[&dyn $crate::db::sql::Arg] };
}
pub(crate) use args;

macro_rules! int_arg {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn value(&self) -> Value<'_> {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_arg!(i64, i32, u32, u16, u8, usize);

impl Arg for bool {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl Arg for f64 {
    fn value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl Arg for str {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}

impl Arg for String {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}

impl Arg for [u8] {
    fn value(&self) -> Value<'_> {
        Value::Blob(Cow::Borrowed(self))
    }
}

impl Arg for Vec<u8> {
    fn value(&self) -> Value<'_> {
        Value::Blob(Cow::Borrowed(self))
    }
}

impl Arg for chrono::NaiveDate {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Owned(self.format("%Y-%m-%d").to_string()))
    }
}

impl Arg for Value<'_> {
    fn value(&self) -> Value<'_> {
        match self {
            Value::Text(t) => Value::Text(Cow::Borrowed(t)),
            Value::Blob(b) => Value::Blob(Cow::Borrowed(b)),
            Value::Null => Value::Null,
            Value::Int(i) => Value::Int(*i),
            Value::Real(r) => Value::Real(*r),
        }
    }
}

impl<T: Arg + ?Sized> Arg for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: Arg> Arg for Option<T> {
    fn value(&self) -> Value<'_> {
        match self {
            Some(v) => v.value(),
            None => Value::Null,
        }
    }
}

/// A Rust value read from a column.
pub(crate) trait Cell: Sized {
    /// `None` when the stored value is of another kind.
    fn cell(v: Value<'_>) -> Option<Self>;
}

impl Cell for i64 {
    fn cell(v: Value<'_>) -> Option<i64> {
        match v {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }
}

macro_rules! narrow_cell {
    ($($t:ty),*) => {$(
        impl Cell for $t {
            fn cell(v: Value<'_>) -> Option<$t> {
                i64::cell(v).and_then(|i| <$t>::try_from(i).ok())
            }
        }
    )*};
}
narrow_cell!(i32, u32, u16, u8, usize, u64);

impl Cell for bool {
    fn cell(v: Value<'_>) -> Option<bool> {
        i64::cell(v).map(|i| i != 0)
    }
}

impl Cell for f64 {
    fn cell(v: Value<'_>) -> Option<f64> {
        match v {
            Value::Real(r) => Some(r),
            Value::Int(i) => Some(i as f64),
            _ => None,
        }
    }
}

impl Cell for String {
    fn cell(v: Value<'_>) -> Option<String> {
        match v {
            Value::Text(t) => Some(t.into_owned()),
            _ => None,
        }
    }
}

impl Cell for Vec<u8> {
    fn cell(v: Value<'_>) -> Option<Vec<u8>> {
        match v {
            Value::Blob(b) => Some(b.into_owned()),
            _ => None,
        }
    }
}

impl Cell for chrono::NaiveDate {
    fn cell(v: Value<'_>) -> Option<chrono::NaiveDate> {
        match v {
            Value::Text(t) => chrono::NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok(),
            _ => None,
        }
    }
}

impl<T: Cell> Cell for Option<T> {
    fn cell(v: Value<'_>) -> Option<Option<T>> {
        match v {
            Value::Null => Some(None),
            v => T::cell(v).map(Some),
        }
    }
}

/// One row of a result.
pub(crate) enum Row<'a> {
    Lite(&'a rusqlite::Row<'a>),
    #[cfg(feature = "team")]
    Pg(&'a postgres::Row),
}

impl Row<'_> {
    /// Column `i` (from 0) as a `T`; a value of another kind is an error
    /// naming the column.
    pub(crate) fn get<T: Cell>(&self, i: usize) -> Result<T> {
        let v = self.value(i)?;
        let found = v.kind();
        T::cell(v).ok_or_else(|| {
            Error::Invalid(crate::msg::storage::database_value(format!(
                "column {i} holds {found}, not {}",
                std::any::type_name::<T>()
            )))
        })
    }

    /// Column `i` as it is stored.
    pub(crate) fn value(&self, i: usize) -> Result<Value<'_>> {
        match self {
            Row::Lite(r) => Ok(lite::value(r.get_ref(i)?)),
            #[cfg(feature = "team")]
            Row::Pg(r) => r
                .try_get::<_, Value>(i)
                .map_err(|e| super::pg::error(e, "")),
        }
    }
}

/// An open connection to either engine.
pub(crate) enum Conn {
    Lite(rusqlite::Connection),
    #[cfg(feature = "team")]
    Pg(Box<std::cell::RefCell<super::pg::Session>>),
}

impl Conn {
    /// The SQLite connection, for the code that speaks only SQLite: on
    /// PostgreSQL that is an error saying the command cannot run there yet.
    pub(crate) fn lite(&self) -> Result<&rusqlite::Connection> {
        match self {
            Conn::Lite(c) => Ok(c),
            #[cfg(feature = "team")]
            Conn::Pg(_) => Err(Error::Invalid(crate::msg::team::not_on_team())),
        }
    }

    /// `COPY table (cols) FROM STDIN` on PostgreSQL: `write` gives the
    /// rows in COPY's text format. (SQLite has no COPY: an error.)
    pub(crate) fn copy_in(
        &self,
        sql: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
    ) -> Result<u64> {
        match self {
            Conn::Lite(_) => {
                drop(write);
                Err(Error::Invalid(format!("no COPY on SQLite: {sql}")))
            }
            #[cfg(feature = "team")]
            Conn::Pg(s) => busy(s)?.copy_in(sql, write),
        }
    }

    pub(crate) fn lite_mut(&mut self) -> Result<&mut rusqlite::Connection> {
        match self {
            Conn::Lite(c) => Ok(c),
            #[cfg(feature = "team")]
            Conn::Pg(_) => Err(Error::Invalid(crate::msg::team::not_on_team())),
        }
    }
}

/// What the modules of `db` run statements through: a `Conn` (either
/// engine), or SQLite's own connection and transactions, so that a
/// function written against `Sql` serves callers of both.
pub(crate) trait Sql {
    /// Which engine, for the SQL that differs.
    fn kind(&self) -> Kind;

    /// Runs statements with no arguments and no rows (DDL, BEGIN).
    fn batch(&self, sql: &str) -> Result<()>;

    /// Runs one statement; gives the number of rows it changed.
    fn execute(&self, sql: &str, args: &[&dyn Arg]) -> Result<u64>;

    /// Calls `f` on each row, in order, without holding them all. On
    /// PostgreSQL the connection is busy until the last row: `f` must not
    /// use it (collect first, then look up).
    fn each(
        &self,
        sql: &str,
        args: &[&dyn Arg],
        f: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()>;

    /// All rows, each made into a `T` by `f`.
    fn rows<T>(
        &self,
        sql: &str,
        args: &[&dyn Arg],
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>>
    where
        Self: Sized,
    {
        let mut out = Vec::new();
        self.each(sql, args, &mut |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row made into a `T`, or `None` when there is none.
    fn row_opt<T>(
        &self,
        sql: &str,
        args: &[&dyn Arg],
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<Option<T>>
    where
        Self: Sized,
    {
        let mut f = Some(f);
        let mut out = None;
        self.each(sql, args, &mut |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The one row a statement must give (an aggregate, a lookup known to
    /// exist).
    fn row<T>(&self, sql: &str, args: &[&dyn Arg], f: impl FnOnce(&Row) -> Result<T>) -> Result<T>
    where
        Self: Sized,
    {
        self.row_opt(sql, args, f)?
            .ok_or_else(|| Error::Invalid(format!("no row from: {}", first_line(sql))))
    }

    /// The first column of the one row, as a `T`.
    fn one<T: Cell>(&self, sql: &str, args: &[&dyn Arg]) -> Result<T>
    where
        Self: Sized,
    {
        self.row(sql, args, |r| r.get(0))
    }
}

impl Sql for rusqlite::Connection {
    fn kind(&self) -> Kind {
        Kind::Lite
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.execute_batch(sql)?)
    }

    fn execute(&self, sql: &str, args: &[&dyn Arg]) -> Result<u64> {
        let mut st = self.prepare_cached(sql)?;
        Ok(st.execute(rusqlite::params_from_iter(lite::args(args)))? as u64)
    }

    fn each(
        &self,
        sql: &str,
        args: &[&dyn Arg],
        f: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.prepare_cached(sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(lite::args(args)))?;
        while let Some(r) = rows.next()? {
            f(&Row::Lite(r))?;
        }
        Ok(())
    }
}

impl Sql for Conn {
    fn kind(&self) -> Kind {
        match self {
            Conn::Lite(_) => Kind::Lite,
            #[cfg(feature = "team")]
            Conn::Pg(_) => Kind::Pg,
        }
    }

    fn batch(&self, sql: &str) -> Result<()> {
        match self {
            Conn::Lite(c) => c.batch(sql),
            #[cfg(feature = "team")]
            Conn::Pg(s) => busy(s)?.batch(sql),
        }
    }

    fn execute(&self, sql: &str, args: &[&dyn Arg]) -> Result<u64> {
        match self {
            Conn::Lite(c) => Sql::execute(c, sql, args),
            #[cfg(feature = "team")]
            Conn::Pg(s) => busy(s)?.execute(sql, args),
        }
    }

    fn each(
        &self,
        sql: &str,
        args: &[&dyn Arg],
        f: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        match self {
            Conn::Lite(c) => c.each(sql, args, f),
            #[cfg(feature = "team")]
            Conn::Pg(s) => busy(s)?.each(sql, args, |r| f(&Row::Pg(r))),
        }
    }
}

/// The session, unless a query is still reading rows from it (a
/// statement run inside `each`'s callback: a bug, said as one).
#[cfg(feature = "team")]
fn busy(
    s: &std::cell::RefCell<super::pg::Session>,
) -> Result<std::cell::RefMut<'_, super::pg::Session>> {
    s.try_borrow_mut()
        .map_err(|_| Error::Invalid("a statement run while another one's rows are read".into()))
}

fn first_line(sql: &str) -> &str {
    sql.trim().lines().next().unwrap_or("")
}

mod lite {
    use super::{Arg, Value};
    use rusqlite::types::{ToSqlOutput, ValueRef};
    use std::borrow::Cow;

    pub(super) fn value(v: ValueRef<'_>) -> Value<'_> {
        match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Int(i),
            ValueRef::Real(r) => Value::Real(r),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t)),
            ValueRef::Blob(b) => Value::Blob(Cow::Borrowed(b)),
        }
    }

    pub(super) struct Bound<'a>(Value<'a>);

    impl rusqlite::ToSql for Bound<'_> {
        fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
            Ok(ToSqlOutput::Borrowed(match &self.0 {
                Value::Null => ValueRef::Null,
                Value::Int(i) => ValueRef::Integer(*i),
                Value::Real(r) => ValueRef::Real(*r),
                Value::Text(t) => ValueRef::Text(t.as_bytes()),
                Value::Blob(b) => ValueRef::Blob(b),
            }))
        }
    }

    pub(super) fn args<'a>(args: &'a [&'a dyn Arg]) -> impl Iterator<Item = Bound<'a>> {
        args.iter().map(|a| Bound(a.value()))
    }
}

/// The SQL of a filter (`query::Where`) as the engine reads it: SQLite's
/// as it is; on PostgreSQL a JSON list is expanded by
/// `json_array_elements_text` (its column is `value`, as `json_each`'s)
/// and `instr` is `strpos` (same arguments).
pub(crate) fn for_engine(kind: Kind, sql: &str) -> Cow<'_, str> {
    if kind == Kind::Lite {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len() + 32);
    let mut rest = sql;
    const EACH: &str = "json_each(";
    while let Some(at) = rest.find(EACH) {
        out.push_str(&rest[..at]);
        let after = &rest[at + EACH.len()..];
        let end = after.find(')').unwrap_or(after.len());
        out.push_str("json_array_elements_text(CAST(");
        out.push_str(&after[..end]);
        out.push_str(" AS json)");
        rest = &after[end..];
    }
    out.push_str(rest);
    Cow::Owned(out.replace("instr(", "strpos("))
}

/// `sql` with SQLite's `?1` (and bare `?`) parameters numbered as
/// PostgreSQL's `$1`; quoted text and identifiers are left alone.
pub(crate) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 1;
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            // A comment may hold an apostrophe ("don't"): up to its end.
            None if c == '-' && chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            None if c == '?' => {
                let mut n = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    n.push(*d);
                    chars.next();
                }
                if n.is_empty() {
                    n = next.to_string();
                    next += 1;
                }
                out.push('$');
                out.push_str(&n);
            }
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_instr_are_rewritten_for_postgres_only() {
        let sql = "c.id IN (SELECT value FROM json_each(?3)) AND instr(lower(a), lower(?4)) > 0";
        assert_eq!(for_engine(Kind::Lite, sql), sql);
        assert_eq!(
            for_engine(Kind::Pg, sql),
            "c.id IN (SELECT value FROM json_array_elements_text(CAST(?3 AS json))) \
             AND strpos(lower(a), lower(?4)) > 0"
        );
    }

    #[test]
    fn numbered_parameters_become_dollars_outside_quotes() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ?1 AND c IN (?2, ?12) AND d = '?3' AND \"?\" = ?"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $12) AND d = '?3' AND \"?\" = $1"
        );
        assert_eq!(
            numbered("SELECT a -- don't stop ?1\nFROM t WHERE b = ?2 - 1"),
            "SELECT a -- don't stop ?1\nFROM t WHERE b = $2 - 1"
        );
    }

    #[test]
    fn values_read_back_as_their_rust_types_on_sqlite() {
        let c = Conn::Lite(rusqlite::Connection::open_in_memory().unwrap());
        c.batch("CREATE TABLE t (i INTEGER, r REAL, s TEXT, d TEXT, b BLOB)")
            .unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let none: Option<i64> = None;
        c.execute(
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)",
            args![42i64, 0.5, "x", day, vec![1u8, 2]],
        )
        .unwrap();
        c.execute(
            "INSERT INTO t VALUES (?1, NULL, NULL, NULL, NULL)",
            args![none],
        )
        .unwrap();
        let rows = c
            .rows("SELECT i, r, s, d, b FROM t ORDER BY rowid", args![], |r| {
                Ok((
                    r.get::<Option<i64>>(0)?,
                    r.get::<Option<f64>>(1)?,
                    r.get::<Option<String>>(2)?,
                    r.get::<Option<chrono::NaiveDate>>(3)?,
                    r.get::<Option<Vec<u8>>>(4)?,
                ))
            })
            .unwrap();
        assert_eq!(
            rows,
            vec![
                (
                    Some(42),
                    Some(0.5),
                    Some("x".to_string()),
                    Some(day),
                    Some(vec![1, 2])
                ),
                (None, None, None, None, None)
            ]
        );
        let e = c
            .one::<i64>("SELECT s FROM t WHERE i = 42", args![])
            .unwrap_err();
        assert!(e.to_string().contains("column 0 holds text"), "{e}");
        assert_eq!(
            c.row_opt("SELECT 1 WHERE 0", args![], |r| r.get::<i64>(0))
                .unwrap(),
            None
        );
    }
}
