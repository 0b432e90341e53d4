//! Point in time (SPEC "Reports for the team lead"): what was written
//! after a day is invisible to every read as of that day, so the day's
//! figures and lists come back byte for byte.

use super::*;

const D: &str = "2026-10-15";

/// The reads a lead takes on a day, each with its stdout.
const READS: &[&str] = &[
    "stats",
    "stats --json",
    "stats --by csm --format csv",
    "stats --explain",
    "outcomes --format csv",
    "list --limit 0 --format csv",
    "list --services --limit 0 --format csv",
    "list --services --status at_risk --format csv",
    "show C0001",
    "show C0001 --format json",
    "show C0002",
    "show C0004 --format json",
    "log list --format csv",
    "due --within 90 --format csv",
    "export",
    "history S00001",
    "history C0001 --format csv",
    "tasks list --format csv",
    "risk list --format csv",
    "lead list --format csv",
    "settings",
    "today --limit 0 --format csv",
];

fn snapshot(env: &Env, day: &str) -> Vec<(String, Vec<u8>)> {
    READS
        .iter()
        .map(|r| (r.to_string(), env.on(day).xaas(r).ok().stdout.into_bytes()))
        .collect()
}

/// A season up to D: the example list imported on 2026-10-01, follow-ups,
/// a renewal, a loss with its reason, a risk, a lead and a task.
fn until_d(env: &Env) {
    let on = |day: &'static str, line: &str| {
        env.on(day).xaas(line).ok();
    };
    on("2026-10-01", "import examples.csv");
    on(
        "2026-10-05",
        "followup set --service S00001 --status identifying_risk --note 提醒已发",
    );
    on(
        "2026-10-05",
        "followup set --service S00031 --status at_risk --note 预算紧",
    );
    on("2026-10-06", "log add C0002 --note 电话回访");
    on("2026-10-08", "followup set --service S00007 --status not_renewing --reason budget --reason-detail 预算砍了");
    on(
        "2026-10-09",
        "renew S00008 --until 2027-05-06 --amount 50000",
    );
    on(
        "2026-10-10",
        "risk add C0004 --kind satisfaction --note 工单慢",
    );
    on(
        "2026-10-10",
        "lead add C0004 --product 云WAF --amount 30000 --note 想加",
    );
    on(
        "2026-10-12",
        "tasks add C0001 --service S00001 --due 2026-10-20 --title 发报价",
    );
    on(
        "2026-10-15",
        "followup set --service S00002 --status no_risk",
    );
}

