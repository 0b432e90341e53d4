//! `xaas digest`: the week's mail, on a fixed book, byte for byte.

use super::*;

/// Six customers of three CSMs around TODAY (Monday 2026-11-23); the
/// period is 11-17 … 11-23, the one before 11-10 … 11-16.
///
/// | service | customer (csm) | what | counts as |
/// |---|---|---|---|
/// | S1 | C1 张伟 | 12 days left, at_risk on 11-18 | due 30/90, at risk |
/// | S2 | C2 张伟 | 58 days left, no record | due 90, untouched |
/// | S3 | C2 张伟 | expired 11-20, no record | expired, untouched |
/// | S4 | C3 王芳 | not_renewing (satisfaction) on 11-19 | lost now |
/// | S5 | C4 王芳 | expired 10-20, never closed: lapsed 11-20 | lost now |
/// | S6 | C5 王芳 | renewed on 11-21, 60,000 → 66,000 | renewed now |
/// | S7 | C6 李娜 | renewed on 11-12 | renewed before |
/// | S8 | C6 李娜 | not_renewing (budget) on 11-13 | lost before |
/// | S9 | C6 李娜 | expires 2027-06-01 | nothing |
///
/// Records: C1 on 11-18, C3 on 11-19 (this week), C6 on 11-13 (before).
/// Tasks: C1's due 11-20 (past due), C6's due today (not yet).
fn book(env: &Env) {
    env.file(
        "book.csv",
        "customer_id,customer_name,csm,service_id,service_type,product,expiry_date,amount
C1,华宇科技有限公司,张伟,S1,subscription,EDR订阅,2026-12-05,50000
C2,中科智联信息技术有限公司,张伟,S2,managed,安全托管,2027-01-20,30000
C2,中科智联信息技术有限公司,张伟,S3,basic,基础维保,2026-11-20,12500
C3,恒信证券股份有限公司,王芳,S4,subscription,云WAF,2026-12-10,49000
C4,星河市政务服务中心,王芳,S5,basic,基础维保,2026-10-20,8000
C5,蓝天电子有限公司,王芳,S6,subscription,EDR订阅,2026-11-30,60000
C6,东方物流集团,李娜,S7,subscription,云WAF,2026-11-15,20000
C6,东方物流集团,李娜,S8,managed,安全托管,2026-12-31,15000
C6,东方物流集团,李娜,S9,basic,基础维保,2027-06-01,9000
",
    );
    env.on("2026-11-01").xaas("import book.csv").ok();
    env.on("2026-11-12")
        .xaas("renew S7 --until 2027-11-15")
        .ok();
    env.on("2026-11-13")
        .xaas("followup set --service S8 --status not_renewing --reason budget --note 预算取消")
        .ok();
    env.on("2026-11-16")
        .xaas("tasks add C1 --service S1 --due 2026-11-20 --title 确认续费预算")
        .ok();
    env.on("2026-11-18")
        .xaas("followup set --service S1 --status at_risk --note 预算紧张")
        .ok();
    env.on("2026-11-19")
        .xaas("followup set --service S4 --status not_renewing --reason satisfaction --note 对告警质量不满")
        .ok();
    env.on("2026-11-21")
        .xaas("renew S6 --until 2027-11-30 --amount 66000")
        .ok();
    env.xaas("tasks add C6 --due 2026-11-23 --title 续约沟通")
        .ok();
}

const PLAIN_EN: &str = r#"Renewal digest 2026-11-17 … 2026-11-23
Changes (in brackets) against the 7 days before, 2026-11-10 … 2026-11-16.

Open services on 2026-11-23 count                   amount
  due within 30 days            1                50,000.00
  due within 90 days            2                80,000.00
  expired, still open           1                12,500.00
  untouched in their window     2                42,500.00
  at risk                       1                50,000.00

Since 2026-11-17            count                   amount
  renewed                       1 (±0)           66,000.00 (+46,000.00)
      66,000.00  S6  蓝天电子有限公司 (C5) · EDR订阅
  lost                          2 (+1)           57,000.00 (+42,000.00)
    by reason: satisfaction 1 · lapsed 1
      49,000.00  S4  satisfaction · 恒信证券股份有限公司 (C3) · 云WAF
       8,000.00  S5  lapsed · 星河市政务服务中心 (C4) · 基础维保
  touch rate                33.3% (+16.7 pts), 2 of 6 customers

Tasks past due                  1
      2026-11-20  C1 华宇科技有限公司 · S1 · 确认续费预算
"#;

const PLAIN_ZH: &str = r#"续费摘要 2026-11-17 … 2026-11-23
括号内为与之前 7 天（2026-11-10 … 2026-11-16）相比的变化。

