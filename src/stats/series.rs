//! Trends (`stats --series week|month`): the renewal cohort's figures per
//! period of expiry, the touch rate in each period and the open amount
//! at risk, all as of today, folded in the same one pass over services
//! and renewed terms as the dashboard (`Fold`), each term into the bucket
//! of the period its expiry falls in.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde_json::{json, Map, Value};

use super::{
    cohort_key, count_cohort, yuan, Dim, Figures, Fold, Period, Sink, Tally, Touch, PRESENT,
};
use crate::date::iso;
use crate::money::Cents;
use crate::outcome::{Outcome, OutcomeRow};
use crate::spelling::labelled_enum;
use crate::status::Status;
use crate::window::days_left;

labelled_enum!(
    /// How long a period of a series is.
    Unit, "period", "周期", {
        Week = "week", "周", "weekly", "每周";
        Month = "month", "月", "monthly", "每月";
    }
);

impl Unit {
    /// The last day of the period `d` falls in: the Sunday of its ISO
    /// week, or its month's last day.
    pub fn end_of(self, d: NaiveDate) -> NaiveDate {
        match self {
            Unit::Week => d + Days::new(u64::from(6 - d.weekday().num_days_from_monday())),
            Unit::Month => {
                let first = d.with_day(1).unwrap_or(d);
                first + Months::new(1) - Days::new(1)
            }
        }
    }

    /// The first day of the period `d` falls in.
    pub fn start_of(self, d: NaiveDate) -> NaiveDate {
        match self {
            Unit::Week => d - Days::new(u64::from(d.weekday().num_days_from_monday())),
            Unit::Month => d.with_day(1).unwrap_or(d),
        }
    }

    /// Whether `p` is a whole week (Monday to Sunday) or month, not one
    /// clipped to the span.
    pub fn is_whole(self, p: Period) -> bool {
        p.from == self.start_of(p.from) && p.to == self.end_of(p.from)
    }

    /// The periods covering `span`, in order, the first and last clipped
    /// to it.
    pub fn periods(self, span: Period) -> Vec<Period> {
        let mut out = Vec::new();
        let mut from = span.from;
        loop {
            let to = self.end_of(from).min(span.to);
            out.push(Period { from, to });
            match to.succ_opt() {
                Some(next) if to < span.to => from = next,
                _ => return out,
            }
        }
    }

    /// A period's short name for a table: `2026-01`, `2026-W03`; a
    /// clipped one by its days, `2025-11-24~30`, `2025-12-29~01-04`.
    pub fn name_of(self, p: Period) -> String {
        if self.is_whole(p) {
            return match self {
                Unit::Month => p.from.format("%Y-%m").to_string(),
                Unit::Week => {
                    let w = p.from.iso_week();
                    format!("{}-W{:02}", w.year(), w.week())
                }
            };
        }
        if p.from == p.to {
            return iso(p.from);
        }
        let end = if p.from.month() == p.to.month() && p.from.year() == p.to.year() {
            p.to.format("%d")
        } else {
            p.to.format("%m-%d")
        };
        format!("{}~{end}", iso(p.from))
    }
}

/// One row of a series: a period (and a group with `--by`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesRow {
    pub period: Period,
    /// The group's name with `--by`.
    pub group: Option<String>,
    /// The renewal cohort of the terms expiring in the period: only the
    /// `renewal` block's figures (`due_terms` … `suspended_terms`,
    /// `due_customers`, `renewed_customers`) are filled.
    pub cohort: Figures,
    /// Customers (of the matching services, in the group) and those of
    /// them with a follow-up record dated in the period.
    pub touch: Touch,
    /// Due terms of the period still open (rule 9), their amount.
    pub open_amount: Cents,
    /// Of the open ones, those whose status is `at_risk`.
    pub at_risk: Tally,
}

/// A whole series: rows by period, then group name.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub as_of: NaiveDate,
    /// The span the periods cover.
    pub span: Period,
    pub unit: Unit,
    pub by: Option<Dim>,
    pub rows: Vec<SeriesRow>,
}

