//! The service list's columns (服务清单): the one registry that import,
//! export, the read commands, the SQL column lists and both languages'
//! headers derive from. A new customer attribute is one line here and a
//! migration in `db::schema`.

use crate::labels::Lang;

/// Which table holds a column, or whether it is derived as of a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Home {
    /// `customers`: the id, the name, and the attributes.
    Customer,
    /// `services`: what the service list says about one service.
    Service,
    /// Written by export from the database's state; ignored on import.
    Derived,
}

macro_rules! registry {
    ($($var:ident = $id:literal, $zh:literal, $home:ident $(, $req:ident)?;)*) => {
        /// A column of the service list, in export order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Col { $($var),* }

        impl Col {
            /// Every column, in export order.
            pub const ALL: &'static [Col] = &[$(Col::$var),*];

            /// English header, JSON key and SQL column name.
            pub const fn id(self) -> &'static str {
                match self { $(Col::$var => $id),* }
            }

            /// Chinese header.
            pub const fn zh(self) -> &'static str {
                match self { $(Col::$var => $zh),* }
            }

            pub const fn home(self) -> Home {
                match self { $(Col::$var => Home::$home),* }
            }

            /// An import must have this column, and every row a value in it.
            pub const fn is_required(self) -> bool {
                match self { $(Col::$var => registry!(@req $($req)?)),* }
            }
        }
    };
    (@req required) => { true };
    (@req) => { false };
}

registry! {
    CustomerId = "customer_id", "客户ID", Customer, required;
    CustomerName = "customer_name", "客户名称", Customer, required;
    Industry = "industry", "行业", Customer;
    Region = "region", "区域", Customer;
    Size = "size", "规模", Customer;
    Tier = "tier", "客户等级", Customer;
    Department = "department", "归属部门", Customer;
    DistributorType = "distributor_type", "总代业绩类型", Customer;
    Csm = "csm", "客户经营接口人", Customer;
    Sales = "sales", "销售", Customer;
    SalesContact = "sales_contact", "销售联系方式", Customer;
    BudgetDate = "budget_date", "预算制定时间", Customer;
    ServiceId = "service_id", "服务ID", Service, required;
    ServiceType = "service_type", "服务类型", Service, required;
    Product = "product", "产品名称", Service;
    StartDate = "start_date", "开始时间", Service;
    ExpiryDate = "expiry_date", "到期时间", Service, required;
    Amount = "amount", "金额", Service;
    Accounts = "accounts", "开通账号数", Service;
    RunStatus = "run_status", "运行状态", Service;
    DaysLeft = "days_left", "剩余天数", Derived;
    Window = "window", "到期状态", Derived;
    Status = "status", "续费跟进状态", Derived;
    StatusChangedAt = "status_changed_at", "状态变更时间", Derived;
    LastFollowupAt = "last_followup_at", "最近跟进时间", Derived;
    RenewalOf = "renewal_of", "原服务ID", Service;
    Reason = "reason", "不续费原因", Derived;
    ReasonDetail = "reason_detail", "原因说明", Derived;
    LastNote = "last_note", "最近跟进内容", Derived;
    PreviousExpiry = "previous_expiry", "上期到期时间", Derived;
    PreviousAmount = "previous_amount", "上期金额", Derived;
    Health = "health", "健康度", Derived;
    HealthScore = "health_score", "健康分", Derived;
}

