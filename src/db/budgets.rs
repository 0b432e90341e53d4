//! The `budgets` table: a cycle per customer and budget date, kept in
//! step with the customer's `budget_date` (set by `budget set` or by an
//! import), submitted and decided; each change a `budget` history entry.

use super::items::{day, day_opt, record, stored_opt, Change};
use super::query::customer_where;
use super::sql::{args, Row, Sql};
use crate::budget::{BudgetResult, BudgetState, Cycle};
use crate::columns::Col;
use crate::date::iso;
use crate::error::Result;
use crate::filter::Filters;
use crate::history::{Actor, Kind};
use chrono::NaiveDate;

const SELECT: &str = "SELECT b.id, b.customer_id, c.customer_name, c.csm, b.budget_date,
        b.submitted, b.result, b.result_date, b.created, b.author
     FROM budgets b JOIN customers c ON c.customer_id = b.customer_id";

fn cycle(r: &Row) -> Result<Cycle> {
    Ok(Cycle {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        csm: r.get(3)?,
        budget_date: day(r, 4)?,
        submitted: day_opt(r, 5)?,
        result: stored_opt(r, 6, BudgetResult::from_id)?,
        result_date: day_opt(r, 7)?,
        created: day(r, 8)?,
        author: r.get(9)?,
    })
}

/// The customer's cycle at `date`, if there is one.
fn at(conn: &impl Sql, customer_id: &str, date: NaiveDate) -> Result<Option<Cycle>> {
    conn.row_opt(
        &format!("{SELECT} WHERE b.customer_id = ?1 AND b.budget_date = ?2"),
        args![customer_id, iso(date)],
        cycle,
    )
}

/// The customer's cycles, latest budget date first.
pub(crate) fn of_customer(conn: &impl Sql, customer_id: &str) -> Result<Vec<Cycle>> {
    conn.rows(
        &format!("{SELECT} WHERE b.customer_id = ?1 ORDER BY b.budget_date DESC"),
        args![customer_id],
        cycle,
    )
}

/// The customer's budget date as stored.
pub(crate) fn date_of(conn: &impl Sql, customer_id: &str) -> Result<Option<NaiveDate>> {
    let stored: Option<String> = conn.one(
        &format!(
            "SELECT {} FROM customers WHERE customer_id = ?1",
            Col::BudgetDate.id()
        ),
        args![customer_id],
    )?;
    Ok(stored.as_deref().and_then(crate::date::from_iso))
}

/// The current cycle: the one at the customer's budget date.
pub(crate) fn current(conn: &impl Sql, customer_id: &str) -> Result<Option<Cycle>> {
    match date_of(conn, customer_id)? {
        Some(d) => at(conn, customer_id, d),
        None => Ok(None),
    }
}

/// `budget set`: the customer's budget date becomes `date`, and its
/// cycles follow (`date_changed`). Returns the date before.
pub(crate) fn set_date(
    conn: &impl Sql,
    customer_id: &str,
    date: NaiveDate,
    who: &Actor,
) -> Result<Option<NaiveDate>> {
    let old = date_of(conn, customer_id)?;
    if old == Some(date) {
        return Ok(old);
    }
    conn.execute(
        &format!(
            "UPDATE customers SET {} = ?2 WHERE customer_id = ?1",
            Col::BudgetDate.id()
        ),
        args![customer_id, iso(date)],
    )?;
    date_changed(conn, customer_id, old, Some(date), who)?;
    Ok(old)
}

/// After the customer's budget date moved from `old` to `new` (the
/// caller wrote it: `budget set`, or an import): the cycle of `old`
/// moves with it while it can (`Cycle::moves_with_new_date`: the meeting
/// was rescheduled), else stays and `new` opens a cycle of its own; and a
/// `budget` entry in the history. A cleared date drops a cycle that was
/// still to come and never submitted.
pub(crate) fn date_changed(
    conn: &impl Sql,
    customer_id: &str,
    old: Option<NaiveDate>,
    new: Option<NaiveDate>,
    who: &Actor,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let current = match old {
        Some(d) => at(conn, customer_id, d)?,
        None => None,
    };
    let taken = match new {
        Some(d) => at(conn, customer_id, d)?,
        None => None,
    };
    let movable = current
        .as_ref()
        .filter(|c| c.moves_with_new_date(who.today));
    let item = match (movable, new, &taken) {
        // The new date has a cycle already (set back to an earlier one).
        (Some(c), Some(_), Some(t)) => {
            drop_if_unsubmitted(conn, c)?;
            Some(t.id)
        }
        (Some(c), Some(d), None) => {
            conn.execute(
                "UPDATE budgets SET budget_date = ?2 WHERE id = ?1",
                args![c.id, iso(d)],
            )?;
            Some(c.id)
        }
        (Some(c), None, _) => {
            drop_if_unsubmitted(conn, c)?;
            Some(c.id)
        }
        (None, Some(_), Some(t)) => Some(t.id),
        (None, Some(d), None) => Some(open(conn, customer_id, d, who)?),
        (None, None, _) => current.as_ref().map(|c| c.id),
    };
    let (from, to) = (old.map(iso), new.map(iso));
    record(
        conn,
        &Change {
            kind: Kind::Budget,
            item,
            customer_id,
            service_id: None,
            from: from.as_deref(),
            to: to.as_deref(),
            note: Some(Col::BudgetDate.id()),
        },
        who,
    )
}

