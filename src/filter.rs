//! What the read commands select and how they order it. The filters are
//! shared by `list`, `due`, `export` and `stats`: repeating a filter ORs
//! its values, different filters AND. `db::query` turns them into SQL with
//! bound parameters.

use chrono::NaiveDate;

use crate::columns::{Col, Home};
use crate::health::Band;
use crate::service::{RunStatus, ServiceType};
use crate::status::Status;
use crate::window::Window;

#[derive(Clone, Debug, Default)]
pub struct Filters {
    pub customer: Vec<String>,
    /// Substring of the customer's name or id.
    pub search: Vec<String>,
    /// Customer attributes (`csm`, `tier`, …) and the values wanted.
    pub attrs: Vec<(Col, Vec<String>)>,
    pub service_type: Vec<ServiceType>,
    pub window: Vec<Window>,
    /// The effective status, derived `pending` included.
    pub status: Vec<Status>,
    pub run_status: Vec<RunStatus>,
    /// Inclusive bounds on expiry_date.
    pub expires_after: Option<NaiveDate>,
    pub expires_before: Option<NaiveDate>,
    /// Health bands as of today: a service's own band where rows are
    /// services, a customer's (`Band::worst_known` over its services
    /// matching the other filters) in `list`. Derived in Rust from the
    /// calibration, so `db::query::where_clause` leaves it to its callers.
    pub health: Vec<Band>,
}

impl Filters {
    /// Adds wanted values of a customer attribute (nothing if empty).
    pub fn attr(&mut self, col: Col, values: Vec<String>) {
        debug_assert_eq!(col.home(), Home::Customer);
        if !values.is_empty() {
            self.attrs.push((col, values));
        }
    }

    /// The filters on customers' own columns, and the rest (on services):
    /// stats applies the first while reading customers, without a join.
    pub fn split(&self) -> (Filters, Filters) {
        let customers = Filters {
            search: self.search.clone(),
            attrs: self.attrs.clone(),
            ..Filters::default()
        };
        let services = Filters {
            search: vec![],
            attrs: vec![],
            ..self.clone()
        };
        (customers, services)
    }

    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
            && self.search.is_empty()
            && self.attrs.iter().all(|(_, v)| v.is_empty())
            && self.service_type.is_empty()
            && self.window.is_empty()
            && self.status.is_empty()
            && self.run_status.is_empty()
            && self.expires_after.is_none()
            && self.expires_before.is_none()
            && self.health.is_empty()
    }

    /// Whether a filter is on services themselves (type, window, status,
    /// run status, expiry, health), not only on whose they are: rows that
    /// are not services (tasks in `today`) match none of these.
    pub fn narrows_services(&self) -> bool {
        !self.service_type.is_empty()
            || !self.window.is_empty()
            || !self.status.is_empty()
            || !self.run_status.is_empty()
            || self.expires_after.is_some()
            || self.expires_before.is_some()
            || !self.health.is_empty()
    }

    /// The filters without `--health`: what a customer's band is taken
    /// over in `list`.
    pub fn without_health(&self) -> Filters {
        Filters {
            health: vec![],
            ..self.clone()
        }
    }
}

/// A filter's value names a customer attribute's value ignoring case:
/// ASCII letters, as SQLite's `NOCASE` folds them (Chinese has no case).
pub fn same_value(wanted: &str, stored: &str) -> bool {
    wanted.eq_ignore_ascii_case(stored)
}

/// The byte-order range that holds every value `same_value` accepts for
/// `wanted` (capitals sort before small letters), so an index on the
/// column finds them all by one range seek. Equal bounds: no letters, no
/// other spelling.
pub fn spellings_range(wanted: &str) -> (String, String) {
    (wanted.to_ascii_uppercase(), wanted.to_ascii_lowercase())
}

/// What `due` adds to the filters.
#[derive(Clone, Copy, Debug, Default)]
pub struct Due {
    pub within: u32,
    pub overdue: bool,
    /// Only services with no follow-up record since entering the window.
    pub untouched: bool,
}

/// Page bounds; `None` limit is all.
#[derive(Clone, Copy, Debug, Default)]
pub struct Page {
    pub limit: Option<u64>,
    pub offset: u64,
}

/// Keys of `--sort`, each ascending or (`-key`) descending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sort<K> {
    pub keys: Vec<(K, bool)>,
}

/// What services can be ordered by: a column of the service list.
pub type ServiceSort = Sort<Col>;

/// `refuse(name, names)`: the error for a key that is not one of `names`.
fn parse_keys<K>(
    s: &str,
    refuse: fn(&str, &str) -> String,
    names: &str,
    key: impl Fn(&str) -> Option<K>,
) -> Result<Sort<K>, String> {
    let mut keys = Vec::new();
    for part in s.split(',') {
        let (desc, name) = match part.trim().strip_prefix('-') {
            Some(n) => (true, n),
            None => (false, part.trim()),
        };
        let k = key(name).ok_or_else(|| refuse(name, names))?;
        keys.push((k, desc));
    }
    Ok(Sort { keys })
}

