//! Issue #15: with `--lang zh` the CLI's own words are Chinese too: the
//! `stats` dashboard, the confirmations of `risk`, `lead`, `budget`,
//! `tasks`, `settings`, what is refused on the command line, the config
//! file's errors. English stays as it was.

use super::*;

/// The ASCII words of `text` (ids, flags, names of the data aside).
fn ascii_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() > 1)
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    words
}

#[test]
fn the_dashboard_in_chinese_has_no_english_words() {
    let env = Env::new();
    env.import_examples();
    let run = env
        .xaas("stats --format table --lang zh")
        .ok()
        .stdout_has("截至 2026-11-23 · 50 个服务 · 15 个客户\n")
        .stdout_has(" 服务数 ")
        .stdout_has("\n续费统计（到期日 2025-11-24 … 2026-11-23）\n")
        .stdout_has("流失 3（其中逾期未续 3）")
        .stdout_has("(0 / 5 个客户)")
        .stdout_has("\n续费工作指标\n")
        .stdout_has("\n不续费原因\n")
        .stdout_has("翻动率（统计期内有跟进记录）");
    // Only the reasons' ids (what --reason takes) and a product line's
    // name are in ASCII.
    let ids = [
        "budget",
        "business",
        "needs",
        "operations",
        "other",
        "satisfaction",
        "XaaS",
    ];
    for w in ascii_words(&run.stdout) {
        assert!(ids.contains(&w.as_str()), "`{w}` in:\n{}", run.stdout);
    }
    // The rates start where the indicators' do (a Chinese character is
    // two columns wide).
    let at = |start: &str| {
        let line = run.stdout.lines().find(|l| l.starts_with(start)).unwrap();
        let rate = line.find(['%', '-']).unwrap();
        unicode_width::UnicodeWidthStr::width(&line[..rate])
    };
    assert_eq!(at("  续约率"), at("  风险处置完成率"));
    assert_eq!(at("  健康率"), at("  任务按时完成率"));

    let explain = env
        .xaas("stats --explain --format table --lang zh")
        .ok()
        .stdout_starts_with("截至 2026-11-23 · 续费统计（到期日 2025-11-24 … 2026-11-23）\n")
        .stdout_has("= 0 / 0             = 无\n");
    assert_eq!(ascii_words(&explain.stdout), Vec::<String>::new());

    env.xaas("stats --format table")
        .ok()
        .stdout_has("as of 2026-11-23 · 50 services · 15 customers\n")
        .stdout_has("\nrenewal cohort, expiring 2025-11-24 … 2026-11-23\n")
        .stdout_has("lost 3 (lapsed 3)")
        .stdout_has("  logo rate 续约率            0.0%   (0 / 5 customers)\n")
        .stdout_has("  amount rate 续费率          0.0%   (0.00 / 257,500.00)\n")
        .stdout_has("\nthe work around renewals\n");
    env.xaas("stats --explain --format table")
        .ok()
        .stdout_has("= 0 / 0             = n/a\n");
}

#[test]
fn confirmations_of_risks_leads_budgets_and_tasks_speak_chinese() {
    let env = Env::new();
    env.import_examples();
    env.xaas("--lang zh risk add C0004 --kind delivery --note 报告晚了 --service S00004")
        .ok()
        .stdout_is("风险 #1：C0004 金盾物流有限公司，服务 S00004，交付风险，负责人 tester，2026-11-23 登记\n");
    env.xaas("risk add C0004 --kind business --note late")
        .ok()
        .stdout_is(
            "risk #2 for C0004 金盾物流有限公司: business, owner tester, raised 2026-11-23\n",
        );
    env.xaas("--lang zh risk close 1 --outcome resolved --note 已解决")
        .ok()
        .stdout_is("风险 #1（C0004 金盾物流有限公司）：待处置 → 处置成功，2026-11-23 关闭\n");
    env.xaas("--lang zh lead add C0004 --product EDR --amount 12000 --note 想要")
        .ok()
        .stdout_is("线索 #1：C0004 金盾物流有限公司，增购 EDR，12000.00，2026-11-23 录入\n");
    env.xaas("--lang zh lead set 1 --status validated --amount 15000")
        .ok()
        .stdout_is(
            "线索 #1（C0004 金盾物流有限公司）：已录入 → 已验证；金额 12000.00 → 15000.00\n",
        );
    env.xaas("--lang zh budget set C0004 --date 2027-03-01")
        .ok()
        .stdout_is("C0004 金盾物流有限公司 的预算制定时间：无 → 2027-03-01\n");
    env.xaas("budget set C0004 --date 2027-03-01")
        .ok()
        .stdout_is("budget date of C0004 金盾物流有限公司: 2027-03-01 (unchanged)\n");
    env.xaas("--lang zh budget submit C0004")
        .ok()
        .stdout_is("C0004 金盾物流有限公司 2027-03-01 的预算：2026-11-23 已提交\n");
    env.xaas("--lang zh tasks add C0004 --due 2026-12-01 --title 打电话")
        .ok()
        .stdout_is("任务 #1：C0004 金盾物流有限公司，2026-12-01 到期：打电话\n");
    env.xaas("--lang zh tasks done 1 --note 打过了")
        .ok()
        .stdout_is("任务 #1 已完成（C0004 金盾物流有限公司：打电话）；已写入跟进记录 #1\n");
    env.xaas("tasks add C0004 --due 2026-12-01 --title call --service S00004")
        .ok()
        .stdout_is("task #2 for C0004 金盾物流有限公司 about S00004, due 2026-12-01: call\n");
    env.xaas("--lang zh settings grace_days 45")
        .ok()
        .stdout_is("grace_days：30 → 45\n");
    env.xaas("--lang zh risk list --open --format table --customer C0001")
        .ok()
        .stderr_is("没有未关闭的风险\n");
    env.xaas("lead list --open --format table --customer C0001")
        .ok()
        .stderr_is("no open leads\n");
}

