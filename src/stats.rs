//! The dashboard figures (`xaas stats`), folded in one pass over the
//! matching services and their renewed terms. Pure: `db::stats` streams
//! rows in, the CLI prints what comes out.

use chrono::{Days, Months, NaiveDate};
use serde_json::{json, Map, Value};

use crate::clock::AsOf;
use crate::columns::Col;
use crate::date::iso;
use crate::health::Band;
use crate::money::Cents;
use crate::outcome::{Outcome, OutcomeRow};
use crate::ratio::{Part, Quantity, Ratio, Words};
use crate::service::ServiceType;
use crate::spelling::labelled_enum;
use crate::status::{Reason, Status};
use crate::window::{days_left, Window};

mod explain;
pub mod series;

labelled_enum!(
    /// What `--by` splits the figures by.
    Dim, "dimension", "统计维度", {
        Csm = "csm", "客户经营接口人";
        Tier = "tier", "客户等级";
        Industry = "industry", "行业";
        Region = "region", "区域";
        Department = "department", "归属部门";
        Distributor = "distributor", "总代业绩类型", "distributor_type";
        ServiceType = "service_type", "服务类型", "type";
    }
);

impl Dim {
    /// The customer column a split groups by; `None` for the service type.
    pub fn column(self) -> Option<Col> {
        match self {
            Dim::Csm => Some(Col::Csm),
            Dim::Tier => Some(Col::Tier),
            Dim::Industry => Some(Col::Industry),
            Dim::Region => Some(Col::Region),
            Dim::Department => Some(Col::Department),
            Dim::Distributor => Some(Col::DistributorType),
            Dim::ServiceType => None,
        }
    }
}

/// Chinese labels of the dashboard's own figures (splits, windows,
/// statuses and list columns have theirs).
const FIGURES_ZH: &[(&str, &str)] = &[
    ("customers", "客户数"),
    ("touched", "已跟进"),
    ("rate", "翻动率"),
    ("reason", "不续约原因"),
    ("count", "数量"),
    ("services", "服务数"),
    ("due_terms", "到期"),
    ("logo_rate", "续约率"),
    ("amount_rate", "续费率"),
    ("healthy_rate", "健康率"),
];

/// The Chinese header of a dashboard column: a split, a window, a status,
/// a column of the service list, or one of the dashboard's own figures.
pub fn header_zh(key: &str) -> Option<&'static str> {
    Dim::from_id(key)
        .map(Dim::label_zh)
        .or_else(|| Window::from_id(key).map(Window::label_zh))
        .or_else(|| Status::from_id(key).map(Status::label_zh))
        .or_else(|| {
            FIGURES_ZH
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, zh)| *zh)
        })
        .or_else(|| Col::ALL.iter().find(|c| c.id() == key).map(|c| c.zh()))
}

/// The group of services with no value in the split's column.
pub const NO_VALUE: &str = "(none)";

/// The renewal cohort's span, both days included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The 12 months ending `today`: 2025-11-24 … 2026-11-23.
    pub fn year_to(today: NaiveDate) -> Period {
        let from = today
            .checked_sub_months(Months::new(12))
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .unwrap_or(today);
        Period { from, to: today }
    }

    /// `--from` and `--to` as given: `to` defaults to today, `from` to a
    /// year before `to` plus a day.
    pub fn between(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Period, String> {
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(Period::year_to(to).from);
        if from > to {
            return Err(crate::msg::values::from_after_to(iso(from), iso(to)));
        }
        Ok(Period { from, to })
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// A count and an amount.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: u64,
    pub amount: Cents,
}

impl Tally {
    pub fn add(&mut self, amount: Cents) {
        self.count += 1;
        self.amount += amount;
    }
}

/// Touch rate of one CSM: customers, and those with a record in the period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Touch {
    pub customers: u64,
    pub touched: u64,
}

/// Every figure of one group (or of all matching services).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub services: Tally,
    pub by_type: [u64; 3],
    pub by_window: [u64; 4],
    /// Windows' amounts, for the dashboard's strip.
    pub window_amount: [Cents; 4],
    pub by_status: [u64; Status::ALL.len()],
    pub customers: u64,
    pub customers_by_window: [u64; 4],
    pub due_terms: u64,
    pub renewed_terms: u64,
    pub open_terms: u64,
    /// Due terms closed as `not_renewing` or `lapsed`, and their amounts.
    pub lost_terms: u64,
    pub lost_amount: Cents,
    /// Of the lost terms, those that lapsed (rule 11).
    pub lapsed_terms: u64,
    pub suspended_terms: u64,
    pub due_customers: u64,
    pub renewed_customers: u64,
    pub due_amount: Cents,
    pub renewed_amount: Cents,
    pub reasons: [Tally; 6],
    /// By CSM name, in name order.
    pub touch: Vec<(String, Touch)>,
    /// Customers by their band (`Band::worst_known` over their matching
    /// services), in `Band::ALL` order.
    pub customers_by_band: [u64; 4],
    /// The seed-001 indicators' counts (`kpi`): filled by `ops::stats`.
    pub work: crate::kpi::Work,
}

// The rates, each declared once with its formula (`ratio`): the JSON
// value, the dashboard's counts and `stats --explain` all read these. A
// new rate (the KPIs to come, in `kpi.*`) is one more `Ratio` here and
// its name in `RATIOS`.

/// 续约率: customers with a renewed term over customers with a due one.
pub const LOGO_RATE: Ratio<Figures> = Ratio {
    figure: "renewal.logo_rate",
    name: Words {
        en: "logo_rate",
        zh: "续约率",
    },
    num: Part {
        words: Words {
            en: "renewed customers",
            zh: "已续约客户数",
        },
        of: |f| Quantity::Count(f.renewed_customers),
    },
    den: Part {
        words: Words {
            en: "due customers",
            zh: "到期客户数",
        },
        of: |f| Quantity::Count(f.due_customers),
    },
};

/// 续费率: the new terms' amounts over the due terms' amounts (may pass 1).
pub const AMOUNT_RATE: Ratio<Figures> = Ratio {
    figure: "renewal.amount_rate",
    name: Words {
        en: "amount_rate",
        zh: "续费率",
    },
    num: Part {
        words: Words {
            en: "renewed amount",
            zh: "续费金额",
        },
        of: |f| Quantity::Amount(f.renewed_amount),
    },
    den: Part {
        words: Words {
            en: "due amount",
            zh: "到期金额",
        },
        of: |f| Quantity::Amount(f.due_amount),
    },
};