impl Sort<Col> {
    /// Parses `--sort` for services.
    pub fn services(s: &str) -> Result<ServiceSort, String> {
        parse_keys(
            s,
            |name, names| crate::msg::values::cannot_sort_services(name, names),
            "service_id, customer_id, customer_name, expiry_date, days_left, start_date, amount, accounts, service_type, product, status, run_status, csm, tier, region, industry",
            |name| {
                Some(match name {
                    "name" => Col::CustomerName,
                    "expiry" | "days_left" | "window" => Col::ExpiryDate,
                    "type" => Col::ServiceType,
                    "service_id" | "customer_id" | "customer_name" | "expiry_date"
                    | "start_date" | "amount" | "accounts" | "service_type" | "product"
                    | "status" | "run_status" | "csm" | "tier" | "region" | "industry" => {
                        Col::from_header(name)?
                    }
                    _ => return None,
                })
            },
        )
    }
}

/// What customers can be ordered by: an attribute, or a figure over their
/// matching services.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomerKey {
    Attr(Col),
    Services,
    Amount,
    NearestExpiry,
    WorstWindow,
    Open,
    /// Open services first by their nearest expiry, then the rest.
    Urgency,
}

pub type CustomerSort = Sort<CustomerKey>;

impl Sort<CustomerKey> {
    /// Parses `--sort` for `list` (customers).
    pub fn customers(s: &str) -> Result<CustomerSort, String> {
        parse_keys(
            s,
            |name, names| crate::msg::values::cannot_sort_customers(name, names),
            "urgency, customer_id, customer_name, csm, tier, industry, region, department, services, amount, nearest_expiry, worst_window, open",
            |name| {
                Some(match name {
                    "id" => CustomerKey::Attr(Col::CustomerId),
                    "name" => CustomerKey::Attr(Col::CustomerName),
                    "customer_id" | "customer_name" | "csm" | "tier" | "industry" | "region"
                    | "department" => CustomerKey::Attr(Col::from_header(name)?),
                    "services" => CustomerKey::Services,
                    "amount" => CustomerKey::Amount,
                    "nearest_expiry" => CustomerKey::NearestExpiry,
                    "worst_window" => CustomerKey::WorstWindow,
                    "open" => CustomerKey::Open,
                    "urgency" => CustomerKey::Urgency,
                    _ => return None,
                })
            },
        )
    }

    /// The default order, which `list` reads without every service.
    pub fn is_urgency(&self) -> bool {
        self.keys == [(CustomerKey::Urgency, false)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_keys_parse_with_aliases_and_descending() {
        let s = Sort::services("-amount,days_left").unwrap();
        assert_eq!(s.keys, [(Col::Amount, true), (Col::ExpiryDate, false)]);
        assert_eq!(Sort::services("csm").unwrap().keys, [(Col::Csm, false)]);
        let e = Sort::services("colour").unwrap_err();
        assert!(e.contains("cannot sort services by `colour`"), "{e}");
        // A column of the list that is not a sort key.
        assert!(Sort::services("sales_contact").is_err());
        let c = Sort::customers("-open,name").unwrap();
        assert_eq!(
            c.keys,
            [
                (CustomerKey::Open, true),
                (CustomerKey::Attr(Col::CustomerName), false)
            ]
        );
        assert!(Sort::customers("urgency").unwrap().is_urgency());
        assert!(Sort::customers("product").is_err());
    }

    #[test]
    fn every_spelling_of_a_value_is_within_its_range() {
        assert!(same_value("ka", "KA") && same_value("Li Na", "LI NA"));
        assert!(!same_value("KA", "K A") && !same_value("张伟", "张伟 "));
        let (lo, hi) = spellings_range("Li Na");
        assert_eq!((lo.as_str(), hi.as_str()), ("LI NA", "li na"));
        for v in ["LI NA", "li na", "Li Na", "lI nA", "LI na"] {
            assert!(same_value("Li Na", v));
            assert!(lo.as_str() <= v && v <= hi.as_str(), "{v}");
        }
        // A value without letters is its only spelling.
        let (lo, hi) = spellings_range("张伟");
        assert_eq!(lo, hi);
        assert_eq!(
            spellings_range("总代a"),
            ("总代A".to_string(), "总代a".to_string())
        );
    }

    #[test]
    fn split_keeps_customer_filters_apart() {
        let mut f = Filters {
            search: vec!["华".into()],
            window: vec![Window::Expired],
            health: vec![Band::Danger],
            ..Filters::default()
        };
        f.attr(Col::Csm, vec!["张伟".into()]);
        f.attr(Col::Tier, vec![]);
        assert_eq!(f.attrs.len(), 1);
        let (c, s) = f.split();
        assert_eq!(c.attrs, [(Col::Csm, vec!["张伟".to_string()])]);
        assert!(c.window.is_empty() && s.attrs.is_empty() && s.search.is_empty());
        assert_eq!(s.window, [Window::Expired]);
        assert!(
            c.health.is_empty() && s.health == [Band::Danger],
            "a service's filter"
        );
        assert!(f.without_health().health.is_empty() && !f.without_health().is_empty());
        assert!(!f.is_empty() && Filters::default().is_empty());
    }
}
