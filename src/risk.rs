//! Risks (风险, seed 001's risk process): what may stop a renewal, who
//! handles it, the response plan (应对方案) and how it ended. Pure: the
//! kinds, the states and the rules of a risk's life; `db::risks` stores
//! them.

use chrono::NaiveDate;

use crate::date::iso;
use crate::msg::work as msg;
use crate::spelling::labelled_enum;

labelled_enum!(
    /// Seed 001's three kinds of risk.
    RiskKind, "risk kind", "风险类型", {
        Delivery = "delivery", "交付", "交付风险";
        Satisfaction = "satisfaction", "满意度", "满意度风险";
        Business = "business", "商务", "商务风险";
    }
);

labelled_enum!(
    /// How a risk ended (风险处置结果): the two ends `risk_success` counts.
    RiskOutcome, "risk outcome", "风险处置结果", {
        Resolved = "resolved", "处置成功", "成功", "已解决";
        Failed = "failed", "处置失败", "失败", "未解决";
    }
);

labelled_enum!(
    /// Where a risk is: open until an outcome is recorded; `planned` is
    /// open with a response plan.
    RiskState, "risk status", "风险状态", {
        Open = "open", "待处置";
        Planned = "planned", "处置中";
        Resolved = "resolved", "处置成功";
        Failed = "failed", "处置失败";
    }
);

impl From<RiskOutcome> for RiskState {
    fn from(o: RiskOutcome) -> RiskState {
        match o {
            RiskOutcome::Resolved => RiskState::Resolved,
            RiskOutcome::Failed => RiskState::Failed,
        }
    }
}

/// A risk as stored, with its customer's name and CSM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Risk {
    pub id: i64,
    pub customer_id: String,
    pub customer_name: String,
    pub csm: Option<String>,
    pub service_id: Option<String>,
    pub kind: RiskKind,
    pub owner: Option<String>,
    pub note: String,
    pub plan: Option<String>,
    /// The day of the latest plan.
    pub planned: Option<NaiveDate>,
    pub outcome: Option<RiskOutcome>,
    pub outcome_note: Option<String>,
    pub raised: NaiveDate,
    /// The day the outcome was recorded.
    pub closed: Option<NaiveDate>,
    pub author: String,
}

impl Risk {
    pub fn state(&self) -> RiskState {
        match (self.outcome, &self.plan) {
            (Some(o), _) => o.into(),
            (None, Some(_)) => RiskState::Planned,
            (None, None) => RiskState::Open,
        }
    }

    pub fn is_open(&self) -> bool {
        self.outcome.is_none()
    }

    /// A plan is for an open risk, written on or after the day it was
    /// raised.
    pub fn check_plan(&self, today: NaiveDate) -> Result<(), String> {
        self.check_open(msg::risk_closed_no_plan)?;
        self.check_not_before_raised(today, msg::risk_plan_before_raised)
    }

    /// An outcome closes an open risk, on or after the day it was raised.
    pub fn check_close(&self, today: NaiveDate) -> Result<(), String> {
        self.check_open(msg::risk_closed_no_close)?;
        self.check_not_before_raised(today, msg::risk_close_before_raised)
    }

    /// `say(id, outcome, day)`: why a closed risk is refused.
    fn check_open(&self, say: fn(i64, &'static str, String) -> String) -> Result<(), String> {
        match (self.outcome, self.closed) {
            (Some(o), closed) => Err(say(
                self.id,
                o.label(crate::msg::lang()),
                closed.map_or_else(msg::unknown_day, iso),
            )),
            (None, _) => Ok(()),
        }
    }

    /// `--today` before the risk existed: a replay gone wrong.
    /// `say(id, raised, today)` says what cannot be done.
    fn check_not_before_raised(
        &self,
        today: NaiveDate,
        say: fn(i64, String, String) -> String,
    ) -> Result<(), String> {
        if today < self.raised {
            return Err(say(self.id, iso(self.raised), iso(today)));
        }
        Ok(())
    }
}

/// A risk to record.
#[derive(Clone, Debug)]
pub struct NewRisk {
    pub customer: String,
    pub service: Option<String>,
    pub kind: RiskKind,
    pub note: String,
    pub owner: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn risk() -> Risk {
        Risk {
            id: 3,
            customer_id: "C1".into(),
            customer_name: "华宇".into(),
            csm: None,
            service_id: None,
            kind: RiskKind::Delivery,
            owner: None,
            note: "响应慢".into(),
            plan: None,
            planned: None,
            outcome: None,
            outcome_note: None,
            raised: day("2026-11-20"),
            closed: None,
            author: "me".into(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn kinds_and_outcomes_parse_in_either_language() {
        assert_eq!(RiskKind::parse("交付"), Ok(RiskKind::Delivery));
        assert_eq!(RiskKind::parse("满意度风险"), Ok(RiskKind::Satisfaction));
        assert_eq!(RiskKind::parse("Business"), Ok(RiskKind::Business));
        let e = RiskKind::parse("legal").unwrap_err();
        assert_eq!(
            e,
            "unknown risk kind `legal`; expected one of: delivery (交付), satisfaction (满意度), business (商务)"
        );
        assert_eq!(RiskOutcome::parse("成功"), Ok(RiskOutcome::Resolved));
        assert!(RiskOutcome::parse("open").is_err());
    }

    #[test]
    fn a_risk_is_open_then_planned_then_closed() {
        let mut r = risk();
        assert_eq!(r.state(), RiskState::Open);
        assert!(r.check_plan(day("2026-11-20")).is_ok());
        r.plan = Some("周会".into());
        assert_eq!(r.state(), RiskState::Planned);
        assert!(r.is_open());
        assert!(r.check_close(day("2026-11-21")).is_ok());
        r.outcome = Some(RiskOutcome::Failed);
        r.closed = Some(day("2026-11-21"));
        assert_eq!(r.state(), RiskState::Failed);
        let e = r.check_close(day("2026-11-22")).unwrap_err();
        assert!(
            e.starts_with(
                "risk #3 is already closed: failed on 2026-11-21; it cannot be closed again"
            ),
            "{e}"
        );
        assert!(r.check_plan(day("2026-11-22")).is_err());
    }

    #[test]
    fn nothing_happens_to_a_risk_before_it_was_raised() {
        let r = risk();
        let e = r.check_close(day("2026-11-19")).unwrap_err();
        assert_eq!(
            e,
            "risk #3 was raised on 2026-11-20; it cannot be closed on 2026-11-19 (check --today)"
        );
        assert!(r.check_plan(day("2026-11-19")).is_err());
        assert!(r.check_plan(day("2026-11-20")).is_ok());
    }
}
