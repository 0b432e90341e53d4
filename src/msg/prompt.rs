//! Questions asked on a terminal, what a choice shows, and what is said
//! when there is no terminal to ask on, or the answer never comes.

use super::messages;

messages! {
    ask_status() {
        en: "Status",
        zh: "续费状态",
    }
    ask_why_not_renewing() {
        en: "Why will they not renew?",
        zh: "客户为什么不续费？",
    }
    ask_window() {
        en: "Which window?",
        zh: "选择哪个到期窗口？",
    }
    ask_title() {
        en: "Title",
        zh: "任务标题",
    }
    ask_note() {
        en: "Note",
        zh: "跟进内容",
    }
    /// A window to choose, after its id and label.
    window_services_one(n) {
        en: "{n} service",
        zh: "{n} 个服务",
    }
    window_services_many(n) {
        en: "{n} services",
        zh: "{n} 个服务",
    }
    /// `what` is the question (`Status`), `flag` what to pass instead.
    no_terminal(what, flag) {
        en: "{what}: pass {flag} (there is no terminal to ask on)",
        zh: "{what}：请加上 {flag}（没有终端可以询问）",
    }
    record_needs_text() {
        en: "a follow-up record needs something to say",
        zh: "跟进记录需要写点内容",
    }
    note_or_other() {
        en: "--note TEXT (or --satisfaction, --background, --reason ...)",
        zh: "--note TEXT（或 --satisfaction、--background、--reason 等）",
    }
    prompt_cancelled() {
        en: "cancelled; nothing changed",
        zh: "已取消，未做任何修改",
    }
    cannot_read_answer() {
        en: "cannot read the answer from the terminal",
        zh: "无法从终端读取回答",
    }
    /// Ctrl-C.
    interrupted_nothing_changed() {
        en: "\ninterrupted; nothing changed",
        zh: "\n已中断，未做任何修改",
    }
}

/// `1 service`, `2 services`.
pub fn window_services(n: usize) -> String {
    if n == 1 {
        window_services_one(n)
    } else {
        window_services_many(n)
    }
}
