//! Values typed or read: dates, times, money, enum values (statuses,
//! reasons, windows, …), sort keys, filter values, stored values, and a
//! CUSTOMER or SERVICE argument that names nothing, or more than one.

use super::messages;

messages! {
    // Enum values (`spelling::labelled_enum!`); `what` names the kind, in
    // the language of the run.
    unknown_value(what, value, choices) {
        en: "unknown {what} `{value}`; expected one of: {choices}",
        zh: "无法识别的{what} `{value}`；可选：{choices}",
    }
    /// A short form (`跟进中`) that is a part of several labels.
    ambiguous_value(what, value, candidates) {
        en: "ambiguous {what} `{value}`; it could be any of: {candidates}",
        zh: "{what} `{value}` 有歧义，可能是：{candidates}",
    }

    // Money.
    not_an_amount(value) {
        en: "`{value}` is not an amount",
        zh: "`{value}` 不是金额",
    }
    amount_negative(value) {
        en: "amount `{value}` is negative",
        zh: "金额 `{value}` 是负数",
    }
    amount_like(value) {
        en: "`{value}` is not an amount; write it like 12000, 12,000.00 or ¥12000",
        zh: "`{value}` 不是金额；请写成 12000、12,000.00 或 ¥12000 这样",
    }
    amount_comma(value) {
        en: "`{value}` is not an amount: a comma must separate groups of three digits (12,000); for decimals write a point (1.5)",
        zh: "`{value}` 不是金额：逗号只能每三位分隔一次（12,000）；小数请用小数点（1.5）",
    }
    amount_decimals(value) {
        en: "amount `{value}` has more than two decimals",
        zh: "金额 `{value}` 超过两位小数",
    }
    amount_too_large(value) {
        en: "amount `{value}` is above the limit of 1,000,000,000,000 yuan",
        zh: "金额 `{value}` 超过上限 1,000,000,000,000 元",
    }

    // Dates and times.
    not_a_date(value) {
        en: "`{value}` is not a date; write it like 2026-11-23, 2026/11/23 or 2026年11月23日",
        zh: "`{value}` 不是日期；请写成 2026-11-23、2026/11/23 或 2026年11月23日 这样",
    }
    year_out_of_range(value, first, last) {
        en: "`{value}` is not a date this tool takes: the year must be between {first} and {last}",
        zh: "`{value}` 不是本工具接受的日期：年份须在 {first} 到 {last} 之间",
    }
    not_a_real_date(value) {
        en: "`{value}` is not a real date",
        zh: "`{value}` 不是真实存在的日期",
    }
    not_a_time(value) {
        en: "`{value}` is not a time; write it like 2026-11-20 15:00, 2026-11-20T15:00:00+08:00 or 2026-11-20",
        zh: "`{value}` 不是时间；请写成 2026-11-20 15:00、2026-11-20T15:00:00+08:00 或 2026-11-20 这样",
    }
    not_a_real_time(value) {
        en: "`{value}` is not a real time",
        zh: "`{value}` 不是真实存在的时间",
    }
    from_after_to(from, to) {
        en: "--from {from} is after --to {to}",
        zh: "--from {from} 晚于 --to {to}",
    }

    // `--sort`.
    cannot_sort_services(name, names) {
        en: "cannot sort services by `{name}`; use one of: {names} (prefix `-` for descending)",
        zh: "不能按 `{name}` 给服务排序；可用：{names}（前加 `-` 表示降序）",
    }
    cannot_sort_customers(name, names) {
        en: "cannot sort customers by `{name}`; use one of: {names} (prefix `-` for descending)",
        zh: "不能按 `{name}` 给客户排序；可用：{names}（前加 `-` 表示降序）",
    }

    // A filter value (`--csm`, `--tier`, …) that no customer has.
    no_customer_has(column, value, listed) {
        en: "no customer has {column} `{value}`; {listed}",
        zh: "没有哪个客户的 {column} 是 `{value}`；{listed}",
    }
    no_customer_has_any(column) {
        en: "no customer has any {column}",
        zh: "所有客户的 {column} 都是空的",
    }
    known_values(values) {
        en: "known: {values}",
        zh: "已有的值：{values}",
    }
    known_values_and_more(values, n) {
        en: "known: {values}, … ({n} in all)",
        zh: "已有的值：{values}，……（共 {n} 个）",
    }

    // A CUSTOMER or SERVICE argument.
    ambiguous_customer(query, n, list, more) {
        en: "`{query}` matches more than one customer ({n}); name one by its id:{list}{more}",
        zh: "`{query}` 匹配到不止一个客户（共 {n} 个），请用客户编号指明是哪一个：{list}{more}",
    }
    and_more(n) {
        en: "\n  … and {n} more",
        zh: "\n  …… 另有 {n} 个",
    }
    no_customer(query, did_you_mean) {
        en: "no customer `{query}`{did_you_mean}\nhint: `xaas list --search TEXT` finds customers by a part of their name",
        zh: "没有客户 `{query}`{did_you_mean}\n提示：`xaas list --search 文本` 可按名称的一部分查找客户",
    }
    did_you_mean_customers(list) {
        en: "; did you mean:{list}",
        zh: "；是不是指：{list}",
    }
    /// `followup set --service`, `log add --service` and the like: every
    /// id that names no service.
    no_services(ids) {
        en: "no service {ids}\nhint: `xaas show CUSTOMER` lists a customer's services",
        zh: "没有服务 {ids}\n提示：`xaas show 客户` 可列出一个客户的服务",
    }
    no_service(id) {
        en: "no service `{id}`\nhint: `xaas list --services --search TEXT` finds a customer's services",
        zh: "没有服务 `{id}`\n提示：`xaas list --services --search 文本` 可查找客户的服务",
    }

    // Values read back from the database that cannot be read.
    unknown_stored_value(value) {
        en: "unknown stored value `{value}`",
        zh: "数据库中存有无法识别的值 `{value}`",
    }
    not_a_stored_day(value) {
        en: "`{value}` is not a stored day",
        zh: "`{value}` 不是数据库中日期应有的格式",
    }
    stored_date_unreadable(value) {
        en: "stored date `{value}` cannot be read",
        zh: "无法读取数据库中的日期 `{value}`",
    }
    stored_expiry_date_unreadable(value) {
        en: "stored expiry date `{value}` cannot be read",
        zh: "无法读取数据库中的到期日期 `{value}`",
    }
    stored_expiry_not_a_date(value) {
        en: "stored expiry `{value}` is not a date",
        zh: "数据库中的到期日 `{value}` 不是日期",
    }
    unknown_stored_service_type(value) {
        en: "stored service_type `{value}` is not one this xaas knows",
        zh: "数据库中的服务类型（service_type）`{value}` 不是这个 xaas 认识的",
    }
}