/// What a series adds to the renewal block, per row.
#[derive(Clone, Copy, Debug, Default)]
struct Open {
    amount: Cents,
    at_risk: Tally,
}

/// The dashboard's fold over the whole span (which customers count, in
/// which group) and, per period and group, the cohort's figures.
pub struct SeriesFold {
    fold: Fold,
    unit: Unit,
    periods: Vec<Period>,
    /// Cells per period: the total, then one per group.
    width: usize,
    cohort: Vec<Figures>,
    open: Vec<Open>,
    /// (cell, customer, renewed) for each due term: distinct customers
    /// per cell are counted at the end.
    due: Vec<(u32, u32, bool)>,
}

impl SeriesFold {
    /// `fold` is a dashboard fold over the series' span.
    pub fn new(fold: Fold, unit: Unit) -> SeriesFold {
        let periods = unit.periods(fold.period);
        let width = 1 + fold.groups.len();
        let cells = periods.len() * width;
        SeriesFold {
            fold,
            unit,
            periods,
            width,
            cohort: vec![Figures::default(); cells],
            open: vec![Open::default(); cells],
            due: Vec::new(),
        }
    }

    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    /// The period an expiry day falls in, if in the span.
    pub fn period_of(&self, d: NaiveDate) -> Option<usize> {
        let i = self.periods.partition_point(|p| p.to < d);
        self.periods.get(i).filter(|p| p.contains(d)).map(|_| i)
    }

    /// The cells a term of customer `c` with type `t` in period `p`
    /// counts in: the total's, and its group's when split.
    fn cells(&self, p: usize, c: u32, t: crate::service::ServiceType) -> [Option<usize>; 2] {
        let base = p * self.width;
        [Some(base), self.fold.group(c, t).map(|g| base + 1 + g)]
    }

    /// Customers and touched customers per (period, cell), from the
    /// fold's customers present and the (period, customer) pairs of the
    /// follow-up records.
    fn touch(&self, mut touched: Vec<(u32, u32)>) -> Vec<Touch> {
        let f = &self.fold;
        let mut customers = vec![Touch::default(); self.width];
        let slots_of = |c: usize, each: &mut dyn FnMut(usize)| {
            let base = c * f.slots;
            if f.state[base] & PRESENT == 0 {
                return;
            }
            each(0);
            match f.by {
                None => {}
                Some(Dim::ServiceType) => {
                    for t in 0..f.slots - 1 {
                        if f.state[base + 1 + t] & PRESENT != 0 {
                            each(1 + t);
                        }
                    }
                }
                Some(_) => each(1 + f.customers[c].group as usize),
            }
        };
        for c in 0..f.customers.len() {
            slots_of(c, &mut |i| customers[i].customers += 1);
        }
        let mut cells = customers.repeat(self.periods.len());
        touched.sort_unstable();
        touched.dedup();
        for (p, c) in touched {
            let base = p as usize * self.width;
            slots_of(c as usize, &mut |i| cells[base + i].touched += 1);
        }
        cells
    }