/// 健康率: healthy customers over customers with usage (a known band).
pub const HEALTHY_RATE: Ratio<Figures> = Ratio {
    figure: "health.healthy_rate",
    name: Words {
        en: "healthy_rate",
        zh: "健康率",
    },
    num: Part {
        words: Words {
            en: "healthy customers",
            zh: "健康客户数",
        },
        of: |f| Quantity::Count(f.customers_by_band[Band::Healthy as usize]),
    },
    den: Part {
        words: Words {
            en: "customers with a known band",
            zh: "健康度已知的客户数",
        },
        of: |f| Quantity::Count(f.rated_customers()),
    },
};

/// 翻动率 of one CSM: their customers with a record in the period.
pub const TOUCH_RATE: Ratio<Touch> = Ratio {
    figure: "touch.{}.rate",
    name: Words {
        en: "touch_rate",
        zh: "翻动率",
    },
    num: Part {
        words: Words {
            en: "customers with a record in the period",
            zh: "期内有跟进记录的客户数",
        },
        of: |t| Quantity::Count(t.touched),
    },
    den: Part {
        words: Words {
            en: "customers",
            zh: "客户数",
        },
        of: |t| Quantity::Count(t.customers),
    },
};

/// A seed-001 indicator: a count over a count of `Figures::work`.
macro_rules! kpi {
    ($name:ident, $field:ident, $zh:literal, ($num_en:literal, $num_zh:literal), ($den_en:literal, $den_zh:literal)) => {
        pub const $name: Ratio<Figures> = Ratio {
            figure: concat!("kpi.", stringify!($field)),
            name: Words {
                en: stringify!($field),
                zh: $zh,
            },
            num: Part {
                words: Words {
                    en: $num_en,
                    zh: $num_zh,
                },
                of: |f| Quantity::Count(f.work.$field.0),
            },
            den: Part {
                words: Words {
                    en: $den_en,
                    zh: $den_zh,
                },
                of: |f| Quantity::Count(f.work.$field.1),
            },
        };
    };
}

kpi!(
    RISK_COMPLETION,
    risk_completion,
    "风险处置完成率",
    ("risks closed", "已关闭风险数"),
    ("risks raised", "登记风险数")
);
kpi!(
    RISK_SUCCESS,
    risk_success,
    "风险处置成功率",
    ("risks resolved", "处置成功风险数"),
    ("risks closed", "已关闭风险数")
);
kpi!(
    LEAD_CLOSURE,
    lead_closure,
    "线索闭环率",
    (
        "leads validated, invalid or converted",
        "已验证、无效或已转商机的线索数"
    ),
    ("leads entered", "录入线索数")
);
kpi!(
    LEAD_CONVERSION,
    lead_conversion,
    "线索转换率",
    ("leads converted", "已转商机线索数"),
    ("leads entered", "录入线索数")
);
kpi!(
    BUDGET_ON_TIME,
    budget_on_time,
    "按时跟进率",
    ("customers whose budget was submitted", "预算已提交的客户数"),
    (
        "customers whose budget date fell in the period",
        "预算制定时间在期内的客户数"
    )
);
kpi!(
    BUDGET_PASS,
    budget_pass,
    "预算通过率",
    ("customers whose budget passed", "预算通过的客户数"),
    ("customers whose budget was submitted", "预算已提交的客户数")
);

kpi!(
    TASK_ON_TIME,
    task_on_time,
    "任务按时完成率",
    ("tasks done by their due day", "按期完成的任务数"),
    (
        "tasks due, less those withdrawn",
        "期内到期的任务数（不含已撤销）"
    )
);

/// Every rate of a group's figures, in the order `--explain` prints them
/// (the touch rates, one per CSM, come after).
pub const RATIOS: &[&Ratio<Figures>] = &[
    &LOGO_RATE,
    &AMOUNT_RATE,
    &HEALTHY_RATE,
    &RISK_COMPLETION,
    &RISK_SUCCESS,
    &LEAD_CLOSURE,
    &LEAD_CONVERSION,
    &BUDGET_ON_TIME,
    &BUDGET_PASS,
    &TASK_ON_TIME,
];

/// The seed-001 indicators, in `RATIOS`' order.
pub const KPIS: &[&Ratio<Figures>] = &[
    &RISK_COMPLETION,
    &RISK_SUCCESS,
    &LEAD_CLOSURE,
    &LEAD_CONVERSION,
    &BUDGET_ON_TIME,
    &BUDGET_PASS,
    &TASK_ON_TIME,
];

impl Figures {
    pub fn logo_rate(&self) -> Option<f64> {
        LOGO_RATE.value(self)
    }

    pub fn amount_rate(&self) -> Option<f64> {
        AMOUNT_RATE.value(self)
    }

    /// Customers with usage: a known band (one of their services has one).
    pub fn rated_customers(&self) -> u64 {
        Band::ALL
            .iter()
            .filter(|b| b.is_known())
            .map(|&b| self.customers_by_band[b as usize])
            .sum()
    }

    pub fn healthy_rate(&self) -> Option<f64> {
        HEALTHY_RATE.value(self)
    }
}

impl Figures {
    /// Sums of the service-level figures (customer counts and touch rates
    /// come after, in `Fold::finish`).
    fn add(&mut self, o: &Figures) {
        self.services.count += o.services.count;
        self.services.amount += o.services.amount;
        for (a, b) in self.by_type.iter_mut().zip(o.by_type) {
            *a += b;
        }
        for (a, b) in self.by_window.iter_mut().zip(o.by_window) {
            *a += b;
        }
        for (a, b) in self.window_amount.iter_mut().zip(o.window_amount) {
            *a += b;
        }
        for (a, b) in self.by_status.iter_mut().zip(o.by_status) {
            *a += b;
        }
        self.due_terms += o.due_terms;
        self.renewed_terms += o.renewed_terms;
        self.open_terms += o.open_terms;
        self.lost_terms += o.lost_terms;
        self.lost_amount += o.lost_amount;
        self.lapsed_terms += o.lapsed_terms;
        self.suspended_terms += o.suspended_terms;
        self.due_amount += o.due_amount;
        self.renewed_amount += o.renewed_amount;
        for (a, b) in self.reasons.iter_mut().zip(o.reasons) {
            a.count += b.count;
            a.amount += b.amount;
        }
    }
}

