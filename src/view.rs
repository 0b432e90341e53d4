//! What the read commands show: a service with its derived columns, and a
//! customer's aggregates over its matching services. Pure.

use std::rc::Rc;

use chrono::NaiveDate;

use crate::clock::AsOf;
use crate::customer::Customer;
use crate::health::{Band, Health};
use crate::money::Cents;
use crate::status::{Reason, Status};
use crate::window::{days_left, Window};

/// One service as the read commands show it: stored columns, then the
/// columns derived as of `today`. The customer is shared by its services
/// (a stream of a million rows builds each customer once).
#[derive(Clone, Debug)]
pub struct ServiceView {
    pub customer: Rc<Customer>,
    pub service_id: String,
    pub service_type: crate::service::ServiceType,
    pub product: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub expiry_date: NaiveDate,
    pub amount: Option<Cents>,
    pub accounts: Option<i64>,
    pub run_status: Option<crate::service::RunStatus>,
    pub renewal_of: Option<String>,
    pub stored_status: Status,
    pub reason: Option<Reason>,
    pub status_changed_at: Option<String>,
    pub last_followup_at: Option<String>,
    /// The sub-reason of a not-renewing service.
    pub reason_detail: Option<String>,
    /// The latest record's note about the service (or its customer).
    pub last_note: Option<String>,
    /// The term before the current one, when it came from a renewal.
    pub previous_expiry: Option<NaiveDate>,
    pub previous_amount: Option<Cents>,
    pub days_left: i64,
    pub window: Window,
    /// Rule 1: derived `pending` in the window.
    pub status: Status,
    /// As of the same day, under the calibration then in force.
    pub health: Health,
}

impl ServiceView {
    /// Fills in the derived columns.
    pub fn derive(mut self, at: AsOf) -> ServiceView {
        self.days_left = days_left(self.expiry_date, at.today);
        self.window = Window::from_days_left(self.days_left);
        self.status = Status::effective_on(self.stored_status, self.days_left, at.grace_days);
        self
    }

    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }
}

/// A customer's line in `list`.
#[derive(Clone, Debug)]
pub struct CustomerSummary {
    pub customer: Customer,
    pub services: u64,
    pub amount: Cents,
    pub nearest_expiry: Option<NaiveDate>,
    /// Most urgent window, leaving out services closed as renewed.
    pub worst_window: Option<Window>,
    /// Open services (rule 9).
    pub open: u64,
    /// The nearest expiry among open services: the default order.
    pub nearest_open: Option<NaiveDate>,
    /// The worst known band of the services (`Band::worst_known`).
    pub health: Band,
}

impl CustomerSummary {
    pub fn new(customer: Customer) -> CustomerSummary {
        CustomerSummary {
            customer,
            services: 0,
            amount: Cents(0),
            nearest_expiry: None,
            worst_window: None,
            open: 0,
            nearest_open: None,
            health: Band::Unknown,
        }
    }

    pub fn add(&mut self, s: &ServiceView) {
        self.services += 1;
        self.amount += s.amount.unwrap_or_default();
        self.health = self.health.worst_known(s.health.band);
        self.nearest_expiry = Some(
            self.nearest_expiry
                .map_or(s.expiry_date, |d| d.min(s.expiry_date)),
        );
        if s.status != Status::Renewed {
            self.worst_window = Some(self.worst_window.map_or(s.window, |w| w.min(s.window)));
        }
        if s.is_open() {
            self.open += 1;
            self.nearest_open = Some(
                self.nearest_open
                    .map_or(s.expiry_date, |d| d.min(s.expiry_date)),
            );
        }
    }

    /// Most urgent first: customers with open services by their nearest
    /// open expiry, then the rest by nearest expiry; ties by id.
    pub fn urgency_key(&self) -> (bool, Option<NaiveDate>, &str) {
        match self.nearest_open {
            Some(d) => (false, Some(d), &self.customer.id),
            None => (true, self.nearest_expiry, &self.customer.id),
        }
    }
}

/// Counts for `show`: by window, by status, by type.
#[derive(Clone, Debug, Default)]
pub struct Breakdown {
    pub by_window: Vec<(Window, u64)>,
    pub by_status: Vec<(Status, u64)>,
    pub by_type: Vec<(crate::service::ServiceType, u64)>,
}

