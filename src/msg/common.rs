//! Words every command uses: how an error, a warning and a hint begin.

use super::messages;

messages! {
    /// What the binary prints for an error, before the exit code says so.
    error_line(text) {
        en: "error: {text}",
        zh: "错误：{text}",
    }
    warning_line(text) {
        en: "warning: {text}",
        zh: "警告：{text}",
    }
    file_too_large() {
        en: "file size limit exceeded (ulimit -f)",
        zh: "超出文件大小限制（ulimit -f）",
    }
}