impl Figures {
    /// A due current term (not renewed through `renewal_of`) with its
    /// effective status, into the renewal block: the same rule as
    /// `outcomes`' rows.
    fn count_due(&mut self, status: Status, amount: Cents) {
        self.due_terms += 1;
        self.due_amount += amount;
        let outcome = Outcome::of(status);
        match outcome {
            Outcome::Open => self.open_terms += 1,
            Outcome::Lapsed => self.lapsed_terms += 1,
            Outcome::Suspended => self.suspended_terms += 1,
            Outcome::NotRenewing | Outcome::Renewed => {}
        }
        if outcome.is_lost() {
            self.lost_terms += 1;
            self.lost_amount += amount;
        }
    }

    /// A due term closed as renewed, into the renewal block.
    fn count_renewed(&mut self, amount: Cents, new_amount: Cents) {
        self.due_terms += 1;
        self.renewed_terms += 1;
        self.due_amount += amount;
        self.renewed_amount += new_amount;
    }

    /// The `renewal` block of the JSON (`stats`, and each row of
    /// `stats --series`).
    pub fn renewal_json(&self, period: Period) -> Value {
        json!({
            "from": iso(period.from),
            "to": iso(period.to),
            "due_terms": self.due_terms,
            "renewed_terms": self.renewed_terms,
            "open_terms": self.open_terms,
            "due_customers": self.due_customers,
            "renewed_customers": self.renewed_customers,
            "logo_rate": self.logo_rate(),
            "due_amount": yuan(self.due_amount),
            "renewed_amount": yuan(self.renewed_amount),
            "amount_rate": self.amount_rate(),
            "lost_terms": self.lost_terms,
            "lapsed_terms": self.lapsed_terms,
            "lost_amount": yuan(self.lost_amount),
            "suspended_terms": self.suspended_terms,
        })
    }
}

impl Touch {
    pub fn rate(&self) -> Option<f64> {
        TOUCH_RATE.value(self)
    }
}

/// The result: figures over everything, and per group with `--by`.
#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    pub as_of: NaiveDate,
    pub period: Period,
    pub by: Option<Dim>,
    pub total: Figures,
    /// Group name and figures, in name order.
    pub groups: Vec<(String, Figures)>,
}

/// A customer as the fold needs it: its CSM and its group, as indexes
/// into the name tables, and whether it was followed up in the period.
#[derive(Clone, Copy, Debug, Default)]
pub struct CustomerKey {
    pub csm: u32,
    pub group: u32,
    pub touched: bool,
}

// Per customer and slot (the total, and each service type with `--by
// service_type`), packed in a byte: the worst window, three flags, and
// the worst known band (`Band` as a number, unknown the largest).
const WORST: u8 = 0b0000_0111;
const NO_WINDOW: u8 = 7;
const PRESENT: u8 = 1 << 3;
const DUE: u8 = 1 << 4;
const RENEWED: u8 = 1 << 5;
const BAND_SHIFT: u8 = 6;
const BAND: u8 = 0b1100_0000;
const EMPTY: u8 = NO_WINDOW | (Band::Unknown as u8) << BAND_SHIFT;

fn band_of(s: u8) -> u8 {
    (s & BAND) >> BAND_SHIFT
}

/// What the scans of `db::stats` fold services and renewed terms into:
/// the dashboard's `Fold`, or a series' (`series::SeriesFold`). Two
/// threads fold halves into two of them, merged after.
pub trait Sink: Send {
    /// A service's current term.
    fn service(
        &mut self,
        c: u32,
        t: ServiceType,
        expiry: NaiveDate,
        amount: Option<Cents>,
        stored: Status,
        reason: Option<Reason>,
    );
    /// The band of a service of customer `c` with type `t`.
    fn band(&mut self, c: u32, t: ServiceType, band: Band);
    /// A term closed as renewed, of a service of customer `c`.
    fn renewed_term(
        &mut self,
        c: u32,
        t: ServiceType,
        expiry: NaiveDate,
        amount: Option<Cents>,
        new_amount: Option<Cents>,
    );
    /// One of the same shape with nothing in it, for another thread.
    fn empty_like(&self) -> Self;
    /// Adds what another thread folded (over other services).
    fn merge(&mut self, other: Self);
}

impl Sink for Fold {
    fn service(
        &mut self,
        c: u32,
        t: ServiceType,
        expiry: NaiveDate,
        amount: Option<Cents>,
        stored: Status,
        reason: Option<Reason>,
    ) {
        Fold::service(self, c, t, expiry, amount, stored, reason)
    }
    fn band(&mut self, c: u32, t: ServiceType, band: Band) {
        Fold::band(self, c, t, band)
    }
    fn renewed_term(
        &mut self,
        c: u32,
        t: ServiceType,
        expiry: NaiveDate,
        amount: Option<Cents>,
        new_amount: Option<Cents>,
    ) {
        Fold::renewed_term(self, c, t, expiry, amount, new_amount)
    }
    fn empty_like(&self) -> Self {
        Fold::empty_like(self)
    }
    fn merge(&mut self, other: Self) {
        Fold::merge(self, other)
    }
}

/// One pass over services and renewed terms, then one over customers.
pub struct Fold {
    at: AsOf,
    period: Period,
    by: Option<Dim>,
    customers: Vec<CustomerKey>,
    slots: usize,
    state: Vec<u8>,
    total: Figures,
    groups: Vec<Figures>,
}

fn window_index(w: Window) -> usize {
    w as usize
}

fn type_index(t: ServiceType) -> usize {
    t as usize
}

impl Fold {
    /// `group_names` is how many groups customers' `group` indexes span
    /// (ignored for `--by service_type`, whose groups are the types).
    pub fn new(
        at: AsOf,
        period: Period,
        by: Option<Dim>,
        customers: Vec<CustomerKey>,
        group_names: usize,
    ) -> Fold {
        let slots = if by == Some(Dim::ServiceType) { 4 } else { 1 };
        let n_groups = match by {
            None => 0,
            Some(Dim::ServiceType) => ServiceType::ALL.len(),
            Some(_) => group_names,
        };
        Fold {
            at,
            period,
            by,
            state: vec![EMPTY; customers.len() * slots],
            customers,
            slots,
            total: Figures::default(),
            groups: vec![Figures::default(); n_groups],
        }
    }