/// After D: more renewals (by import and by hand), status moves, records,
/// a reassignment and an amount change by import, a new customer and
/// service, a setting, and the items closed.
fn after_d(env: &Env) {
    let on = |day: &'static str, line: &str| {
        env.on(day).xaas(line).ok();
    };
    on(
        "2026-10-16",
        "followup set --service S00001 --status renewing --note 同意续",
    );
    on(
        "2026-10-17",
        "log add C0001 --service S00016 --note 新的备注",
    );
    on(
        "2026-10-18",
        "followup set --service S00031 --status not_renewing --reason satisfaction",
    );
    on("2026-10-20", "tasks done 1 --note 已发");
    on(
        "2026-10-21",
        "risk close 1 --outcome resolved --note 修好了",
    );
    on("2026-10-21", "lead set 1 --status validated");
    on("2026-10-25", "settings grace_days 10");
    // The platform's next list: S00001 renewed (a later expiry), C0001
    // handed from 张伟 to 王芳, S00016's amount up, a new customer.
    let list = std::fs::read_to_string(env.dir.path().join("examples.csv")).unwrap();
    let mut next: String = list
        .lines()
        .map(|l| {
            let l = l.replace(
                ",S00001,subscription,SASE,2026-05-24,2026-11-22,49000.00,",
                ",S00001,subscription,SASE,2026-11-23,2027-11-22,52000.00,",
            );
            let l = l.replace(
                ",S00016,basic,基础维保,2025-01-07,2027-01-06,50000.00,",
                ",S00016,basic,基础维保,2025-01-07,2027-01-06,61000.00,",
            );
            if l.starts_with("C0001,") {
                l.replace(",张伟,", ",王芳,")
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    next.push_str("\nC0099,新客户有限公司,制造业,华东,小型,B,上海办,总代A,李娜,赵强,13600000000,S09999,subscription,SASE,2026-11-01,2026-12-01,10000.00,5,normal\n");
    env.file("next.csv", next);
    on("2026-11-01", "import next.csv");
    on(
        "2026-11-05",
        "followup set --service S00046 --status at_risk",
    );
    on("2026-11-10", "renew S00045 --until 2027-08-24");
}

#[test]
fn what_was_written_later_is_invisible_as_of_a_day() {
    let env = Env::new();
    env.file("examples.csv", std::fs::read_to_string(examples()).unwrap());
    until_d(&env);
    let before = snapshot(&env, D);
    after_d(&env);
    // The later writes are there today...
    env.on("2026-11-20")
        .xaas("show C0001")
        .ok()
        .stdout_has("王芳")
        .stdout_has("2027-11-22");
    // ...and not as of D.
    let after = snapshot(&env, D);
    let mut differ = Vec::new();
    for ((read, was), (_, is)) in before.iter().zip(&after) {
        if was != is {
            differ.push(read.clone());
            if let Ok(dir) = std::env::var("ASOF_DUMP") {
                let name = read.replace(' ', "_");
                std::fs::write(format!("{dir}/{name}.then"), was).unwrap();
                std::fs::write(format!("{dir}/{name}.now"), is).unwrap();
            }
        }
    }
    assert!(
        differ.is_empty(),
        "as of {D}, these reads changed: {differ:?}"
    );
    for ((read, was), (_, is)) in before.iter().zip(&after) {
        assert!(
            was == is,
            "`{read}` as of {D} changed:\n--- then\n{}\n--- now\n{}",
            String::from_utf8_lossy(was),
            String::from_utf8_lossy(is)
        );
    }
}

#[test]
fn a_back_filled_write_shows_in_the_days_after_it() {
    let env = Env::new();
    env.file("examples.csv", std::fs::read_to_string(examples()).unwrap());
    until_d(&env);
    after_d(&env);
    let then = env.on(D).xaas("show C0010 --format json").ok().json();
    assert_eq!(then["services"][0]["status"], "pending");
    // Written today, dated (by --today) the day before D.
    env.on("2026-10-14")
        .xaas("followup set --service S00010 --status no_risk")
        .ok();
    let now = env.on(D).xaas("show C0010 --format json").ok().json();
    assert_eq!(now["services"][0]["status"], "no_risk");
    // A day before the back-fill still has none.
    let before = env
        .on("2026-10-13")
        .xaas("show C0010 --format json")
        .ok()
        .json();
    assert_eq!(before["services"][0]["status"], "pending");
}

#[test]
fn the_first_list_was_always_there_and_a_later_arrival_from_its_day() {
    let env = Env::new();
    env.file("examples.csv", std::fs::read_to_string(examples()).unwrap());
    until_d(&env);
    after_d(&env);
    // The book started from the first list: it is there on any day, with
    // none of what was written later.
    let listed = env
        .on("2026-09-30")
        .xaas("list --services --limit 0 --format csv")
        .ok()
        .stdout;
    assert_eq!(listed.lines().count(), 51, "the header and 50 services");
    env.on("2026-09-30")
        .xaas("show C0001 --format json")
        .ok()
        .stdout_has("\"csm\": \"张伟\"");
    // The customer and service the list of Nov 1 brought are not there
    // before it, and are from that day on.
    env.on("2026-10-31")
        .xaas("show C0099")
        .fails(1)
        .stderr_has("no customer `C0099`");
    env.on("2026-10-31")
        .xaas("list --services --format csv")
        .ok()
        .stdout_lacks("S09999");
    env.on("2026-11-01")
        .xaas("show C0099")
        .ok()
        .stdout_has("S09999");
}

#[test]
fn a_status_change_dated_before_the_last_one_is_refused() {
    let env = Env::new();
    env.file("examples.csv", std::fs::read_to_string(examples()).unwrap());
    until_d(&env);
    let before = env.dump();
    // S00001's status last changed on 2026-10-05.
    env.on("2026-10-04")
        .xaas("followup set --service S00001 --status at_risk")
        .fails(1)
        .stderr_has("last changed on 2026-10-05, after --today 2026-10-04");
    assert_eq!(env.dump(), before, "a refusal changes nothing");
    env.on("2026-10-05")
        .xaas("followup set --service S00001 --status at_risk")
        .ok();
}
