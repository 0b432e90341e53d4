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

#[cfg(test)]
mod tests {
    use super::*;

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
