//! Health (健康度) from usage: indicators, a score calibrated on terms that
//! renewed, bands, and how well the score predicted (SPEC "Usage and
//! health"). Pure: the rows come from `db::health`.

use chrono::NaiveDate;

use crate::spelling::labelled_enum;

labelled_enum!(
    /// A service's health band. `Unknown`: no usage at most 45 days old,
    /// or no calibration yet.
    Band, "health band", "健康度等级", {
        Danger = "danger", "危险";
        Fair = "fair", "一般";
        Healthy = "healthy", "健康";
        Unknown = "unknown", "未知";
    }
);

impl Band {
    /// A customer's band from two of its services' (fold with it, from
    /// `Unknown`): the worst known band (danger, then fair, then healthy),
    /// `Unknown` only when every service's is. A service without usage
    /// says nothing about the customer: it neither hides another's danger
    /// nor makes a healthy customer look unknown.
    pub fn worst_known(self, other: Band) -> Band {
        // The declaration order is that ranking, unknown last.
        self.min(other)
    }

    /// Whether the band says something (usage and a calibration).
    pub fn is_known(self) -> bool {
        self != Band::Unknown
    }
}

labelled_enum!(
    /// What health is computed from, in the order of the weights setting.
    Indicator, "indicator", "健康度指标", {
        ActiveRatio = "active_ratio", "活跃率";
        ActionsPerAccount = "actions_per_account", "人均核心操作";
        FeaturesUsed = "features_used", "使用功能数";
        ActiveTrend = "active_trend", "活跃率变化";
    }
);

/// The indicators as an array, for per-indicator arrays.
pub const INDICATORS: [Indicator; 4] = [
    Indicator::ActiveRatio,
    Indicator::ActionsPerAccount,
    Indicator::FeaturesUsed,
    Indicator::ActiveTrend,
];

/// Usage older than this many days says nothing about today.
pub const FRESH_DAYS: i64 = 45;
/// The trend compares with usage this many days before the latest row.
pub const TREND_DAYS: i64 = 90;
/// Calibration and backtest read each term this many days before expiry.
pub const LEAD_DAYS: i64 = 90;
/// Fewer renewed terms than this make no calibration.
pub const MIN_SAMPLE: usize = 30;

/// One usage row's metrics (SPEC "Usage and health").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Usage {
    pub day: Option<NaiveDate>,
    pub accounts: Option<i64>,
    pub active_users: Option<i64>,
    pub key_actions: Option<i64>,
    pub features_used: Option<i64>,
}

/// A service's indicators as of a day; `None` where unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Indicators {
    /// The day of the usage row they come from.
    pub day: Option<NaiveDate>,
    pub values: [Option<f64>; 4],
}

impl Indicators {
    /// From the latest usage row and the one about 90 days before it
    /// (`earlier`); `accounts` is the service's, used where a row has none.
    pub fn from_usage(
        latest: &Usage,
        earlier: Option<&Usage>,
        accounts: Option<i64>,
    ) -> Indicators {
        let ratio =
            |u: &Usage, n: Option<i64>| per_account(u.active_users, u.accounts.or(accounts).or(n));
        let now = ratio(latest, None);
        let before = earlier.and_then(|e| ratio(e, None));
        Indicators {
            day: latest.day,
            values: [
                now,
                per_account(latest.key_actions, latest.accounts.or(accounts)),
                latest.features_used.map(|n| n as f64),
                now.zip(before).map(|(a, b)| a - b),
            ],
        }
    }

    /// As of a service's latest usage row, from its rows in ascending day
    /// order (`rows` may start anywhere at least 135 days before the
    /// latest): the latest row, and for the trend the latest row on or
    /// before its day − 90 if at most 45 days older than that. The choice
    /// `db::health::indicators_on` makes in SQL as of a day after every
    /// row. None without rows.
    pub fn from_history(rows: &[Usage], accounts: Option<i64>) -> Option<Indicators> {
        let latest = rows.last()?;
        let earlier = latest.day.and_then(|day| {
            let back = day
                .checked_sub_days(chrono::Days::new(TREND_DAYS as u64))
                .unwrap_or(day);
            rows.iter()
                .rev()
                .find(|u| u.day.is_some_and(|d| d <= back))
                .filter(|e| e.day.is_some_and(|d| (back - d).num_days() <= FRESH_DAYS))
        });
        Some(Indicators::from_usage(latest, earlier, accounts))
    }