/// How many columns have this home (a constant, for array sizes).
pub const fn count_home(home: Home) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < Col::ALL.len() {
        if Col::ALL[i].home() as u8 == home as u8 {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The customer's columns come first in the list: this many.
pub const CUSTOMER_COLUMNS: usize = count_home(Home::Customer);

/// How many attributes a customer has besides its id and name.
pub const ATTR_COUNT: usize = CUSTOMER_COLUMNS - 2;

/// The customer attributes import may set besides the name, in storage
/// order: the customer's columns after the id and the name.
pub const CUSTOMER_ATTRS: [Col; ATTR_COUNT] = {
    let mut out = [Col::CustomerName; ATTR_COUNT];
    let mut i = 0;
    while i < ATTR_COUNT {
        out[i] = Col::ALL[i + 2];
        i += 1;
    }
    out
};

/// Columns whose change by an import is an `attribute` entry in the
/// history (rule 5): a reassignment or an account drop has a date.
pub const TRACKED: [Col; 7] = [
    Col::Csm,
    Col::Tier,
    Col::Sales,
    Col::Amount,
    Col::Accounts,
    Col::RunStatus,
    Col::Product,
];

impl Col {
    pub fn header(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.id(),
            Lang::Zh => self.zh(),
        }
    }

    pub fn is_derived(self) -> bool {
        self.home() == Home::Derived
    }

    /// A column of dates: import reads it as one (`2026/3/1` is
    /// `2026-03-01`) and stores it as ISO text, which sorts and compares.
    pub fn is_date(self) -> bool {
        matches!(self, Col::StartDate | Col::ExpiryDate | Col::BudgetDate)
    }

    /// This attribute's place in `CUSTOMER_ATTRS`.
    pub fn attr_index(self) -> Option<usize> {
        CUSTOMER_ATTRS.iter().position(|&c| c == self)
    }

    /// Every column with this home, in export order.
    pub fn of(home: Home) -> impl Iterator<Item = Col> {
        Col::ALL.iter().copied().filter(move |c| c.home() == home)
    }

    /// Matches a header cell: English id or Chinese name, case, spaces,
    /// `_` and `-` ignored.
    pub fn from_header(h: &str) -> Option<Col> {
        let key = header_key(h);
        Col::ALL
            .iter()
            .copied()
            .find(|c| header_key(c.id()) == key || header_key(c.zh()) == key)
    }
}

/// A header cell as matched: BOM, whitespace, `_` and `-` dropped,
/// lower case.
pub fn header_key(h: &str) -> String {
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
        assert_eq!(Col::from_header("Budget Date"), Some(Col::BudgetDate));
        assert_eq!(Col::from_header("预算制定时间"), Some(Col::BudgetDate));
        assert_eq!(Col::from_header("\u{feff}客户ID"), Some(Col::CustomerId));
        assert_eq!(Col::from_header("favourite colour"), None);
    }

    #[test]
    fn every_column_round_trips_its_headers() {
        for &c in Col::ALL {
            assert_eq!(Col::from_header(c.id()), Some(c));
            assert_eq!(Col::from_header(c.zh()), Some(c));
        }
    }

    #[test]
    fn the_customer_comes_first_then_its_services() {
        assert_eq!(CUSTOMER_COLUMNS, 12);
        assert!(Col::ALL[..CUSTOMER_COLUMNS]
            .iter()
            .all(|c| c.home() == Home::Customer));
        assert_eq!(Col::ALL[0], Col::CustomerId);
        assert_eq!(Col::ALL[1], Col::CustomerName);
        assert_eq!(CUSTOMER_ATTRS[0], Col::Industry);
        assert_eq!(CUSTOMER_ATTRS[ATTR_COUNT - 2], Col::SalesContact);
        // The budget date follows the sales contact in exports (SPEC).
        assert_eq!(CUSTOMER_ATTRS[ATTR_COUNT - 1], Col::BudgetDate);
        assert_eq!(Col::ALL[CUSTOMER_COLUMNS], Col::ServiceId);
        assert_eq!(Col::Csm.attr_index(), Some(6));
        assert_eq!(Col::ServiceId.attr_index(), None);
    }

    #[test]
    fn required_columns_are_the_five_the_spec_names() {
        let req: Vec<&str> = Col::ALL
            .iter()
            .filter(|c| c.is_required())
            .map(|c| c.id())
            .collect();
        assert_eq!(
            req,
            [
                "customer_id",
                "customer_name",
                "service_id",
                "service_type",
                "expiry_date"
            ]
        );
    }
}
