//! Importing a usage sheet (使用情况): its header, its rows and the
//! summary. What it shares with the service list import (a bad row's
//! place, an id, a required cell) is in `import`.

use super::messages;

messages! {
    // The header.
    usage_missing_column(missing, found) {
        en: "missing required column: {missing}\nfound: {found}\nhint: the first line must be the header; English ids and Chinese names both work (see README, \"Usage import format\")",
        zh: "缺少必需的列：{missing}\n表头里有：{found}\n提示：第一行必须是表头；英文列名和中文列名都可以（见 README 的“Usage import format”一节）",
    }
    usage_missing_columns(missing, found) {
        en: "missing required columns: {missing}\nfound: {found}\nhint: the first line must be the header; English ids and Chinese names both work (see README, \"Usage import format\")",
        zh: "缺少必需的列：{missing}\n表头里有：{found}\n提示：第一行必须是表头；英文列名和中文列名都可以（见 README 的“Usage import format”一节）",
    }
    usage_no_metric_column(names, found) {
        en: "no metric column: expected at least one of {names}, or another column of numbers\nfound: {found}",
        zh: "没有指标列：至少要有 {names} 其中之一，或另一列数字\n表头里有：{found}",
    }

    // A row.
    usage_future_day(day, today) {
        en: "{day} is after today ({today}): usage is of days that have passed",
        zh: "{day} 晚于今天（{today}）：使用情况只记录已经过去的日子",
    }
    usage_future_month(day, today) {
        en: "{day} is after today ({today}): usage is of days that have passed; a month means its last day, so for a month still running write the day itself",
        zh: "{day} 晚于今天（{today}）：使用情况只记录已经过去的日子；写月份表示该月最后一天，当月尚未结束时请写具体日期",
    }
    usage_custom_not_number(column, line) {
        en: "is not a number, and column `{column}` is a custom metric (its first value, on line {line}, is a number)",
        zh: "不是数字，而列 `{column}` 是自定义指标（它的第一个值在第 {line} 行，是数字）",
    }
    usage_no_metric() {
        en: "no metric: every metric cell of the row is empty",
        zh: "没有指标：这一行的指标单元格全都为空",
    }
    usage_active_over_accounts(accounts) {
        en: "is more than the row's accounts ({accounts}): active users are among the opened accounts",
        zh: "多于这一行的开通账号数（{accounts}）：活跃用户只能来自已开通的账号",
    }
    usage_no_service() {
        en: "names no service in the database",
        zh: "数据库中没有这个服务",
    }
    usage_duplicate_day(service, day) {
        en: "duplicate: service {service} already has a row for {day} on an earlier line of this file",
        zh: "重复：本文件前面的行里已有服务 {service} 在 {day} 的数据",
    }

    // Days, months and counts.
    /// A date that is not one, which could have been a month.
    usage_or_month(error) {
        en: "{error}, or a month: 2026-10, 2026/10 or 2026年10月 (its last day)",
        zh: "{error}；也可以写月份：2026-10、2026/10 或 2026年10月（表示该月最后一天）",
    }
    usage_month_year(value) {
        en: "`{value}` is not a month this tool takes: the year must be between 1900 and 2199",
        zh: "`{value}` 不是本工具接受的月份：年份必须在 1900 到 2199 之间",
    }
    usage_not_a_month(value) {
        en: "`{value}` is not a real month",
        zh: "`{value}` 不是真实存在的月份",
    }
    usage_count_not_number(value) {
        en: "`{value}` is not a number; a count is a whole number like 12 or 1,200",
        zh: "`{value}` 不是数字；数量应是整数，如 12 或 1,200",
    }
    usage_count_fraction(value) {
        en: "`{value}` is not a whole number; a count has no fraction",
        zh: "`{value}` 不是整数；数量不能有小数",
    }
    usage_count_too_large(value, max) {
        en: "`{value}` is more than {max}: a typo, not a count",
        zh: "`{value}` 超过 {max}：这是笔误，不是真实的数量",
    }
    usage_count_negative(value) {
        en: "`{value}` is negative; a count cannot be",
        zh: "`{value}` 是负数；数量不能为负",
    }
    usage_not_a_number(value) {
        en: "`{value}` is not a number",
        zh: "`{value}` 不是数字",
    }

    // The summary.
    usage_custom_note(columns) {
        en: "note: kept as custom metrics (columns of numbers): {columns}",
        zh: "注意：以下数字列已作为自定义指标保留：{columns}",
    }
    usage_ignored_note(columns) {
        en: "note: ignored columns: {columns}",
        zh: "注意：已忽略的列：{columns}",
    }
    /// A column ignored, and why (`UsageHeader::ignored`).
    usage_ignored_column(name, why) {
        en: "{name} ({why})",
        zh: "{name}（{why}）",
    }
    usage_counts_line(new, updated, unchanged, rejected) {
        en: "  usage:    {new} new, {updated} updated, {unchanged} unchanged, {rejected} rejected",
        zh: "  使用情况：新增 {new}，更新 {updated}，未变 {unchanged}，有误 {rejected}",
    }
    usage_services_refreshed(n) {
        en: "  services: {n} touched (new or changed usage; indicators refreshed)",
        zh: "  服务：{n} 个有新增或变更的使用情况（健康度指标已更新）",
    }
    usage_services_to_refresh(n) {
        en: "  services: {n} touched (new or changed usage; indicators to refresh)",
        zh: "  服务：{n} 个有新增或变更的使用情况（健康度指标待更新）",
    }
}

/// The missing required columns of a usage sheet's header.
pub fn usage_missing(
    n: usize,
    missing: impl std::fmt::Display,
    found: impl std::fmt::Display,
) -> String {
    if n == 1 {
        usage_missing_column(missing, found)
    } else {
        usage_missing_columns(missing, found)
    }
}