    /// The rows: per period, the total without a split, or each group
    /// that has services or due terms over the span. `touched`: the
    /// (period, customer) of every follow-up record dated in the span;
    /// `group_names` the name table customers' groups index.
    pub fn finish(mut self, group_names: &[String], touched: Vec<(u32, u32)>) -> Series {
        self.due.sort_unstable();
        let mut i = 0;
        while i < self.due.len() {
            let (cell, c, _) = self.due[i];
            let mut renewed = false;
            while i < self.due.len() && self.due[i].0 == cell && self.due[i].1 == c {
                renewed |= self.due[i].2;
                i += 1;
            }
            let f = &mut self.cohort[cell as usize];
            f.due_customers += 1;
            if renewed {
                f.renewed_customers += 1;
            }
        }
        let touch = self.touch(touched);
        let f = &self.fold;
        let names: Vec<String> = match f.by {
            Some(Dim::ServiceType) => crate::service::ServiceType::ALL
                .iter()
                .map(|t| t.id().to_string())
                .collect(),
            _ => group_names.to_vec(),
        };
        // (cell offset, name) of the groups shown, in name order.
        let mut shown: Vec<(usize, Option<String>)> = match f.by {
            None => vec![(0, None)],
            Some(_) => names
                .into_iter()
                .enumerate()
                .zip(&f.groups)
                // A group with a customer that has a matching service
                // (`stats`' groups: services or due terms).
                .filter(|((i, _), g)| touch[1 + i].customers > 0 || g.due_terms > 0)
                .map(|((i, name), _)| (1 + i, Some(name)))
                .collect(),
        };
        shown.sort_by(|a, b| a.1.cmp(&b.1));
        let mut rows = Vec::with_capacity(self.periods.len() * shown.len());
        for (p, period) in self.periods.iter().enumerate() {
            for (offset, name) in &shown {
                let cell = p * self.width + offset;
                rows.push(SeriesRow {
                    period: *period,
                    group: name.clone(),
                    cohort: std::mem::take(&mut self.cohort[cell]),
                    touch: touch[cell],
                    open_amount: self.open[cell].amount,
                    at_risk: self.open[cell].at_risk,
                });
            }
        }
        Series {
            as_of: f.at.today,
            span: f.period,
            unit: self.unit,
            by: f.by,
            rows,
        }
    }
}

impl Sink for SeriesFold {
    fn service(
        &mut self,
        c: u32,
        t: crate::service::ServiceType,
        expiry: NaiveDate,
        amount: Option<Cents>,
        stored: Status,
        reason: Option<crate::status::Reason>,
    ) {
        self.fold.service(c, t, expiry, amount, stored, reason);
        let Some(p) = self.period_of(expiry) else {
            return;
        };
        let at = self.fold.at;
        let status = Status::effective_on(stored, days_left(expiry, at.today), at.grace_days);
        // A term renewed through `renewal_of` is counted from `terms`.
        if status == Status::Renewed {
            return;
        }
        let amount = amount.unwrap_or_default();
        let open = Outcome::of(status) == Outcome::Open;
        for cell in self.cells(p, c, t).into_iter().flatten() {
            self.cohort[cell].count_due(status, amount);
            if open {
                let o = &mut self.open[cell];
                o.amount += amount;
                if status == Status::AtRisk {
                    o.at_risk.add(amount);
                }
            }
            self.due.push((cell as u32, c, false));
        }
    }

    fn band(&mut self, c: u32, t: crate::service::ServiceType, band: crate::health::Band) {
        self.fold.band(c, t, band);
    }

    fn renewed_term(
        &mut self,
        c: u32,
        t: crate::service::ServiceType,
        expiry: NaiveDate,
        amount: Option<Cents>,
        new_amount: Option<Cents>,
    ) {
        self.fold.renewed_term(c, t, expiry, amount, new_amount);
        let Some(p) = self.period_of(expiry) else {
            return;
        };
        let (amount, new_amount) = (amount.unwrap_or_default(), new_amount.unwrap_or_default());
        for cell in self.cells(p, c, t).into_iter().flatten() {
            self.cohort[cell].count_renewed(amount, new_amount);
            self.due.push((cell as u32, c, true));
        }
    }

    fn empty_like(&self) -> Self {
        SeriesFold {
            fold: self.fold.empty_like(),
            unit: self.unit,
            periods: self.periods.clone(),
            width: self.width,
            cohort: vec![Figures::default(); self.cohort.len()],
            open: vec![Open::default(); self.open.len()],
            due: Vec::new(),
        }
    }

