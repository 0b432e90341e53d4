//! `followup set`: plan the status changes, then write them, or nothing.

use chrono::NaiveDate;

use crate::db::{followup as store, query, settings, Db};
use crate::error::{Error, Result};
use crate::followup::{check_request, plan_customers, plan_services, spreads, Planned, Request};
use crate::history::Actor;
use crate::record::Notes;
use crate::status::Status;
use crate::window::Window;

use super::tasks::{self, Resumed};

/// Which services a `followup set` is about.
#[derive(Clone, Debug)]
pub enum Target {
    /// These customers' open services in the follow-up window (only those
    /// in the windows `only` names, if any); each customer by id or a
    /// unique part of its name. When a customer's services lie in several
    /// windows and `only` names none, nothing changes: the error lists the
    /// windows to choose from. `skip_missing` skips (and names) customers
    /// with nothing to change instead of refusing the call.
    Customers {
        queries: Vec<String>,
        only: Vec<Window>,
        skip_missing: bool,
    },
    /// Exactly these services, closed ones too.
    Services(Vec<String>),
}

/// What a `followup set` wrote.
#[derive(Clone, Debug)]
pub struct Set {
    pub planned: Planned,
    /// The resume tasks of the services it suspended.
    pub resumed: Vec<Resumed>,
}

/// Sets the status of the target's services and writes one record per
/// customer, all in one transaction: every change, or (with every
/// refusal listed) none. Each service set to `suspended` gets a resume
/// task on `resume_on` (default: `task::default_resume_on`).
pub fn set(
    db: &mut Db,
    target: &Target,
    req: &Request,
    notes: &Notes,
    resume_on: Option<NaiveDate>,
    who: &Actor,
) -> Result<Set> {
    db.change(|tx| {
        let at = settings::as_of(tx, who.today)?;
        let plan = match target {
            Target::Customers {
                queries,
                only,
                skip_missing,
            } => {
                let mut customers: Vec<(String, String)> = Vec::new();
                for q in queries {
                    let c = query::find_customer(tx, q)?;
                    if !customers.iter().any(|(id, _)| *id == c.id) {
                        customers.push((c.id, c.name));
                    }
                }
                let ids: Vec<String> = customers.iter().map(|(id, _)| id.clone()).collect();
                let services = store::candidates_of_customers(tx, &ids)?;
                // A request no service could take is refused first.
                if only.is_empty() && check_request(req).is_ok() {
                    let spread = spreads(&customers, &services, at);
                    if !spread.is_empty() {
                        return Err(Error::ChooseWindow(spread));
                    }
                }
                plan_customers(&customers, &services, only, *skip_missing, req, at)
            }
            Target::Services(ids) => {
                let services = store::candidates_of_services(tx, ids)?;
                plan_services(&services, req, at).map(|changes| Planned {
                    changes,
                    skipped: Vec::new(),
                })
            }
        };
        let planned = plan.map_err(|refused| {
            let lines: Vec<String> = refused.iter().map(|r| format!("  {r}")).collect();
            Error::Refused(crate::msg::followup::nothing_changed_refused(
                refused.len(),
                lines.join("\n"),
            ))
        })?;
        store::apply(tx, &planned.changes, notes, who)?;
        let resumed = if planned.changes.iter().any(|c| c.to == Status::Suspended) {
            tasks::resume(tx, &planned.changes, resume_on, who)?
        } else {
            Vec::new()
        };
        Ok(Set { planned, resumed })
    })
}
