//! The personal config file (SPEC "Team settings"): `csm`, `author` and
//! `lang` in `~/.config/xaas/config.toml` (the test's HOME, no XDG_*
//! variables) or the file `XAAS_CONFIG` names; flags and variables beat
//! it, except that its `lang` beats the locale.

use super::*;

#[test]
fn csm_is_what_mine_means_unless_xaas_csm_says_otherwise() {
    let env = Env::new();
    env.import_examples();
    let path = env.config("csm = \"刘洋\"\n");
    let mine = env.xaas("due --within 90 --mine").ok().ids();
    assert!(!mine.is_empty());
    assert_eq!(mine, env.xaas("due --within 90 --csm 刘洋").ok().ids());
    assert_eq!(
        env.xaas_with(&[("XAAS_CSM", "张伟")], "due --within 90 --mine")
            .ok()
            .ids(),
        env.xaas("due --within 90 --csm 张伟").ok().ids(),
        "XAAS_CSM beats the file"
    );
    // A typo in the file is as loud as one in XAAS_CSM.
    env.config("csm = \"liuyang\"\n");
    env.xaas("today --mine")
        .fails(1)
        .stderr_has("liuyang")
        .stderr_has("刘洋");
    // Without either, the error says where to set it.
    env.config("lang = \"en\"\n");
    env.xaas("due --mine")
        .fails(2)
        .stderr_has("XAAS_CSM")
        .stderr_has(&format!("`csm = \"NAME\"` in `{path}`"));
}

#[test]
fn author_names_writes_between_xaas_user_and_the_login_name() {
    let env = Env::new();
    env.import_examples();
    env.config("author = \"张伟\"\n");
    let no_user = ["XAAS_USER"];
    let login = [("USER", "zw"), ("LOGNAME", "zw")];
    env.xaas_env(&login, &no_user, "log add C0001 --note 一")
        .ok();
    env.xaas_env(&login, &[], "log add C0001 --note 二").ok();
    env.xaas_env(&login, &no_user, "log add C0001 --note 三 --author 王芳")
        .ok();
    env.xaas_env(
        &login,
        &no_user,
        "followup set --service S00001 --status at_risk",
    )
    .ok();
    // On a team database the author is the login, whatever is asked.
    let (file, var, flag) = match env.is_pg() {
        false => ("张伟", "tester", "王芳"),
        true => ("tester", "tester", "tester"),
    };
    assert_eq!(
        env.sql("SELECT note, author FROM records ORDER BY id"),
        [["一", file], ["二", var], ["三", flag], ["∅", file]],
        "the file, then XAAS_USER over it, then --author over both"
    );
    assert_eq!(
        env.one("SELECT author FROM history WHERE kind = 'status'"),
        file
    );
    // Without the file, the login name.
    std::fs::remove_file(env.config("")).unwrap();
    env.xaas_env(&login, &no_user, "log add C0001 --note 四")
        .ok();
    assert_eq!(
        env.one("SELECT author FROM records WHERE note = '四'"),
        if env.is_pg() { "tester" } else { "zw" }
    );
}

#[test]
fn lang_beats_the_locale_and_the_flag_beats_lang() {
    let env = Env::new();
    env.import_examples();
    let zh_locale = [("LANG", "zh_CN.UTF-8")];
    let en_locale = [("LC_ALL", "en_US.UTF-8")];
    let table = "stats --format table";
    env.xaas_with(&zh_locale, table).ok().stdout_has("已过期");
    env.config("lang = \"en\"\n");
    env.xaas_with(&zh_locale, table)
        .ok()
        .stdout_has("expired")
        .stdout_lacks("已过期");
    env.config("lang = \"zh\"\n");
    env.xaas_with(&en_locale, table).ok().stdout_has("已过期");
    env.xaas_with(&en_locale, &format!("{table} --lang en"))
        .ok()
        .stdout_lacks("已过期");
    // CSV headers follow it too.
    env.xaas("export --csv").ok().stdout_starts_with("客户ID,");
}

#[test]
fn a_bad_file_is_a_usage_error_naming_the_file_the_line_and_the_key() {
    let env = Env::new();
    env.import_examples();
    let before = env.dump();
    let path = env.config("csm = \"刘洋\"\n# mine\ncolour = \"blue\"\n");
    // Every command reads it, even one that needs none of its keys: a
    // typo is found the first time, not the day `--mine` needs it.
    env.xaas("stats")
        .fails(2)
        .stderr_has(&format!("`{path}`, line 3, key `colour`: unknown key"))
        .stderr_has("hint: fix or remove line 3; the keys are csm, author and lang");
    env.xaas("log add C0001 --note x --author 王芳")
        .fails(2)
        .stderr_has("line 3");
    assert_eq!(env.dump(), before, "nothing written");
    env.config("lang = \"中文\"\n");
    env.xaas("list")
        .fails(2)
        .stderr_has("line 1, key `lang`: `lang` is `en` or `zh`, not `中文`");
    env.config("csm = 刘洋\n");
    env.xaas("list").fails(2).stderr_has("line 1, key `csm`:");
    env.config("author = \"\"\n");
    env.xaas("list")
        .fails(2)
        .stderr_has("line 1, key `author`: an empty name");
    env.config("");
    env.xaas("list").ok();
}

#[test]
fn xaas_config_names_another_file_and_xdg_config_home_moves_the_default() {
    let env = Env::new();
    env.import_examples();
    env.config("lang = \"bad\"\n");
    let other = env.file("me.toml", "csm = \"刘洋\"\n");
    let config = [("XAAS_CONFIG", other.as_str())];
    assert_eq!(
        env.xaas_with(&config, "due --within 90 --mine").ok().ids(),
        env.xaas_with(&config, "due --within 90 --csm 刘洋")
            .ok()
            .ids(),
        "the default file is not read"
    );
    // /dev/null: no file at all, for a job that must not depend on one.
    env.xaas_with(&[("XAAS_CONFIG", "/dev/null")], "list").ok();
    env.xaas_with(&[("XAAS_CONFIG", "/no/such.toml")], "list")
        .fails(2)
        .stderr_has("XAAS_CONFIG names `/no/such.toml`, which does not exist");
    // XDG_CONFIG_HOME is where the directories crate looks on Linux.
    let xdg = env.dir.path().join("xdg");
    std::fs::create_dir_all(xdg.join("xaas")).unwrap();
    std::fs::write(xdg.join("xaas/config.toml"), "lang = \"zh\"\n").unwrap();
    env.xaas_with(
        &[("XDG_CONFIG_HOME", xdg.to_str().unwrap())],
        "stats --format table",
    )
    .ok()
    .stdout_has("已过期");
}