    fn merge(&mut self, other: Self) {
        self.fold.merge(other.fold);
        for (a, b) in self.cohort.iter_mut().zip(&other.cohort) {
            a.add(b);
        }
        for (a, b) in self.open.iter_mut().zip(&other.open) {
            a.amount += b.amount;
            a.at_risk.count += b.at_risk.count;
            a.at_risk.amount += b.at_risk.amount;
        }
        self.due.extend(other.due);
    }
}

impl Series {
    /// The renewal figures counted from the cohort's rows (`outcomes`),
    /// each in the period of its expiry and the group it had on its
    /// expiry day (rule 5), as `Stats::recount_cohort` does for the
    /// whole span. Touch rates stay as folded; a group only the rows name
    /// gets rows of its own.
    pub fn recount_cohort(&mut self, rows: &[OutcomeRow]) {
        let by = self.by;
        let periods = self.unit.periods(self.span);
        let period_of = |d: NaiveDate| {
            let i = periods.partition_point(|p| p.to < d);
            periods.get(i).filter(|p| p.contains(d)).map(|_| i)
        };
        let mut names: Vec<Option<String>> = self.rows.iter().map(|r| r.group.clone()).collect();
        names.extend(rows.iter().map(|r| cohort_key(by, r)));
        if by.is_none() {
            names = vec![None];
        }
        names.sort();
        names.dedup();
        let mut buckets: std::collections::HashMap<(usize, Option<String>), Vec<&OutcomeRow>> =
            std::collections::HashMap::new();
        for r in rows {
            if let Some(p) = period_of(r.expiry_date) {
                buckets.entry((p, cohort_key(by, r))).or_default().push(r);
            }
        }
        let mut old: std::collections::HashMap<(NaiveDate, Option<String>), SeriesRow> = self
            .rows
            .drain(..)
            .map(|r| ((r.period.from, r.group.clone()), r))
            .collect();
        for (p, period) in periods.iter().enumerate() {
            for name in &names {
                let mut row =
                    old.remove(&(period.from, name.clone()))
                        .unwrap_or_else(|| SeriesRow {
                            period: *period,
                            group: name.clone(),
                            cohort: Figures::default(),
                            touch: Touch::default(),
                            open_amount: Cents(0),
                            at_risk: Tally::default(),
                        });
                let these = buckets
                    .get(&(p, name.clone()))
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                count_cohort(&mut row.cohort, these.iter().copied());
                row.open_amount = Cents(0);
                row.at_risk = Tally::default();
                for r in these.iter().filter(|r| r.outcome == Outcome::Open) {
                    let amount = r.amount.unwrap_or_default();
                    row.open_amount += amount;
                    if r.status == Status::AtRisk {
                        row.at_risk.add(amount);
                    }
                }
                self.rows.push(row);
            }
        }
    }

    /// The JSON: one object per row, `from`, `to`, the group under the
    /// split's name, the `renewal` block shaped as `stats`', the touch
    /// rate, and the open and at-risk amounts.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.rows
                .iter()
                .map(|r| {
                    let mut m = Map::new();
                    m.insert("from".into(), json!(iso(r.period.from)));
                    m.insert("to".into(), json!(iso(r.period.to)));
                    if let (Some(by), Some(g)) = (self.by, &r.group) {
                        m.insert(by.id().into(), json!(g));
                    }
                    m.insert("renewal".into(), r.cohort.renewal_json(r.period));
                    m.insert(
                        "touch".into(),
                        json!({"customers": r.touch.customers, "touched": r.touch.touched,
                               "rate": r.touch.rate()}),
                    );
                    m.insert("open_amount".into(), yuan(r.open_amount));
                    m.insert("at_risk_terms".into(), json!(r.at_risk.count));
                    m.insert("at_risk_amount".into(), yuan(r.at_risk.amount));
                    Value::Object(m)
                })
                .collect(),
        )
    }

    /// The groups in the order their rows come, once each.
    pub fn groups(&self) -> Vec<Option<String>> {
        let first = self.rows.first().map(|r| r.period.from);
        self.rows
            .iter()
            .take_while(|r| Some(r.period.from) == first)
            .map(|r| r.group.clone())
            .collect()
    }
}