#[test]
fn refusals_on_the_command_line_speak_chinese() {
    let env = Env::new();
    env.import_examples();
    env.refused(
        "--lang zh tasks add C0004 --due 2026-12-01",
        2,
        "错误：任务标题：请加上 --title TEXT（没有终端可以询问）\n",
    );
    env.refused(
        "tasks add C0004 --due 2026-12-01",
        2,
        "error: Title: pass --title TEXT (there is no terminal to ask on)\n",
    );
    env.refused(
        "--lang zh followup set --service S00004 --status at_risk --resume-on 2027-01-01",
        2,
        "错误：--resume-on 只能与 --status suspended 一起用（这里是 at_risk）",
    );
    env.refused(
        "--lang zh risk plan x --note 方案",
        2,
        "`x` 不是编号；编号是 `list` 命令显示的数字（3 或 #3）",
    );
    env.refused(
        "--lang zh health backtest --csv",
        2,
        "错误：health backtest 只输出文本或 JSON，不输出 CSV\n提示：去掉 --format/--csv，或改用 --json\n",
    );
    env.refused(
        "health backtest --csv",
        2,
        "error: health backtest prints text or JSON, not CSV\nhint: leave out --format/--csv, or use --json\n",
    );
    env.refused(
        "--lang zh due --mine",
        2,
        "错误：--mine 需要知道你的客户成功经理（CSM）名字：请设置 XAAS_CSM",
    );
    env.xaas("--lang zh history C0004 --format table")
        .ok()
        .stderr_is("`C0004` 还没有任何变更记录\n");
}

#[test]
fn the_config_file_says_file_line_and_key_in_chinese() {
    let env = Env::new();
    env.import_examples();
    let path = env.config("csm = \"张伟\"\ncolour = \"blue\"\n");
    env.xaas("--lang zh show C0004")
        .fails(2)
        .stderr_is(&format!(
            "错误：配置文件 `{path}` 第 2 行（键 `colour`）有误：未知的键 `colour`，只能是 `csm`, `author`, `lang` 之一\n\
             提示：改正或删除第 2 行；可写的键有 csm、author 和 lang（en 或 zh）\n"
        ));
    env.xaas("show C0004").fails(2).stderr_is(&format!(
        "error: the config file `{path}`, line 2, key `colour`: unknown key `colour`, expected one of `csm`, `author`, `lang`\n\
         hint: fix or remove line 2; the keys are csm, author and lang (en or zh)\n"
    ));
    // The file's own `lang` is read before the file is judged: a bad
    // value is said in the locale's language.
    env.config("lang = \"fr\"\n");
    env.xaas_with(&[("LANG", "zh_CN.UTF-8")], "show C0004")
        .fails(2)
        .stderr_has("第 1 行（键 `lang`）有误：`lang` 只能是 `en` 或 `zh`，不能是 `fr`");
    env.config("csm = 3\n");
    env.xaas("--lang zh show C0004")
        .fails(2)
        .stderr_has("值的类型不对（integer `3`）：应为加引号的文本");
}
