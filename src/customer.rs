//! A customer as the service list describes it: an id, a name, and the
//! attributes the column registry lists.

use crate::columns::{Col, ATTR_COUNT};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Customer {
    pub id: String,
    pub name: String,
    /// In `CUSTOMER_ATTRS` order; `None` is an empty cell.
    pub attrs: [Option<String>; ATTR_COUNT],
}

impl Customer {
    /// The value of a customer column (the id and the name included);
    /// `None` for an empty attribute or a column that is not the customer's.
    pub fn get(&self, c: Col) -> Option<&str> {
        match c {
            Col::CustomerId => Some(&self.id),
            Col::CustomerName => Some(&self.name),
            _ => c.attr_index().and_then(|i| self.attrs[i].as_deref()),
        }
    }

    pub fn csm(&self) -> Option<&str> {
        self.get(Col::Csm)
    }
}

/// The tiers in their business order, most valuable first.
pub const TIERS: [&str; 4] = ["KA", "A", "B", "C"];

/// Where a tier sorts: the business order of `TIERS` (case ignored, as
/// filters ignore it), then other tiers by their text, then no tier.
/// `db::query` sorts by SQL generated from `TIERS` and tested to agree.
pub fn tier_rank(tier: Option<&str>) -> (u8, &str) {
    const OTHER: u8 = TIERS.len() as u8;
    match tier.filter(|t| !t.is_empty()) {
        None => (OTHER + 1, ""),
        Some(t) => match TIERS.iter().position(|k| k.eq_ignore_ascii_case(t)) {
            Some(i) => (i as u8, t),
            None => (OTHER, t),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_sort_in_business_order_then_by_name_then_none() {
        let mut tiers = vec![
            None,
            Some("C"),
            Some("战略"),
            Some("ka"),
            Some("B"),
            Some(""),
            Some("D"),
            Some("KA"),
            Some("A"),
        ];
        tiers.sort_by_key(|t| tier_rank(*t));
        assert_eq!(
            tiers,
            [
                Some("KA"),
                Some("ka"),
                Some("A"),
                Some("B"),
                Some("C"),
                Some("D"),
                Some("战略"),
                None,
                Some("")
            ]
        );
        // The SQL that sorts by it compares with upper().
        assert!(TIERS.iter().all(|t| *t == t.to_ascii_uppercase()));
    }

    #[test]
    fn attributes_are_found_by_column() {
        let mut c = Customer {
            id: "C1".into(),
            name: "华宇".into(),
            ..Customer::default()
        };
        c.attrs[Col::Csm.attr_index().unwrap()] = Some("张伟".into());
        assert_eq!(c.get(Col::CustomerId), Some("C1"));
        assert_eq!(c.get(Col::CustomerName), Some("华宇"));
        assert_eq!(c.csm(), Some("张伟"));
        assert_eq!(c.get(Col::Tier), None);
        assert_eq!(c.get(Col::ServiceId), None);
    }
}
