//! The FILTERS flags, shared by `list`, `due`, `export` and the other
//! read commands; the customer ones alone by `risk`, `lead` and `budget list`.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use xaas::columns::Col;
use xaas::filter::Filters;
use xaas::health::Band;
use xaas::service::{RunStatus, ServiceType};
use xaas::status::Status;
use xaas::window::Window;

use super::{parse_day, Me, UsageError};

/// Repeat a filter to OR its values; different filters AND.
#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    #[command(flatten)]
    pub customers: CustomerFilterArgs,
    /// subscription, managed or basic
    #[arg(long, value_name = "TYPE", value_parser = super::choice::Choice::<ServiceType>::new(), help_heading = "Filters")]
    pub service_type: Vec<ServiceType>,
    /// expired, within_30, within_90 or normal
    #[arg(long, value_parser = super::choice::Choice::<Window>::new(), help_heading = "Filters")]
    pub window: Vec<Window>,
    /// Renewal status, derived pending included (id, kebab or Chinese)
    #[arg(long, value_parser = super::choice::Choice::<Status>::new(), help_heading = "Filters")]
    pub status: Vec<Status>,
    /// normal or abnormal
    #[arg(long, value_parser = super::choice::Choice::<RunStatus>::new(), help_heading = "Filters")]
    pub run_status: Vec<RunStatus>,
    /// Expiry on or after DATE
    #[arg(long, value_name = "DATE", value_parser = parse_day, help_heading = "Filters")]
    pub expires_after: Option<NaiveDate>,
    /// Expiry on or before DATE
    #[arg(long, value_name = "DATE", value_parser = parse_day, help_heading = "Filters")]
    pub expires_before: Option<NaiveDate>,
    /// Health band as of today: danger, fair, healthy or unknown (or
    /// Chinese); in `list`, the customer's (the worst known of its services)
    #[arg(long, value_name = "BAND", value_parser = super::choice::Choice::<Band>::new(), help_heading = "Filters")]
    pub health: Vec<Band>,
}

/// The filters on customers alone: what selects risks, leads and budget
/// cycles, which belong to a customer. The first flags of FILTERS.
#[derive(Args, Debug, Clone, Default)]
pub struct CustomerFilterArgs {
    /// Only this customer id
    #[arg(long, value_name = "ID", help_heading = "Filters")]
    pub customer: Vec<String>,
    /// Customer name or id contains TEXT
    #[arg(long, value_name = "TEXT", help_heading = "Filters")]
    pub search: Vec<String>,
    /// Customer's CSM (客户经营接口人)
    #[arg(long, help_heading = "Filters")]
    pub csm: Vec<String>,
    /// Shorthand for --csm $XAAS_CSM (else `csm` of the config file)
    #[arg(long, help_heading = "Filters")]
    pub mine: bool,
    /// Customer tier (客户等级)
    #[arg(long, help_heading = "Filters")]
    pub tier: Vec<String>,
    #[arg(long, help_heading = "Filters")]
    pub industry: Vec<String>,
    #[arg(long, help_heading = "Filters")]
    pub region: Vec<String>,
    #[arg(long, help_heading = "Filters")]
    pub department: Vec<String>,
    /// Distributor type (总代业绩类型)
    #[arg(long, help_heading = "Filters")]
    pub distributor: Vec<String>,
}

impl CustomerFilterArgs {
    pub fn to_filters(&self, me: &Me) -> Result<Filters> {
        let mut csm = self.csm.clone();
        if self.mine {
            csm.push(my_csm(me)?);
        }
        let mut f = Filters {
            customer: self.customer.clone(),
            search: self.search.clone(),
            ..Filters::default()
        };
        f.attr(Col::Csm, csm);
        f.attr(Col::Tier, self.tier.clone());
        f.attr(Col::Industry, self.industry.clone());
        f.attr(Col::Region, self.region.clone());
        f.attr(Col::Department, self.department.clone());
        f.attr(Col::DistributorType, self.distributor.clone());
        Ok(f)
    }
}

impl FilterArgs {
    pub fn to_filters(&self, me: &Me) -> Result<Filters> {
        Ok(Filters {
            service_type: self.service_type.clone(),
            window: self.window.clone(),
            status: self.status.clone(),
            run_status: self.run_status.clone(),
            expires_after: self.expires_after,
            expires_before: self.expires_before,
            health: self.health.clone(),
            ..self.customers.to_filters(me)?
        })
    }
}

/// `--mine`: the CSM named by `XAAS_CSM`, else by the config file's
/// `csm`; without either, a usage error saying where to set it.
pub fn my_csm(me: &Me) -> Result<String> {
    if let Some(csm) = &me.csm {
        return Ok(csm.clone());
    }
    // A config path of /dev/null (or any non-file) is "no file": nothing
    // to write into.
    let file = me
        .config
        .as_ref()
        .filter(|p| !p.starts_with("/dev"))
        .map_or(String::new(), |p| {
            xaas::msg::config::mine_in_file(p.display())
        });
    Err(UsageError(xaas::msg::config::mine_without_csm(file)).into())
}
