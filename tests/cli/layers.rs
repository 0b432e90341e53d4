//! The architecture, checked on the source: the CLI never names rusqlite,
//! SQL stays in `src/db`, and no two modules of the library import each
//! other (data and calls flow one way: cli → ops → db → domain).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every `.rs` file under `dir`, with its text before any test module.
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap().to_string();
            out.push((path.to_string_lossy().into_owned(), code));
        }
    }
    out
}

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn the_cli_names_no_rusqlite_and_only_db_writes_sql() {
    for (path, code) in sources(&src()) {
        let in_db = path.contains("/src/db/");
        if path.contains("/src/cli/") || path.contains("/src/ops/") {
            assert!(!code.contains("rusqlite"), "{path} names rusqlite");
        }
        if !in_db {
            for sql in ["SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "PRAGMA"] {
                assert!(!code.contains(sql), "{path} has SQL (`{sql}`)");
            }
        }
    }
}

#[test]
fn no_two_modules_import_each_other() {
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, code) in sources(&src()) {
        let rel = path.split("/src/").nth(1).unwrap();
        if rel == "lib.rs" || rel == "main.rs" || rel.starts_with("cli/") {
            continue;
        }
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs");
        let found = code
            .split("crate::")
            .skip(1)
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .filter(|m| m != top && m.chars().next().is_some_and(|c| c.is_lowercase()));
        deps.entry(top.to_string()).or_default().extend(found);
    }
    assert!(deps["ops"].contains("db") && deps["db"].contains("status"));
    for (a, uses) in &deps {
        for b in uses {
            assert!(
                !deps.get(b).is_some_and(|d| d.contains(a)),
                "`{a}` and `{b}` import each other"
            );
        }
    }
    for domain in ["status", "window", "followup", "sheet", "stats", "columns"] {
        assert!(!deps[domain].contains("db"), "{domain} uses the database");
        assert!(!deps[domain].contains("ops"), "{domain} uses ops");
    }
}
