//! `show`'s card of a customer, the captions of list-like views, and the
//! words every table prints (columns left out, empty lists, pages).

use super::messages;

messages! {
    /// The lead of `show`'s counts by window (the items follow).
    by_window() {
        en: "by window: ",
        zh: "服务到期统计: ",
    }
    by_status() {
        en: "by status: ",
        zh: "续费跟进状态: ",
    }
    by_type() {
        en: "by type: ",
        zh: "服务购买情况: ",
    }
    subscription_services(n) {
        en: "Subscription services ({n})",
        zh: "订阅服务 ({n})",
    }
    managed_services(n) {
        en: "Managed security services ({n})",
        zh: "安全托管服务 ({n})",
    }
    basic_services(n) {
        en: "Basic maintenance ({n})",
        zh: "基础服务 ({n})",
    }
    recent_records() {
        en: "Recent follow-ups",
        zh: "最近跟进记录",
    }
    open_tasks(n) {
        en: "Open tasks ({n})",
        zh: "待办任务 ({n})",
    }
    open_risks(n) {
        en: "Open risks ({n})",
        zh: "未关闭风险 ({n})",
    }
    open_leads(n) {
        en: "Open leads ({n})",
        zh: "未闭环线索 ({n})",
    }
    /// `on` is ` 2026-11-23` (the day of the state), or nothing.
    budget_line(date, state, on) {
        en: "Budget: {date} · {state}{on}",
        zh: "预算: {date} · {state}{on}",
    }
    /// A table too wide for the terminal: the columns it left out.
    columns_left_out(columns, width) {
        en: "note: {columns} left out to fit {width} columns; a wider terminal or --format tsv shows all",
        zh: "注意：为适应 {width} 列宽，未显示 {columns}；加宽终端或用 --format tsv 可看全部",
    }
    /// An empty list on a terminal (`risk list`, `lead list`, `budget list`).
    no_risks() {
        en: "no risks",
        zh: "没有风险",
    }
    no_open_risks() {
        en: "no open risks",
        zh: "没有未关闭的风险",
    }
    no_leads() {
        en: "no leads",
        zh: "没有线索",
    }
    no_open_leads() {
        en: "no open leads",
        zh: "没有未闭环的线索",
    }
    no_budgets() {
        en: "no budgets",
        zh: "没有预算",
    }
    no_budgets_to_submit() {
        en: "no budgets waiting to be submitted",
        zh: "没有待提交的预算",
    }
    no_changes_yet(target) {
        en: "no changes yet for `{target}`",
        zh: "`{target}` 还没有任何变更记录",
    }
    /// `today` cut at --limit.
    rows_shown(shown, total) {
        en: "{shown} of {total} shown; --limit says how many",
        zh: "共 {total} 条，显示了 {shown} 条；用 --limit 指定条数",
    }
}
