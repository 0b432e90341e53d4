//! `digest`: the week's renewals in one mail.

use rustc_hash::FxHashSet;

use crate::date::from_iso;
use crate::db::{digest as read, settings, tasks, worklist, Db};
use crate::digest::{
    lapsing_expiries, Digest, Due, Flow, LateTask, Overdue, Periods, Touched, When, NAMED,
};
use crate::error::Result;
use crate::filter::Filters;
use crate::labels::Lang;

use super::filters;

/// The digest of the customers `f` selects (its customer filters: whose
/// book it is) for `periods`, judged as of the last day of the period:
/// the worklist's window folded into counts (`digest::Due`), the
/// renewals and losses of both periods (`digest::Flow`), the open tasks
/// past due (as `tasks list --overdue`), and the touch rate of both
/// periods (as `stats` counts it).
pub fn digest(db: &Db, f: &Filters, periods: Periods) -> Result<Digest> {
    let sql = db.sql();
    let today = periods.now.to;
    let at = settings::as_of(sql, today)?;
    let f = filters::resolve(db, f)?;
    let conn = sql;
    let chosen = !f.customer.is_empty() || !f.split().0.is_empty();
    let customers = match chosen {
        true => Some(worklist::customer_ids(conn, &f)?),
        false => None,
    };

    // The window, from the expiry index alone (as `today`'s first page).
    let mut due = Due::default();
    worklist::in_window_bare(conn, customers.as_ref(), at, |mut c| {
        worklist::record_as_of(conn, &mut c, today)?;
        let last = c
            .last_record_at
            .as_deref()
            .and_then(|t| t.get(..10))
            .and_then(from_iso);
        due.add(c.expiry_date, c.amount, c.status, last, today);
        Ok(())
    })?;

    let both = periods.both();
    let renewed = Flow::fold(read::renewed(sql, &f, both, at)?, &periods);
    let mut lost = read::not_renewing(sql, &f, both, at)?;
    lost.extend(read::lapsed(
        sql,
        &f,
        lapsing_expiries(both, at.grace_days),
        at,
    )?);
    let lost = Flow::fold(lost, &periods);

    let yesterday = today.pred_opt().unwrap_or(today);
    let (late, count) = tasks::due_by(conn, &f, yesterday, Some(NAMED))?;
    let overdue = Overdue {
        count: count as u64,
        oldest: late
            .into_iter()
            .map(|(t, _)| LateTask {
                id: t.id,
                due: t.due,
                title_en: t.title(Lang::En),
                title_zh: t.title(Lang::Zh),
                customer_id: t.customer_id,
                customer_name: t.customer_name,
                service_id: t.service_id,
            })
            .collect(),
    };

    let mut touch = Touched::default();
    let all = read::customers(sql, &f)?;
    touch.now.customers = all;
    touch.before.customers = all;
    let (mut now, mut before) = (FxHashSet::default(), FxHashSet::default());
    read::records_in(sql, both, |customer, day| {
        if customers.as_ref().is_some_and(|s| !s.contains(customer)) {
            return;
        }
        match periods.which(day) {
            Some(When::Now) if !now.contains(customer) => {
                now.insert(customer.to_string());
            }
            Some(When::Before) if !before.contains(customer) => {
                before.insert(customer.to_string());
            }
            _ => {}
        }
    })?;
    touch.now.touched = now.len() as u64;
    touch.before.touched = before.len() as u64;

    let mut csm: Vec<String> = f
        .attrs
        .iter()
        .filter(|(c, _)| *c == crate::columns::Col::Csm)
        .flat_map(|(_, v)| v.iter().cloned())
        .collect();
    csm.dedup();
    Ok(Digest {
        periods,
        csm,
        grace_days: at.grace_days,
        due,
        renewed,
        lost,
        overdue,
        touch,
    })
}