/// The delimited columns of a series, after `from`, `to` and the group:
/// the renewal block's keys, the touch rate's and the amounts'.
pub const COLUMNS: &[(&str, &str)] = &[
    ("due_terms", "到期"),
    ("renewed_terms", "已续费"),
    ("lost_terms", "流失"),
    ("lapsed_terms", "逾期未续"),
    ("suspended_terms", "挂起"),
    ("open_terms", "跟进中"),
    ("due_customers", "到期客户数"),
    ("renewed_customers", "已续约客户数"),
    ("logo_rate", "续约率"),
    ("due_amount", "到期金额"),
    ("renewed_amount", "续费金额"),
    ("lost_amount", "流失金额"),
    ("amount_rate", "续费率"),
    ("customers", "客户数"),
    ("touched", "已跟进"),
    ("touch_rate", "翻动率"),
    ("open_amount", "跟进中金额"),
    ("at_risk_terms", "有风险"),
    ("at_risk_amount", "风险金额"),
];

/// A value of a delimited row.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    Count(u64),
    Amount(Cents),
    Rate(Option<f64>),
}

impl SeriesRow {
    /// The values of `COLUMNS`, in order.
    pub fn figures(&self) -> Vec<Figure> {
        use Figure::*;
        let f = &self.cohort;
        vec![
            Count(f.due_terms),
            Count(f.renewed_terms),
            Count(f.lost_terms),
            Count(f.lapsed_terms),
            Count(f.suspended_terms),
            Count(f.open_terms),
            Count(f.due_customers),
            Count(f.renewed_customers),
            Rate(f.logo_rate()),
            Amount(f.due_amount),
            Amount(f.renewed_amount),
            Amount(f.lost_amount),
            Rate(f.amount_rate()),
            Count(self.touch.customers),
            Count(self.touch.touched),
            Rate(self.touch.rate()),
            Amount(self.open_amount),
            Count(self.at_risk.count),
            Amount(self.at_risk.amount),
        ]
    }
}

