//! Upsell leads (增购线索, seed 001's upsell process): a need spotted
//! while serving a customer, entered, then validated or found invalid,
//! and converted into a deal. Pure: the statuses and the moves between
//! them; `db::leads` stores them.

use chrono::NaiveDate;

use crate::date::iso;
use crate::money::Cents;
use crate::spelling::labelled_enum;

labelled_enum!(
    /// Where a lead is. `entered` is open; `validated` is open and real;
    /// `invalid` and `converted` are final.
    LeadStatus, "lead status", "线索状态", {
        Entered = "entered", "已录入";
        Validated = "validated", "已验证", "有效";
        Invalid = "invalid", "无效";
        Converted = "converted", "已转商机", "已转化", "转商机";
    }
);

impl LeadStatus {
    /// The statuses `lead set` may give: every one but `entered`, which
    /// only `lead add` gives.
    pub const SETTABLE: &'static [LeadStatus] = &[
        LeadStatus::Validated,
        LeadStatus::Invalid,
        LeadStatus::Converted,
    ];

    /// Still to be worked on.
    pub fn is_open(self) -> bool {
        matches!(self, LeadStatus::Entered | LeadStatus::Validated)
    }

    /// A status `lead set` may give, parsed; `entered` is refused with
    /// the choices (it is where every lead starts).
    pub fn parse_settable(s: &str) -> Result<LeadStatus, String> {
        let choices = || {
            LeadStatus::SETTABLE
                .iter()
                .map(|v| format!("{} ({})", v.id(), v.label_zh()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match LeadStatus::parse(s) {
            Ok(st) if st != LeadStatus::Entered => Ok(st),
            _ => Err(crate::msg::work::lead_not_settable(s, choices())),
        }
    }
}

/// A lead as stored, with its customer's name and CSM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lead {
    pub id: i64,
    pub customer_id: String,
    pub customer_name: String,
    pub csm: Option<String>,
    pub service_id: Option<String>,
    pub product: String,
    pub amount: Option<Cents>,
    pub note: String,
    pub status: LeadStatus,
    pub entered: NaiveDate,
    /// The day it first left `entered` (闭环: validated, invalid or
    /// converted).
    pub closed: Option<NaiveDate>,
    /// The day it became a deal.
    pub converted: Option<NaiveDate>,
    pub author: String,
}

/// What a `lead set` changes, once checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadMove {
    pub from: LeadStatus,
    pub to: LeadStatus,
    /// Set when this move closes the lead (its first move from `entered`).
    pub closed: Option<NaiveDate>,
    /// Set when this move converts it.
    pub converted: Option<NaiveDate>,
}

impl Lead {
    /// The move to `to` on `today`: from `entered` to any other status,
    /// from `validated` to `invalid` or `converted`; `invalid` and
    /// `converted` are final, and a lead is not moved to where it is, nor
    /// before the day it was entered.
    pub fn plan_move(&self, to: LeadStatus, today: NaiveDate) -> Result<LeadMove, String> {
        let from = self.status;
        if to == from {
            return Err(crate::msg::work::lead_already(
                self.id,
                from.label(crate::msg::lang()),
            ));
        }
        if !from.is_open() {
            let since = match from {
                LeadStatus::Converted => self.converted,
                _ => self.closed,
            };
            return Err(crate::msg::work::lead_final(
                self.id,
                from.label(crate::msg::lang()),
                since.map_or_else(crate::msg::work::unknown_day, iso),
            ));
        }
        if to == LeadStatus::Entered {
            return Err(crate::msg::work::lead_not_back_to_entered(self.id));
        }
        if today < self.entered {
            return Err(crate::msg::work::lead_before_entered(
                self.id,
                iso(self.entered),
                iso(today),
            ));
        }
        Ok(LeadMove {
            from,
            to,
            closed: (from == LeadStatus::Entered).then_some(today),
            converted: (to == LeadStatus::Converted).then_some(today),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn lead(status: LeadStatus) -> Lead {
        Lead {
            id: 5,
            customer_id: "C1".into(),
            customer_name: "华宇".into(),
            csm: None,
            service_id: None,
            product: "EDR".into(),
            amount: None,
            note: "扩容".into(),
            status,
            entered: day("2026-11-20"),
            closed: None,
            converted: None,
            author: "me".into(),
        }
    }

    #[test]
    fn only_lead_add_enters_a_lead() {
        assert_eq!(
            LeadStatus::parse_settable("已转化"),
            Ok(LeadStatus::Converted)
        );
        assert_eq!(LeadStatus::parse_settable("Valid-ated"), Err(
            "`Valid-ated` is not a status a lead can be set to; expected one of: validated (已验证), invalid (无效), converted (已转商机)".into()
        ));
        assert!(LeadStatus::parse_settable("entered").is_err());
        assert!(LeadStatus::parse_settable("won").is_err());
    }

    #[test]
    fn the_first_move_closes_and_conversion_is_dated() {
        let today = day("2026-11-23");
        let m = lead(LeadStatus::Entered)
            .plan_move(LeadStatus::Validated, today)
            .unwrap();
        assert_eq!((m.closed, m.converted), (Some(today), None));
        let m = lead(LeadStatus::Validated)
            .plan_move(LeadStatus::Converted, today)
            .unwrap();
        assert_eq!((m.closed, m.converted), (None, Some(today)));
        let m = lead(LeadStatus::Entered)
            .plan_move(LeadStatus::Converted, today)
            .unwrap();
        assert_eq!((m.closed, m.converted), (Some(today), Some(today)));
        assert!(lead(LeadStatus::Validated)
            .plan_move(LeadStatus::Invalid, today)
            .is_ok());
    }

    #[test]
    fn final_repeated_and_early_moves_are_refused() {
        let today = day("2026-11-23");
        let e = lead(LeadStatus::Validated)
            .plan_move(LeadStatus::Validated, today)
            .unwrap_err();
        assert_eq!(e, "lead #5 is already validated; nothing changed");
        let mut done = lead(LeadStatus::Converted);
        done.closed = Some(day("2026-11-20"));
        done.converted = Some(day("2026-11-21"));
        let e = done.plan_move(LeadStatus::Invalid, today).unwrap_err();
        assert!(
            e.starts_with("lead #5 is converted (since 2026-11-21), which is final"),
            "{e}"
        );
        assert!(lead(LeadStatus::Invalid)
            .plan_move(LeadStatus::Validated, today)
            .is_err());
        assert!(lead(LeadStatus::Validated)
            .plan_move(LeadStatus::Entered, today)
            .is_err());
        let e = lead(LeadStatus::Entered)
            .plan_move(LeadStatus::Validated, day("2026-11-19"))
            .unwrap_err();
        assert!(e.contains("entered on 2026-11-20"), "{e}");
    }
}
