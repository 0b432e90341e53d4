//! The FILTERS flags, shared by `list`, `due`, `export`, `stats`,
//! `outcomes` and `today`; their customer part by `tasks list`.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use xaas::columns::Col;
use xaas::filter::Filters;
use xaas::health::Band;
use xaas::service::{RunStatus, ServiceType};
use xaas::status::Status;
use xaas::window::Window;

use super::{parse_day, UsageError};

/// Repeat a filter to OR its values; different filters AND.
#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    #[command(flatten)]
    pub customers: CustomerFilterArgs,
    /// subscription, managed or basic
    #[arg(long, value_name = "TYPE", value_parser = ServiceType::parse, help_heading = "Filters")]
    pub service_type: Vec<ServiceType>,
    /// expired, within_30, within_90 or normal
    #[arg(long, value_parser = Window::parse, help_heading = "Filters")]
    pub window: Vec<Window>,
    /// Renewal status, derived pending included (id, kebab or Chinese)
    #[arg(long, value_parser = Status::parse, help_heading = "Filters")]
    pub status: Vec<Status>,
    /// normal or abnormal
    #[arg(long, value_parser = RunStatus::parse, help_heading = "Filters")]
    pub run_status: Vec<RunStatus>,
    /// Expiry on or after DATE
    #[arg(long, value_name = "DATE", value_parser = parse_day, help_heading = "Filters")]
    pub expires_after: Option<NaiveDate>,
    /// Expiry on or before DATE
    #[arg(long, value_name = "DATE", value_parser = parse_day, help_heading = "Filters")]
    pub expires_before: Option<NaiveDate>,
    /// Health band as of today: danger, fair, healthy or unknown (or
    /// Chinese); in `list`, the customer's (the worst known of its services)
    #[arg(long, value_name = "BAND", value_parser = Band::parse, help_heading = "Filters")]
    pub health: Vec<Band>,
}

/// The filters on whose services they are: the customer and its
/// attributes (also what `tasks list` takes).
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
    /// Shorthand for --csm $XAAS_CSM
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

impl FilterArgs {
    pub fn to_filters(&self) -> Result<Filters> {
        let mut f = Filters {
            service_type: self.service_type.clone(),
            window: self.window.clone(),
            status: self.status.clone(),
            run_status: self.run_status.clone(),
            expires_after: self.expires_after,
            expires_before: self.expires_before,
            health: self.health.clone(),
            ..Filters::default()
        };
        self.customers.add_to(&mut f)?;
        Ok(f)
    }
}

impl CustomerFilterArgs {
    pub fn to_filters(&self) -> Result<Filters> {
        let mut f = Filters::default();
        self.add_to(&mut f)?;
        Ok(f)
    }

    fn add_to(&self, f: &mut Filters) -> Result<()> {
        let mut csm = self.csm.clone();
        if self.mine {
            csm.push(my_csm()?);
        }
        f.customer = self.customer.clone();
        f.search = self.search.clone();
        f.attr(Col::Csm, csm);
        f.attr(Col::Tier, self.tier.clone());
        f.attr(Col::Industry, self.industry.clone());
        f.attr(Col::Region, self.region.clone());
        f.attr(Col::Department, self.department.clone());
        f.attr(Col::DistributorType, self.distributor.clone());
        Ok(())
    }
}

/// `--mine`: the CSM named by `XAAS_CSM`.
pub fn my_csm() -> Result<String> {
    match std::env::var("XAAS_CSM") {
        Ok(me) if !me.trim().is_empty() => Ok(me.trim().to_string()),
        _ => Err(UsageError(
            "--mine needs XAAS_CSM set to your CSM name (or use --csm NAME)".into(),
        )
        .into()),
    }
}