/// A cycle still to come is dropped when its date goes, unless the
/// renewal was already submitted into it (that stays on the record).
fn drop_if_unsubmitted(conn: &impl Sql, c: &Cycle) -> Result<()> {
    if c.submitted.is_none() {
        conn.execute("DELETE FROM budgets WHERE id = ?1", args![c.id])?;
    }
    Ok(())
}

fn open(conn: &impl Sql, customer_id: &str, date: NaiveDate, who: &Actor) -> Result<i64> {
    conn.one(
        "INSERT INTO budgets(customer_id, budget_date, created, author) VALUES (?1, ?2, ?3, ?4)
         RETURNING id",
        args![customer_id, iso(date), iso(who.today), who.author],
    )
}

/// Marks a checked cycle submitted today.
pub(crate) fn submit(conn: &impl Sql, c: &Cycle, who: &Actor) -> Result<Cycle> {
    conn.execute(
        "UPDATE budgets SET submitted = ?2 WHERE id = ?1",
        args![c.id, iso(who.today)],
    )?;
    let note = format!("budget of {}", iso(c.budget_date));
    record(
        conn,
        &Change {
            kind: Kind::Budget,
            item: Some(c.id),
            customer_id: &c.customer_id,
            service_id: None,
            from: Some(c.state().id()),
            to: Some(BudgetState::Submitted.id()),
            note: Some(&note),
        },
        who,
    )?;
    get(conn, c.id)
}

/// Records a checked cycle's result, today.
pub(crate) fn decide(
    conn: &impl Sql,
    c: &Cycle,
    result: BudgetResult,
    who: &Actor,
) -> Result<Cycle> {
    conn.execute(
        "UPDATE budgets SET result = ?2, result_date = ?3 WHERE id = ?1",
        args![c.id, result.id(), iso(who.today)],
    )?;
    let note = format!("budget of {}", iso(c.budget_date));
    record(
        conn,
        &Change {
            kind: Kind::Budget,
            item: Some(c.id),
            customer_id: &c.customer_id,
            service_id: None,
            from: Some(c.state().id()),
            to: Some(result.id()),
            note: Some(&note),
        },
        who,
    )?;
    get(conn, c.id)
}

fn get(conn: &impl Sql, id: i64) -> Result<Cycle> {
    conn.row(&format!("{SELECT} WHERE b.id = ?1"), args![id], cycle)
}

/// The cycles of the customers the filters select (only those not yet
/// submitted with `open_only`), by budget date.
pub(crate) fn list(conn: &impl Sql, f: &Filters, open_only: bool) -> Result<Vec<Cycle>> {
    let mut w = customer_where(f);
    if open_only {
        w.push("b.submitted IS NULL AND b.result IS NULL".into());
    }
    let sql = format!("{SELECT}{} ORDER BY b.budget_date, b.customer_id", w.sql());
    conn.rows(&super::sql::for_engine(conn.kind(), &sql), &w.args(), cycle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::db::{Db, Open};
    use crate::history::Via;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn who(today: &str) -> Actor {
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T09:00:00+08:00").unwrap();
        Actor::new(
            "me".into(),
            &Clock {
                today: day(today),
                now,
            },
            Via::Manual,
        )
    }

    /// (budget_date, submitted) of C1's cycles, by date.
    fn dates(db: &Db) -> Vec<(String, Option<String>)> {
        of_customer(db.conn().unwrap(), "C1")
            .unwrap()
            .into_iter()
            .rev()
            .map(|c| (iso(c.budget_date), c.submitted.map(iso)))
            .collect()
    }

    fn book() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        db.conn()
            .unwrap()
            .execute_batch("INSERT INTO customers(customer_id, customer_name) VALUES ('C1', '甲')")
            .unwrap();
        (dir, db)
    }

    #[test]
    fn a_date_moved_onto_a_cycle_of_its_own_keeps_that_one() {
        let (_dir, mut db) = book();
        let set = |db: &mut Db, d: &str, today: &str| {
            db.change(|tx| set_date(tx, "C1", day(d), &who(today)))
                .unwrap()
        };
        set(&mut db, "2026-03-01", "2026-01-10");
        // It passed unsubmitted: next year's date opens another cycle.
        set(&mut db, "2027-03-01", "2026-04-01");
        assert_eq!(dates(&db).len(), 2);
        // Set back to the missed date: no third cycle, and the future one,
        // never submitted, goes.
        set(&mut db, "2026-03-01", "2026-04-02");
        assert_eq!(dates(&db), [("2026-03-01".into(), None)]);
        let n: i64 = db
            .conn()
            .unwrap()
            .query_row(
                "SELECT count(*) FROM history WHERE kind = 'budget'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 3, "each change an entry");
    }

    #[test]
    fn a_cleared_date_keeps_a_cycle_the_renewal_was_submitted_into() {
        let (_dir, mut db) = book();
        let today = who("2026-11-01");
        db.change(|tx| {
            set_date(tx, "C1", day("2027-03-01"), &today)?;
            let c = current(tx, "C1")?.unwrap();
            submit(tx, &c, &today)?;
            // An import whose cell is empty clears the date.
            Sql::execute(tx, "UPDATE customers SET budget_date = NULL", args![])?;
            date_changed(tx, "C1", Some(day("2027-03-01")), None, &today)
        })
        .unwrap();
        assert_eq!(
            dates(&db),
            [("2027-03-01".into(), Some("2026-11-01".into()))]
        );
        assert_eq!(current(db.conn().unwrap(), "C1").unwrap(), None);
    }
}