    pub fn get(&self, i: Indicator) -> Option<f64> {
        self.values[i as usize]
    }

    /// Unknown when no indicator is known, or the row is too old for `day`.
    pub fn fresh_on(self, day: NaiveDate) -> Option<Indicators> {
        let row = self.day?;
        let age = (day - row).num_days();
        ((0..=FRESH_DAYS).contains(&age) && self.values.iter().any(Option::is_some)).then_some(self)
    }
}

fn per_account(n: Option<i64>, accounts: Option<i64>) -> Option<f64> {
    match (n, accounts) {
        (Some(n), Some(a)) if a > 0 => Some(n as f64 / a as f64),
        _ => None,
    }
}

/// The share of `sorted` values that are ≤ `v`, in [0, 1]; `sorted` must
/// be ascending and non-empty.
pub fn percentile(sorted: &[f64], v: f64) -> f64 {
    let at_or_below = sorted.partition_point(|&x| x <= v);
    at_or_below as f64 / sorted.len() as f64
}

/// The `p`-th percentile (0–100) of ascending `sorted` by nearest rank:
/// the smallest value with at least p % of the sample at or below it.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let rank = ((p / 100.0) * n as f64).ceil() as usize;
    sorted[rank.clamp(1, n) - 1]
}

/// A numbered calibration: each indicator's distribution over the renewed
/// terms of its sample, the weights and the score thresholds of the bands.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    pub id: i64,
    pub made_at: String,
    pub as_of: NaiveDate,
    pub sample: usize,
    pub weights: [f64; 4],
    pub danger_pct: u32,
    pub fair_pct: u32,
    /// Ascending values of each indicator in the sample (empty: unknown
    /// for every term, and the indicator drops out).
    pub distributions: [Vec<f64>; 4],
    /// Scores below this are `danger`, below `fair_below` `fair`.
    pub danger_below: f64,
    pub fair_below: f64,
}

/// One indicator's part in a score, for `health explain`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Part {
    pub indicator: Indicator,
    pub value: Option<f64>,
    /// 0–100; None when the value or the distribution is unknown.
    pub percentile: Option<f64>,
    /// The weight after renormalising over the known indicators.
    pub weight: f64,
}

impl Calibration {
    /// Fits a calibration on the renewed terms' indicators: their
    /// distributions, then the band thresholds from their own scores.
    pub fn fit(
        sample: &[Indicators],
        as_of: NaiveDate,
        weights: [f64; 4],
        danger_pct: u32,
        fair_pct: u32,
    ) -> Result<Calibration, String> {
        if sample.len() < MIN_SAMPLE {
            return Err(crate::msg::health::too_few_renewed(
                sample.len(),
                as_of,
                MIN_SAMPLE,
            ));
        }
        let distributions = INDICATORS.map(|i| {
            let mut v: Vec<f64> = sample.iter().filter_map(|s| s.get(i)).collect();
            v.sort_by(f64::total_cmp);
            v
        });
        let mut c = Calibration {
            id: 0,
            made_at: String::new(),
            as_of,
            sample: sample.len(),
            weights,
            danger_pct,
            fair_pct,
            distributions,
            danger_below: 0.0,
            fair_below: 0.0,
        };
        let mut scores: Vec<f64> = sample.iter().filter_map(|s| c.score(s)).collect();
        if scores.is_empty() {
            return Err(crate::msg::health::no_usable_indicator());
        }
        scores.sort_by(f64::total_cmp);
        c.danger_below = quantile(&scores, f64::from(danger_pct));
        c.fair_below = quantile(&scores, f64::from(fair_pct));
        Ok(c)
    }

    /// Each indicator's value, percentile and renormalised weight.
    pub fn parts(&self, ind: &Indicators) -> [Part; 4] {
        let pct = |i: Indicator| {
            let d = &self.distributions[i as usize];
            let v = ind.get(i)?;
            (!d.is_empty() && self.weights[i as usize] > 0.0).then(|| 100.0 * percentile(d, v))
        };
        // Each percentile once: every row of a read is scored.
        let pcts = INDICATORS.map(pct);
        let known: f64 = INDICATORS
            .iter()
            .filter(|&&i| pcts[i as usize].is_some())
            .map(|&i| self.weights[i as usize])
            .sum();
        INDICATORS.map(|i| {
            let p = pcts[i as usize];
            Part {
                indicator: i,
                value: ind.get(i),
                percentile: p,
                weight: if p.is_some() && known > 0.0 {
                    self.weights[i as usize] / known
                } else {
                    0.0
                },
            }
        })
    }

