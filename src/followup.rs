//! `followup set` as a plan: which services change, and why others are
//! refused. Pure; the rules themselves are in `status`, the writing in
//! `db::followup`.

use chrono::NaiveDate;

use crate::clock::AsOf;
use crate::date::iso;

use crate::labels::Lang;
use crate::msg::followup as msg;
use crate::status::{check_manual_set, selected_by_customer, Reason, Status};
use crate::window::{days_left, Window};

/// A service that a `followup set` may touch, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub service_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub expiry: NaiveDate,
    pub stored: Status,
    /// The day its status last changed, if it did.
    pub changed_on: Option<NaiveDate>,
}

impl Candidate {
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        days_left(self.expiry, today)
    }

    pub fn window(&self, today: NaiveDate) -> Window {
        Window::from_days_left(self.days_left(today))
    }

    /// Rule 1: what the service shows today.
    /// Rules 1 and 11: what the service shows on that day.
    pub fn effective(&self, at: AsOf) -> Status {
        Status::effective_on(self.stored, self.days_left(at.today), at.grace_days)
    }
}

/// One service moving from one status to another (`from == to` is a
/// follow-up that confirms the status: a record, no history).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub service_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub term_expiry: NaiveDate,
    pub from: Status,
    pub to: Status,
}

impl Change {
    pub fn is_real(&self) -> bool {
        self.from != self.to
    }
}

/// What the CSM asked for.
#[derive(Clone, Debug)]
pub struct Request {
    pub to: Status,
    pub reason: Option<Reason>,
}

/// The changes, or every refusal (then nothing changes: one transaction).
pub type Plan = Result<Vec<Change>, Vec<String>>;

fn change(c: &Candidate, at: AsOf, to: Status) -> Change {
    Change {
        service_id: c.service_id.clone(),
        customer_id: c.customer_id.clone(),
        customer_name: c.customer_name.clone(),
        term_expiry: c.expiry,
        from: c.effective(at),
        to,
    }
}

/// Rules applying to the request as a whole, before any service.
pub fn check_request(req: &Request) -> Result<(), Vec<String>> {
    // Checked on a service that passes every other rule: only the request's
    // own faults (renewed, none, a missing reason) can remain.
    check_manual_set(Status::Pending, 0, 0, req.to, req.reason).map_err(|e| vec![e])
}

/// What customer mode will change: the changes, and the customers skipped
/// (`--skip-missing`) with why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Planned {
    pub changes: Vec<Change>,
    pub skipped: Vec<String>,
}

/// A customer whose services to change lie in more than one window, and
/// how many in each: which one was meant has to be asked (rule 10).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spread {
    pub customer_id: String,
    pub customer_name: String,
    pub windows: Vec<(Window, usize)>,
}

impl std::fmt::Display for Spread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lang = crate::msg::lang();
        let w: Vec<String> = self
            .windows
            .iter()
            .map(|(w, n)| msg::window_count(w.label(lang), n))
            .collect();
        let sep = crate::msg::pick(", ", "，");
        let line = msg::spread(&self.customer_id, &self.customer_name, w.join(sep));
        f.write_str(&line)
    }
}

/// Rule 10: the customers whose selected services (open, in the window)
/// span more than one window, when no `--window` narrows them.
pub fn spreads(customers: &[(String, String)], services: &[Candidate], at: AsOf) -> Vec<Spread> {
    let mut out = Vec::new();
    for (id, name) in customers {
        let mut windows: Vec<(Window, usize)> = Vec::new();
        for s in services.iter().filter(|s| &s.customer_id == id) {
            let w = s.window(at.today);
            if !selected_by_customer(s.effective(at), w, &[]) {
                continue;
            }
            match windows.iter_mut().find(|(x, _)| *x == w) {
                Some((_, n)) => *n += 1,
                None => windows.push((w, 1)),
            }
        }
        if windows.len() > 1 {
            windows.sort();
            out.push(Spread {
                customer_id: id.clone(),
                customer_name: name.clone(),
                windows,
            });
        }
    }
    out
}

