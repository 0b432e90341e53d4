//! `stats --series`: the trend table's captions.

use super::messages;

messages! {
    /// The line above the trend table.
    series_title(unit, from, to, date) {
        en: "renewal cohort by {unit}, expiring {from} … {to}, as of {date}",
        zh: "续费趋势（按{unit}，到期日 {from} … {to}，截至 {date}）",
    }
    /// Under the sparklines: what a blank means.
    series_gap_note() {
        en: "(a blank: no term due in that period)",
        zh: "（空白：该周期没有到期的服务）",
    }
}