截至 2026-11-23 的在跟服务   数量                     金额
  30天内到期                    1                50,000.00
  90天内到期                    2                80,000.00
  已过期未关闭                  1                12,500.00
  进入窗口后未跟进              2                42,500.00
  有风险                        1                50,000.00

2026-11-17 以来              数量                     金额
  已续费                        1 (±0)           66,000.00 (+46,000.00)
      66,000.00  S6  蓝天电子有限公司 (C5) · EDR订阅
  流失                          2 (+1)           57,000.00 (+42,000.00)
    流失原因：满意度原因 1 · 已流失 1
      49,000.00  S4  满意度原因 · 恒信证券股份有限公司 (C3) · 云WAF
       8,000.00  S5  已流失 · 星河市政务服务中心 (C4) · 基础维保
  翻动率                    33.3% (+16.7 个百分点)，2 / 6 个客户

逾期任务                        1
      2026-11-20  C1 华宇科技有限公司 · S1 · 确认续费预算
"#;

const MD_EN: &str = r#"# Renewal digest 2026-11-17 … 2026-11-23

Changes (in brackets) against the 7 days before, 2026-11-10 … 2026-11-16.

## Open services on 2026-11-23

| | count | amount |
|---|---:|---:|
| due within 30 days | 1 | 50,000.00 |
| due within 90 days | 2 | 80,000.00 |
| expired, still open | 1 | 12,500.00 |
| untouched in their window | 2 | 42,500.00 |
| at risk | 1 | 50,000.00 |

## Since 2026-11-17

| | count | amount |
|---|---:|---:|
| renewed | 1 (±0) | 66,000.00 (+46,000.00) |
| lost | 2 (+1) | 57,000.00 (+42,000.00) |

Largest renewals:

- 66,000.00 S6 蓝天电子有限公司 (C5) · EDR订阅

Lost by reason: satisfaction 1 · lapsed 1

Largest losses:

- 49,000.00 S4 satisfaction · 恒信证券股份有限公司 (C3) · 云WAF
- 8,000.00 S5 lapsed · 星河市政务服务中心 (C4) · 基础维保

Touch rate: 33.3% (+16.7 pts), 2 of 6 customers

## Tasks past due: 1

- 2026-11-20 C1 华宇科技有限公司 · S1 · 确认续费预算
"#;

const MD_ZH: &str = r#"# 续费摘要 2026-11-17 … 2026-11-23

括号内为与之前 7 天（2026-11-10 … 2026-11-16）相比的变化。

## 截至 2026-11-23 的在跟服务

| | 数量 | 金额 |
|---|---:|---:|
| 30天内到期 | 1 | 50,000.00 |
| 90天内到期 | 2 | 80,000.00 |
| 已过期未关闭 | 1 | 12,500.00 |
| 进入窗口后未跟进 | 2 | 42,500.00 |
| 有风险 | 1 | 50,000.00 |

## 2026-11-17 以来

| | 数量 | 金额 |
|---|---:|---:|
| 已续费 | 1 (±0) | 66,000.00 (+46,000.00) |
| 流失 | 2 (+1) | 57,000.00 (+42,000.00) |

金额最大的续费：

- 66,000.00 S6 蓝天电子有限公司 (C5) · EDR订阅

流失原因：满意度原因 1 · 已流失 1

金额最大的流失：

- 49,000.00 S4 满意度原因 · 恒信证券股份有限公司 (C3) · 云WAF
- 8,000.00 S5 已流失 · 星河市政务服务中心 (C4) · 基础维保

翻动率：33.3% (+16.7 个百分点)，2 / 6 个客户

## 逾期任务：1

- 2026-11-20 C1 华宇科技有限公司 · S1 · 确认续费预算
"#;

#[test]
fn the_week_in_plain_text_and_markdown_in_both_languages() {
    let env = Env::new();
    book(&env);
    env.xaas("digest").ok().stdout_is(PLAIN_EN).stderr_empty();
    env.xaas("digest --format table").ok().stdout_is(PLAIN_EN);
    env.xaas("digest --lang zh").ok().stdout_is(PLAIN_ZH);
    env.xaas("digest --format md").ok().stdout_is(MD_EN);
    env.xaas("digest --format markdown --lang zh")
        .ok()
        .stdout_is(MD_ZH);
    for text in [PLAIN_EN, PLAIN_ZH] {
        for line in text.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= 80,
                "wider than 80: {line}"
            );
            assert!(!line.contains('\x1b'), "no colour: {line}");
        }
    }
}

