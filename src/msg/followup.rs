//! The renewal state machine and what `followup set`, `log add` and
//! `renew` say: refusals, the summary of what changed.

use super::messages;

messages! {
    // The rules of the state machine (`status::check_manual_set`).
    renewed_only_by_renewal() {
        en: "`renewed` is set only by a renewal: import the new expiry, or run `xaas renew SERVICE --until DATE`",
        zh: "`renewed`（已续费）只能由续费产生：导入新的到期日，或运行 `xaas renew 服务 --until 日期`",
    }
    lapsed_is_derived() {
        en: "`lapsed` is derived, never set: an open term lapses `grace_days` after its expiry",
        zh: "`lapsed`（已流失）由规则推算，不能手动设置：未关闭的服务期在到期 `grace_days` 天后自动流失",
    }
    none_cannot_be_set() {
        en: "`none` cannot be set; choose a follow-up status",
        zh: "不能设为 `none`（无）；请选择一个跟进状态",
    }
    outside_window(days_left) {
        en: "outside the follow-up window: {days_left} days left (the window opens 90 days before expiry)",
        zh: "不在跟进窗口内：距到期还有 {days_left} 天（到期前 90 天才进入跟进窗口）",
    }
    already_renewed() {
        en: "already renewed for this term",
        zh: "本服务期已续费",
    }
    past_grace(days, grace_days) {
        en: "{days} days past expiry, beyond the {grace_days} grace days: an open status would lapse at once; close it with an outcome, --status not_renewing --reason R or --status suspended",
        zh: "已过期 {days} 天，超过 {grace_days} 天的宽限期：未关闭的状态会立即变为已流失；请给出结果来关闭它：--status not_renewing --reason 原因，或 --status suspended",
    }
    not_renewing_needs_reason() {
        en: "`not_renewing` needs a reason: --reason budget|satisfaction|business|operations|needs|other",
        zh: "`not_renewing`（不续费）需要给出原因：--reason budget|satisfaction|business|operations|needs|other",
    }
    until_not_after_expiry(until, expiry) {
        en: "--until {until} is not after the current expiry {expiry}; a renewal extends the term (to correct an expiry date, import the corrected service list)",
        zh: "--until {until} 不晚于当前到期日 {expiry}；续费是延长服务期（要更正到期日，请导入更正后的服务清单）",
    }
    /// `renew SERVICE`: the service, then why not.
    renew_refused(service, why) {
        en: "{service}: {why}",
        zh: "{service}：{why}",
    }

    // `followup set CUSTOMER`: a customer with nothing to change.
    no_open_service(id, name, scope) {
        en: "{id} ({name}) has no open service {scope}",
        zh: "{id}（{name}）{scope}没有未关闭的服务",
    }
    in_followup_window() {
        en: "in the follow-up window",
        zh: "在跟进窗口内",
    }
    in_window(window) {
        en: "in window {window}",
        zh: "在到期窗口 {window} 内",
    }
    in_windows(windows) {
        en: "in windows {windows}",
        zh: "在到期窗口 {windows} 内",
    }
    closed_services(list) {
        en: "; closed: {list} (name one with --service to change it)",
        zh: "；已关闭的：{list}（要修改，请用 --service 指定服务）",
    }
    service_is(service, status) {
        en: "{service} is {status}",
        zh: "{service} 为{status}",
    }
    next_expiry_in(n) {
        en: "; its next expiry is {n} days away",
        zh: "；最近一次到期在 {n} 天后",
    }
    /// A customer whose services lie in several windows, and how many in
    /// each (`window_count`, joined).
    spread(id, name, windows) {
        en: "{id} ({name}): {windows}",
        zh: "{id}（{name}）：{windows}",
    }
    window_count(window, n) {
        en: "{window} {n}",
        zh: "{window} {n} 个",
    }
    /// One refused service: the service, its customer, why.
    /// A status change back-dated before the service's last one.
    changed_later(day, today) {
        en: "its status last changed on {day}, after --today {today}; a change dated earlier would be out of order: record it as of {day} or later",
        zh: "其状态最近一次变更在 {day}，晚于 --today {today}，更早日期的变更会打乱顺序：请以 {day} 或更晚的日期登记",
    }
    refused_service(service, customer, why) {
        en: "{service} ({customer}): {why}",
        zh: "{service}（{customer}）：{why}",
    }
    nothing_changed_refused(n, lines) {
        en: "nothing changed; {n} refused:\n{lines}",
        zh: "未做任何修改；{n} 项被拒绝：\n{lines}",
    }

    // What `followup set` changed, a line per customer and move.
    moved_one(n, name, from, to, ids) {
        en: "{n} service of {name}: {from} → {to} ({ids})",
        zh: "{name} 的 {n} 个服务: {from} → {to}（{ids}）",
    }
    moved_many(n, name, from, to, ids) {
        en: "{n} services of {name}: {from} → {to} ({ids})",
        zh: "{name} 的 {n} 个服务: {from} → {to}（{ids}）",
    }
    still_one(n, name, to, ids) {
        en: "{n} service of {name}: still {to} (follow-up recorded) ({ids})",
        zh: "{name} 的 {n} 个服务: 仍为 {to}（已记录跟进）（{ids}）",
    }
    still_many(n, name, to, ids) {
        en: "{n} services of {name}: still {to} (follow-up recorded) ({ids})",
        zh: "{name} 的 {n} 个服务: 仍为 {to}（已记录跟进）（{ids}）",
    }

    // Follow-up records (`log add`).
    record_after_today(day, today) {
        en: "{day} is after today ({today}); a record is written when the follow-up happened",
        zh: "{day} 晚于今天（{today}）；跟进记录要在跟进发生之后才写",
    }
    not_a_service_of(service, customer, name, owner, owner_name) {
        en: "{service} is not a service of {customer} ({name}); it belongs to {owner} ({owner_name})",
        zh: "{service} 不是 {customer}（{name}）的服务，它属于 {owner}（{owner_name}）",
    }
    nothing_recorded(why) {
        en: "nothing recorded: {why}",
        zh: "未写入跟进记录：{why}",
    }
}

/// `n` services of a customer moved from one status to another.
pub fn moved(
    n: usize,
    name: impl std::fmt::Display,
    from: impl std::fmt::Display,
    to: impl std::fmt::Display,
    ids: impl std::fmt::Display,
) -> String {
    if n == 1 {
        moved_one(n, name, from, to, ids)
    } else {
        moved_many(n, name, from, to, ids)
    }
}

/// `n` services of a customer confirmed in their status.
pub fn still(
    n: usize,
    name: impl std::fmt::Display,
    to: impl std::fmt::Display,
    ids: impl std::fmt::Display,
) -> String {
    if n == 1 {
        still_one(n, name, to, ids)
    } else {
        still_many(n, name, to, ids)
    }
}
