//! The README's command table names every subcommand of the binary, every
//! row names a real one, and each `--help` renders (as just's
//! `tests/readme.rs` checks its README). The subcommands come from the
//! binary's own `--help`, so a new command fails here until the README
//! has a row for it.

use super::*;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The words after `xaas` in each row of the command table (the rows
/// starting with "| `xaas "), up to the closing backtick.
fn table(readme: &str) -> Vec<Vec<String>> {
    readme
        .lines()
        .filter_map(|l| l.strip_prefix("| `xaas "))
        .map(|row| {
            let command = row.split('`').next().unwrap();
            command.split_whitespace().map(str::to_string).collect()
        })
        .collect()
}

/// The names listed under "Commands:" in a clap help, `help` left out.
/// A name starts a line after two spaces; a wrapped description goes on
/// further in.
fn commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim_end() != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|c| c != "help")
        .collect()
}

/// Every command of the binary as the words that name it (`["followup"]`,
/// `["followup", "set"]`, …), read from `xaas --help` and the `--help` of
/// each command that has commands of its own.
fn command_paths(env: &Env) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut todo = vec![Vec::<String>::new()];
    while let Some(path) = todo.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = env.run(&args).ok();
        for c in commands(&help.stdout) {
            let mut sub = path.clone();
            sub.push(c);
            paths.push(sub.clone());
            todo.push(sub);
        }
    }
    paths.sort();
    paths
}

/// Commands the table has no row for: a row names a command when its
/// words start with the command's.
fn missing(rows: &[Vec<String>], paths: &[Vec<String>]) -> Vec<String> {
    paths
        .iter()
        .filter(|p| !rows.iter().any(|r| r.starts_with(p)))
        .map(|p| format!("xaas {}", p.join(" ")))
        .collect()
}

/// Rows that name no command the binary has. A command with commands of
/// its own (`followup`) is not a row by itself: its row names one of them.
fn unknown(rows: &[Vec<String>], paths: &[Vec<String>]) -> Vec<String> {
    let leaf = |p: &Vec<String>| !paths.iter().any(|q| q.len() > p.len() && q.starts_with(p));
    rows.iter()
        .filter(|r| !paths.iter().any(|p| leaf(p) && r.starts_with(p)))
        .map(|r| format!("xaas {}", r.join(" ")))
        .collect()
}

fn path(words: &str) -> Vec<String> {
    words.split(' ').map(str::to_string).collect()
}

#[test]
fn the_command_table_names_every_subcommand() {
    let env = Env::new();
    let paths = command_paths(&env);
    // The help was read: the top level and both nested commands are there.
    for p in [
        "import",
        "stats",
        "followup",
        "followup set",
        "log",
        "log add",
        "log list",
    ] {
        assert!(
            paths.contains(&path(p)),
            "`xaas {p}` not found in {paths:?}"
        );
    }
    let rows = table(&readme());
    assert!(!rows.is_empty(), "README.md has no command table");
    assert_eq!(
        missing(&rows, &paths),
        NONE,
        "commands without a row in README.md's table"
    );
    assert_eq!(
        unknown(&rows, &paths),
        NONE,
        "rows of README.md's table that name no command"
    );
}

#[test]
fn every_help_renders() {
    let env = Env::new();
    let usage = |r: &Run, of: &str| {
        let want = format!("Usage: xaas {of}");
        assert!(
            r.stdout.lines().any(|l| l.starts_with(&want)),
            "no `{want}` line:\n{}",
            r.stdout
        );
    };
    usage(&env.xaas("--help").ok(), "[OPTIONS] <COMMAND>");
    for p in command_paths(&env) {
        let mut args: Vec<&str> = p.iter().map(String::as_str).collect();
        args.push("--help");
        usage(&env.run(&args).ok(), &format!("{} ", p.join(" ")));
    }
}

/// The check above can fail: a README without the `renew` row, or
/// without `log list`, or with a row for a command that does not exist.
#[test]
fn the_table_check_sees_a_missing_or_unknown_row() {
    let env = Env::new();
    let paths = command_paths(&env);
    let readme = readme();
    let without = |command: &str| -> String {
        let row = format!("| `{command} ");
        assert!(readme.contains(&row), "no row {row}");
        readme
            .lines()
            .filter(|l| !l.starts_with(&row))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        missing(&table(&without("xaas renew")), &paths),
        ["xaas renew"]
    );
    assert_eq!(
        missing(&table(&without("xaas log list")), &paths),
        ["xaas log list"]
    );
    let extra =
        format!("{readme}\n| `xaas frobnicate FILE` | nothing |\n| `xaas log` | a group |\n");
    assert_eq!(
        unknown(&table(&extra), &paths),
        ["xaas frobnicate FILE", "xaas log"]
    );
}
