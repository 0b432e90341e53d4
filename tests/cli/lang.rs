//! Every command's error paths speak the chosen language (issue #15):
//! under `--lang zh` every line of the message is Chinese (values such as
//! ids, names and paths aside); under `--lang en` the same failures are
//! English. The exit codes do not depend on the language.

use super::*;

/// Failures of every command: the arguments, and the exit code.
const CASES: &[(&str, i32)] = &[
    ("import nosuch.csv", 1),
    ("import bad.csv", 1),
    ("import bad.csv --encoding latin1", 2),
    ("import bad.csv --delimiter ab", 2),
    ("list --status nosuch", 2),
    ("list --csm 无此人", 1),
    ("list --sort nosuch", 2),
    ("show C9999", 1),
    ("show 有限", 1),
    ("due --within abc", 2),
    ("due --within", 2),
    ("lis", 2),
    ("list --limt 5", 2),
    ("due --within -5", 2),
    ("export -o /nonexistent/dir/x.csv", 1),
    ("export C9999", 1),
    ("followup set C0001 --status renewed", 1),
    ("followup set S99999 --status at_risk", 1),
    ("followup set C0001", 2),
    ("followup set C0001 --status not_renewing --window 90", 1),
    ("log add C9999 --note hi", 1),
    ("log add C0001", 2),
    ("log list C9999", 1),
    ("renew S99999 --until 2027-01-01", 1),
    ("renew S00001 --until 2020-01-01", 1),
    ("renew S00001", 2),
    ("history S99999", 1),
    ("stats --by nosuch", 2),
    ("stats --from 2026-12-01 --to 2026-01-01", 2),
    ("outcomes --from 2026-99-01", 2),
    ("settings nosuch 5", 2),
    ("settings health_danger_pct abc", 2),
    ("settings grace_days 100000", 2),
    ("health calibrate", 1),
    ("health backtest --from 2026-06-01 --to 2026-05-01", 2),
    ("health explain S99999", 1),
    ("today --csm 无此人", 1),
    ("usage import nosuch.csv", 1),
    ("usage import bad.csv", 1),
    ("risk add C9999 --kind delivery --note x", 1),
    ("risk add C0001 --kind nosuch --note x", 2),
    ("risk plan 999 --note x", 1),
    ("risk close 999 --outcome resolved --note x", 1),
    ("lead add C9999 --product x --note x", 1),
    ("lead set 999 --status converted", 1),
    ("budget set C0001 --date notadate", 2),
    ("budget submit C0001", 1),
    ("budget result C0001 --passed", 1),
    ("tasks add C0001 --due 2026-13-01", 2),
    ("tasks done 999", 1),
    ("tasks snooze 999 --until 2026-12-01", 1),
    ("tasks list --status nosuch", 2),
    ("tasks plan --frob", 2),
    ("frobnicate", 2),
    ("--today 2026-02-30 list", 2),
    ("list --db none.db", 1),
    ("list --db bad.csv", 1),
];

fn is_chinese(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
}

/// The lines that are sentences: not indented (an indented line lists
/// values: rows, candidates).
fn sentences(stderr: &str) -> impl Iterator<Item = &str> {
    stderr
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with([' ', '\t']))
}

fn book() -> Env {
    let env = Env::new();
    env.import_examples();
    env.file(
        "bad.csv",
        b"customer_id,customer_name,service_id,service_type,expiry_date,amount\nC1,X,S1,basic,2026-13-01,1\n",
    );
    env
}

#[test]
fn every_error_is_chinese_under_lang_zh() {
    let env = book();
    let mut english = Vec::new();
    for (args, code) in CASES {
        let r = env.xaas(&format!("--lang zh {args}")).fails(*code);
        assert!(
            r.stderr.starts_with("错误："),
            "$ xaas {args}\n{}",
            r.stderr
        );
        for line in sentences(&r.stderr) {
            if !line.chars().any(is_chinese) {
                english.push(format!("$ xaas --lang zh {args}\n  {line}"));
            }
        }
    }
    assert!(
        english.is_empty(),
        "lines with no Chinese:\n{}",
        english.join("\n")
    );
}

#[test]
fn a_chinese_locale_speaks_chinese_without_the_flag() {
    let env = book();
    for (args, code) in CASES.iter().take(12) {
        let r = env.xaas_with(&[("LANG", "zh_CN.UTF-8")], args).fails(*code);
        assert!(
            r.stderr.starts_with("错误："),
            "$ xaas {args}\n{}",
            r.stderr
        );
    }
}

#[test]
fn the_same_errors_are_english_under_lang_en() {
    let env = book();
    for (args, code) in CASES {
        let en = env.xaas(&format!("--lang en {args}")).fails(*code);
        let zh = env.xaas(&format!("--lang zh {args}")).fails(*code);
        assert!(
            en.stderr.starts_with("error: "),
            "$ xaas {args}\n{}",
            en.stderr
        );
        for line in sentences(&en.stderr) {
            // An English sentence starts in English, whatever values follow.
            let first = line.chars().next().unwrap();
            assert!(first.is_ascii(), "$ xaas --lang en {args}\n  {line}");
        }
        assert_ne!(
            en.stderr.lines().next().unwrap().strip_prefix("error: "),
            zh.stderr.lines().next().unwrap().strip_prefix("错误："),
            "$ xaas {args}: the same text in both languages"
        );
    }
}
