//! The work around renewals: tasks, risks, leads, budgets, and the items
//! that name a customer's service.

use super::messages;

messages! {
    /// A closing day that was not stored.
    unknown_day() {
        en: "an unknown day",
        zh: "未知日期",
    }

    // An item (risk, lead, budget, task) about a service of another
    // customer.
    item_not_their_service(service, customer, name, owner, owner_name) {
        en: "{service} is not a service of {customer} ({name}); it belongs to {owner} ({owner_name}); nothing changed",
        zh: "{service} 不是 {customer}（{name}）的服务，它属于 {owner}（{owner_name}）；未做修改",
    }
    task_not_their_service(service, customer, name, owner, owner_name) {
        en: "no task added: {service} is not a service of {customer} ({name}); it belongs to {owner} ({owner_name})",
        zh: "未添加任务：{service} 不是 {customer}（{name}）的服务，它属于 {owner}（{owner_name}）",
    }

    // Risks.
    no_risk(id) {
        en: "no risk #{id}\nhint: `xaas risk list` lists the risks and their ids",
        zh: "没有风险 #{id}\n提示：`xaas risk list` 可列出风险及其编号",
    }
    risk_closed_no_plan(id, outcome, on) {
        en: "risk #{id} is already closed: {outcome} on {on}; a plan is for an open risk\nhint: `xaas risk add` records a new risk",
        zh: "风险 #{id} 已关闭：{on} {outcome}；处置计划只针对未关闭的风险\n提示：用 `xaas risk add` 登记新的风险",
    }
    risk_closed_no_close(id, outcome, on) {
        en: "risk #{id} is already closed: {outcome} on {on}; it cannot be closed again\nhint: `xaas risk add` records a new risk",
        zh: "风险 #{id} 已关闭：{on} {outcome}；不能再次关闭\n提示：用 `xaas risk add` 登记新的风险",
    }
    risk_plan_before_raised(id, raised, today) {
        en: "risk #{id} was raised on {raised}; it cannot be planned on {today} (check --today)",
        zh: "风险 #{id} 登记于 {raised}，不能在 {today} 制定处置计划（请检查 --today）",
    }
    risk_close_before_raised(id, raised, today) {
        en: "risk #{id} was raised on {raised}; it cannot be closed on {today} (check --today)",
        zh: "风险 #{id} 登记于 {raised}，不能在 {today} 关闭（请检查 --today）",
    }

    // Leads.
    no_lead(id) {
        en: "no lead #{id}\nhint: `xaas lead list` lists the leads and their ids",
        zh: "没有线索 #{id}\n提示：`xaas lead list` 可列出线索及其编号",
    }
    lead_not_settable(value, choices) {
        en: "`{value}` is not a status a lead can be set to; expected one of: {choices}",
        zh: "线索不能设为 `{value}`；可选：{choices}",
    }
    lead_already(id, status) {
        en: "lead #{id} is already {status}; nothing changed",
        zh: "线索 #{id} 当前就是{status}；未做修改",
    }
    lead_final(id, status, since) {
        en: "lead #{id} is {status} (since {since}), which is final; nothing changed\nhint: `xaas lead add` records a new lead",
        zh: "线索 #{id} 自 {since} 起为{status}，不能再改；未做修改\n提示：用 `xaas lead add` 录入新的线索",
    }
    lead_not_back_to_entered(id) {
        en: "lead #{id} cannot go back to entered; expected one of: validated, invalid, converted",
        zh: "线索 #{id} 不能退回已录入；可选：validated（已验证）、invalid（无效）、converted（已转商机）",
    }
    lead_before_entered(id, entered, today) {
        en: "lead #{id} was entered on {entered}; it cannot be set on {today} (check --today)",
        zh: "线索 #{id} 录入于 {entered}，不能在 {today} 修改（请检查 --today）",
    }

    // Budgets.
    no_budget_date(customer) {
        en: "{customer} has no budget date; nothing changed\nhint: `xaas budget set {customer} --date D`, or a `budget_date` (预算制定时间) column in the service list",
        zh: "{customer} 没有预算制定时间；未做修改\n提示：运行 `xaas budget set {customer} --date 日期`，或在服务清单里加一列 `budget_date`（预算制定时间）",
    }
    budget_already_submitted(customer, date, on) {
        en: "the budget of {customer} for {date} was already submitted on {on}; nothing changed\nhint: `xaas budget result {customer} --passed|--failed` records how it went",
        zh: "{customer} {date} 的预算已于 {on} 提交；未做修改\n提示：用 `xaas budget result {customer} --passed|--failed` 记录预算结果",
    }
    budget_submit_before_set(date, customer, created, today) {
        en: "the budget date {date} of {customer} was set on {created}; it cannot be submitted on {today} (check --today)",
        zh: "{customer} 的预算制定时间 {date} 设于 {created}，不能在 {today} 提交（请检查 --today）",
    }
    budget_has_result(customer, date, result, on) {
        en: "the budget of {customer} for {date} already has its result: {result} on {on}; nothing changed",
        zh: "{customer} {date} 的预算已有结果：{on} {result}；未做修改",
    }
    budget_not_submitted(customer, date) {
        en: "the budget of {customer} for {date} is not submitted yet; nothing changed\nhint: `xaas budget submit {customer}` first",
        zh: "{customer} {date} 的预算还没有提交；未做修改\n提示：先运行 `xaas budget submit {customer}`",
    }
    budget_result_before_submit(customer, date, on, today) {
        en: "the budget of {customer} for {date} was submitted on {on}; its result cannot come on {today} (check --today)",
        zh: "{customer} {date} 的预算于 {on} 提交，结果不能记在 {today}（请检查 --today）",
    }

    // Tasks.
    no_task(id) {
        en: "no task #{id}\nhint: `xaas tasks list --all` lists every task with its id",
        zh: "没有任务 #{id}\n提示：`xaas tasks list --all` 可列出所有任务及其编号",
    }
    manual_task_duplicate() {
        en: "a manual task was taken for a duplicate",
        zh: "手动任务被误当成了重复任务",
    }
    snooze_not_after_today(until, today) {
        en: "{until} is not after today ({today}); a snooze moves a task to a later day",
        zh: "{until} 不晚于今天（{today}）；延期是把任务推到以后的某一天",
    }
    task_not_later(task, due, until, id) {
        en: "task {task} is due {due}; {until} is not later\nhint: a snooze moves a task to a later day; `xaas tasks done {id}` ends it",
        zh: "任务 {task} 的到期日是 {due}，{until} 并不更晚\n提示：延期是把任务推到更晚的日子；`xaas tasks done {id}` 可结束任务",
    }
    task_done_before_made(task, made, today) {
        en: "task {task} was made on {made}; it cannot be done on {today}\nhint: leave out --today, or give a day on or after {made}",
        zh: "任务 {task} 创建于 {made}，不能在 {today} 完成\n提示：去掉 --today，或给出 {made} 当天或之后的日期",
    }
    task_snoozed_before_made(task, made, today) {
        en: "task {task} was made on {made}; it cannot be snoozed on {today}\nhint: leave out --today, or give a day on or after {made}",
        zh: "任务 {task} 创建于 {made}，不能在 {today} 延期\n提示：去掉 --today，或给出 {made} 当天或之后的日期",
    }
    task_not_open_done(task, status, closed) {
        en: "task {task} is already {status} ({closed}); only an open task can be done\nhint: `xaas tasks list` lists the open tasks",
        zh: "任务 {task} 当前为{status}（{closed}）；只有待办的任务才能完成\n提示：`xaas tasks list` 可列出待办任务",
    }
    task_not_open_snoozed(task, status, closed) {
        en: "task {task} is already {status} ({closed}); only an open task can be snoozed\nhint: `xaas tasks list` lists the open tasks",
        zh: "任务 {task} 当前为{status}（{closed}）；只有待办的任务才能延期\n提示：`xaas tasks list` 可列出待办任务",
    }
}
