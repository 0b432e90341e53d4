//! `stats --explain`: every rate worked out, with its formula and the two
//! counts it divides, read from the same `Ratio`s that compute the rates,
//! so what it prints is what `stats` prints.

use serde_json::{json, Map, Value};

use crate::ratio::{Explained, Ratio};

use super::{Figures, Stats, ALL, RATIOS, TOUCH_RATE};

impl Figures {
    /// Every rate of these figures: `RATIOS` in order, then each CSM's
    /// touch rate.
    pub fn explain(&self) -> Vec<Explained> {
        let mut out: Vec<Explained> = RATIOS.iter().map(|r| r.explain(self, None)).collect();
        out.extend(
            self.touch
                .iter()
                .map(|(csm, t)| TOUCH_RATE.explain(t, Some(csm))),
        );
        out
    }
}

impl Stats {
    /// The totals' explanations under `(all)`, then each group's.
    pub fn explain_rows(&self) -> Vec<(String, Vec<Explained>)> {
        let mut out = vec![(ALL.to_string(), self.total.explain())];
        out.extend(self.groups.iter().map(|(n, f)| (n.clone(), f.explain())));
        out
    }

    /// `to_json` with an `explain` array beside the figures it explains:
    /// at the top for the totals, and in each group.
    pub fn to_json_explained(&self) -> Value {
        let mut v = self.to_json();
        let array =
            |f: &Figures| Value::Array(f.explain().iter().map(Explained::to_json).collect());
        if let Value::Object(m) = &mut v {
            m.insert("explain".into(), array(&self.total));
            if let Some(Value::Object(groups)) = m.get_mut("groups") {
                for (name, f) in &self.groups {
                    if let Some(Value::Object(g)) = groups.get_mut(name) {
                        g.insert("explain".into(), array(f));
                    }
                }
            }
        }
        v
    }
}

/// The `kpi` block of the ratios declared under `kpi.`: each rate by its
/// key, and `counts` of `[numerator, denominator]` (SPEC: `"kpi":
/// {"risk_completion": 0.75, "counts": {"risk_completion": [3, 4]}}`);
/// `None` while there are none.
pub(super) fn kpi_block(ratios: &[&Ratio<Figures>], f: &Figures) -> Option<Value> {
    let mut rates = Map::new();
    let mut counts = Map::new();
    for r in ratios {
        let Some(key) = r.figure.strip_prefix("kpi.") else {
            continue;
        };
        let (n, d) = r.counts(f);
        rates.insert(key.to_string(), json!(r.value(f)));
        counts.insert(key.to_string(), json!([n.to_json(), d.to_json()]));
    }
    if rates.is_empty() {
        return None;
    }
    rates.insert("counts".into(), Value::Object(counts));
    Some(Value::Object(rates))
}