    /// A fold of the same shape with nothing in it, for another thread.
    pub fn empty_like(&self) -> Fold {
        Fold {
            at: self.at,
            period: self.period,
            by: self.by,
            customers: self.customers.clone(),
            slots: self.slots,
            state: vec![EMPTY; self.state.len()],
            total: Figures::default(),
            groups: vec![Figures::default(); self.groups.len()],
        }
    }

    /// Adds what another thread folded (over other services).
    pub fn merge(&mut self, other: Fold) {
        for (a, b) in self.state.iter_mut().zip(other.state) {
            let worst = (*a & WORST).min(b & WORST);
            let band = band_of(*a).min(band_of(b));
            *a = ((*a | b) & !(WORST | BAND)) | worst | band << BAND_SHIFT;
        }
        self.total.add(&other.total);
        for (a, b) in self.groups.iter_mut().zip(&other.groups) {
            a.add(b);
        }
    }

    /// The group of a service of customer `c` with type `t`, if split.
    fn group(&self, c: u32, t: ServiceType) -> Option<usize> {
        match self.by {
            None => None,
            Some(Dim::ServiceType) => Some(type_index(t)),
            Some(_) => Some(self.customers[c as usize].group as usize),
        }
    }

    /// The customer's state bytes this service touches: the total, and its
    /// type's slot when split by type.
    fn mark(&mut self, c: u32, t: ServiceType, f: impl Fn(u8) -> u8) {
        let base = c as usize * self.slots;
        self.state[base] = f(self.state[base]);
        if self.slots > 1 {
            let i = base + 1 + type_index(t);
            self.state[i] = f(self.state[i]);
        }
    }

    fn each(&mut self, c: u32, t: ServiceType, f: impl Fn(&mut Figures)) {
        f(&mut self.total);
        if let Some(g) = self.group(c, t) {
            f(&mut self.groups[g]);
        }
    }

    /// A service's current term.
    pub fn service(
        &mut self,
        c: u32,
        t: ServiceType,
        expiry: NaiveDate,
        amount: Option<Cents>,
        stored: Status,
        reason: Option<Reason>,
    ) {
        let amount = amount.unwrap_or_default();
        let left = days_left(expiry, self.at.today);
        let window = Window::from_days_left(left);
        let status = Status::effective_on(stored, left, self.at.grace_days);
        let renewed = status == Status::Renewed;
        // A term renewed through `renewal_of` is counted from `terms`.
        let due = !renewed && self.period.contains(expiry);

        let wi = window_index(window);
        self.each(c, t, |f| {
            f.services.add(amount);
            f.by_type[type_index(t)] += 1;
            f.by_window[wi] += 1;
            f.window_amount[wi] += amount;
            f.by_status[status as usize] += 1;
            if due {
                f.count_due(status, amount);
            }
            if status == Status::NotRenewing {
                f.reasons[reason.unwrap_or(Reason::Other) as usize].add(amount);
            }
        });
        self.mark(c, t, |s| {
            let mut s = s | PRESENT;
            if !renewed && (wi as u8) < (s & WORST) {
                s = (s & !WORST) | wi as u8;
            }
            if due {
                s |= DUE;
            }
            s
        });
    }

    /// The band of a service of customer `c` with type `t` (a service
    /// whose band is not given is unknown): the customer's is the worst
    /// known of its services' (`Band::worst_known`).
    pub fn band(&mut self, c: u32, t: ServiceType, band: Band) {
        self.mark(c, t, |s| {
            let worst = band_of(s).min(band as u8);
            (s & !BAND) | worst << BAND_SHIFT
        });
    }

    /// A term closed as renewed, of a service of customer `c`.
    pub fn renewed_term(
        &mut self,
        c: u32,
        t: ServiceType,
        expiry: NaiveDate,
        amount: Option<Cents>,
        new_amount: Option<Cents>,
    ) {
        if !self.period.contains(expiry) {
            return;
        }
        let (amount, new_amount) = (amount.unwrap_or_default(), new_amount.unwrap_or_default());
        self.each(c, t, |f| f.count_renewed(amount, new_amount));
        self.mark(c, t, |s| s | DUE | RENEWED);
    }

    /// Customer counts and touch rates, then the result. `csm_names` and
    /// `group_names` are the name tables the keys index.
    pub fn finish(mut self, csm_names: &[String], group_names: &[String]) -> Stats {
        let mut total_touch = vec![Touch::default(); csm_names.len()];
        let mut group_touch = vec![vec![Touch::default(); csm_names.len()]; self.groups.len()];
        for (c, key) in self.customers.iter().enumerate() {
            for slot in 0..self.slots {
                let s = self.state[c * self.slots + slot];
                if s & PRESENT == 0 {
                    continue;
                }
                let (f, touch) = match (slot, self.by) {
                    (0, _) => (&mut self.total, &mut total_touch),
                    (t, _) => (&mut self.groups[t - 1], &mut group_touch[t - 1]),
                };
                count_customer(f, &mut touch[key.csm as usize], s, key.touched);
                if slot == 0 && self.slots == 1 && self.by.is_some() {
                    let g = key.group as usize;
                    count_customer(
                        &mut self.groups[g],
                        &mut group_touch[g][key.csm as usize],
                        s,
                        key.touched,
                    );
                }
            }
        }
        self.total.touch = named(&total_touch, csm_names);
        for (f, t) in self.groups.iter_mut().zip(&group_touch) {
            f.touch = named(t, csm_names);
        }
        let names: Vec<String> = match self.by {
            Some(Dim::ServiceType) => ServiceType::ALL
                .iter()
                .map(|t| t.id().to_string())
                .collect(),
            _ => group_names.to_vec(),
        };
        let mut groups: Vec<(String, Figures)> = names
            .into_iter()
            .zip(self.groups)
            .filter(|(_, f)| f.services.count > 0 || f.due_terms > 0)
            .collect();
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        Stats {
            as_of: self.at.today,
            period: self.period,
            by: self.by,
            total: self.total,
            groups,
        }
    }
}

fn count_customer(f: &mut Figures, touch: &mut Touch, s: u8, touched: bool) {
    f.customers += 1;
    f.customers_by_band[band_of(s) as usize] += 1;
    let worst = s & WORST;
    if worst != NO_WINDOW {
        f.customers_by_window[worst as usize] += 1;
    }
    if s & DUE != 0 {
        f.due_customers += 1;
    }
    if s & RENEWED != 0 {
        f.renewed_customers += 1;
    }
    touch.customers += 1;
    if touched {
        touch.touched += 1;
    }
}

