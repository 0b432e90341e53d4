//! The renewal status (续费跟进状态) of a service's current term, and the
//! rules of the state machine. Pure: the database and the CLI only ask here.

use chrono::NaiveDate;

use crate::msg::followup as msg;
use crate::spelling::labelled_enum;
use crate::window::Window;

labelled_enum!(
    /// `Unset` (id `none`) is a term outside the window that nobody has
    /// touched: no status stored, not yet pending.
    Status, "status", "续费状态", {
        Unset = "none", "无";
        Pending = "pending", "待跟进";
        IdentifyingRisk = "identifying_risk", "跟进中-识别风险";
        AtRisk = "at_risk", "跟进中-有风险";
        NoRisk = "no_risk", "跟进中-无风险";
        Renewing = "renewing", "续费中";
        Suspended = "suspended", "挂起";
        NotRenewing = "not_renewing", "不续费";
        Renewed = "renewed", "已续费";
        Lapsed = "lapsed", "已流失", "流失";
    }
);

labelled_enum!(
    /// Why a customer will not renew (不续约原因).
    Reason, "reason", "不续费原因", {
        Budget = "budget", "预算原因", "预算";
        Satisfaction = "satisfaction", "满意度原因", "满意度";
        Business = "business", "商务原因", "商务";
        Operations = "operations", "企业经营", "企业经营原因", "经营原因", "经营";
        Needs = "needs", "客户需求原因", "客户需求";
        Other = "other", "其他原因", "其他";
    }
);

impl Status {
    /// Rule 1: a term with no stored status is `pending` once it is in the
    /// window. Derived on every read, so no cron job has to flip it.
    pub fn effective(stored: Status, window: Window) -> Status {
        match stored {
            Status::Unset if window.in_followup() => Status::Pending,
            s => s,
        }
    }

    /// Rules 1 and 11 as of a day: what a stored status shows `days_left`
    /// days before expiry. An open term more than `grace_days` past its
    /// expiry is lapsed (a suspended one never is). Derived on every read.
    pub fn effective_on(stored: Status, days_left: i64, grace_days: u32) -> Status {
        match Status::effective(stored, Window::from_days_left(days_left)) {
            s if s.is_open() && days_left < -i64::from(grace_days) => Status::Lapsed,
            s => s,
        }
    }

    /// Rule 9: still needs work this term.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Pending
                | Status::IdentifyingRisk
                | Status::AtRisk
                | Status::NoRisk
                | Status::Renewing
        )
    }

    /// Closed for the term: suspended, not renewing, renewed, or lapsed.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Status::Suspended | Status::NotRenewing | Status::Renewed | Status::Lapsed
        )
    }

    /// Stored form: NULL for none.
    pub fn to_db(self) -> Option<&'static str> {
        match self {
            Status::Unset => None,
            s => Some(s.id()),
        }
    }

    pub fn from_db(s: Option<&str>) -> Status {
        s.and_then(|s| Status::parse(s).ok())
            .unwrap_or(Status::Unset)
    }
}

/// Rules 2, 3 and 10: may a CSM set `to` by hand on a service whose
/// effective status is `current`, `days_left` from its expiry? The message
/// says why not, for the person who asked.
pub fn check_manual_set(
    current: Status,
    days_left: i64,
    grace_days: u32,
    to: Status,
    reason: Option<Reason>,
) -> Result<(), String> {
    if to == Status::Renewed {
        return Err(msg::renewed_only_by_renewal());
    }
    if to == Status::Lapsed {
        return Err(msg::lapsed_is_derived());
    }
    if to == Status::Unset {
        return Err(msg::none_cannot_be_set());
    }
    if !Window::from_days_left(days_left).in_followup() {
        return Err(msg::outside_window(days_left));
    }
    if current == Status::Renewed {
        return Err(msg::already_renewed());
    }
    // Rule 11: past the grace days an open status would lapse at once,
    // whether the term lapsed or was closed (and is being reopened).
    if days_left < -i64::from(grace_days) && to.is_open() {
        return Err(msg::past_grace(-days_left, grace_days));
    }
    if to == Status::NotRenewing && reason.is_none() {
        return Err(msg::not_renewing_needs_reason());
    }
    Ok(())
}

