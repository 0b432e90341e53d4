//! `digest`: the words of the week's mail, plain and Markdown alike.

use super::messages;

messages! {
    digest_title(from, to) {
        en: "Renewal digest {from} … {to}",
        zh: "续费摘要 {from} … {to}",
    }
    /// Under the title: what the changes in brackets compare with.
    against(days, from, to) {
        en: "Changes (in brackets) against the {days} days before, {from} … {to}.",
        zh: "括号内为与之前 {days} 天（{from} … {to}）相比的变化。",
    }
    open_title(day) {
        en: "Open services on {day}",
        zh: "截至 {day} 的在跟服务",
    }
    since_title(day) {
        en: "Since {day}",
        zh: "{day} 以来",
    }
    col_count() {
        en: "count",
        zh: "数量",
    }
    col_amount() {
        en: "amount",
        zh: "金额",
    }
    due_30() {
        en: "due within 30 days",
        zh: "30天内到期",
    }
    due_90() {
        en: "due within 90 days",
        zh: "90天内到期",
    }
    expired() {
        en: "expired, still open",
        zh: "已过期未关闭",
    }
    untouched() {
        en: "untouched in their window",
        zh: "进入窗口后未跟进",
    }
    at_risk() {
        en: "at risk",
        zh: "有风险",
    }
    renewed() {
        en: "renewed",
        zh: "已续费",
    }
    lost() {
        en: "lost",
        zh: "流失",
    }
    /// Before the lost terms' reasons and their counts.
    by_reason() {
        en: "by reason: ",
        zh: "流失原因：",
    }
    /// Markdown: a paragraph of its own.
    lost_by_reason() {
        en: "Lost by reason: ",
        zh: "流失原因：",
    }
    largest_renewals() {
        en: "Largest renewals:",
        zh: "金额最大的续费：",
    }
    largest_losses() {
        en: "Largest losses:",
        zh: "金额最大的流失：",
    }
    digest_touch_rate() {
        en: "touch rate",
        zh: "翻动率",
    }
    /// After the rate (and its change): customers with a follow-up record
    /// in the period.
    touch_detail(touched, customers) {
        en: ", {touched} of {customers} customers",
        zh: "，{touched} / {customers} 个客户",
    }
    /// The change of a rate, in percentage points.
    points(change) {
        en: "({change} pts)",
        zh: "({change} 个百分点)",
    }
    tasks_past_due() {
        en: "tasks past due",
        zh: "逾期任务",
    }
    since_after_today(since, today) {
        en: "--since {since} is after today ({today})\nhint: give a day on or before --today",
        zh: "--since {since} 晚于今天（{today}）\n提示：请给出不晚于 --today 的日期",
    }
    /// `--format csv` or `tsv`: a digest is a text, not a table.
    no_delimited(format) {
        en: "digest writes text for mail, Markdown (--format md) or JSON (--json), not {format}\nhint: for rows to open in a spreadsheet, use `xaas due --within 90 --format {format}` or `xaas outcomes --format {format}`",
        zh: "digest 输出邮件正文、Markdown（--format md）或 JSON（--json），不输出 {format}\n提示：要在表格软件中打开的行请用 `xaas due --within 90 --format {format}` 或 `xaas outcomes --format {format}`",
    }
    /// `--format md` given to another command.
    md_digest_only() {
        en: "--format md is for `xaas digest` only\nhint: use --format table, tsv, csv or json",
        zh: "--format md 只用于 `xaas digest`\n提示：请用 --format table、tsv、csv 或 json",
    }
}