fn named(t: &[Touch], names: &[String]) -> Vec<(String, Touch)> {
    let mut v: Vec<(String, Touch)> = names
        .iter()
        .cloned()
        .zip(t.iter().copied())
        .filter(|(_, t)| t.customers > 0)
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn yuan(c: Cents) -> Value {
    json!(c.yuan())
}

fn keyed<T: Copy>(all: &[T], id: fn(T) -> &'static str, value: impl Fn(usize) -> Value) -> Value {
    Value::Object(
        all.iter()
            .enumerate()
            .map(|(i, &v)| (id(v).to_string(), value(i)))
            .collect::<Map<_, _>>(),
    )
}

impl Figures {
    /// The SPEC's shape, without `as_of` and `groups`.
    pub fn to_json(&self, period: Period) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert(
            "services".into(),
            json!({
                "total": self.services.count,
                "amount": yuan(self.services.amount),
                "by_type": keyed(ServiceType::ALL, ServiceType::id, |i| json!(self.by_type[i])),
                "by_window": keyed(Window::ALL, Window::id, |i| json!(self.by_window[i])),
                "by_status": keyed(Status::ALL, Status::id, |i| json!(self.by_status[i])),
            }),
        );
        m.insert(
            "customers".into(),
            json!({
                "total": self.customers,
                "by_window": keyed(Window::ALL, Window::id, |i| json!(self.customers_by_window[i])),
            }),
        );
        m.insert("renewal".into(), self.renewal_json(period));
        m.insert(
            "reasons".into(),
            keyed(
                Reason::ALL,
                Reason::id,
                |i| json!({"count": self.reasons[i].count, "amount": yuan(self.reasons[i].amount)}),
            ),
        );
        m.insert(
            "touch".into(),
            Value::Object(
                self.touch
                    .iter()
                    .map(|(csm, t)| {
                        (
                            csm.clone(),
                            json!({"customers": t.customers, "touched": t.touched, "rate": t.rate()}),
                        )
                    })
                    .collect(),
            ),
        );
        let by_band = |b: Band| json!(self.customers_by_band[b as usize]);
        m.insert(
            "health".into(),
            json!({
                "customers": {
                    "healthy": by_band(Band::Healthy),
                    "fair": by_band(Band::Fair),
                    "danger": by_band(Band::Danger),
                    "unknown": by_band(Band::Unknown),
                },
                "healthy_rate": self.healthy_rate(),
            }),
        );
        if let Some(kpi) = explain::kpi_block(RATIOS, self) {
            m.insert("kpi".into(), kpi);
        }
        m
    }
}

impl Stats {
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("as_of".into(), json!(iso(self.as_of)));
        m.extend(self.total.to_json(self.period));
        if self.by.is_some() {
            m.insert(
                "groups".into(),
                Value::Object(
                    self.groups
                        .iter()
                        .map(|(name, f)| (name.clone(), Value::Object(f.to_json(self.period))))
                        .collect(),
                ),
            );
        }
        Value::Object(m)
    }

    /// Long format for spreadsheets: (group, figure, value), the totals
    /// under `(all)` first. Figures are the JSON paths, dotted.
    pub fn long_rows(&self) -> Vec<(String, String, Value)> {
        let mut out = Vec::new();
        let mut push = |group: &str, f: &Figures| {
            flatten(
                "",
                &Value::Object(f.to_json(self.period)),
                &mut |path, v| {
                    out.push((group.to_string(), path, v));
                },
            );
        };
        push(ALL, &self.total);
        for (name, f) in &self.groups {
            push(name, f);
        }
        out
    }
}

impl Stats {
    /// The `renewal` block counted from the cohort's rows (`outcomes`), in
    /// the total and each group: when a customer's attributes changed, a
    /// term counts for the ones it had on its expiry day (rule 5), which
    /// the one-pass fold over current customers cannot know.
    pub fn recount_cohort(&mut self, rows: &[OutcomeRow]) {
        let by = self.by;
        let key = |r: &OutcomeRow| cohort_key(by, r);
        count_cohort(&mut self.total, rows.iter());
        if by.is_none() {
            return;
        }
        for name in rows.iter().filter_map(key) {
            if !self.groups.iter().any(|(n, _)| *n == name) {
                self.groups.push((name, Figures::default()));
            }
        }
        for (name, f) in &mut self.groups {
            count_cohort(
                f,
                rows.iter()
                    .filter(|r| key(r).as_deref() == Some(name.as_str())),
            );
        }
        self.groups.sort_by(|a, b| a.0.cmp(&b.0));
    }
}

/// The group a cohort row counts in with a split by `by`.
fn cohort_key(by: Option<Dim>, r: &OutcomeRow) -> Option<String> {
    match by {
        None => None,
        Some(Dim::ServiceType) => Some(r.service_type.id().to_string()),
        Some(_) => Some(r.group.clone().unwrap_or_else(|| NO_VALUE.to_string())),
    }
}

/// The renewal figures of these rows, replacing what the fold counted.
fn count_cohort<'a>(f: &mut Figures, rows: impl Iterator<Item = &'a OutcomeRow>) {
    let (mut due, mut renewed) = (Vec::new(), Vec::new());
    f.due_terms = 0;
    f.renewed_terms = 0;
    f.open_terms = 0;
    f.lost_terms = 0;
    f.lapsed_terms = 0;
    f.suspended_terms = 0;
    f.due_amount = Cents(0);
    f.renewed_amount = Cents(0);
    f.lost_amount = Cents(0);
    for r in rows {
        let amount = r.amount.unwrap_or_default();
        f.due_terms += 1;
        f.due_amount += amount;
        due.push(r.customer_id.as_str());
        match r.outcome {
            Outcome::Renewed => {
                f.renewed_terms += 1;
                f.renewed_amount += r.new_amount.unwrap_or_default();
                renewed.push(r.customer_id.as_str());
            }
            Outcome::Open => f.open_terms += 1,
            Outcome::Lapsed => f.lapsed_terms += 1,
            Outcome::Suspended => f.suspended_terms += 1,
            Outcome::NotRenewing => {}
        }
        if r.outcome.is_lost() {
            f.lost_terms += 1;
            f.lost_amount += amount;
        }
    }
    let distinct = |mut v: Vec<&str>| {
        v.sort_unstable();
        v.dedup();
        v.len() as u64
    };
    f.due_customers = distinct(due);
    f.renewed_customers = distinct(renewed);
}