/// Rule 10: `followup set CUSTOMER` changes a customer's open in-window
/// services (only those in the windows `only` names, when it names any);
/// closed ones change only when named with `--service`.
pub fn selected_by_customer(current: Status, window: Window, only: &[Window]) -> bool {
    window.in_followup() && current.is_open() && (only.is_empty() || only.contains(&window))
}

/// Rules 4 and 8: a renewal by hand must move the expiry later; a new
/// term that ends on or before the old one is a correction, which comes
/// from the service list, not from `renew`.
pub fn check_renewal(current_expiry: NaiveDate, until: NaiveDate) -> Result<(), String> {
    if until <= current_expiry {
        return Err(msg::until_not_after_expiry(
            crate::date::iso(until),
            crate::date::iso(current_expiry),
        ));
    }
    Ok(())
}

/// Rule 8: the new term starts the day after the old one ends.
pub fn next_term_start(current_expiry: NaiveDate) -> NaiveDate {
    current_expiry.succ_opt().unwrap_or(current_expiry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn none_becomes_pending_on_entering_the_window() {
        assert_eq!(Status::effective(Unset, Window::Normal), Unset);
        assert_eq!(Status::effective(Unset, Window::Within90), Pending);
        assert_eq!(Status::effective(Unset, Window::Within30), Pending);
        assert_eq!(Status::effective(Unset, Window::Expired), Pending);
        assert_eq!(Status::effective(AtRisk, Window::Within30), AtRisk);
        assert_eq!(Status::effective(Renewed, Window::Normal), Renewed);
    }

    #[test]
    fn open_and_closed_are_rule_nine() {
        let open: Vec<_> = Status::ALL.iter().filter(|s| s.is_open()).collect();
        assert_eq!(
            open,
            [&Pending, &IdentifyingRisk, &AtRisk, &NoRisk, &Renewing]
        );
        let closed: Vec<_> = Status::ALL.iter().filter(|s| s.is_closed()).collect();
        assert_eq!(closed, [&Suspended, &NotRenewing, &Renewed, &Lapsed]);
        assert!(!Unset.is_open() && !Unset.is_closed());
    }

    #[test]
    fn parses_id_kebab_and_chinese() {
        assert_eq!(Status::parse("at_risk"), Ok(AtRisk));
        assert_eq!(Status::parse("at-risk"), Ok(AtRisk));
        assert_eq!(Status::parse("Identifying-Risk"), Ok(IdentifyingRisk));
        assert_eq!(Status::parse("跟进中-有风险"), Ok(AtRisk));
        assert_eq!(Status::parse("不续费"), Ok(NotRenewing));
        assert!(Status::parse("lost")
            .unwrap_err()
            .contains("not_renewing (不续费)"));
        assert_eq!(Reason::parse("预算原因"), Ok(Reason::Budget));
        assert_eq!(Reason::parse("Operations"), Ok(Reason::Operations));
    }

    /// Every dash and separator a CSM's keyboard makes, between the parts
    /// of a label or an id; none at all too.
    const SEPARATORS: [&str; 16] = [
        "-", "_", "－", "＿", "–", "—", "―", "‐", "‑", "⁃", " ", "　", "·", "・", " — ", "--",
    ];

    #[test]
    fn any_dash_or_separator_joins_the_parts() {
        for sep in SEPARATORS {
            for (a, b, want) in [
                ("跟进中", "有风险", AtRisk),
                ("跟进中", "无风险", NoRisk),
                ("跟进中", "识别风险", IdentifyingRisk),
                ("at", "risk", AtRisk),
                ("not", "renewing", NotRenewing),
                ("Identifying", "Risk", IdentifyingRisk),
            ] {
                let typed = format!("{a}{sep}{b}");
                assert_eq!(Status::parse(&typed), Ok(want), "{typed:?}");
            }
        }
        assert_eq!(Status::parse(" 跟进中 — 有风险 "), Ok(AtRisk));
        // A Chinese label may go without one; an English id may not.
        assert_eq!(Status::parse("跟进中有风险"), Ok(AtRisk));
        assert!(Status::parse("atrisk").is_err());
    }

    #[test]
    fn full_width_letters_and_digits_are_read_as_ascii() {
        assert_eq!(Status::parse("ＡＴ＿ＲＩＳＫ"), Ok(AtRisk));
        assert_eq!(Status::parse("ａｔ－ｒｉｓｋ"), Ok(AtRisk));
        assert_eq!(Status::parse("Ｎｏｔ　Ｒｅｎｅｗｉｎｇ"), Ok(NotRenewing));
        assert_eq!(Status::parse("ｐｅｎｄｉｎｇ"), Ok(Pending));
        assert_eq!(Status::parse("ｎｏｎｅ"), Ok(Unset));
        assert_eq!(Reason::parse("ＢＵＤＧＥＴ"), Ok(Reason::Budget));
    }

    #[test]
    fn short_chinese_forms_name_one_status() {
        for (typed, want) in [
            ("有风险", AtRisk),
            ("无风险", NoRisk),
            ("识别风险", IdentifyingRisk),
            ("待跟进", Pending),
            ("续费中", Renewing),
            ("挂起", Suspended),
            ("不续费", NotRenewing),
            ("已续费", Renewed),
            ("已流失", Lapsed),
            ("流失", Lapsed),
            ("无", Unset),
            (" 有风险 ", AtRisk),
            ("跟进中有风险", AtRisk),
        ] {
            assert_eq!(Status::parse(typed), Ok(want), "{typed}");
        }
    }

    #[test]
    fn an_ambiguous_short_form_lists_its_candidates() {
        let e = Status::parse("跟进中").unwrap_err();
        assert_eq!(
            e,
            "ambiguous status `跟进中`; it could be any of: identifying_risk (跟进中-识别风险), at_risk (跟进中-有风险), no_risk (跟进中-无风险)"
        );
        let zh = crate::msg::in_lang(crate::labels::Lang::Zh, || {
            Status::parse("跟进中—").unwrap_err()
        });
        assert!(
            zh.starts_with("续费状态 `跟进中—` 有歧义，可能是："),
            "{zh}"
        );
    }

    #[test]
    fn what_is_not_a_status_is_refused_with_the_choices() {
        // `一` is a Chinese character, `~` and `/` are not separators, and
        // `风险` is a part of no label.
        for typed in [
            "跟进中一有风险",
            "跟进中~有风险",
            "跟进中/有风险",
            "风险",
            "有风",
            "lost",
            "",
            "-",
        ] {
            let e = Status::parse(typed).unwrap_err();
            assert!(
                e.starts_with(&format!(
                    "unknown status `{typed}`; expected one of: none (无)"
                )),
                "{e}"
            );
        }
        let zh = crate::msg::in_lang(crate::labels::Lang::Zh, || {
            Status::parse("lost").unwrap_err()
        });
        assert!(
            zh.starts_with("无法识别的续费状态 `lost`；可选：none (无)"),
            "{zh}"
        );
    }

    #[test]
    fn reasons_take_any_separator_width_and_their_short_forms() {
        use Reason::*;
        for (typed, want) in [
            ("预算原因", Budget),
            ("预算", Budget),
            ("预算 原因", Budget),
            ("预算—原因", Budget),
            ("满意度", Satisfaction),
            ("满意度－原因", Satisfaction),
            ("商务", Business),
            ("企业经营", Operations),
            ("企业经营原因", Operations),
            ("经营", Operations),
            ("客户需求", Needs),
            ("客户_需求_原因", Needs),
            ("其他", Other),
            ("ＯＴＨＥＲ", Other),
            ("Operations", Operations),
        ] {
            assert_eq!(Reason::parse(typed), Ok(want), "{typed}");
        }
        for typed in ["原因", "客户", "价格", "budget~"] {
            let e = Reason::parse(typed).unwrap_err();
            assert!(e.starts_with(&format!("unknown reason `{typed}`")), "{e}");
        }
    }

    #[test]
    fn db_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_db(s.to_db()), *s);
        }
        assert_eq!(Unset.to_db(), None);
    }

    #[test]
    fn an_open_term_lapses_after_the_grace_days() {
        // Grace 30: lost on expiry + 31.
        for (stored, days, shown) in [
            (Unset, -30, Pending),
            (Unset, -31, Lapsed),
            (AtRisk, -30, AtRisk),
            (AtRisk, -31, Lapsed),
            (Renewing, -400, Lapsed),
            (Suspended, -400, Suspended),
            (NotRenewing, -400, NotRenewing),
            (Renewed, -400, Renewed),
            (Unset, 91, Unset),
            (Unset, 0, Pending),
        ] {
            assert_eq!(
                Status::effective_on(stored, days, 30),
                shown,
                "{stored} at {days}"
            );
        }
        assert_eq!(Status::effective_on(Pending, -1, 0), Lapsed);
        assert_eq!(Status::effective_on(Pending, 0, 0), Pending);
        assert!(Lapsed.is_closed() && !Lapsed.is_open());
    }

    #[test]
    fn a_lapsed_term_is_closed_only_with_an_outcome() {
        let e = check_manual_set(Lapsed, -40, 30, AtRisk, None).unwrap_err();
        assert!(e.contains("40 days past expiry"), "{e}");
        // Reopening a term closed before it lapsed would lapse it at once.
        assert!(check_manual_set(Suspended, -36, 30, AtRisk, None).is_err());
        assert!(check_manual_set(NotRenewing, -31, 30, Renewing, None).is_err());
        assert!(check_manual_set(NotRenewing, -30, 30, Renewing, None).is_ok());
        assert!(check_manual_set(Suspended, -36, 60, AtRisk, None).is_ok());
        assert!(check_manual_set(Lapsed, -40, 30, NotRenewing, Some(Reason::Budget)).is_ok());
        assert!(check_manual_set(Lapsed, -40, 30, Suspended, None).is_ok());
        assert!(check_manual_set(Pending, -10, 30, Lapsed, None)
            .unwrap_err()
            .contains("derived"));
    }

    #[test]
    fn renewed_is_never_set_by_hand() {
        let e = check_manual_set(Pending, 10, 30, Renewed, None).unwrap_err();
        assert!(e.contains("renew"), "{e}");
    }

    #[test]
    fn outside_the_window_is_refused_with_days_left() {
        let e = check_manual_set(Unset, 91, 30, AtRisk, None).unwrap_err();
        assert!(e.contains("91 days left"), "{e}");
        assert!(check_manual_set(Pending, 90, 30, AtRisk, None).is_ok());
        assert!(check_manual_set(Pending, 0, 30, AtRisk, None).is_ok());
        assert!(check_manual_set(Pending, -1, 30, AtRisk, None).is_ok());
    }

    #[test]
    fn not_renewing_needs_a_reason() {
        assert!(check_manual_set(Pending, 20, 30, NotRenewing, None).is_err());
        assert!(check_manual_set(Pending, 20, 30, NotRenewing, Some(Reason::Budget)).is_ok());
    }

    #[test]
    fn a_renewed_term_is_final() {
        assert!(check_manual_set(Renewed, 20, 30, AtRisk, None).is_err());
    }

    #[test]
    fn closed_terms_can_be_reopened_by_hand() {
        assert!(check_manual_set(NotRenewing, 20, 30, AtRisk, None).is_ok());
        assert!(check_manual_set(Suspended, 20, 30, Renewing, None).is_ok());
        assert!(check_manual_set(Pending, 20, 30, Suspended, None).is_ok());
    }

    #[test]
    fn none_is_not_a_target() {
        assert!(check_manual_set(Pending, 20, 30, Unset, None).is_err());
    }

    #[test]
    fn customer_mode_takes_open_in_window_services_only() {
        assert!(selected_by_customer(Pending, Window::Within30, &[]));
        assert!(selected_by_customer(AtRisk, Window::Expired, &[]));
        assert!(!selected_by_customer(Unset, Window::Normal, &[]));
        assert!(!selected_by_customer(NotRenewing, Window::Within30, &[]));
        assert!(!selected_by_customer(Suspended, Window::Within90, &[]));
        assert!(!selected_by_customer(Renewed, Window::Within30, &[]));
        assert!(selected_by_customer(
            Pending,
            Window::Within90,
            &[Window::Within90]
        ));
        assert!(!selected_by_customer(
            Pending,
            Window::Within30,
            &[Window::Within90]
        ));
    }

    #[test]
    fn a_renewal_must_extend_the_term() {
        let exp: NaiveDate = "2026-12-01".parse().unwrap();
        assert!(check_renewal(exp, "2026-12-01".parse().unwrap()).is_err());
        let e = check_renewal(exp, "2026-11-30".parse().unwrap()).unwrap_err();
        assert!(e.contains("2026-11-30") && e.contains("2026-12-01"), "{e}");
        assert!(check_renewal(exp, "2026-12-02".parse().unwrap()).is_ok());
        assert_eq!(
            next_term_start(exp),
            "2026-12-02".parse::<NaiveDate>().unwrap()
        );
    }
}
