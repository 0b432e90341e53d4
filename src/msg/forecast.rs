//! `forecast` and `forecast --backtest`: captions, lines and refusals.

use super::messages;

messages! {
    /// The forecast's first line.
    forecast_title(date, from, to) {
        en: "forecast as of {date} · terms expiring {from} … {to}",
        zh: "续费预测（截至 {date} · 到期日 {from} … {to}）",
    }
    due_line(terms, amount) {
        en: "  due        {terms:>7} terms  {amount:>18}",
        zh: "  到期       {terms:>7} 项     {amount:>18}",
    }
    renewed_terms_line(terms, amount) {
        en: "  renewed    {terms:>7} terms  {amount:>18}",
        zh: "  已续费     {terms:>7} 项     {amount:>18}",
    }
    lost_line(terms, amount) {
        en: "  lost       {terms:>7} terms  {amount:>18}",
        zh: "  流失       {terms:>7} 项     {amount:>18}",
    }
    suspended_line(terms, amount) {
        en: "  suspended  {terms:>7} terms  {amount:>18}",
        zh: "  挂起       {terms:>7} 项     {amount:>18}",
    }
    open_line(terms, amount) {
        en: "  open       {terms:>7} terms  {amount:>18}",
        zh: "  跟进中     {terms:>7} 项     {amount:>18}",
    }
    expected_line(amount) {
        en: "  expected of the open     {amount:>18}",
        zh: "  跟进中预计续费           {amount:>18}",
    }
    projected_line(amount) {
        en: "  renewed + expected       {amount:>18}",
        zh: "  已续费 + 预计续费        {amount:>18}",
    }
    /// Under an expected amount: its range.
    range_line(low, high) {
        en: "    80% range {low} – {high}",
        zh: "    80% 区间 {low} – {high}",
    }
    rates_title(days) {
        en: "renewal rate by status {days} days before expiry (past terms, by count)",
        zh: "按到期前 {days} 天的跟进状态统计的历史续费率（按数量）",
    }
    /// Under the rates: what a default is.
    default_note(min) {
        en: "* default: below {min} samples, the team's default rate (see README)",
        zh: "* 默认值：样本少于 {min} 个，使用团队默认续费率（见 README）",
    }
    default_mark() {
        en: "* default",
        zh: "* 默认",
    }
    learned_mark() {
        en: "learned",
        zh: "历史",
    }
    groups_title(by) {
        en: "by {by}",
        zh: "按{by}",
    }
    /// An empty period.
    nothing_due(from, to) {
        en: "no terms expire between {from} and {to}",
        zh: "{from} 至 {to} 之间没有到期的服务",
    }
    forecast_backtest_title(from, to, days) {
        en: "backtest {from} … {to}\neach month's forecast as made {days} days before it, against what was renewed",
        zh: "回测 {from} … {to}\n每月初前 {days} 天所做的预测与实际续费的对比",
    }
    backtest_summary(mape, hits, periods) {
        en: "mean absolute error {mape} · actual within the 80% range in {hits} of {periods} months with terms due",
        zh: "平均绝对误差率 {mape} · 有服务到期的 {periods} 个月中有 {hits} 个月实际值落在 80% 区间内",
    }
    yes() {
        en: "yes",
        zh: "是",
    }
    no() {
        en: "no",
        zh: "否",
    }
    /// `--backtest` on a span that has not passed.
    backtest_not_past(to, today) {
        en: "--backtest needs a past span: --to {to} is not before today ({today}); try --to with the last day of last month",
        zh: "--backtest 需要已过去的时间段：--to {to} 不早于今天（{today}）；请把 --to 设为上月最后一天",
    }
    backtest_no_by() {
        en: "--backtest does not split by --by; run it once per filter (e.g. --csm NAME) instead",
        zh: "--backtest 不支持 --by；请按筛选条件（如 --csm 姓名）分别运行",
    }
}