/// Rates as a sparkline, one block (▁ … █) per period, a gap where there
/// is no rate (no due term). The scale runs from 0 to 1, or to the
/// largest rate when one passes 1 (an amount rate may).
pub fn sparkline(rates: &[Option<f64>]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = rates.iter().flatten().fold(1.0f64, |a, &b| a.max(b));
    rates
        .iter()
        .map(|r| match r {
            None => ' ',
            Some(r) => {
                let i = (r.max(0.0) / top * 7.0).round() as usize;
                BLOCKS[i.min(7)]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::AsOf;
    use crate::service::ServiceType;
    use crate::stats::CustomerKey;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn span(a: &str, b: &str) -> Period {
        Period {
            from: d(a),
            to: d(b),
        }
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_clip_to_the_span() {
        // 2026-11-23 is a Monday; 2026-11-29 a Sunday.
        assert_eq!(Unit::Week.end_of(d("2026-11-23")), d("2026-11-29"));
        assert_eq!(Unit::Week.end_of(d("2026-11-29")), d("2026-11-29"));
        assert_eq!(Unit::Week.start_of(d("2026-11-29")), d("2026-11-23"));
        let p = Unit::Week.periods(span("2026-11-25", "2026-12-08"));
        assert_eq!(
            p,
            [
                span("2026-11-25", "2026-11-29"),
                span("2026-11-30", "2026-12-06"),
                span("2026-12-07", "2026-12-08"),
            ]
        );
        assert!(!Unit::Week.is_whole(p[0]) && Unit::Week.is_whole(p[1]));
        assert_eq!(Unit::Week.name_of(p[1]), "2026-W49");
        assert_eq!(Unit::Week.name_of(p[0]), "2026-11-25~29");
        // An ISO week across the year: 2025-12-29 … 2026-01-04 is 2026-W01.
        let w = span("2025-12-29", "2026-01-04");
        assert_eq!(Unit::Week.name_of(w), "2026-W01");
        assert_eq!(
            Unit::Week.name_of(span("2025-12-30", "2026-01-04")),
            "2025-12-30~01-04"
        );
        assert_eq!(
            Unit::Week.name_of(span("2026-01-04", "2026-01-04")),
            "2026-01-04"
        );
    }

    #[test]
    fn months_are_calendar_months_clipped_to_the_span() {
        let p = Unit::Month.periods(Period::year_to(d("2026-11-23")));
        assert_eq!(p.len(), 13);
        assert_eq!(p[0], span("2025-11-24", "2025-11-30"));
        assert_eq!(p[1], span("2025-12-01", "2025-12-31"));
        assert_eq!(p[3], span("2026-02-01", "2026-02-28"));
        assert_eq!(p[12], span("2026-11-01", "2026-11-23"));
        assert_eq!(Unit::Month.name_of(p[0]), "2025-11-24~30");
        assert_eq!(Unit::Month.name_of(p[1]), "2025-12");
        // The periods tile the span: no day twice, none left out.
        for w in p.windows(2) {
            assert_eq!(w[0].to.succ_opt(), Some(w[1].from));
        }
        assert_eq!(
            Unit::Month.periods(span("2026-03-05", "2026-03-05")).len(),
            1
        );
        assert_eq!(Unit::parse("每月"), Ok(Unit::Month));
        assert!(Unit::parse("day").is_err());
    }

    fn key(csm: u32) -> CustomerKey {
        CustomerKey {
            csm,
            group: csm,
            touched: false,
        }
    }

    fn fold(by: Option<Dim>, unit: Unit) -> SeriesFold {
        let at = AsOf::with_defaults(d("2026-03-15"));
        let f = Fold::new(
            at,
            span("2026-01-01", "2026-03-31"),
            by,
            vec![key(0), key(1)],
            2,
        );
        SeriesFold::new(f, unit)
    }

    fn yuan(n: i64) -> Option<Cents> {
        Some(Cents::from(n * 100))
    }

    /// C0 (group a): Jan renewed 100 → 150, Feb not renewing 70, one
    /// after the span; C1 (b): Jan renewed 10 → 10, Mar suspended 30, and
    /// one after the span.
    fn sample(by: Option<Dim>) -> SeriesFold {
        let st = ServiceType::Subscription;
        let mut f = fold(by, Unit::Month);
        f.renewed_term(0, st, d("2026-01-10"), yuan(100), yuan(150));
        f.service(0, st, d("2026-02-14"), yuan(70), Status::NotRenewing, None);
        f.service(
            0,
            ServiceType::Managed,
            d("2026-12-01"),
            yuan(5),
            Status::AtRisk,
            None,
        );
        f.renewed_term(1, st, d("2026-01-31"), yuan(10), yuan(10));
        f.service(1, st, d("2026-03-01"), yuan(30), Status::Suspended, None);
        f.service(1, st, d("2026-04-01"), yuan(999), Status::Unset, None);
        f
    }

    #[test]
    fn each_term_lands_in_its_month_and_the_months_add_up() {
        let names = ["a".to_string(), "b".to_string()];
        let s = sample(None).finish(&names, vec![(0, 0), (0, 0), (2, 1)]);
        assert_eq!(s.rows.len(), 3);
        let jan = &s.rows[0].cohort;
        assert_eq!((jan.due_terms, jan.renewed_terms), (2, 2));
        assert_eq!((jan.due_customers, jan.renewed_customers), (2, 2));
        assert_eq!(jan.renewed_amount, Cents(16_000));
        let feb = &s.rows[1].cohort;
        assert_eq!(
            (feb.due_terms, feb.lost_terms, feb.lost_amount),
            (1, 1, Cents(7_000))
        );
        assert_eq!(feb.logo_rate(), Some(0.0));
        let mar = &s.rows[2].cohort;
        assert_eq!((mar.due_terms, mar.suspended_terms), (1, 1));
        // Touch: both customers count every month; C0 touched in Jan
        // (twice, once counted), C1 in March.
        assert_eq!(
            s.rows[0].touch,
            Touch {
                customers: 2,
                touched: 1
            }
        );
        assert_eq!(s.rows[1].touch.touched, 0);
        assert_eq!(s.rows[2].touch.rate(), Some(0.5));
        // The months add up to the whole span's fold.
        let whole = sample(None).fold.finish(&names, &names).total;
        let sum = |g: fn(&Figures) -> u64| s.rows.iter().map(|r| g(&r.cohort)).sum::<u64>();
        assert_eq!(sum(|f| f.due_terms), whole.due_terms);
        assert_eq!(sum(|f| f.renewed_terms), whole.renewed_terms);
        assert_eq!(sum(|f| f.lost_terms), whole.lost_terms);
        assert_eq!(sum(|f| f.open_terms), whole.open_terms);
        let due: i128 = s.rows.iter().map(|r| r.cohort.due_amount.0).sum();
        assert_eq!(due, whole.due_amount.0);
    }

    #[test]
    fn open_terms_at_risk_by_period_and_group() {
        let st = ServiceType::Subscription;
        let mut f = fold(Some(Dim::Csm), Unit::Month);
        f.service(0, st, d("2026-03-10"), yuan(40), Status::AtRisk, None);
        f.service(1, st, d("2026-03-11"), yuan(60), Status::Renewing, None);
        // Long past expiry: lapsed, neither open nor at risk.
        let mut early = fold(Some(Dim::Csm), Unit::Month);
        early.service(0, st, d("2026-01-10"), yuan(40), Status::AtRisk, None);
        f.merge(early);
        let names = ["a".to_string(), "b".to_string()];
        let s = f.finish(&names, vec![]);
        assert_eq!(s.groups(), [Some("a".to_string()), Some("b".to_string())]);
        let row = |m: usize, g: &str| {
            s.rows
                .iter()
                .find(|r| r.period.from.month() as usize == m && r.group.as_deref() == Some(g))
                .unwrap()
        };
        assert_eq!(
            row(3, "a").at_risk,
            Tally {
                count: 1,
                amount: Cents(4_000)
            }
        );
        assert_eq!(row(3, "a").open_amount, Cents(4_000));
        assert_eq!(row(3, "b").at_risk, Tally::default());
        assert_eq!(row(3, "b").open_amount, Cents(6_000));
        assert_eq!(row(1, "a").cohort.lapsed_terms, 1);
        assert_eq!(row(1, "a").open_amount, Cents(0));
        assert_eq!(row(1, "b").cohort.due_terms, 0);
        assert_eq!(row(1, "b").cohort.logo_rate(), None);
    }

    #[test]
    fn halves_merged_equal_one_pass() {
        let st = ServiceType::Subscription;
        for by in [None, Some(Dim::Csm), Some(Dim::ServiceType)] {
            let mut one = fold(by, Unit::Week);
            let mut a = fold(by, Unit::Week);
            let mut b = a.empty_like();
            for i in 0..40u32 {
                let day = d("2026-01-01") + Days::new(u64::from(i * 2));
                let (c, t) = (i % 2, [st, ServiceType::Basic][(i % 3 == 0) as usize]);
                let status = [Status::Unset, Status::AtRisk, Status::NotRenewing][i as usize % 3];
                let half = if i % 2 == 0 { &mut a } else { &mut b };
                for f in [&mut one, half] {
                    if i % 5 == 0 {
                        f.renewed_term(c, t, day, yuan(i64::from(i)), yuan(1));
                    } else {
                        f.service(c, t, day, yuan(i64::from(i)), status, None);
                    }
                }
            }
            a.merge(b);
            let names = ["a".to_string(), "b".to_string()];
            let touched = vec![(1, 0), (3, 1)];
            assert_eq!(
                a.finish(&names, touched.clone()),
                one.finish(&names, touched),
                "{by:?}"
            );
        }
    }

    #[test]
    fn the_json_rows_carry_the_dashboards_renewal_block() {
        let names = ["a".to_string(), "b".to_string()];
        let s = sample(Some(Dim::Tier)).finish(&names, vec![]);
        let j = s.to_json();
        let rows = j.as_array().unwrap();
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[0]["from"], "2026-01-01");
        assert_eq!(rows[0]["tier"], "a");
        assert_eq!(
            rows[0]["renewal"],
            json!({"from": "2026-01-01", "to": "2026-01-31",
                   "due_terms": 1, "renewed_terms": 1, "open_terms": 0,
                   "due_customers": 1, "renewed_customers": 1, "logo_rate": 1.0,
                   "due_amount": 100.0, "renewed_amount": 150.0, "amount_rate": 1.5,
                   "lost_terms": 0, "lapsed_terms": 0, "lost_amount": 0.0,
                   "suspended_terms": 0})
        );
        let keys: Vec<&String> = rows[0]["renewal"].as_object().unwrap().keys().collect();
        let whole = sample(None).fold.finish(&names, &names).to_json();
        let want: Vec<&String> = whole["renewal"].as_object().unwrap().keys().collect();
        assert_eq!(keys, want, "the same keys in the same order as stats'");
        assert_eq!(
            rows[0]["touch"],
            json!({"customers": 1, "touched": 0, "rate": 0.0})
        );
        assert_eq!(rows[0]["at_risk_amount"], 0.0);
        assert_eq!(s.rows[0].figures().len(), COLUMNS.len());
    }

    #[test]
    fn a_recount_moves_terms_to_the_group_they_had_on_expiry() {
        let names = ["a".to_string(), "b".to_string()];
        let mut s = sample(Some(Dim::Csm)).finish(&names, vec![]);
        let row =
            |day: &str, group: &str, amount: i64, outcome: Outcome, status: Status| OutcomeRow {
                customer_id: "C0".into(),
                customer_name: "x".into(),
                csm: None,
                tier: None,
                service_id: "S".into(),
                service_type: ServiceType::Subscription,
                product: None,
                expiry_date: d(day),
                amount: yuan(amount),
                outcome,
                status,
                new_expiry: None,
                new_amount: None,
                reason: None,
                reason_detail: None,
                last_note: None,
                group: Some(group.into()),
            };
        s.recount_cohort(&[
            row(
                "2026-02-14",
                "old",
                70,
                Outcome::NotRenewing,
                Status::NotRenewing,
            ),
            row("2026-03-02", "a", 20, Outcome::Open, Status::AtRisk),
        ]);
        assert_eq!(
            s.groups(),
            [
                Some("a".to_string()),
                Some("b".to_string()),
                Some("old".to_string())
            ]
        );
        assert_eq!(s.rows.len(), 9);
        let feb_old = &s.rows[5];
        assert_eq!(
            (feb_old.group.as_deref(), feb_old.cohort.lost_terms),
            (Some("old"), 1)
        );
        assert_eq!(feb_old.touch, Touch::default());
        let mar_a = &s.rows[6];
        assert_eq!(
            mar_a.at_risk,
            Tally {
                count: 1,
                amount: Cents(2_000)
            }
        );
        assert_eq!(mar_a.touch.customers, 1, "touch stays as folded");
        assert_eq!(s.rows[0].cohort.due_terms, 0, "January had no row");
    }

    #[test]
    fn sparklines_scale_to_one_or_the_largest_rate_with_gaps() {
        assert_eq!(sparkline(&[Some(0.0), Some(0.5), None, Some(1.0)]), "▁▅ █");
        assert_eq!(sparkline(&[Some(2.0), Some(1.0)]), "█▅");
        assert_eq!(sparkline(&[]), "");
    }
}
