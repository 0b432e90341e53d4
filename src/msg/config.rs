//! The personal config file (file, line, key), the variables a run reads
//! (`XAAS_TODAY`, `XAAS_CONFIG`, `XAAS_CSM`), and `--mine`.

use super::messages;

messages! {
    /// What the file may hold, said in every error about it.
    config_keys() {
        en: "the keys are csm, author and lang (en or zh)",
        zh: "可写的键有 csm、author 和 lang（en 或 zh）",
    }
    config_empty_name() {
        en: "an empty name; write the name, or remove the line",
        zh: "名字为空；请写上名字，或删掉这一行",
    }
    config_bad_lang(value) {
        en: "`lang` is `en` or `zh`, not `{value}`",
        zh: "`lang` 只能是 `en` 或 `zh`，不能是 `{value}`",
    }
    config_named_missing(path) {
        en: "XAAS_CONFIG names `{path}`, which does not exist\nhint: create it, fix the path, or unset XAAS_CONFIG",
        zh: "XAAS_CONFIG 指向的 `{path}` 不存在\n提示：创建这个文件、改正路径，或取消设置 XAAS_CONFIG",
    }
    config_cannot_read(path, cause) {
        en: "cannot read the config file `{path}`: {cause}\nhint: make it readable, or set XAAS_CONFIG=/dev/null to run without it",
        zh: "无法读取配置文件 `{path}`：{cause}\n提示：让它可读，或设置 XAAS_CONFIG=/dev/null 以不带配置文件运行",
    }
    config_not_utf8(path) {
        en: "the config file `{path}` is not UTF-8 text\nhint: save it as UTF-8",
        zh: "配置文件 `{path}` 不是 UTF-8 文本\n提示：请以 UTF-8 编码保存",
    }
    /// An error with no place in the file.
    config_bad(path, what, keys) {
        en: "the config file `{path}`: {what}\nhint: fix it; {keys}",
        zh: "配置文件 `{path}` 有误：{what}\n提示：请改正；{keys}",
    }
    /// `key` is `config_key_part` or nothing.
    config_bad_line(path, line, key, what, keys) {
        en: "the config file `{path}`, line {line}{key}: {what}\nhint: fix or remove line {line}; {keys}",
        zh: "配置文件 `{path}` 第 {line} 行{key}有误：{what}\n提示：改正或删除第 {line} 行；{keys}",
    }
    config_key_part(key) {
        en: ", key `{key}`",
        zh: "（键 `{key}`）",
    }
    /// toml's own words for what is wrong, where they can be said again.
    config_unknown_key(key, expected) {
        en: "unknown key `{key}`, expected one of {expected}",
        zh: "未知的键 `{key}`，只能是 {expected} 之一",
    }
    config_duplicate_key() {
        en: "duplicate key",
        zh: "键重复了",
    }
    /// Every key's value is text.
    config_not_text(found) {
        en: "invalid type: {found}, expected a string",
        zh: "值的类型不对（{found}）：应为加引号的文本，如 csm = \"张伟\"",
    }
    config_no_value() {
        en: "key with no value, expected `=`",
        zh: "键没有值，缺少 `=`",
    }
    bad_today(cause) {
        en: "XAAS_TODAY: {cause}\nhint: fix or unset XAAS_TODAY, or pass --today",
        zh: "XAAS_TODAY：{cause}\n提示：改正或取消设置 XAAS_TODAY，或加上 --today",
    }
    /// `file` is `mine_in_file` or nothing.
    mine_without_csm(file) {
        en: "--mine needs your CSM name: set XAAS_CSM{file}, or use --csm NAME",
        zh: "--mine 需要知道你的客户成功经理（CSM）名字：请设置 XAAS_CSM{file}，或改用 --csm NAME",
    }
    mine_in_file(path) {
        en: ", or `csm = \"NAME\"` in `{path}`",
        zh: "，或在 `{path}` 中写上 `csm = \"NAME\"`",
    }
}
