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

    // What the operating system said, by kind: English keeps the
    // system's own words (`io::Error`'s text, see `os_error`); Chinese
    // says the same with its code.
    os_not_found() {
        en: "No such file or directory",
        zh: "文件或文件夹不存在",
    }
    os_permission_denied() {
        en: "Permission denied",
        zh: "没有权限",
    }
    os_is_a_directory() {
        en: "Is a directory",
        zh: "这是一个文件夹",
    }
    os_not_a_directory() {
        en: "Not a directory",
        zh: "路径中有一段不是文件夹",
    }
    os_already_exists() {
        en: "File exists",
        zh: "文件已存在",
    }
    os_storage_full() {
        en: "No space left on device",
        zh: "磁盘空间已满",
    }
    os_read_only() {
        en: "Read-only file system",
        zh: "文件系统只读",
    }
    os_code(code) {
        en: " (os error {code})",
        zh: "（系统错误 {code}）",
    }
    os_other(text) {
        en: "{text}",
        zh: "系统错误：{text}",
    }
}

/// An I/O error as the user reads it (see the messages above).
pub fn os_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if super::lang() == crate::labels::Lang::En {
        return e.to_string();
    }
    let said = match e.kind() {
        K::NotFound => os_not_found(),
        K::PermissionDenied => os_permission_denied(),
        K::IsADirectory => os_is_a_directory(),
        K::NotADirectory => os_not_a_directory(),
        K::AlreadyExists => os_already_exists(),
        K::StorageFull => os_storage_full(),
        K::ReadOnlyFilesystem => os_read_only(),
        _ => return os_other(e),
    };
    match e.raw_os_error() {
        Some(code) => said + &os_code(code),
        None => said,
    }
}