impl Breakdown {
    pub fn of(services: &[ServiceView]) -> Breakdown {
        let count = |pred: &dyn Fn(&ServiceView) -> bool| {
            services.iter().filter(|s| pred(s)).count() as u64
        };
        Breakdown {
            by_window: Window::ALL
                .iter()
                .map(|&w| (w, count(&|s| s.window == w)))
                .collect(),
            by_status: Status::ALL
                .iter()
                .map(|&st| (st, count(&|s| s.status == st)))
                .collect(),
            by_type: crate::service::ServiceType::ALL
                .iter()
                .map(|&t| (t, count(&|s| s.service_type == t)))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::ServiceType;

    fn svc(id: &str, expiry: &str, status: Status, amount: i64) -> ServiceView {
        ServiceView {
            customer: Rc::new(Customer {
                id: "C1".into(),
                name: "甲".into(),
                ..Default::default()
            }),
            service_id: id.into(),
            service_type: ServiceType::Basic,
            product: None,
            start_date: None,
            expiry_date: expiry.parse().unwrap(),
            amount: Some(Cents::from(amount)),
            accounts: None,
            run_status: None,
            renewal_of: None,
            stored_status: status,
            reason: None,
            status_changed_at: None,
            last_followup_at: None,
            reason_detail: None,
            last_note: None,
            previous_expiry: None,
            previous_amount: None,
            days_left: 0,
            window: Window::Normal,
            status: Status::Unset,
            health: Health::UNKNOWN,
        }
        .derive(AsOf::with_defaults("2026-11-23".parse().unwrap()))
    }

    #[test]
    fn derive_sets_window_and_pending() {
        let s = svc("S1", "2026-12-23", Status::Unset, 1);
        assert_eq!(
            (s.days_left, s.window, s.status),
            (30, Window::Within30, Status::Pending)
        );
        let s = svc("S2", "2027-02-22", Status::Unset, 1);
        assert_eq!(
            (s.days_left, s.window, s.status),
            (91, Window::Normal, Status::Unset)
        );
    }

    #[test]
    fn summary_leaves_renewed_out_of_the_worst_window() {
        let mut c = CustomerSummary::new(Customer::default());
        c.add(&svc("S1", "2026-11-01", Status::Renewed, 100));
        c.add(&svc("S2", "2027-01-10", Status::Unset, 250));
        c.add(&svc("S3", "2027-06-01", Status::Unset, 1));
        assert_eq!(c.services, 3);
        assert_eq!(c.amount, Cents(351));
        assert_eq!(c.worst_window, Some(Window::Within90));
        assert_eq!(c.nearest_expiry, Some("2026-11-01".parse().unwrap()));
        assert_eq!(c.open, 1);
        assert_eq!(c.nearest_open, Some("2027-01-10".parse().unwrap()));
    }

    #[test]
    fn a_customers_health_is_the_worst_known_of_its_services() {
        let mut c = CustomerSummary::new(Customer::default());
        assert_eq!(c.health, Band::Unknown);
        let with = |band, score| {
            let mut s = svc("S1", "2027-06-01", Status::Unset, 1);
            s.health = Health { band, score };
            s
        };
        c.add(&with(Band::Unknown, None));
        assert_eq!(c.health, Band::Unknown);
        c.add(&with(Band::Healthy, Some(80.0)));
        assert_eq!(c.health, Band::Healthy, "an unknown service hides nothing");
        c.add(&with(Band::Fair, Some(20.0)));
        c.add(&with(Band::Unknown, None));
        assert_eq!(c.health, Band::Fair);
    }

    #[test]
    fn customers_with_open_services_come_first() {
        let mut a = CustomerSummary::new(Customer {
            id: "A".into(),
            ..Default::default()
        });
        a.add(&svc("S1", "2026-11-30", Status::NotRenewing, 1));
        let mut b = CustomerSummary::new(Customer {
            id: "B".into(),
            ..Default::default()
        });
        b.add(&svc("S2", "2027-01-30", Status::Unset, 1));
        assert!(b.urgency_key() < a.urgency_key());
    }
}