/// Rule 10, customer mode: each customer's open in-window services (only
/// those in the windows `only` names, if any). A customer with none is
/// refused (rule 7), or with `skip_missing` skipped and named.
/// `customers` are (id, name) in the order asked; `services` all of theirs.
pub fn plan_customers(
    customers: &[(String, String)],
    services: &[Candidate],
    only: &[Window],
    skip_missing: bool,
    req: &Request,
    at: AsOf,
) -> Result<Planned, Vec<String>> {
    check_request(req)?;
    let mut planned = Planned::default();
    let mut refused = Vec::new();
    for (id, name) in customers {
        let mine: Vec<&Candidate> = services.iter().filter(|s| &s.customer_id == id).collect();
        let picked: Vec<&Candidate> = mine
            .iter()
            .copied()
            .filter(|s| selected_by_customer(s.effective(at), s.window(at.today), only))
            .collect();
        if picked.is_empty() {
            let why = no_open_service(id, name, &mine, only, at);
            if skip_missing {
                planned.skipped.push(why);
            } else {
                refused.push(why);
            }
            continue;
        }
        for s in picked {
            match allowed(s, req, at) {
                Ok(()) => planned.changes.push(change(s, at, req.to)),
                Err(e) => refused.push(msg::refused_service(&s.service_id, name, e)),
            }
        }
    }
    if refused.is_empty() {
        Ok(planned)
    } else {
        Err(refused)
    }
}

fn no_open_service(id: &str, name: &str, mine: &[&Candidate], only: &[Window], at: AsOf) -> String {
    let scope = match only {
        [] => msg::in_followup_window(),
        [w] => msg::in_window(w),
        ws => msg::in_windows(ws.iter().map(|w| w.id()).collect::<Vec<_>>().join(", ")),
    };
    let closed = mine
        .iter()
        .filter(|s| s.window(at.today).in_followup() && !s.effective(at).is_open())
        .map(|s| {
            let status = s.effective(at).label(crate::msg::lang());
            msg::service_is(&s.service_id, status)
        })
        .collect::<Vec<_>>();
    let nearest = mine
        .iter()
        .filter(|s| !s.window(at.today).in_followup())
        .map(|s| s.days_left(at.today))
        .min();
    let mut out = msg::no_open_service(id, name, scope);
    if !closed.is_empty() {
        out.push_str(&msg::closed_services(closed.join(", ")));
    }
    if let Some(n) = nearest {
        out.push_str(&msg::next_expiry_in(n));
    }
    out
}

/// A change under a `--today` before the day the service's status last
/// changed would be dated out of order: its history would say the later
/// change came from a status it never had. Refused, with the day.
fn in_order(s: &Candidate, at: AsOf) -> Result<(), String> {
    match s.changed_on {
        Some(day) if day > at.today => Err(msg::changed_later(iso(day), iso(at.today))),
        _ => Ok(()),
    }
}

/// May `req` change `s` on `at`: in date order, and by the state machine.
fn allowed(s: &Candidate, req: &Request, at: AsOf) -> Result<(), String> {
    in_order(s, at)?;
    check_manual_set(
        s.effective(at),
        s.days_left(at.today),
        at.grace_days,
        req.to,
        req.reason,
    )
}

/// `--service` mode: each named service, open or closed, if the rules let
/// it change.
pub fn plan_services(services: &[Candidate], req: &Request, at: AsOf) -> Plan {
    check_request(req)?;
    let mut changes = Vec::new();
    let mut refused = Vec::new();
    for s in services {
        match allowed(s, req, at) {
            Ok(()) => changes.push(change(s, at, req.to)),
            Err(e) => refused.push(msg::refused_service(&s.service_id, &s.customer_name, e)),
        }
    }
    if refused.is_empty() {
        Ok(changes)
    } else {
        Err(refused)
    }
}

