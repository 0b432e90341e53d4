//! `report`: the HTML report's titles, captions, legends and notes. The
//! figures' own labels (windows, statuses, reasons, bands) travel with
//! their values.

use super::messages;

messages! {
    report_title() {
        en: "Renewal report",
        zh: "续费报告",
    }
    as_of(date) {
        en: "as of {date}",
        zh: "截至 {date}",
    }
    cohort(from, to) {
        en: "renewal cohort: terms expiring {from} … {to}",
        zh: "续费统计：到期日 {from} … {to}",
    }
    scope_all() {
        en: "scope: every service",
        zh: "范围：全部服务",
    }
    scope(list) {
        en: "scope: {list}",
        zh: "范围：{list}",
    }
    empty() {
        en: "Nothing yet: no service matches this scope. Import a service list (`xaas import FILE`), then run the report again.",
        zh: "暂无数据：没有符合此范围的服务。请先导入服务清单（`xaas import FILE`），再生成报告。",
    }
    no_data() {
        en: "nothing to show",
        zh: "暂无数据",
    }
    overview() {
        en: "Overview",
        zh: "概览",
    }
    tile_services() {
        en: "services",
        zh: "服务数",
    }
    tile_customers() {
        en: "customers",
        zh: "客户数",
    }
    tile_amount() {
        en: "amount (¥)",
        zh: "金额（元）",
    }
    logo_rate() {
        en: "logo rate",
        zh: "续约率",
    }
    amount_rate() {
        en: "amount rate",
        zh: "续费率",
    }
    report_touch_rate() {
        en: "touch rate",
        zh: "翻动率",
    }
    healthy_rate() {
        en: "healthy rate",
        zh: "健康率",
    }
    windows() {
        en: "Expiry windows",
        zh: "到期窗口",
    }
    windows_count() {
        en: "services by window",
        zh: "各窗口服务数",
    }
    windows_amount() {
        en: "amount by window (¥)",
        zh: "各窗口金额（元）",
    }
    statuses() {
        en: "Renewal statuses",
        zh: "续费状态",
    }
    statuses_count() {
        en: "services by status",
        zh: "各状态服务数",
    }
    months() {
        en: "Monthly renewal rates",
        zh: "月度续约率与续费率",
    }
    months_note() {
        en: "terms by the month they expire in; a month with no due term has no point",
        zh: "按服务期到期月份统计；无到期服务的月份不画点",
    }
    month() {
        en: "month",
        zh: "月份",
    }
    due_customers() {
        en: "due customers",
        zh: "到期客户数",
    }
    renewed_customers() {
        en: "renewed customers",
        zh: "已续约客户数",
    }
    due_amount() {
        en: "due amount (¥)",
        zh: "到期金额（元）",
    }
    renewed_amount() {
        en: "renewed amount (¥)",
        zh: "续费金额（元）",
    }
    reasons() {
        en: "Non-renewal reasons",
        zh: "不续费原因",
    }
    reasons_note() {
        en: "services marked not renewing, by reason: count and amount (¥)",
        zh: "标记为不续费的服务，按原因：数量与金额（元）",
    }
    reasons_none() {
        en: "No service is marked not renewing.",
        zh: "暂无标记为不续费的服务。",
    }
    csms() {
        en: "Each CSM",
        zh: "各客户经营接口人",
    }
    csms_note() {
        en: "touch rate: customers with a follow-up record in the period; rates of the renewal cohort",
        zh: "翻动率：期内有跟进记录的客户占比；续约率与续费率按续费统计期计算",
    }
    csm() {
        en: "CSM",
        zh: "客户经营接口人",
    }
    customers_col() {
        en: "customers",
        zh: "客户数",
    }
    health() {
        en: "Customers by health band",
        zh: "客户健康度",
    }
    health_note() {
        en: "each customer in the worst known band of its services",
        zh: "每个客户按其服务中已知的最差健康度计",
    }
    forecast() {
        en: "Forecast",
        zh: "续费预测",
    }
    forecast_missing() {
        en: "Not available yet: this version has no forecast.",
        zh: "暂不可用：此版本尚无续费预测。",
    }
    forecast_period(from, to) {
        en: "terms expiring {from} … {to} (¥)",
        zh: "到期日 {from} … {to} 的服务期（元）",
    }
    forecast_renewed() {
        en: "renewed so far",
        zh: "已续费",
    }
    forecast_lost() {
        en: "lost",
        zh: "已流失",
    }
    forecast_expected() {
        en: "expected (open)",
        zh: "未结服务预计续费",
    }
    forecast_range(low, high) {
        en: "range {low} – {high}",
        zh: "区间 {low} – {high}",
    }
    footer(version) {
        en: "made by xaas {version}; every figure as `xaas stats` counts it",
        zh: "由 xaas {version} 生成；各项指标与 `xaas stats` 的统计口径一致",
    }
    report_wrote(path) {
        en: "wrote the report to {path}",
        zh: "报告已写入 {path}",
    }
}