#[test]
fn mine_is_one_csms_book() {
    let env = Env::new();
    book(&env);
    let mine = |csm: &str| {
        env.xaas_with(&[("XAAS_CSM", csm)], "digest --mine --json")
            .ok()
            .json()
    };
    let wang = mine("王芳");
    assert_eq!(wang["csm"], serde_json::json!(["王芳"]));
    assert_eq!(wang["due"]["within_90"]["count"], 0);
    assert_eq!(wang["due"]["expired"]["count"], 0);
    assert_eq!(wang["renewed"]["count"], 1);
    assert_eq!(wang["renewed"]["amount"], 66000.0);
    assert_eq!(wang["lost"]["count"], 2);
    assert_eq!(wang["lost"]["amount"], 57000.0);
    assert_eq!(wang["overdue_tasks"]["count"], 0);
    assert_eq!(wang["touch"]["customers"], 3);
    assert_eq!(wang["touch"]["touched"], 1);
    let zhang = mine("张伟");
    assert_eq!(zhang["due"]["within_30"]["count"], 1);
    assert_eq!(zhang["due"]["within_90"]["amount"], 80000.0);
    assert_eq!(zhang["due"]["expired"]["amount"], 12500.0);
    assert_eq!(zhang["due"]["untouched"]["count"], 2);
    assert_eq!(zhang["due"]["at_risk"]["amount"], 50000.0);
    assert_eq!(zhang["renewed"]["count"], 0);
    assert_eq!(zhang["lost"]["count"], 0);
    assert_eq!(zhang["overdue_tasks"]["count"], 1);
    assert_eq!(zhang["touch"]["customers"], 2);
    assert_eq!(zhang["touch"]["touched"], 1);
    // The text names whose digest it is, and only their terms.
    env.xaas_with(&[("XAAS_CSM", "王芳")], "digest --mine")
        .ok()
        .stdout_starts_with("Renewal digest 2026-11-17 … 2026-11-23 · 王芳\n")
        .stdout_has("  renewed                       1 (+1)           66,000.00 (+66,000.00)\n")
        .stdout_has("S4  satisfaction · 恒信证券股份有限公司 (C3) · 云WAF\n")
        .stdout_lacks("S1")
        .stdout_lacks("华宇科技");
    // --mine without a CSM says where to set one; a CSM nobody is, is loud.
    env.xaas("digest --mine").fails(2).stderr_has("XAAS_CSM");
    env.xaas("digest --csm 王五").fails(1).stderr_has("张伟");
}

#[test]
fn nothing_in_it_prints_nothing() {
    // An empty book.
    let env = Env::new();
    env.file(
        "h.csv",
        "customer_id,customer_name,service_id,service_type,expiry_date\n",
    );
    env.xaas("import h.csv").ok();
    env.xaas("digest").ok().stdout_empty().stderr_empty();
    env.xaas("digest --format md --lang zh")
        .ok()
        .stdout_empty()
        .stderr_empty();
    // JSON is always an object, saying so.
    let j = env.xaas("digest --json").ok().json();
    assert_eq!(j["empty"], true);
    assert_eq!(j["touch"]["rate"], serde_json::Value::Null);

    let env = Env::new();
    book(&env);
    // 李娜's week: her renewal and loss were the week before, her task is
    // due today, S9 is far off. Nothing this week.
    env.xaas_with(&[("XAAS_CSM", "李娜")], "digest --mine")
        .ok()
        .stdout_empty()
        .stderr_empty();
    let j = env
        .xaas_with(&[("XAAS_CSM", "李娜")], "digest --mine --json")
        .ok()
        .json();
    assert_eq!(j["empty"], true);
    assert_eq!(j["renewed"]["previous"]["count"], 1);
    assert_eq!(j["lost"]["previous"]["count"], 1);
    // Early in the year nothing is due yet and nothing has happened.
    env.on("2026-06-01").xaas("digest").ok().stdout_empty();
    // Her task past due makes it news the day after.
    env.xaas_with(&[("XAAS_CSM", "李娜")], "--today 2026-11-24 digest --mine")
        .ok()
        .stdout_has("Tasks past due                  1\n")
        .stdout_has("      2026-11-23  C6 东方物流集团 · 续约沟通\n");
}