/// The totals' group name in long format.
pub const ALL: &str = "(all)";

fn flatten(prefix: &str, v: &Value, out: &mut dyn FnMut(String, Value)) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, v, out);
            }
        }
        other => out(prefix.to_string(), other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::Lang;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const TODAY: &str = "2026-11-23";

    fn fold(by: Option<Dim>, customers: Vec<CustomerKey>, groups: usize) -> Fold {
        Fold::new(
            AsOf::with_defaults(d(TODAY)),
            Period::year_to(d(TODAY)),
            by,
            customers,
            groups,
        )
    }

    fn key(csm: u32, group: u32, touched: bool) -> CustomerKey {
        CustomerKey {
            csm,
            group,
            touched,
        }
    }

    fn yuan(n: i64) -> Option<Cents> {
        Some(Cents::from(n * 100))
    }

    #[test]
    fn dashboard_headers_come_from_their_enums_and_the_registry() {
        assert_eq!(header_zh("csm"), Some("客户经营接口人"));
        assert_eq!(header_zh("distributor"), Some("总代业绩类型"));
        assert_eq!(header_zh("within_30"), Some("30天内过期"));
        assert_eq!(header_zh("renewed"), Some("已续费"));
        assert_eq!(header_zh("amount"), Some("金额"));
        assert_eq!(header_zh("logo_rate"), Some("续约率"));
        assert_eq!(header_zh("colour"), None);
    }

    #[test]
    fn split_labels_are_the_columns_labels() {
        for &d in Dim::ALL {
            match d.column() {
                Some(c) => assert_eq!(d.label_zh(), c.zh(), "{d}"),
                None => assert_eq!(d.label_zh(), Col::ServiceType.zh()),
            }
        }
    }

    #[test]
    fn the_default_period_is_the_twelve_months_ending_today() {
        let p = Period::year_to(d(TODAY));
        assert_eq!((p.from, p.to), (d("2025-11-24"), d("2026-11-23")));
        assert!(p.contains(d("2025-11-24")) && p.contains(d("2026-11-23")));
        assert!(!p.contains(d("2025-11-23")) && !p.contains(d("2026-11-24")));
        let leap = Period::year_to(d("2028-02-29"));
        assert_eq!(leap.from, d("2027-03-01"));
    }

    #[test]
    fn an_empty_fold_has_null_rates_and_every_key() {
        let s = fold(None, vec![], 0).finish(&[], &[]);
        let j = s.to_json();
        assert_eq!(j["renewal"]["logo_rate"], Value::Null);
        assert_eq!(j["renewal"]["amount_rate"], Value::Null);
        assert_eq!(j["services"]["total"], 0);
        assert_eq!(j["reasons"].as_object().unwrap().len(), 6);
        assert_eq!(j["services"]["by_status"].as_object().unwrap().len(), 10);
        for key in [
            "lost_terms",
            "lapsed_terms",
            "lost_amount",
            "suspended_terms",
        ] {
            assert_eq!(j["renewal"][key].as_f64(), Some(0.0), "{key}");
        }
        assert_eq!(j["renewal"]["from"], "2025-11-24");
        assert!(j.get("groups").is_none());
    }

    /// Two customers of two CSMs:
    /// C0 (张伟, touched): S1 expired 2026-10-01 not_renewing/budget 100,
    ///   S2 2026-12-10 at_risk 200, a renewed term 2026-03-01 300 → 450.
    /// C1 (王芳): S3 2027-06-01 none 1000, S4 renewed via renewal_of
    ///   (current expiry 2026-05-01, its term counted once) 50 → 80.
    fn sample(by: Option<Dim>) -> Stats {
        let mut f = fold(by, vec![key(0, 0, true), key(1, 1, false)], 2);
        let st = ServiceType::Subscription;
        f.service(
            0,
            st,
            d("2026-10-01"),
            yuan(100),
            Status::NotRenewing,
            Some(Reason::Budget),
        );
        f.service(
            0,
            ServiceType::Basic,
            d("2026-12-10"),
            yuan(200),
            Status::AtRisk,
            None,
        );
        f.renewed_term(0, st, d("2026-03-01"), yuan(300), yuan(450));
        f.service(1, st, d("2027-06-01"), yuan(1000), Status::Unset, None);
        f.service(1, st, d("2026-05-01"), yuan(50), Status::Renewed, None);
        f.renewed_term(1, st, d("2026-05-01"), yuan(50), yuan(80));
        // Outside the cohort: ignored.
        f.renewed_term(1, st, d("2025-11-23"), yuan(7), yuan(7));
        f.finish(&["张伟".into(), "王芳".into()], &["KA".into(), "B".into()])
    }

    #[test]
    fn every_figure_of_a_hand_counted_sample() {
        let s = sample(None);
        let t = &s.total;
        assert_eq!(
            t.services,
            Tally {
                count: 4,
                amount: Cents(135_000)
            }
        );
        assert_eq!(t.by_type, [3, 0, 1]);
        // expired: S1, S4; within_30: S2; normal: S3.
        assert_eq!(t.by_window, [2, 1, 0, 1]);
        assert_eq!(t.by_status[Status::NotRenewing as usize], 1);
        assert_eq!(t.by_status[Status::AtRisk as usize], 1);
        assert_eq!(t.by_status[Status::Unset as usize], 1);
        assert_eq!(t.by_status[Status::Renewed as usize], 1);
        assert_eq!(t.customers, 2);
        // C0's worst is expired; C1's renewed S4 is left out: normal.
        assert_eq!(t.customers_by_window, [1, 0, 0, 1]);
        // Due: S1 (2026-10-01), C0's renewed term, C1's renewed term.
        assert_eq!((t.due_terms, t.renewed_terms, t.open_terms), (3, 2, 0));
        assert_eq!((t.due_customers, t.renewed_customers), (2, 2));
        assert_eq!(t.logo_rate(), Some(1.0));
        assert_eq!(t.due_amount, Cents(45_000));
        assert_eq!(t.renewed_amount, Cents(53_000));
        // Renewed above due: the amount rate passes 1.
        assert_eq!(t.amount_rate(), Some(530.0 / 450.0));
        assert_eq!(
            t.reasons[Reason::Budget as usize],
            Tally {
                count: 1,
                amount: Cents(10_000)
            }
        );
        assert_eq!(
            t.touch,
            [
                (
                    "张伟".to_string(),
                    Touch {
                        customers: 1,
                        touched: 1
                    }
                ),
                (
                    "王芳".to_string(),
                    Touch {
                        customers: 1,
                        touched: 0
                    }
                ),
            ]
        );
        assert_eq!(t.touch[1].1.rate(), Some(0.0));
    }

    #[test]
    fn two_halves_merged_equal_one_pass() {
        let keys = vec![key(0, 0, true), key(1, 1, false)];
        let st = ServiceType::Subscription;
        let rows = [
            (0, st, "2026-10-01", 100, Status::NotRenewing),
            (0, ServiceType::Basic, "2026-12-10", 200, Status::AtRisk),
            (1, st, "2027-06-01", 1000, Status::Unset),
            (1, st, "2026-05-01", 50, Status::Renewed),
            (0, st, "2027-01-05", 70, Status::Unset),
        ];
        for by in [None, Some(Dim::Tier), Some(Dim::ServiceType)] {
            let mut one = fold(by, keys.clone(), 2);
            let mut a = fold(by, keys.clone(), 2);
            let mut b = a.empty_like();
            for (i, &(c, t, e, amt, s)) in rows.iter().enumerate() {
                one.service(c, t, d(e), yuan(amt), s, Some(Reason::Budget));
                let half = if i % 2 == 0 { &mut a } else { &mut b };
                half.service(c, t, d(e), yuan(amt), s, Some(Reason::Budget));
            }
            a.merge(b);
            let names = ["张伟".to_string(), "王芳".to_string()];
            let groups = ["KA".to_string(), "B".to_string()];
            assert_eq!(
                a.finish(&names, &groups),
                one.finish(&names, &groups),
                "{by:?}"
            );
        }
    }

    #[test]
    fn customers_by_band_and_the_healthy_rate() {
        // C0: healthy + unknown → healthy; C1: fair + danger → danger;
        // C2: only unknown; C3: healthy (a managed service).
        let keys = vec![
            key(0, 0, false),
            key(0, 1, false),
            key(1, 1, false),
            key(1, 0, false),
        ];
        let (sub, man) = (ServiceType::Subscription, ServiceType::Managed);
        let rows = [
            (0, sub, Some(Band::Healthy)),
            (0, sub, None),
            (1, sub, Some(Band::Fair)),
            (1, man, Some(Band::Danger)),
            (2, sub, Some(Band::Unknown)),
            (3, man, Some(Band::Healthy)),
        ];
        for by in [None, Some(Dim::Tier), Some(Dim::ServiceType)] {
            let mut one = fold(by, keys.clone(), 2);
            let mut a = fold(by, keys.clone(), 2);
            let mut b = a.empty_like();
            for (i, &(c, t, band)) in rows.iter().enumerate() {
                for f in [&mut one, if i % 2 == 0 { &mut a } else { &mut b }] {
                    f.service(c, t, d("2027-06-01"), yuan(1), Status::Unset, None);
                    if let Some(band) = band {
                        f.band(c, t, band);
                    }
                }
            }
            a.merge(b);
            let names = ["x".to_string(), "y".to_string()];
            let one = one.finish(&names, &names);
            assert_eq!(a.finish(&names, &names), one, "{by:?}: halves merge");
            // danger, fair, healthy, unknown.
            assert_eq!(one.total.customers_by_band, [1, 0, 2, 1], "{by:?}");
            assert_eq!(one.total.rated_customers(), 3);
            assert_eq!(one.total.healthy_rate(), Some(2.0 / 3.0));
            let j = one.to_json();
            assert_eq!(
                j["health"],
                json!({"customers": {"healthy": 2, "fair": 0, "danger": 1, "unknown": 1},
                       "healthy_rate": 2.0 / 3.0})
            );
            let by_group = |name: &str| {
                one.groups
                    .iter()
                    .find(|(n, _)| n == name)
                    .unwrap()
                    .1
                    .customers_by_band
            };
            match by {
                // x: C0, C3 (healthy both); y: C1 (danger), C2 (unknown).
                Some(Dim::Tier) => {
                    assert_eq!(by_group("x"), [0, 0, 2, 0]);
                    assert_eq!(by_group("y"), [1, 0, 0, 1]);
                }
                // Per type: C1's subscription is fair, its managed danger.
                Some(Dim::ServiceType) => {
                    assert_eq!(by_group("subscription"), [0, 1, 1, 1]);
                    assert_eq!(by_group("managed"), [1, 0, 1, 0]);
                }
                _ => {}
            }
        }
        let none = fold(None, vec![key(0, 0, false)], 1).finish(&["x".into()], &["g".into()]);
        assert_eq!(none.total.healthy_rate(), None, "no customer with usage");
        assert_eq!(none.to_json()["health"]["healthy_rate"], Value::Null);
    }

    #[test]
    fn open_terms_are_due_terms_neither_renewed_nor_lost() {
        let mut f = fold(None, vec![key(0, 0, false)], 1);
        let st = ServiceType::Managed;
        f.service(0, st, d("2026-11-20"), yuan(1), Status::Unset, None); // pending
        f.service(0, st, d("2026-11-21"), yuan(1), Status::Renewing, None);
        f.service(0, st, d("2026-11-22"), yuan(1), Status::Suspended, None);
        f.service(0, st, d("2026-11-24"), yuan(1), Status::Unset, None); // after `to`
        let s = f.finish(&["x".into()], &["g".into()]);
        assert_eq!((s.total.due_terms, s.total.open_terms), (3, 2));
        assert_eq!((s.total.suspended_terms, s.total.lost_terms), (1, 0));
        assert_eq!(s.total.renewed_customers, 0);
        assert_eq!(s.total.logo_rate(), Some(0.0));
    }

    #[test]
    fn splits_add_up_to_the_totals() {
        for by in [Dim::Tier, Dim::Csm, Dim::ServiceType] {
            let s = sample(Some(by));
            let sum = |g: fn(&Figures) -> u64| s.groups.iter().map(|(_, f)| g(f)).sum::<u64>();
            assert_eq!(sum(|f| f.services.count), s.total.services.count, "{by}");
            assert_eq!(
                s.groups
                    .iter()
                    .map(|(_, f)| f.services.amount.0)
                    .sum::<i128>(),
                s.total.services.amount.0
            );
            assert_eq!(sum(|f| f.due_terms), s.total.due_terms, "{by}");
            assert_eq!(sum(|f| f.renewed_terms), s.total.renewed_terms, "{by}");
            assert_eq!(
                s.groups
                    .iter()
                    .map(|(_, f)| f.renewed_amount.0)
                    .sum::<i128>(),
                s.total.renewed_amount.0
            );
        }
        let s = sample(Some(Dim::Tier));
        let names: Vec<&str> = s.groups.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["B", "KA"]);
        let ka = &s.groups[1].1;
        assert_eq!(
            (ka.customers, ka.due_customers, ka.renewed_customers),
            (1, 1, 1)
        );
        assert_eq!(
            ka.touch,
            [(
                "张伟".to_string(),
                Touch {
                    customers: 1,
                    touched: 1
                }
            )]
        );
        // By type a customer counts in every type it has.
        let s = sample(Some(Dim::ServiceType));
        let names: Vec<&str> = s.groups.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["basic", "subscription"]);
        assert_eq!(s.groups[0].1.customers, 1);
        assert_eq!(s.groups[1].1.customers, 2);
        assert_eq!(s.groups[0].1.customers_by_window, [0, 1, 0, 0]);
    }

    /// The value at a dotted JSON path (`renewal.logo_rate`).
    fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
        path.split('.').fold(v, |v, k| &v[k])
    }

    #[test]
    fn every_rate_is_in_the_json_where_its_figure_says() {
        let empty = fold(None, vec![key(0, 0, false)], 1).finish(&["x".into()], &["g".into()]);
        for s in [sample(None), sample(Some(Dim::Tier)), empty] {
            let j = s.to_json();
            for r in RATIOS {
                assert_eq!(at(&j, r.figure), &json!(r.value(&s.total)), "{}", r.figure);
            }
            for (csm, t) in &s.total.touch {
                let path = TOUCH_RATE.figure.replace("{}", csm);
                assert_eq!(at(&j, &path), &json!(t.rate()), "{path}");
            }
            // Each KPI: its rate (null on 0 / 0) and its counts.
            for r in KPIS {
                let key = r.figure.strip_prefix("kpi.").unwrap();
                let (n, d) = r.counts(&s.total);
                assert_eq!(j["kpi"]["counts"][key], json!([n.to_json(), d.to_json()]));
            }
        }
    }

    #[test]
    fn explain_works_out_every_rate_the_json_holds() {
        let s = sample(Some(Dim::Tier));
        let j = s.to_json_explained();
        let plain = s.to_json();
        let check = |block: &Value, of: &Value, f: &Figures| {
            let ex = block["explain"].as_array().unwrap();
            assert_eq!(ex.len(), RATIOS.len() + f.touch.len());
            for e in ex {
                let figure = e["figure"].as_str().unwrap();
                assert_eq!(&e["value"], at(of, figure), "{figure}");
            }
        };
        check(&j, &plain, &s.total);
        for (name, f) in &s.groups {
            check(&j["groups"][name], &plain["groups"][name], f);
        }
        // C0 and C1 both renewed: 2 / 2; amounts 530 over 450 yuan.
        assert_eq!(
            j["explain"][0],
            json!({"figure": "renewal.logo_rate", "formula": "renewed customers / due customers",
                   "numerator": 2, "denominator": 2, "value": 1.0})
        );
        assert_eq!(j["explain"][1]["numerator"], 530.0);
        assert_eq!(j["explain"][1]["denominator"], 450.0);
        // No band known: a zero denominator is null, not NaN.
        assert_eq!(
            j["explain"][2],
            json!({"figure": "health.healthy_rate",
                   "formula": "healthy customers / customers with a known band",
                   "numerator": 0, "denominator": 0, "value": null})
        );
        let touch = 3 + KPIS.len();
        assert_eq!(j["explain"][3]["figure"], "kpi.risk_completion");
        assert_eq!(j["explain"][3]["value"], Value::Null, "no risk raised");
        assert_eq!(j["explain"][touch]["figure"], "touch.张伟.rate");
        let rows = s.explain_rows();
        assert_eq!(rows[0].0, ALL);
        assert_eq!(rows.len(), 1 + s.groups.len());
        assert_eq!(rows[0].1[0].label(Lang::Zh), "续约率");
        assert_eq!(rows[0].1[touch].label(Lang::En), "touch_rate 张伟");
    }

    /// A KPI to come (seed 001's, a count over a count) is one `Ratio`:
    /// its value and counts land in `kpi` as the SPEC shapes it.
    #[test]
    fn a_kpi_plugs_in_as_one_ratio() {
        const LOSS: Ratio<Figures> = Ratio {
            figure: "kpi.loss",
            name: Words {
                en: "loss",
                zh: "流失率",
            },
            num: Part {
                words: Words {
                    en: "lost terms",
                    zh: "流失",
                },
                of: |f| Quantity::Count(f.lost_terms),
            },
            den: Part {
                words: Words {
                    en: "due terms",
                    zh: "到期",
                },
                of: |f| Quantity::Count(f.due_terms),
            },
        };
        let s = sample(None);
        assert_eq!(
            explain::kpi_block(&[&LOGO_RATE, &LOSS], &s.total),
            Some(json!({"loss": 1.0 / 3.0, "counts": {"loss": [1, 3]}}))
        );
        let empty = Figures::default();
        assert_eq!(
            explain::kpi_block(&[&LOSS], &empty),
            Some(json!({"loss": null, "counts": {"loss": [0, 0]}}))
        );
        assert_eq!(
            LOSS.explain(&s.total, None).formula(Lang::Zh),
            "流失 / 到期"
        );
    }

    #[test]
    fn json_and_long_rows_carry_the_same_figures() {
        let s = sample(Some(Dim::Csm));
        let j = s.to_json();
        assert_eq!(j["renewal"]["renewed_amount"], 530.0);
        assert_eq!(j["groups"]["KA"]["renewal"]["logo_rate"], 1.0);
        assert_eq!(j["touch"]["王芳"]["rate"], 0.0);
        let rows = s.long_rows();
        assert!(rows.contains(&(ALL.into(), "renewal.due_terms".into(), json!(3))));
        // The sample names its groups KA (C0) and B (C1).
        assert!(rows.contains(&("B".into(), "services.total".into(), json!(2))));
        assert!(rows.contains(&("KA".into(), "reasons.budget.amount".into(), json!(100.0))));
        assert!(rows.contains(&("B".into(), "touch.王芳.rate".into(), json!(0.0))));
    }
}
