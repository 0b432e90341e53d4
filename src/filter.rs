//! The filters shared by `list`, `due`, `export` and `stats`: repeating a
//! filter ORs its values, different filters AND. Turned into SQL with
//! bound parameters in `db::query`.

use chrono::NaiveDate;

use crate::model::{RunStatus, ServiceType};
use crate::status::Status;
use crate::window::Window;

#[derive(Clone, Debug, Default)]
pub struct Filters {
    pub customer: Vec<String>,
    /// Substring of the customer's name or id.
    pub search: Vec<String>,
    pub csm: Vec<String>,
    pub tier: Vec<String>,
    pub industry: Vec<String>,
    pub region: Vec<String>,
    pub department: Vec<String>,
    pub distributor: Vec<String>,
    pub service_type: Vec<ServiceType>,
    pub window: Vec<Window>,
    /// The effective status, derived `pending` included.
    pub status: Vec<Status>,
    pub run_status: Vec<RunStatus>,
    /// Inclusive bounds on expiry_date.
    pub expires_after: Option<NaiveDate>,
    pub expires_before: Option<NaiveDate>,
}

impl Filters {
    /// The filters on customers' own columns (the rest are on services):
    /// stats applies them while reading customers, without a join.
    pub fn split(&self) -> (Filters, Filters) {
        let customers = Filters {
            search: self.search.clone(),
            csm: self.csm.clone(),
            tier: self.tier.clone(),
            industry: self.industry.clone(),
            region: self.region.clone(),
            department: self.department.clone(),
            distributor: self.distributor.clone(),
            ..Filters::default()
        };
        let services = Filters {
            search: vec![],
            csm: vec![],
            tier: vec![],
            industry: vec![],
            region: vec![],
            department: vec![],
            distributor: vec![],
            ..self.clone()
        };
        (customers, services)
    }

    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
            && self.search.is_empty()
            && self.csm.is_empty()
            && self.tier.is_empty()
            && self.industry.is_empty()
            && self.region.is_empty()
            && self.department.is_empty()
            && self.distributor.is_empty()
            && self.service_type.is_empty()
            && self.window.is_empty()
            && self.status.is_empty()
            && self.run_status.is_empty()
            && self.expires_after.is_none()
            && self.expires_before.is_none()
    }
}