    /// The score, 0–100: the weighted mean of the known indicators'
    /// percentiles; None when none is known.
    pub fn score(&self, ind: &Indicators) -> Option<f64> {
        let parts = self.parts(ind);
        parts.iter().any(|p| p.percentile.is_some()).then(|| {
            parts
                .iter()
                .map(|p| p.weight * p.percentile.unwrap_or(0.0))
                .sum()
        })
    }

    pub fn band_of(&self, score: Option<f64>) -> Band {
        match score {
            None => Band::Unknown,
            Some(s) if s < self.danger_below => Band::Danger,
            Some(s) if s < self.fair_below => Band::Fair,
            Some(_) => Band::Healthy,
        }
    }
}

/// A service's health as a read command shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Health {
    pub band: Band,
    pub score: Option<f64>,
}

impl Health {
    pub const UNKNOWN: Health = Health {
        band: Band::Unknown,
        score: None,
    };

    /// Health as of `day` from stored indicators, under `cal` (None: no
    /// calibration yet, so unknown).
    pub fn of(cal: Option<&Calibration>, ind: Option<Indicators>, day: NaiveDate) -> Health {
        let (Some(cal), Some(ind)) = (cal, ind.and_then(|i| i.fresh_on(day))) else {
            return Health::UNKNOWN;
        };
        let score = cal.score(&ind);
        Health {
            band: cal.band_of(score),
            score,
        }
    }
}

/// Parses the weights setting: four numbers, not all zero.
pub fn parse_weights(s: &str) -> Result<[f64; 4], String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| crate::msg::health::weights_not_numbers(s))?;
    let w: [f64; 4] = v
        .try_into()
        .map_err(|_| crate::msg::health::weights_not_four(s, indicator_ids()))?;
    if w.iter().any(|x| !x.is_finite() || *x < 0.0) || w.iter().all(|x| *x == 0.0) {
        return Err(crate::msg::health::weights_negative(s));
    }
    Ok(w)
}

fn indicator_ids() -> String {
    Indicator::ALL
        .iter()
        .map(|i| i.id())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The area under the ROC curve of `score` as a predictor of loss (a lower
/// score, a likelier loss): the share of (lost, renewed) pairs in which
/// the lost term scored lower, a tie counting half. None without both.
pub fn auc(lost: &[f64], renewed: &[f64]) -> Option<f64> {
    if lost.is_empty() || renewed.is_empty() {
        return None;
    }
    let mut r: Vec<f64> = renewed.to_vec();
    r.sort_by(f64::total_cmp);
    let wins: f64 = lost
        .iter()
        .map(|&l| {
            let above = r.len() - r.partition_point(|&x| x <= l);
            let ties = r.partition_point(|&x| x <= l) - r.partition_point(|&x| x < l);
            above as f64 + ties as f64 / 2.0
        })
        .sum();
    Some(wins / (lost.len() as f64 * renewed.len() as f64))
}

/// A closed term in a backtest: its health 90 days before expiry and
/// whether it was lost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Judged {
    pub health: Health,
    pub lost: bool,
}

/// Per band: terms, lost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BandCount {
    pub terms: u64,
    pub lost: u64,
}

impl BandCount {
    pub fn loss_rate(self) -> Option<f64> {
        (self.terms > 0).then(|| self.lost as f64 / self.terms as f64)
    }
}

/// `danger` as the warning "will be lost", against what happened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Confusion {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
    pub tn: u64,
}

/// What `health backtest` measures.
#[derive(Clone, Debug, PartialEq)]
pub struct Backtest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub calibration: Calibration,
    pub terms: u64,
    pub lost: u64,
    /// Terms of the period not closed yet (open or suspended as of the
    /// day): not judged, and a reason to read a recent period with care.
    pub not_judged: u64,
    /// In `Band::ALL` order.
    pub bands: [BandCount; 4],
    pub confusion: Confusion,
    pub auc: Option<f64>,
}

