//! Follow-up records (跟进记录): what a CSM wrote after talking to a
//! customer, about the customer as a whole or some of its services.

use chrono::NaiveDate;

use crate::customer::Customer;
use crate::followup::Candidate;
use crate::status::{Reason, Status};

/// The free-text fields of a follow-up record (跟进记录).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notes {
    pub sales: Option<String>,
    pub sales_contact: Option<String>,
    /// 项目背景: pain points, why they bought.
    pub background: Option<String>,
    /// What pleases the customer and what does not.
    pub satisfaction: Option<String>,
    pub reason: Option<Reason>,
    pub reason_detail: Option<String>,
    pub note: Option<String>,
}

impl Notes {
    pub fn is_empty(&self) -> bool {
        *self == Notes::default()
    }

    /// Blank text is no text: a record of empty strings says nothing, and
    /// must not count as a touch.
    pub fn without_blanks(self) -> Notes {
        let keep = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Notes {
            sales: keep(self.sales),
            sales_contact: keep(self.sales_contact),
            background: keep(self.background),
            satisfaction: keep(self.satisfaction),
            reason: self.reason,
            reason_detail: keep(self.reason_detail),
            note: keep(self.note),
        }
    }
}

/// A record tells what happened: it cannot be dated after today (it would
/// also hide its services from `due --untouched` until that day).
pub fn check_not_after_today(day: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if day > today {
        return Err(crate::msg::followup::record_after_today(
            crate::date::iso(day),
            crate::date::iso(today),
        ));
    }
    Ok(())
}

/// A record to write: a customer, optionally some of its services (none
/// means the customer as a whole), and the status it set, if any.
#[derive(Clone, Debug)]
pub struct NewRecord {
    pub customer_id: String,
    pub services: Vec<String>,
    pub at: String,
    pub author: String,
    pub status: Option<Status>,
    pub notes: Notes,
}

/// A record as read back, with its customer's name and CSM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub id: i64,
    pub at: String,
    pub customer_id: String,
    pub customer_name: String,
    pub csm: Option<String>,
    pub services: Vec<String>,
    pub author: String,
    pub status: Option<Status>,
    pub notes: Notes,
}

/// What `log list` selects; every bound is inclusive, dates by the
/// record's local date.
#[derive(Clone, Debug, Default)]
pub struct RecordFilter {
    pub customer: Option<String>,
    pub services: Vec<String>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub author: Vec<String>,
    pub reason: Vec<Reason>,
    pub csm: Vec<String>,
    pub limit: Option<u64>,
}

/// A record names only services of its own customer: every service that
/// is another customer's is listed, with its owner.
pub fn check_services_are_theirs(
    customer: &Customer,
    services: &[Candidate],
) -> Result<(), String> {
    let foreign: Vec<String> = services
        .iter()
        .filter(|s| s.customer_id != customer.id)
        .map(|s| {
            crate::msg::followup::not_a_service_of(
                &s.service_id,
                &customer.id,
                &customer.name,
                &s.customer_id,
                &s.customer_name,
            )
        })
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    let sep = crate::msg::pick("; ", "；");
    Err(crate::msg::followup::nothing_recorded(foreign.join(sep)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(id: &str, customer: &str) -> Candidate {
        Candidate {
            service_id: id.into(),
            customer_id: customer.into(),
            customer_name: format!("name of {customer}"),
            expiry: "2026-12-01".parse().unwrap(),
            stored: Status::Unset,
            changed_on: None,
        }
    }

    #[test]
    fn blank_notes_are_no_notes_and_the_future_is_refused() {
        let n = Notes {
            note: Some("  ".into()),
            sales: Some(" 王五 ".into()),
            ..Notes::default()
        }
        .without_blanks();
        assert_eq!(n.note, None);
        assert_eq!(n.sales.as_deref(), Some("王五"));
        assert!(Notes {
            note: Some(String::new()),
            ..Notes::default()
        }
        .without_blanks()
        .is_empty());
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        assert!(check_not_after_today(today, today).is_ok());
        let e = check_not_after_today("2026-11-24".parse().unwrap(), today).unwrap_err();
        assert!(e.contains("2026-11-24 is after today (2026-11-23)"), "{e}");
    }

    #[test]
    fn a_record_names_only_its_customers_services() {
        let c = Customer {
            id: "C1".into(),
            name: "甲".into(),
            ..Customer::default()
        };
        assert!(check_services_are_theirs(&c, &[svc("S1", "C1")]).is_ok());
        assert!(check_services_are_theirs(&c, &[]).is_ok());
        let e = check_services_are_theirs(&c, &[svc("S1", "C1"), svc("S2", "C2")]).unwrap_err();
        assert_eq!(
            e,
            "nothing recorded: S2 is not a service of C1 (甲); it belongs to C2 (name of C2)"
        );
    }
}
