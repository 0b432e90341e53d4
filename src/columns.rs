//! The service-list columns: English ids, Chinese headers, and which are
//! data (imported) and which are derived (written by export, ignored on
//! import). Import and export read this one table.

use crate::labels::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Col {
    CustomerId,
    CustomerName,
    Industry,
    Region,
    Size,
    Tier,
    Department,
    DistributorType,
    Csm,
    Sales,
    SalesContact,
    ServiceId,
    ServiceType,
    Product,
    StartDate,
    ExpiryDate,
    Amount,
    Accounts,
    RunStatus,
    DaysLeft,
    Window,
    Status,
    StatusChangedAt,
    LastFollowupAt,
    RenewalOf,
}

/// Export order: the import headers, the derived columns, `renewal_of` last.
pub const EXPORT: [Col; 25] = [
    Col::CustomerId,
    Col::CustomerName,
    Col::Industry,
    Col::Region,
    Col::Size,
    Col::Tier,
    Col::Department,
    Col::DistributorType,
    Col::Csm,
    Col::Sales,
    Col::SalesContact,
    Col::ServiceId,
    Col::ServiceType,
    Col::Product,
    Col::StartDate,
    Col::ExpiryDate,
    Col::Amount,
    Col::Accounts,
    Col::RunStatus,
    Col::DaysLeft,
    Col::Window,
    Col::Status,
    Col::StatusChangedAt,
    Col::LastFollowupAt,
    Col::RenewalOf,
];

/// The customer attributes that import may set besides the name, in
/// storage order.
pub const CUSTOMER_ATTRS: [Col; 9] = [
    Col::Industry,
    Col::Region,
    Col::Size,
    Col::Tier,
    Col::Department,
    Col::DistributorType,
    Col::Csm,
    Col::Sales,
    Col::SalesContact,
];

pub const REQUIRED: [Col; 5] = [
    Col::CustomerId,
    Col::CustomerName,
    Col::ServiceId,
    Col::ServiceType,
    Col::ExpiryDate,
];

impl Col {
    pub fn id(self) -> &'static str {
        self.names().0
    }

    pub fn zh(self) -> &'static str {
        self.names().1
    }

    pub fn header(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.id(),
            Lang::Zh => self.zh(),
        }
    }

    fn names(self) -> (&'static str, &'static str) {
        match self {
            Col::CustomerId => ("customer_id", "客户ID"),
            Col::CustomerName => ("customer_name", "客户名称"),
            Col::Industry => ("industry", "行业"),
            Col::Region => ("region", "区域"),
            Col::Size => ("size", "规模"),
            Col::Tier => ("tier", "客户等级"),
            Col::Department => ("department", "归属部门"),
            Col::DistributorType => ("distributor_type", "总代业绩类型"),
            Col::Csm => ("csm", "客户经营接口人"),
            Col::Sales => ("sales", "销售"),
            Col::SalesContact => ("sales_contact", "销售联系方式"),
            Col::ServiceId => ("service_id", "服务ID"),
            Col::ServiceType => ("service_type", "服务类型"),
            Col::Product => ("product", "产品名称"),
            Col::StartDate => ("start_date", "开始时间"),
            Col::ExpiryDate => ("expiry_date", "到期时间"),
            Col::Amount => ("amount", "金额"),
            Col::Accounts => ("accounts", "开通账号数"),
            Col::RunStatus => ("run_status", "运行状态"),
            Col::DaysLeft => ("days_left", "剩余天数"),
            Col::Window => ("window", "到期状态"),
            Col::Status => ("status", "续费跟进状态"),
            Col::StatusChangedAt => ("status_changed_at", "状态变更时间"),
            Col::LastFollowupAt => ("last_followup_at", "最近跟进时间"),
            Col::RenewalOf => ("renewal_of", "原服务ID"),
        }
    }

    /// Written by export from the database's state; never imported.
    pub fn is_derived(self) -> bool {
        matches!(
            self,
            Col::DaysLeft | Col::Window | Col::Status | Col::StatusChangedAt | Col::LastFollowupAt
        )
    }

    /// Matches a header cell: English id or Chinese name, case, spaces,
    /// `_` and `-` ignored.
    pub fn from_header(h: &str) -> Option<Col> {
        let key = header_key(h);
        EXPORT
            .iter()
            .copied()
            .find(|c| header_key(c.id()) == key || header_key(c.zh()) == key)
    }
}

fn header_key(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_either_language_loosely() {
        assert_eq!(Col::from_header("customer_id"), Some(Col::CustomerId));
        assert_eq!(Col::from_header(" Customer ID "), Some(Col::CustomerId));
        assert_eq!(Col::from_header("EXPIRY-DATE"), Some(Col::ExpiryDate));
        assert_eq!(Col::from_header("客户ID"), Some(Col::CustomerId));
        assert_eq!(Col::from_header("客户 id"), Some(Col::CustomerId));
        assert_eq!(Col::from_header("到期时间"), Some(Col::ExpiryDate));
        assert_eq!(Col::from_header("原服务ID"), Some(Col::RenewalOf));
        assert_eq!(Col::from_header("\u{feff}客户ID"), Some(Col::CustomerId));
        assert_eq!(Col::from_header("favourite colour"), None);
    }

    #[test]
    fn every_column_round_trips_its_headers() {
        for c in EXPORT {
            assert_eq!(Col::from_header(c.id()), Some(c));
            assert_eq!(Col::from_header(c.zh()), Some(c));
        }
    }
}