impl Backtest {
    /// Counts the judged terms. A term of unknown health is not warned
    /// about (it counts as "not danger" in the confusion matrix) and is
    /// left out of the AUC.
    pub fn count(
        from: NaiveDate,
        to: NaiveDate,
        calibration: Calibration,
        judged: &[Judged],
    ) -> Backtest {
        let mut bands = [BandCount::default(); 4];
        let mut confusion = Confusion::default();
        let (mut lost_scores, mut renewed_scores) = (vec![], vec![]);
        for j in judged {
            let b = &mut bands[j.health.band as usize];
            b.terms += 1;
            b.lost += u64::from(j.lost);
            let warned = j.health.band == Band::Danger;
            match (warned, j.lost) {
                (true, true) => confusion.tp += 1,
                (true, false) => confusion.fp += 1,
                (false, true) => confusion.fn_ += 1,
                (false, false) => confusion.tn += 1,
            }
            if let Some(s) = j.health.score {
                if j.lost {
                    lost_scores.push(s)
                } else {
                    renewed_scores.push(s)
                }
            }
        }
        Backtest {
            from,
            to,
            calibration,
            terms: judged.len() as u64,
            lost: judged.iter().filter(|j| j.lost).count() as u64,
            not_judged: 0,
            bands,
            confusion,
            auc: auc(&lost_scores, &renewed_scores),
        }
    }

    pub fn precision(&self) -> Option<f64> {
        let c = self.confusion;
        (c.tp + c.fp > 0).then(|| c.tp as f64 / (c.tp + c.fp) as f64)
    }

    pub fn recall(&self) -> Option<f64> {
        let c = self.confusion;
        (c.tp + c.fn_ > 0).then(|| c.tp as f64 / (c.tp + c.fn_) as f64)
    }

