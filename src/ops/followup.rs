//! `followup set`: plan the status changes, then write them, or nothing.

use crate::db::{followup as store, query, Db};
use crate::error::{Error, Result};
use crate::followup::{plan_customers, plan_services, Change, Request};
use crate::history::Actor;
use crate::record::Notes;
use crate::window::Window;

/// Which services a `followup set` is about.
#[derive(Clone, Debug)]
pub enum Target {
    /// These customers' open services in the follow-up window (only
    /// window `only`, if given); each customer by id or a unique part of
    /// its name.
    Customers {
        queries: Vec<String>,
        only: Option<Window>,
    },
    /// Exactly these services, closed ones too.
    Services(Vec<String>),
}

/// Sets the status of the target's services and writes one record per
/// customer, all in one transaction: every change, or (with every
/// refusal listed) none.
pub fn set(
    db: &mut Db,
    target: &Target,
    req: &Request,
    notes: &Notes,
    who: &Actor,
) -> Result<Vec<Change>> {
    let today = who.today;
    db.write(|tx| {
        let plan = match target {
            Target::Customers { queries, only } => {
                let mut customers: Vec<(String, String)> = Vec::new();
                for q in queries {
                    let c = query::find_customer(tx, q)?;
                    if !customers.iter().any(|(id, _)| *id == c.id) {
                        customers.push((c.id, c.name));
                    }
                }
                let ids: Vec<String> = customers.iter().map(|(id, _)| id.clone()).collect();
                let services = store::candidates_of_customers(tx, &ids)?;
                plan_customers(&customers, &services, *only, req, today)
            }
            Target::Services(ids) => {
                let services = store::candidates_of_services(tx, ids)?;
                plan_services(&services, req, today)
            }
        };
        let changes = plan.map_err(|refused| {
            Error::Refused(format!(
                "nothing changed; {} refused:\n{}",
                refused.len(),
                refused
                    .iter()
                    .map(|r| format!("  {r}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ))
        })?;
        store::apply(tx, &changes, notes, who)?;
        Ok(changes)
    })
}
