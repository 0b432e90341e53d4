//! The shell: completion scripts, man pages, `doctor` and `backup`.

use super::*;

/// A program of the machine's, if it is installed.
fn installed(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}

#[test]
fn completions_name_the_commands_for_each_shell() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        env.xaas(&format!("completions {shell}"))
            .ok()
            .stdout_has("followup")
            .stdout_has("import")
            .stderr_empty();
    }
    env.xaas("completions tcsh")
        .fails(2)
        .stderr_has("possible values: bash");
    // No database is needed, nor made.
    assert!(!env.db.exists());
}

#[test]
fn bash_loads_the_completion_script() {
    if !installed("bash") {
        eprintln!("skipped: no bash");
        return;
    }
    let env = Env::new();
    let script = env.xaas("completions bash").ok().stdout;
    let file = env.file("xaas.bash", script);
    let out = std::process::Command::new("bash")
        .args(["-c", &format!("source '{file}' && complete -p xaas")])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("-F _xaas xaas"), "{said}");
}

/// The first line that is no string definition of the preamble
/// (`.ie`/`.el`, which clap_mangen puts first for apostrophes).
fn first_macro(page: &str) -> &str {
    page.lines()
        .find(|l| !l.starts_with(".ie ") && !l.starts_with(".el "))
        .unwrap_or("")
}

#[test]
fn the_man_page_is_roff_and_names_the_commands() {
    let env = Env::new();
    let page = env.xaas("man").ok().stderr_empty().stdout;
    assert!(first_macro(&page).starts_with(".TH xaas 1"), "{page}");
    for c in ["import", "followup", "completions"] {
        assert!(page.contains(c), "the page lacks {c}");
    }
    if installed("man") {
        let file = env.file("xaas.1", &page);
        let out = std::process::Command::new("man")
            .args(["-l", &file])
            .env("MANPAGER", "cat")
            .env("COLUMNS", "80")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains("SYNOPSIS"), "{text}");
    }
}

#[test]
fn man_writes_a_page_per_command_into_a_folder() {
    let env = Env::new();
    let dir = env.dir.path().join("man1");
    std::fs::create_dir(&dir).unwrap();
    env.run(&["man", "-o", dir.to_str().unwrap()])
        .ok()
        .stdout_empty()
        .stderr_has("man pages to");
    let page = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    assert!(first_macro(&page("xaas.1")).starts_with(".TH xaas 1"));
    assert!(first_macro(&page("xaas-import.1")).starts_with(".TH xaas-import 1"));
    assert!(first_macro(&page("xaas-followup-set.1")).starts_with(".TH xaas-followup-set 1"));
    assert!(!dir.join("xaas-help.1").exists());
    assert_eq!(super::files::leftovers(&dir), NONE);
    // A folder that is not there is named, not made.
    env.xaas("man -o nowhere")
        .fails(1)
        .stderr_has("there is no folder `nowhere`");
    assert!(!env.dir.path().join("nowhere").exists());
}
