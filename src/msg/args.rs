//! The command line itself: what clap found wrong, in the user's language
//! (clap writes English only; `--help` stays English).

use super::messages;

messages! {
    unknown_argument(arg) {
        en: "unexpected argument `{arg}`",
        zh: "无法识别的参数 `{arg}`",
    }
    unknown_command(name) {
        en: "unrecognized subcommand `{name}`",
        zh: "无法识别的子命令 `{name}`",
    }
    did_you_mean(what) {
        en: "\nhint: did you mean `{what}`?",
        zh: "\n提示：是不是想输入 `{what}`？",
    }
    invalid_value(value, arg) {
        en: "invalid value `{value}` for `{arg}`",
        zh: "参数 `{arg}` 的值 `{value}` 无效",
    }
    not_a_whole_number() {
        en: "not a whole number",
        zh: "不是整数",
    }
    possible_values(values) {
        en: "\nhint: possible values: {values}",
        zh: "\n提示：可选的值：{values}",
    }
    missing_value(arg) {
        en: "`{arg}` needs a value",
        zh: "`{arg}` 需要一个值",
    }
    missing_required(args) {
        en: "required arguments were not given: {args}",
        zh: "缺少必需的参数：{args}",
    }
    conflict(arg, other) {
        en: "`{arg}` cannot be used with `{other}`",
        zh: "`{arg}` 不能与 `{other}` 同时使用",
    }
    too_many_values(value, arg) {
        en: "unexpected value `{value}` for `{arg}`",
        zh: "参数 `{arg}` 多出了值 `{value}`",
    }
    used_twice(arg) {
        en: "`{arg}` was given more than once",
        zh: "`{arg}` 给了不止一次",
    }
    missing_command() {
        en: "a subcommand is required",
        zh: "需要一个子命令",
    }
    other(text) {
        en: "{text}",
        zh: "命令行有误：{text}",
    }
    usage_line(usage) {
        en: "\n\nUsage: {usage}\n\nFor more information, try `--help`.",
        zh: "\n\n用法：{usage}\n\n更多信息请用 `--help` 查看。",
    }
}