    /// The SPEC's JSON.
    pub fn to_json(&self) -> serde_json::Value {
        let bands: serde_json::Map<String, serde_json::Value> = Band::ALL
            .iter()
            .map(|&b| {
                let c = self.bands[b as usize];
                (
                    b.id().to_string(),
                    serde_json::json!({"terms": c.terms, "lost": c.lost, "loss_rate": c.loss_rate()}),
                )
            })
            .collect();
        serde_json::json!({
            "from": crate::date::iso(self.from),
            "to": crate::date::iso(self.to),
            // Refitted for the backtest, not stored: no number.
            "calibration": {
                "id": null,
                "as_of": crate::date::iso(self.calibration.as_of),
                "sample": self.calibration.sample,
            },
            "terms": self.terms,
            "lost": self.lost,
            "not_judged": self.not_judged,
            "bands": bands,
            "confusion": {
                "tp": self.confusion.tp,
                "fp": self.confusion.fp,
                "fn": self.confusion.fn_,
                "tn": self.confusion.tn,
            },
            "precision": self.precision(),
            "recall": self.recall(),
            "auc": self.auc,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_customers_band_is_the_worst_known_of_its_services() {
        use Band::*;
        let of = |bands: &[Band]| bands.iter().fold(Unknown, |a, &b| a.worst_known(b));
        assert_eq!(of(&[]), Unknown);
        assert_eq!(of(&[Unknown, Unknown]), Unknown);
        assert_eq!(of(&[Healthy, Unknown]), Healthy);
        assert_eq!(of(&[Unknown, Fair, Healthy]), Fair);
        assert_eq!(of(&[Healthy, Danger, Unknown, Fair]), Danger);
        assert!(Fair.is_known() && !Unknown.is_known());
        assert_eq!(Band::parse("危险"), Ok(Danger));
        assert_eq!(Band::parse("Healthy"), Ok(Healthy));
        assert!(Band::parse("sick").unwrap_err().contains("danger (危险)"));
    }

    #[test]
    fn percentile_is_the_share_at_or_below() {
        let s = [1.0, 2.0, 2.0, 3.0, 10.0];
        assert_eq!(percentile(&s, 0.5), 0.0);
        assert_eq!(percentile(&s, 1.0), 0.2);
        assert_eq!(percentile(&s, 2.0), 0.6);
        assert_eq!(percentile(&s, 2.5), 0.6);
        assert_eq!(percentile(&s, 10.0), 1.0);
        assert_eq!(percentile(&s, 99.0), 1.0);
    }

    #[test]
    fn quantile_by_nearest_rank() {
        let s: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(quantile(&s, 10.0), 2.0);
        assert_eq!(quantile(&s, 40.0), 8.0);
        assert_eq!(quantile(&s, 0.0), 1.0);
        assert_eq!(quantile(&s, 100.0), 20.0);
        assert_eq!(quantile(&[5.0], 40.0), 5.0);
    }

    fn ind(v: [Option<f64>; 4]) -> Indicators {
        Indicators {
            day: Some(day("2026-01-01")),
            values: v,
        }
    }

    #[test]
    fn bands_on_a_hand_computed_sample() {
        // 40 renewed terms, active ratio 0.025, 0.05, …, 1.0; nothing else.
        let sample: Vec<Indicators> = (1..=40)
            .map(|k| ind([Some(f64::from(k) / 40.0), None, None, None]))
            .collect();
        let c = Calibration::fit(&sample, day("2026-01-01"), [1.0; 4], 10, 40).unwrap();
        // Each term's score is its own rank: k/40 × 100 = 2.5 k.
        assert_eq!(c.danger_below, 10.0); // rank 4 of 40
        assert_eq!(c.fair_below, 40.0); // rank 16
        let h = |r: f64| {
            let s = c.score(&ind([Some(r), None, None, None]));
            (s, c.band_of(s))
        };
        assert_eq!(h(0.05), (Some(5.0), Band::Danger));
        assert_eq!(
            h(0.1),
            (Some(10.0), Band::Fair),
            "at the threshold: not below it"
        );
        assert_eq!(h(0.39), (Some(37.5), Band::Fair));
        assert_eq!(h(0.4), (Some(40.0), Band::Healthy));
        assert_eq!(h(2.0), (Some(100.0), Band::Healthy));
        assert_eq!(
            c.score(&ind([None, Some(3.0), None, None])),
            None,
            "no distribution"
        );
        assert_eq!(c.band_of(None), Band::Unknown);
    }

    #[test]
    fn unknown_indicators_drop_out_and_weights_renormalise() {
        let sample: Vec<Indicators> = (0..30)
            .map(|k| ind([Some(f64::from(k)), Some(f64::from(k)), None, Some(0.0)]))
            .collect();
        let c = Calibration::fit(&sample, day("2026-01-01"), [3.0, 1.0, 1.0, 0.0], 10, 40).unwrap();
        // Value 14 is at or above 15 of 30 values: 50 %.
        let parts = c.parts(&ind([Some(14.0), Some(29.0), Some(5.0), Some(0.0)]));
        assert_eq!(parts[0].percentile, Some(50.0));
        assert_eq!(parts[1].percentile, Some(100.0));
        assert_eq!(parts[2].percentile, None, "no sample for features_used");
        assert_eq!(parts[3].percentile, None, "weight 0");
        assert_eq!(parts[0].weight, 0.75);
        assert_eq!(parts[1].weight, 0.25);
        assert_eq!(
            c.score(&ind([Some(14.0), Some(29.0), None, None])),
            Some(62.5)
        );
        assert_eq!(c.score(&ind([None, Some(29.0), None, None])), Some(100.0));
    }

    #[test]
    fn a_small_sample_is_an_error_saying_how_small() {
        let sample = vec![ind([Some(1.0), None, None, None]); 29];
        let e = Calibration::fit(&sample, day("2026-01-01"), [1.0; 4], 10, 40).unwrap_err();
        assert!(e.starts_with("only 29 renewed terms"), "{e}");
    }

    #[test]
    fn auc_on_a_hand_counted_example_with_ties() {
        // Pairs (lost, renewed): 1<2 ✓, 1<3 ✓, 1<5 ✓; 3>2 ✗, 3=3 ½, 3<5 ✓;
        // 5>2 ✗, 5>3 ✗, 5=5 ½ → 5 of 9.
        assert_eq!(auc(&[1.0, 3.0, 5.0], &[2.0, 3.0, 5.0]), Some(5.0 / 9.0));
        assert_eq!(auc(&[0.0], &[1.0, 2.0]), Some(1.0));
        assert_eq!(auc(&[3.0], &[1.0, 2.0]), Some(0.0));
        assert_eq!(auc(&[], &[1.0]), None);
    }

    #[test]
    fn indicators_from_usage_rows() {
        let u = |d: &str, acc: Option<i64>, active: i64| Usage {
            day: Some(day(d)),
            accounts: acc,
            active_users: Some(active),
            key_actions: Some(500),
            features_used: Some(7),
        };
        let i = Indicators::from_usage(
            &u("2026-06-30", Some(100), 40),
            Some(&u("2026-03-31", None, 30)),
            Some(50),
        );
        assert_eq!(i.values, [Some(0.4), Some(5.0), Some(7.0), Some(0.4 - 0.6)]);
        let none = Indicators::from_usage(&u("2026-06-30", Some(0), 40), None, None);
        assert_eq!(none.values[0], None, "no accounts, no ratio");
        assert_eq!(none.values[3], None, "no earlier row, no trend");
        // Fresh for 45 days after the row, not before it.
        assert!(i.fresh_on(day("2026-08-14")).is_some());
        assert!(i.fresh_on(day("2026-08-15")).is_none());
        assert!(i.fresh_on(day("2026-06-29")).is_none());
    }

    #[test]
    fn indicators_from_a_service_history() {
        let u = |d: &str, active: i64| Usage {
            day: Some(day(d)),
            accounts: Some(100),
            active_users: Some(active),
            ..Usage::default()
        };
        assert_eq!(Indicators::from_history(&[], Some(1)), None);
        // 2026-06-30 − 90 = 2026-04-01: the March row (1 day older) counts.
        let rows = [
            u("2026-01-31", 10),
            u("2026-02-28", 20),
            u("2026-03-31", 30),
            u("2026-04-30", 35),
            u("2026-06-30", 40),
        ];
        let i = Indicators::from_history(&rows, None).unwrap();
        assert_eq!(i.day, Some(day("2026-06-30")));
        assert_eq!(i.values[0], Some(0.4));
        assert_eq!(i.values[3], Some(0.4 - 0.3));
        // Nothing on or before the day − 90 within 45 days: no trend.
        let gap = [
            u("2026-02-14", 10),
            u("2026-05-01", 20),
            u("2026-06-30", 40),
        ];
        assert_eq!(
            Indicators::from_history(&gap, None).unwrap().values[3],
            None
        );
        let edge = [u("2026-02-15", 10), u("2026-06-30", 40)];
        assert_eq!(
            Indicators::from_history(&edge, None).unwrap().values[3],
            Some(0.4 - 0.1),
            "2026-04-01 − 45 = 2026-02-15"
        );
    }

    #[test]
    fn weights_parse() {
        assert_eq!(parse_weights("1,1,1,1"), Ok([1.0; 4]));
        assert_eq!(parse_weights("2, 1,0,0.5"), Ok([2.0, 1.0, 0.0, 0.5]));
        for bad in ["1,1,1", "a,1,1,1", "0,0,0,0", "-1,1,1,1", "1,1,1,1,1"] {
            assert!(parse_weights(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn backtest_counts_bands_confusion_and_rates() {
        let j = |band, score, lost| Judged {
            health: Health { band, score },
            lost,
        };
        let cal = Calibration::fit(
            &vec![ind([Some(1.0), None, None, None]); 30],
            day("2026-01-01"),
            [1.0; 4],
            10,
            40,
        )
        .unwrap();
        let b = Backtest::count(
            day("2026-01-01"),
            day("2026-06-30"),
            cal,
            &[
                j(Band::Danger, Some(5.0), true),
                j(Band::Danger, Some(8.0), false),
                j(Band::Fair, Some(20.0), true),
                j(Band::Healthy, Some(80.0), false),
                j(Band::Healthy, Some(90.0), false),
                j(Band::Unknown, None, true),
            ],
        );
        assert_eq!((b.terms, b.lost), (6, 3));
        assert_eq!(
            b.bands[Band::Danger as usize],
            BandCount { terms: 2, lost: 1 }
        );
        assert_eq!(b.bands[Band::Unknown as usize].loss_rate(), Some(1.0));
        assert_eq!(
            b.confusion,
            Confusion {
                tp: 1,
                fp: 1,
                fn_: 2,
                tn: 2
            }
        );
        assert_eq!(b.precision(), Some(0.5));
        assert_eq!(b.recall(), Some(1.0 / 3.0));
        // Lost 5, 20 against renewed 8, 80, 90: 5 of 6 pairs.
        assert_eq!(b.auc, Some(5.0 / 6.0));
        let json = b.to_json();
        assert_eq!(json["confusion"]["fn"], 2);
        assert_eq!(json["bands"]["fair"]["loss_rate"], 1.0);
        assert_eq!(json["bands"]["healthy"]["loss_rate"], 0.0);
    }
}