/// "3 services of 华宇科技: pending → at_risk (S1, S2, S3)", one line per
/// customer and move, in the order of the changes: every service changed
/// is named. The statuses are labelled in `lang`; the sentence is in the
/// language of messages.
pub fn summary(changes: &[Change], lang: Lang) -> Vec<String> {
    let mut groups: Vec<(&str, Status, Status, Vec<&str>)> = Vec::new();
    for c in changes {
        match groups
            .iter_mut()
            .find(|g| g.0 == c.customer_name && g.1 == c.from && g.2 == c.to)
        {
            Some(g) => g.3.push(&c.service_id),
            None => groups.push((&c.customer_name, c.from, c.to, vec![&c.service_id])),
        }
    }
    groups
        .into_iter()
        .map(|(name, from, to, ids)| {
            let (from_l, to_l) = (from.label(lang), to.label(lang));
            let n = ids.len();
            let ids = ids.join(", ");
            if from == to {
                msg::still(n, name, to_l, ids)
            } else {
                msg::moved(n, name, from_l, to_l, ids)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-11-23";

    fn today() -> NaiveDate {
        TODAY.parse().unwrap()
    }

    fn at() -> AsOf {
        AsOf::with_defaults(today())
    }

    fn svc(id: &str, customer: &str, days: i64, stored: Status) -> Candidate {
        Candidate {
            service_id: id.into(),
            customer_id: customer.into(),
            customer_name: format!("name of {customer}"),
            expiry: today() + chrono::Duration::days(days),
            stored,
            changed_on: None,
        }
    }

    #[test]
    fn a_change_dated_before_the_last_one_is_refused_with_its_day() {
        let mut s = svc("S1", "C1", 40, Status::NoRisk);
        s.changed_on = Some(today() + chrono::Duration::days(1));
        let refused = plan_services(&[s.clone()], &req(Status::AtRisk), at()).unwrap_err();
        assert_eq!(refused.len(), 1);
        assert!(refused[0].contains("2026-11-24"), "{refused:?}");
        // The same day as the last change is in order.
        s.changed_on = Some(today());
        assert!(plan_services(&[s], &req(Status::AtRisk), at()).is_ok());
    }

    fn req(to: Status) -> Request {
        Request { to, reason: None }
    }

    fn cust(id: &str) -> (String, String) {
        (id.into(), format!("name of {id}"))
    }

    #[test]
    fn customer_mode_takes_open_in_window_services_and_skips_the_rest() {
        let services = [
            svc("S1", "C1", 10, Status::Unset),
            svc("S2", "C1", 60, Status::NoRisk),
            svc("S3", "C1", 91, Status::Unset),
            svc("S4", "C1", 20, Status::NotRenewing),
            svc("S5", "C1", -3, Status::Unset),
        ];
        let plan = plan_customers(
            &[cust("C1")],
            &services,
            &[],
            false,
            &req(Status::AtRisk),
            at(),
        )
        .unwrap()
        .changes;
        let ids: Vec<_> = plan.iter().map(|c| c.service_id.as_str()).collect();
        assert_eq!(ids, ["S1", "S2", "S5"]);
        assert_eq!(plan[0].from, Status::Pending);
        assert_eq!(plan[1].from, Status::NoRisk);
        assert!(plan.iter().all(|c| c.to == Status::AtRisk));
    }

    #[test]
    fn window_narrows_customer_mode() {
        let services = [
            svc("S1", "C1", 30, Status::Unset),
            svc("S2", "C1", 31, Status::Unset),
            svc("S3", "C1", 90, Status::Unset),
        ];
        let plan = plan_customers(
            &[cust("C1")],
            &services,
            &[Window::Within90],
            false,
            &req(Status::NoRisk),
            at(),
        )
        .unwrap()
        .changes;
        let ids: Vec<_> = plan.iter().map(|c| c.service_id.as_str()).collect();
        assert_eq!(ids, ["S2", "S3"]);
    }

    #[test]
    fn a_customer_with_nothing_open_refuses_the_whole_call() {
        let services = [
            svc("S1", "C1", 10, Status::Unset),
            svc("S2", "C2", 91, Status::Unset),
            svc("S3", "C2", 15, Status::Suspended),
        ];
        let err = plan_customers(
            &[cust("C1"), cust("C2")],
            &services,
            &[],
            false,
            &req(Status::AtRisk),
            at(),
        )
        .unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(err[0].contains("C2"), "{}", err[0]);
        assert!(err[0].contains("S3 is suspended"), "{}", err[0]);
        assert!(err[0].contains("91 days away"), "{}", err[0]);
    }

    #[test]
    fn a_window_with_nothing_open_is_named() {
        let services = [svc("S1", "C1", 10, Status::Unset)];
        let err = plan_customers(
            &[cust("C1")],
            &services,
            &[Window::Within90],
            false,
            &req(Status::AtRisk),
            at(),
        )
        .unwrap_err();
        assert!(err[0].contains("in window within_90"), "{}", err[0]);
    }

    #[test]
    fn a_customer_whose_services_span_windows_is_asked_about() {
        let services = [
            svc("S1", "C1", -3, Status::Unset),
            svc("S2", "C1", -20, Status::AtRisk),
            svc("S8", "C1", -40, Status::AtRisk), // lapsed: closed, not asked about
            svc("S3", "C1", 3, Status::Unset),
            svc("S4", "C1", 84, Status::Unset),
            svc("S5", "C1", 10, Status::NotRenewing),
            svc("S6", "C2", 5, Status::Unset),
            svc("S7", "C2", 200, Status::Unset),
        ];
        let s = spreads(&[cust("C1"), cust("C2")], &services, at());
        assert_eq!(s.len(), 1, "C2 has one window with open services");
        assert_eq!(
            s[0].windows,
            [
                (Window::Expired, 2),
                (Window::Within30, 1),
                (Window::Within90, 1)
            ]
        );
        assert_eq!(
            s[0].to_string(),
            "C1 (name of C1): expired 2, within_30 1, within_90 1"
        );
        let two = plan_customers(
            &[cust("C1")],
            &services,
            &[Window::Within30, Window::Within90],
            false,
            &req(Status::NoRisk),
            at(),
        )
        .unwrap();
        let ids: Vec<_> = two.changes.iter().map(|c| c.service_id.as_str()).collect();
        assert_eq!(ids, ["S3", "S4"]);
    }

    #[test]
    fn skip_missing_names_the_customers_it_skips() {
        let services = [
            svc("S1", "C1", 10, Status::Unset),
            svc("S2", "C2", 200, Status::Unset),
        ];
        let planned = plan_customers(
            &[cust("C1"), cust("C2")],
            &services,
            &[],
            true,
            &req(Status::AtRisk),
            at(),
        )
        .unwrap();
        assert_eq!(planned.changes.len(), 1);
        assert_eq!(planned.skipped.len(), 1);
        assert!(planned.skipped[0].starts_with("C2 (name of C2) has no open service"));
    }

    #[test]
    fn service_mode_reopens_closed_services() {
        let services = [svc("S4", "C1", 20, Status::NotRenewing)];
        let plan = plan_services(&services, &req(Status::Renewing), at()).unwrap();
        assert_eq!(plan[0].from, Status::NotRenewing);
        assert_eq!(plan[0].to, Status::Renewing);
    }

    #[test]
    fn service_mode_lists_every_refusal_with_days_left() {
        let services = [
            svc("S1", "C1", 10, Status::Unset),
            svc("S2", "C1", 91, Status::Unset),
            svc("S3", "C2", 200, Status::Unset),
            svc("S4", "C2", 5, Status::Renewed),
        ];
        let err = plan_services(&services, &req(Status::AtRisk), at()).unwrap_err();
        assert_eq!(err.len(), 3, "{err:?}");
        assert!(err[0].starts_with("S2") && err[0].contains("91 days left"));
        assert!(err[1].starts_with("S3") && err[1].contains("200 days left"));
        assert!(err[2].starts_with("S4") && err[2].contains("already renewed"));
    }

    #[test]
    fn boundaries_of_the_window_in_service_mode() {
        for (days, ok) in [
            (-1, true),
            (0, true),
            (30, true),
            (31, true),
            (90, true),
            (91, false),
        ] {
            let services = [svc("S1", "C1", days, Status::Unset)];
            assert_eq!(
                plan_services(&services, &req(Status::NoRisk), at()).is_ok(),
                ok,
                "days_left {days}"
            );
        }
    }

    #[test]
    fn request_faults_are_reported_once() {
        let services = [
            svc("S1", "C1", 10, Status::Unset),
            svc("S2", "C1", 11, Status::Unset),
        ];
        let err = plan_services(&services, &req(Status::NotRenewing), at()).unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(err[0].contains("--reason"));
        let err = plan_services(&services, &req(Status::Renewed), at()).unwrap_err();
        assert_eq!(err.len(), 1);
        let with_reason = Request {
            to: Status::NotRenewing,
            reason: Some(Reason::Budget),
        };
        assert_eq!(
            plan_services(&services, &with_reason, at()).unwrap().len(),
            2
        );
    }

    #[test]
    fn summary_groups_by_customer_and_move() {
        let services = [
            svc("S1", "C1", 10, Status::Unset),
            svc("S2", "C1", 20, Status::Unset),
            svc("S3", "C1", 25, Status::AtRisk),
            svc("S4", "C2", 25, Status::NoRisk),
        ];
        let plan = plan_services(&services, &req(Status::AtRisk), at()).unwrap();
        assert_eq!(
            summary(&plan, Lang::En),
            [
                "2 services of name of C1: pending → at_risk (S1, S2)",
                "1 service of name of C1: still at_risk (follow-up recorded) (S3)",
                "1 service of name of C2: no_risk → at_risk (S4)",
            ]
        );
        assert_eq!(
            crate::msg::in_lang(Lang::Zh, || summary(&plan[..1], Lang::Zh)),
            ["name of C1 的 1 个服务: 待跟进 → 跟进中-有风险（S1）"]
        );
        assert!(plan[0].is_real() && !plan[2].is_real());
    }
}
