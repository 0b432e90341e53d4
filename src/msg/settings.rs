//! The team's settings (`xaas settings`): what each means, and why a
//! value is refused.

use super::messages;

messages! {
    // What each setting means (the `about` column of `xaas settings`).
    about_grace_days() {
        en: "days after expiry before an open term is lapsed (rule 11)",
        zh: "到期后多少天，未关闭的服务期算作已流失（规则 11）",
    }
    about_task_kickoff_days() {
        en: "days before expiry the renewal task starts",
        zh: "到期前多少天开始续费启动任务",
    }
    about_task_second_touch_days() {
        en: "days before expiry of the second touch",
        zh: "到期前多少天进行二次跟进",
    }
    about_task_revisit_days() {
        en: "days after go-live of the revisit",
        zh: "上线后多少天进行回访",
    }
    about_task_monthly_touch_day() {
        en: "day of the month of the monthly visit (1-28)",
        zh: "每月第几天进行月度拜访（1-28）",
    }
    about_task_budget_days() {
        en: "days before a customer's budget date",
        zh: "客户预算制定时间前多少天开始预算跟进",
    }
    about_health_weights() {
        en: "weights of active_ratio, actions_per_account, features_used, active_trend",
        zh: "活跃率（active_ratio）、人均核心操作（actions_per_account）、使用功能数（features_used）、活跃率变化（active_trend）的权重",
    }
    about_health_danger_pct() {
        en: "percentile of renewed customers below which health is danger",
        zh: "健康度低于已续费客户的这个百分位即为危险",
    }
    about_health_fair_pct() {
        en: "percentile of renewed customers below which health is fair",
        zh: "健康度低于已续费客户的这个百分位即为一般",
    }

    // Refused values.
    not_whole_days(value, key, max) {
        en: "`{value}` is not a valid {key}: a whole number from 0 to {max}",
        zh: "`{value}` 不是有效的 {key}：应为 0 到 {max} 的整数",
    }
    not_day_of_month(value) {
        en: "`{value}` is not a day of the month from 1 to 28",
        zh: "`{value}` 不是每月的 1 到 28 号之一",
    }
    not_four_weights(value) {
        en: "`{value}` is not four weights of zero or more, not all zero, like 1,1,1,1",
        zh: "`{value}` 不是四个不小于零且不全为零的权重，应写成 1,1,1,1 这样",
    }
    second_touch_not_after_kickoff(second, kickoff) {
        en: "task_second_touch_days ({second}) would not be after task_kickoff_days ({kickoff}): the second touch comes after the kickoff, nearer the expiry\nhint: keep task_second_touch_days below task_kickoff_days",
        zh: "task_second_touch_days（{second}）将不在 task_kickoff_days（{kickoff}）之后：二次跟进在续费启动之后，更接近到期日\n提示：让 task_second_touch_days 小于 task_kickoff_days",
    }
    danger_above_fair(danger, fair) {
        en: "health_danger_pct ({danger}) would be above health_fair_pct ({fair}): danger is the lowest band\nhint: set health_fair_pct first when raising both",
        zh: "health_danger_pct（{danger}）将高于 health_fair_pct（{fair}）：危险是最低的一档\n提示：两个都要调高时，先设置 health_fair_pct",
    }
    /// Printed after a change of a health setting.
    health_from_next_calibration() {
        en: "health uses it from the next `xaas health calibrate`",
        zh: "健康度从下一次 `xaas health calibrate` 起使用新值",
    }
}
