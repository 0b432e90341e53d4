//! `stats`: the dashboard's captions and words, and `stats --explain`.
//! Figures' names and formulas travel with the figures (`xaas::stats`).

use super::messages;

messages! {
    /// The dashboard's first line.
    as_of_line(date, services, customers) {
        en: "as of {date} · {services} services · {customers} customers",
        zh: "截至 {date} · {services} 个服务 · {customers} 个客户",
    }
    /// Rows of the strip of windows.
    row_services() {
        en: "services",
        zh: "服务数",
    }
    row_amount() {
        en: "amount",
        zh: "金额",
    }
    row_customers() {
        en: "customers",
        zh: "客户数",
    }
    /// Leads of the lines of counts (the items follow).
    status_lead() {
        en: "status: ",
        zh: "续费跟进状态: ",
    }
    type_lead() {
        en: "type: ",
        zh: "服务类型: ",
    }
    health_lead() {
        en: "customers by health: ",
        zh: "客户健康度: ",
    }
    cohort_title(from, to) {
        en: "renewal cohort, expiring {from} … {to}",
        zh: "续费统计（到期日 {from} … {to}）",
    }
    due_terms(n) {
        en: "due terms {n}",
        zh: "到期 {n}",
    }
    renewed_terms(n) {
        en: "renewed {n}",
        zh: "已续费 {n}",
    }
    open_terms(n) {
        en: "open {n}",
        zh: "跟进中 {n}",
    }
    lost_terms(n, lapsed) {
        en: "lost {n} (lapsed {lapsed})",
        zh: "流失 {n}（其中逾期未续 {lapsed}）",
    }
    suspended_terms(n) {
        en: "suspended {n}",
        zh: "挂起 {n}",
    }
    /// The rates' lines are aligned with the indicators' below them: the
    /// rate starts at the same column (a Chinese character is two wide).
    logo_rate_line(rate, renewed, due) {
        en: "  logo rate 续约率         {rate:>7}   ({renewed} / {due} customers)",
        zh: "  续约率                 {rate:>7}   ({renewed} / {due} 个客户)",
    }
    amount_rate_line(rate, renewed, due) {
        en: "  amount rate 续费率       {rate:>7}   ({renewed} / {due})",
        zh: "  续费率                 {rate:>7}   ({renewed} / {due})",
    }
    healthy_rate_line(rate, healthy, rated) {
        en: "  healthy rate 健康率      {rate:>7}   ({healthy} / {rated} with a known band)",
        zh: "  健康率                 {rate:>7}   ({healthy} / {rated} 个健康度已知的客户)",
    }
    kpis_title() {
        en: "the work around renewals",
        zh: "续费工作指标",
    }
    reasons_title() {
        en: "non-renewal reasons",
        zh: "不续费原因",
    }
    touch_title() {
        en: "touch rate (a record in the cohort's span)",
        zh: "翻动率（统计期内有跟进记录）",
    }
    /// The group of every service, and that of services with no value in
    /// the split's column (`--by`).
    all_groups() {
        en: "(all)",
        zh: "(全部)",
    }
    no_value_group() {
        en: "(none)",
        zh: "(无)",
    }
    /// `stats --explain`'s first line.
    explain_title(date, from, to) {
        en: "as of {date} · renewal cohort, expiring {from} … {to}",
        zh: "截至 {date} · 续费统计（到期日 {from} … {to}）",
    }
    /// A rate over a zero denominator, at the end of an equation.
    not_available() {
        en: "n/a",
        zh: "无",
    }
}
