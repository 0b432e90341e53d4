//! Health: the weights, calibration, backtest, and the usage rows it is
//! computed from.

use super::messages;

messages! {
    too_few_renewed_one(n, as_of, min) {
        en: "only {n} renewed term with usage 90 days before expiry on or before {as_of}; a calibration needs at least {min}",
        zh: "截至 {as_of}，到期前 90 天有使用数据的已续费服务期只有 {n} 个；校准至少需要 {min} 个",
    }
    too_few_renewed_many(n, as_of, min) {
        en: "only {n} renewed terms with usage 90 days before expiry on or before {as_of}; a calibration needs at least {min}",
        zh: "截至 {as_of}，到期前 90 天有使用数据的已续费服务期只有 {n} 个；校准至少需要 {min} 个",
    }
    no_usable_indicator() {
        en: "no renewed term in the sample has a usable indicator",
        zh: "样本中没有一个已续费服务期有可用的指标",
    }
    weights_not_numbers(value) {
        en: "`{value}` is not four comma-separated weights",
        zh: "`{value}` 不是用逗号分隔的四个权重",
    }
    weights_not_four(value, indicators) {
        en: "`{value}` must give four weights: {indicators}",
        zh: "`{value}` 必须给出四个权重：{indicators}",
    }
    weights_negative(value) {
        en: "`{value}`: weights are non-negative and not all zero",
        zh: "`{value}`：权重不能为负数，也不能全为零",
    }
    calibrate_refused(why) {
        en: "{why}\nhint: import usage (`xaas usage import`) covering the 90 days before renewed terms expired, or calibrate as of a later day",
        zh: "{why}\n提示：导入覆盖已续费服务期到期前 90 天的使用数据（`xaas usage import`），或以更晚的日期校准",
    }
    backtest_refused(why, from) {
        en: "{why} (for a backtest from {from}, only terms that expired before it count)\nhint: start the backtest later, or import older usage",
        zh: "{why}（从 {from} 开始的回测只计入此前到期的服务期）\n提示：把回测的开始日期推后，或导入更早的使用数据",
    }
    not_a_percentile(key) {
        en: "setting {key} is not a percentile",
        zh: "设置项 {key} 不是百分位数",
    }
    calibration_date_unreadable(id) {
        en: "calibration {id}: stored date cannot be read",
        zh: "校准 {id}：无法读取存储的日期",
    }
    calibration_weights_unreadable(id) {
        en: "calibration {id}: stored weights cannot be read",
        zh: "校准 {id}：无法读取存储的权重",
    }
    calibration_distributions_unreadable(id) {
        en: "calibration {id}: stored distributions cannot be read",
        zh: "校准 {id}：无法读取存储的指标分布",
    }

    // Usage rows refused at import (the reason column of a bad row).
}

/// Too few renewed terms to calibrate on.
pub fn too_few_renewed(
    n: usize,
    as_of: impl std::fmt::Display,
    min: impl std::fmt::Display,
) -> String {
    if n == 1 {
        too_few_renewed_one(n, as_of, min)
    } else {
        too_few_renewed_many(n, as_of, min)
    }
}