#[test]
fn changes_are_against_the_period_before_of_the_same_length() {
    let env = Env::new();
    book(&env);
    // 11-12 … 11-23 (12 days) against 10-31 … 11-11: everything is new.
    let j = env.xaas("digest --since 2026-11-12 --json").ok().json();
    assert_eq!(j["from"], "2026-11-12");
    assert_eq!(j["previous"]["from"], "2026-10-31");
    assert_eq!(j["previous"]["to"], "2026-11-11");
    assert_eq!(j["renewed"]["count"], 2);
    assert_eq!(j["renewed"]["amount"], 86000.0);
    assert_eq!(j["renewed"]["change"]["count"], 2);
    assert_eq!(j["lost"]["count"], 3);
    assert_eq!(j["lost"]["amount"], 72000.0);
    assert_eq!(j["lost"]["reasons"]["budget"]["count"], 1);
    assert_eq!(j["lost"]["reasons"]["lapsed"]["amount"], 8000.0);
    assert_eq!(j["touch"]["touched"], 3);
    assert_eq!(j["touch"]["change"], 0.5);
    env.xaas("digest --since 2026-11-12")
        .ok()
        .stdout_has("Changes (in brackets) against the 12 days before, 2026-10-31 … 2026-11-11.\n")
        .stdout_has("  renewed                       2 (+2)           86,000.00 (+86,000.00)\n")
        .stdout_has("  lost                          3 (+3)           72,000.00 (+72,000.00)\n")
        .stdout_has("    by reason: satisfaction 1 · budget 1 · lapsed 1\n")
        .stdout_has("  touch rate                50.0% (+50.0 pts), 3 of 6 customers\n");
    // A week earlier: S7 renewed and S8 lost in 11-10 … 11-16, nothing in
    // 11-03 … 11-09.
    let j = env.on("2026-11-16").xaas("digest --json").ok().json();
    assert_eq!(j["renewed"]["count"], 1);
    assert_eq!(j["renewed"]["change"]["amount"], 20000.0);
    assert_eq!(j["lost"]["count"], 1);
    assert_eq!(j["lost"]["largest"][0]["service_id"], "S8");
    assert_eq!(j["lost"]["largest"][0]["reason"], "budget");
    // The default week against the one before: fewer renewals shows as
    // a minus.
    let j = env
        .on("2026-11-19")
        .xaas("digest --since 2026-11-19 --json")
        .ok()
        .json();
    assert_eq!(j["previous"]["from"], "2026-11-18");
    assert_eq!(j["lost"]["count"], 1);
    assert_eq!(j["touch"]["change"], 0.0);
    env.on("2026-11-22")
        .xaas("digest --since 2026-11-22")
        .ok()
        .stdout_has("  renewed                       0 (-1)                0.00 (-66,000.00)\n");
    // A start after today is a usage error.
    env.xaas("digest --since 2026-11-24")
        .fails(2)
        .stderr_has("--since 2026-11-24 is after today (2026-11-23)");
}

#[test]
fn its_figures_are_the_ones_due_and_stats_give() {
    let env = Env::new();
    book(&env);
    let j = env.xaas("digest --json").ok().json();
    let rows = |line: &str| env.xaas(line).ok().ids().len() as u64;
    assert_eq!(j["due"]["within_30"]["count"], rows("due --within 30"));
    assert_eq!(j["due"]["within_90"]["count"], rows("due --within 90"));
    assert_eq!(
        j["due"]["untouched"]["count"],
        rows("due --within 90 --overdue --untouched")
    );
    assert_eq!(j["overdue_tasks"]["count"], rows("tasks list --overdue"));
    let stats = env
        .xaas("stats --from 2026-11-17 --to 2026-11-23 --json")
        .ok()
        .json();
    let (mut customers, mut touched) = (0, 0);
    for t in stats["touch"].as_object().unwrap().values() {
        customers += t["customers"].as_u64().unwrap();
        touched += t["touched"].as_u64().unwrap();
    }
    assert_eq!(j["touch"]["customers"], customers);
    assert_eq!(j["touch"]["touched"], touched);
    // A term recorded twice (same service and expiry) is one renewal, as
    // the cohort counts it.
    env.sql(
        "INSERT INTO terms(service_id, start_date, expiry_date, amount, new_expiry, new_amount, closed_at, source)
         SELECT service_id, start_date, expiry_date, amount, new_expiry, new_amount,
                '2026-11-22T09:00:00+08:00', source FROM terms WHERE service_id = 'S6'",
    );
    let j = env.xaas("digest --json").ok().json();
    assert_eq!(j["renewed"]["count"], 1);
    assert_eq!(j["renewed"]["amount"], 66000.0);
}

#[test]
fn csv_and_tsv_are_refused_and_md_is_the_digests_alone() {
    let env = Env::new();
    book(&env);
    env.xaas("digest --csv")
        .fails(2)
        .stdout_empty()
        .stderr_has("not csv");
    env.xaas("digest --format tsv --lang zh")
        .fails(2)
        .stderr_has("不输出 tsv");
    env.xaas("due --within 30 --format md")
        .fails(2)
        .stderr_has("--format md is for `xaas digest` only");
}
