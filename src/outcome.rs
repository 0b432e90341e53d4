//! What became of a term of the renewal cohort (`xaas outcomes`): the rows
//! behind every figure of the `renewal` block of `stats`, classified by
//! the one rule both use.

use chrono::NaiveDate;

use crate::money::Cents;
use crate::service::ServiceType;
use crate::spelling::labelled_enum;
use crate::status::{Reason, Status};

labelled_enum!(
    /// The outcome of a due term.
    Outcome, "outcome", "续费结果", {
        Renewed = "renewed", "已续费";
        NotRenewing = "not_renewing", "不续费";
        Lapsed = "lapsed", "已流失";
        Suspended = "suspended", "挂起";
        Open = "open", "跟进中";
    }
);

impl Outcome {
    /// A due current term's outcome from its effective status (rules 9
    /// and 11); a renewed term is `Renewed` (it comes from `terms`).
    pub fn of(status: Status) -> Outcome {
        match status {
            Status::Renewed => Outcome::Renewed,
            Status::NotRenewing => Outcome::NotRenewing,
            Status::Lapsed => Outcome::Lapsed,
            Status::Suspended => Outcome::Suspended,
            _ => Outcome::Open,
        }
    }

    /// Counted in `lost_terms` and `lost_amount`.
    pub fn is_lost(self) -> bool {
        matches!(self, Outcome::NotRenewing | Outcome::Lapsed)
    }
}

/// One term of the cohort.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeRow {
    pub customer_id: String,
    pub customer_name: String,
    /// The owner the term counts for: the customer's CSM on its expiry day.
    pub csm: Option<String>,
    /// The customer's tier on its expiry day.
    pub tier: Option<String>,
    pub service_id: String,
    pub service_type: ServiceType,
    pub product: Option<String>,
    pub expiry_date: NaiveDate,
    pub amount: Option<Cents>,
    pub outcome: Outcome,
    /// The term's effective status as of today (`renewed` for a term
    /// closed as renewed): `at_risk` counts in a series' amount at risk.
    pub status: Status,
    /// The next term, when renewed.
    pub new_expiry: Option<NaiveDate>,
    pub new_amount: Option<Cents>,
    /// Why, when not renewing.
    pub reason: Option<Reason>,
    pub reason_detail: Option<String>,
    /// The latest follow-up note about the service (or its customer).
    pub last_note: Option<String>,
    /// The value of the column a split asked for, on the expiry day.
    pub group: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_one_outcome() {
        use Status::*;
        let got: Vec<Outcome> = [
            Unset,
            Pending,
            IdentifyingRisk,
            AtRisk,
            NoRisk,
            Renewing,
            Suspended,
            NotRenewing,
            Renewed,
            Lapsed,
        ]
        .into_iter()
        .map(Outcome::of)
        .collect();
        use Outcome as O;
        assert_eq!(
            got,
            [
                O::Open,
                O::Open,
                O::Open,
                O::Open,
                O::Open,
                O::Open,
                O::Suspended,
                O::NotRenewing,
                O::Renewed,
                O::Lapsed
            ]
        );
        assert!(O::Lapsed.is_lost() && O::NotRenewing.is_lost() && !O::Suspended.is_lost());
    }
}
