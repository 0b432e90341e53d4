//! What the commands that change things say they did, and what they
//! refuse on the command line: `followup`, `renew`, `log`, `tasks`,
//! `risk`, `lead`, `budget`, `settings`, and `health`'s reports.

use super::messages;

messages! {
    /// A value given on the command line that its check refused.
    invalid_flag_value(flag, cause) {
        en: "invalid value for {flag}: {cause}",
        zh: "{flag} 的值无效：{cause}",
    }
    /// A line the library wrote for the user to note, after the change.
    settings_note(text) {
        en: "note: {text}",
        zh: "注意：{text}",
    }
    /// A word for no value, in a change `none → 2027-03-01`.
    no_value_word() {
        en: "none",
        zh: "无",
    }
    value_unchanged(value) {
        en: "{value} (unchanged)",
        zh: "{value}（未变）",
    }

    // Items: risks, leads, tasks.

    /// What an item is about, when it is about one service (or more).
    about_service(service) {
        en: " about {service}",
        zh: "，服务 {service}",
    }
    not_an_id(value) {
        en: "`{value}` is not an id; ids are the numbers the `list` command shows (3, or #3)",
        zh: "`{value}` 不是编号；编号是 `list` 命令显示的数字（3 或 #3）",
    }
    blank_text() {
        en: "is blank; write it in a few words",
        zh: "内容为空；请简单写几句",
    }

    // followup

    resume_on_not_suspended(status) {
        en: "--resume-on goes with --status suspended (not {status}): it says when to pick a suspended renewal up again",
        zh: "--resume-on 只能与 --status suspended 一起用（这里是 {status}）：它指定挂起的续费哪天恢复跟进",
    }
    resume_on_past(day, today) {
        en: "--resume-on {day} is before today ({today}); give the day to pick the renewal up again",
        zh: "--resume-on {day} 早于今天（{today}）；请给出恢复跟进续费的日期",
    }
    resume_task(task, service, due) {
        en: "resume task {task} for {service} due {due}",
        zh: "恢复跟进任务 {task}：{service}，{due} 截止",
    }
    /// `ids` of the resume tasks it replaces, after `resume_task`.
    replaces(ids) {
        en: " (replaces {ids})",
        zh: "（替代 {ids}）",
    }
    skipped_line(why) {
        en: "skipped: {why}",
        zh: "已跳过：{why}",
    }

    // renew

    renewed_line(service, was, renewed, start, until, from, to) {
        en: "{service}: renewed ({was} → {renewed}); new term {start} to {until}, amount {from} → {to}",
        zh: "{service}：已续费（{was} → {renewed}）；新服务期 {start} 至 {until}，金额 {from} → {to}",
    }

    // log

    record_added(id, customer_id, customer_name, about, at) {
        en: "record #{id} for {customer_id} {customer_name}{about}, {at}",
        zh: "跟进记录 #{id}：{customer_id} {customer_name}{about}，{at}",
    }

    // tasks

    blank_title() {
        en: "--title is blank; say what is to be done",
        zh: "--title 为空；请写明要做什么",
    }
    title_needed() {
        en: "a task needs a title: --title TEXT",
        zh: "任务需要标题：--title TEXT",
    }
    task_added(task, customer_id, customer_name, about, due, title) {
        en: "task {task} for {customer_id} {customer_name}{about}, due {due}: {title}",
        zh: "任务 {task}：{customer_id} {customer_name}{about}，{due} 到期：{title}",
    }
    task_done(task, customer_id, customer_name, title) {
        en: "task {task} done ({customer_id} {customer_name}: {title})",
        zh: "任务 {task} 已完成（{customer_id} {customer_name}：{title}）",
    }
    /// After `task_done`, when its note became a follow-up record.
    record_written(id) {
        en: "; record #{id} written",
        zh: "；已写入跟进记录 #{id}",
    }
    task_moved(task, from, to, customer_id, customer_name, title) {
        en: "task {task} moved from {from} to {to} ({customer_id} {customer_name}: {title})",
        zh: "任务 {task} 已从 {from} 改到 {to}（{customer_id} {customer_name}：{title}）",
    }
    plan_one(through, n, first, last) {
        en: "a sync each day through {through} would create {n} task due {first} … {last}",
        zh: "若每天同步到 {through}，将新建 {n} 个任务，到期日 {first} … {last}",
    }
    plan_many(through, n, first, last) {
        en: "a sync each day through {through} would create {n} tasks due {first} … {last}",
        zh: "若每天同步到 {through}，将新建 {n} 个任务，到期日 {first} … {last}",
    }
    nothing_to_plan() {
        en: "a sync already ran for a later day: nothing to plan",
        zh: "已经同步到更晚的日期：没有要预排的任务",
    }
    nothing_to_sync() {
        en: "nothing to do: no task is due or stale",
        zh: "无事可做：没有到期或已不适用的任务",
    }
    /// `rules` counts them by rule, `days` is `2026-10-24 … 2026-11-23`.
    created_one(n, rules, days) {
        en: "{n} task created ({rules}) for {days}",
        zh: "新建 {n} 个任务（{rules}），{days}",
    }
    created_many(n, rules, days) {
        en: "{n} tasks created ({rules}) for {days}",
        zh: "新建 {n} 个任务（{rules}），{days}",
    }
    /// `why` counts them by why, `ids` names them.
    closed_one(n, why, ids) {
        en: "{n} task closed, no longer applying ({why}): {ids}",
        zh: "关闭 {n} 个不再适用的任务（{why}）：{ids}",
    }
    closed_many(n, why, ids) {
        en: "{n} tasks closed, no longer applying ({why}): {ids}",
        zh: "关闭 {n} 个不再适用的任务（{why}）：{ids}",
    }

    // risk

    risk_added(id, customer_id, customer_name, about, kind, owner, raised) {
        en: "risk #{id} for {customer_id} {customer_name}{about}: {kind}, owner {owner}, raised {raised}",
        zh: "风险 #{id}：{customer_id} {customer_name}{about}，{kind}风险，负责人 {owner}，{raised} 登记",
    }
    /// `risk #3 (C0004 金盾物流有限公司)`
    risk_title(id, customer_id, customer_name) {
        en: "risk #{id} ({customer_id} {customer_name})",
        zh: "风险 #{id}（{customer_id} {customer_name}）",
    }
    /// An item's state moved: `risk #3 (…): open → planned`.
    state_change(item, from, to) {
        en: "{item}: {from} → {to}",
        zh: "{item}：{from} → {to}",
    }
    risk_closed(item, from, to, day) {
        en: "{item}: {from} → {to}, closed {day}",
        zh: "{item}：{from} → {to}，{day} 关闭",
    }

    // lead

    lead_added(id, customer_id, customer_name, about, product, amount, entered) {
        en: "lead #{id} for {customer_id} {customer_name}{about}: {product}{amount}, entered {entered}",
        zh: "线索 #{id}：{customer_id} {customer_name}{about}，增购 {product}{amount}，{entered} 录入",
    }
    /// The expected amount, after the product.
    lead_amount(amount) {
        en: ", {amount}",
        zh: "，{amount}",
    }
    /// `amount` is `amount_change` or nothing.
    lead_moved(id, customer_id, customer_name, from, to, amount) {
        en: "lead #{id} ({customer_id} {customer_name}): {from} → {to}{amount}",
        zh: "线索 #{id}（{customer_id} {customer_name}）：{from} → {to}{amount}",
    }
    amount_change(from, to) {
        en: "; amount {from} → {to}",
        zh: "；金额 {from} → {to}",
    }

    // budget

    budget_date_set(customer_id, customer_name, change) {
        en: "budget date of {customer_id} {customer_name}: {change}",
        zh: "{customer_id} {customer_name} 的预算制定时间：{change}",
    }
    /// `budget of C0004 金盾物流有限公司 for 2027-03-01`
    budget_title(customer_id, customer_name, date) {
        en: "budget of {customer_id} {customer_name} for {date}",
        zh: "{customer_id} {customer_name} {date} 的预算",
    }
    /// `late` is `days_late` or nothing.
    budget_submitted(item, day, late) {
        en: "{item}: submitted {day}{late}",
        zh: "{item}：{day} 已提交{late}",
    }
    days_late(n) {
        en: " ({n} days after the budget date)",
        zh: "（晚于预算制定时间 {n} 天）",
    }
    budget_result(item, state, day) {
        en: "{item}: {state} {day}",
        zh: "{item}：{state} {day}",
    }

    // settings

    setting_unchanged(key, value) {
        en: "{key}: {value} (unchanged)",
        zh: "{key}：{value}（未变）",
    }
    setting_changed(key, from, to) {
        en: "{key}: {from} → {to}",
        zh: "{key}：{from} → {to}",
    }

    // health

    as_of_after_today(as_of, today) {
        en: "--as-of {as_of} is after today ({today})\nhint: calibrate as of today or an earlier day",
        zh: "--as-of {as_of} 晚于今天（{today}）\n提示：请以今天或更早的一天为截至日校准",
    }
    /// `format` is CSV or TSV.
    text_or_json(command, format) {
        en: "{command} prints text or JSON, not {format}\nhint: leave out --format/--csv, or use --json",
        zh: "{command} 只输出文本或 JSON，不输出 {format}\n提示：去掉 --format/--csv，或改用 --json",
    }
    calibrated(id, as_of, sample, danger, fair, danger_pct, fair_pct) {
        en: "calibration {id} as of {as_of}: {sample} renewed terms; danger below score {danger:.1}, fair below {fair:.1} (their {danger_pct}th and {fair_pct}th percentiles)",
        zh: "校准 {id}（截至 {as_of}）：基于 {sample} 个已续费的服务期；得分低于 {danger:.1} 为危险，低于 {fair:.1} 为一般（即第 {danger_pct} 和第 {fair_pct} 百分位）",
    }
    backtest_title(from, to, terms, lost, as_of, sample) {
        en: "backtest {from} … {to}: {terms} closed terms, {lost} lost; scored with a calibration refitted for this backtest as of {as_of} on {sample} terms renewed and expired before it",
        zh: "回测 {from} … {to}：{terms} 个已结束的服务期，其中流失 {lost} 个；评分用的校准为本次回测重新拟合，截至 {as_of}，基于此前已续费且已到期的 {sample} 个服务期",
    }
    not_judged_one(n) {
        en: "{n} term of the period not closed yet (open or suspended) are not judged: a recent period looks better than it will",
        zh: "期内有 {n} 个服务期尚未结束（跟进中或挂起），不参与评判：近期的结果会比最终的好看",
    }
    not_judged_many(n) {
        en: "{n} terms of the period not closed yet (open or suspended) are not judged: a recent period looks better than it will",
        zh: "期内有 {n} 个服务期尚未结束（跟进中或挂起），不参与评判：近期的结果会比最终的好看",
    }
    hits_one(n) {
        en: "{n} hit",
        zh: "命中 {n}",
    }
    hits_many(n) {
        en: "{n} hits",
        zh: "命中 {n}",
    }
    false_alarms_one(n) {
        en: "{n} false alarm",
        zh: "误报 {n}",
    }
    false_alarms_many(n) {
        en: "{n} false alarms",
        zh: "误报 {n}",
    }
    /// `hits` and `alarms` are `hits_*` and `false_alarms_*`.
    danger_foretold(hits, alarms, missed, quiet) {
        en: "`danger` as \"will be lost\": {hits}, {alarms}, {missed} missed, {quiet} rightly quiet",
        zh: "把 `danger`（危险）当作“将流失”的预警：{hits}，{alarms}，漏报 {missed}，正确未报 {quiet}",
    }
    precision_recall(precision, recall, auc) {
        en: "precision {precision}  recall {recall}  AUC {auc}",
        zh: "精确率 {precision}  召回率 {recall}  AUC {auc}",
    }
    health_of(service, customer, day, band) {
        en: "{service} ({customer}) as of {day}: {band}",
        zh: "{service}（{customer}）截至 {day}：{band}",
    }
    /// After `health_of`.
    health_score(score) {
        en: ", score {score:.1}",
        zh: "，得分 {score:.1}",
    }
    no_usage() {
        en: "no usage on or before this day: health is unknown",
        zh: "这一天及之前没有使用数据：健康度未知",
    }
    stale_usage(day, days) {
        en: "latest usage {day} is more than {days} days old: health is unknown",
        zh: "最近的使用数据是 {day} 的，已超过 {days} 天：健康度未知",
    }
    no_calibration(day) {
        en: "no calibration in force on {day} (one applies from its as-of day): run `xaas health calibrate` once renewals and usage are in",
        zh: "{day} 没有生效的校准（校准从其截至日起生效）：续费和使用数据导入后，运行 `xaas health calibrate`",
    }
    usage_and_calibration(day, id, as_of, sample, danger, fair) {
        en: "usage of {day}; calibration {id} as of {as_of} ({sample} renewed terms): danger below {danger:.1}, fair below {fair:.1}",
        zh: "使用数据 {day}；校准 {id}（截至 {as_of}，{sample} 个已续费服务期）：低于 {danger:.1} 为危险，低于 {fair:.1} 为一般",
    }
}

/// The summary of `tasks plan`, one task or more.
pub fn plan(
    through: impl std::fmt::Display,
    n: usize,
    first: impl std::fmt::Display,
    last: impl std::fmt::Display,
) -> String {
    if n == 1 {
        plan_one(through, n, first, last)
    } else {
        plan_many(through, n, first, last)
    }
}

pub fn created(n: usize, rules: impl std::fmt::Display, days: impl std::fmt::Display) -> String {
    if n == 1 {
        created_one(n, rules, days)
    } else {
        created_many(n, rules, days)
    }
}

pub fn closed(n: usize, why: impl std::fmt::Display, ids: impl std::fmt::Display) -> String {
    if n == 1 {
        closed_one(n, why, ids)
    } else {
        closed_many(n, why, ids)
    }
}

pub fn not_judged(n: u64) -> String {
    if n == 1 {
        not_judged_one(n)
    } else {
        not_judged_many(n)
    }
}

pub fn hits(n: u64) -> String {
    if n == 1 {
        hits_one(n)
    } else {
        hits_many(n)
    }
}

pub fn false_alarms(n: u64) -> String {
    if n == 1 {
        false_alarms_one(n)
    } else {
        false_alarms_many(n)
    }
}
