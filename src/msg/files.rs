//! Files read and written: opening and reading a sheet, its encoding and
//! delimiter, the files the CLI writes (`-o`, `--rejects`), and what
//! `list` and `export` say besides their rows.

use super::messages;

messages! {
    // Reading a sheet.
    file_unknown_encoding(value) {
        en: "unknown encoding `{value}`; expected auto, utf-8 or gbk",
        zh: "无法识别的编码 `{value}`；可选 auto、utf-8 或 gbk",
    }
    file_not_a_delimiter(value) {
        en: "`{value}` is not a delimiter; use one character such as `,` or `;`, or `tab`",
        zh: "`{value}` 不是分隔符；请用一个字符（如 `,` 或 `;`），或用 `tab`",
    }
    file_cannot_open(path) {
        en: "cannot open `{path}`",
        zh: "无法打开 `{path}`",
    }
    file_cannot_read(name) {
        en: "cannot read `{name}`",
        zh: "无法读取 `{name}`",
    }
    file_cannot_read_at(name, line) {
        en: "cannot read `{name}` at line {line}",
        zh: "无法读取 `{name}` 第 {line} 行",
    }
    /// What is wrong with a whole file (its header, its CSV).
    file_error(name, error) {
        en: "`{name}`: {error}",
        zh: "`{name}`：{error}",
    }
    file_error_at(name, line, error) {
        en: "`{name}` at line {line}: {error}",
        zh: "`{name}` 第 {line} 行：{error}",
    }
    file_empty(name) {
        en: "`{name}` is empty; expected a header line and rows of services",
        zh: "`{name}` 是空文件；应有一行表头和若干行服务",
    }
    file_utf16(name) {
        en: "`{name}` is UTF-16 text; save it as \"CSV UTF-8\" (or GBK CSV) and import again",
        zh: "`{name}` 是 UTF-16 文本；请另存为“CSV UTF-8”（或 GBK 编码的 CSV）后重新导入",
    }
    file_not_text(name, at) {
        en: "`{name}` does not look like CSV text (a NUL byte at offset {at}); save the sheet as CSV and import that",
        zh: "`{name}` 看起来不是 CSV 文本（偏移 {at} 处有 NUL 字节）；请把表格另存为 CSV 再导入",
    }
    file_unknown_text(name) {
        en: "`{name}` is neither UTF-8 nor GBK text (perhaps Latin-1, or UTF-16 without a byte-order mark)\nhint: save it from the spreadsheet as \"CSV UTF-8\", or say which it is with --encoding utf-8|gbk",
        zh: "`{name}` 既不是 UTF-8 也不是 GBK 文本（可能是 Latin-1，或不带字节序标记的 UTF-16）\n提示：在表格软件中另存为“CSV UTF-8”，或用 --encoding utf-8|gbk 指明编码",
    }
    file_no_header(name) {
        en: "`{name}` has no header line; expected one naming the columns",
        zh: "`{name}` 没有表头行；第一行应写明各列的名称",
    }
    file_header_bytes(name, column, byte, reason) {
        en: "`{name}`, line 1 (the header), column {column}, byte {byte}: {reason}",
        zh: "`{name}` 第 1 行（表头）第 {column} 列第 {byte} 个字节：{reason}",
    }
    // A record's bytes.
    file_nul_byte() {
        en: "a NUL byte: the file is damaged or not text",
        zh: "有 NUL 字节：文件已损坏或不是文本",
    }
    file_not_utf8_byte(byte) {
        en: "{byte} is not valid UTF-8, and the file is read as UTF-8 from first byte to last\nhint: fix the cell, or if the whole file is GBK, pass --encoding gbk",
        zh: "{byte} 不是有效的 UTF-8，而整个文件从头到尾都按 UTF-8 读取\n提示：修正这个单元格；如果整个文件是 GBK 编码，请加 --encoding gbk",
    }
    file_not_gbk_byte(byte) {
        en: "{byte} is not valid GBK, and the file is read as GBK from first byte to last\nhint: fix the cell, or if the whole file is UTF-8, pass --encoding utf-8",
        zh: "{byte} 不是有效的 GBK，而整个文件从头到尾都按 GBK 读取\n提示：修正这个单元格；如果整个文件是 UTF-8 编码，请加 --encoding utf-8",
    }
    file_utf8_in_gbk() {
        en: "this cell is UTF-8 but the file is GBK (decided from its start); a file has one encoding\nhint: save the whole sheet in one encoding, or pass --encoding gbk if this text really is GBK",
        zh: "这个单元格是 UTF-8，而文件是 GBK（由文件开头判定）；一个文件只能有一种编码\n提示：把整张表保存为同一种编码；如果这段文字确实是 GBK，请加 --encoding gbk",
    }
    file_cell_not_utf8() {
        en: "is not valid UTF-8; if the file was saved as GBK, pass --encoding gbk",
        zh: "不是有效的 UTF-8；如果文件是以 GBK 保存的，请加 --encoding gbk",
    }
    file_at_byte(offset, reason) {
        en: "at byte {offset} of the cell, {reason}",
        zh: "在单元格第 {offset} 个字节处：{reason}",
    }
    /// A cell past the header's last column, as a bad row's column.
    file_beyond_header(n) {
        en: "{n} (beyond the header)",
        zh: "第 {n} 列（超出表头）",
    }
    /// A long value shortened for a message.
    file_clipped(head, chars) {
        en: "{head}… ({chars} characters)",
        zh: "{head}…（共 {chars} 个字符）",
    }

    // Files the CLI writes.
    file_cannot_write(name) {
        en: "cannot write `{name}`",
        zh: "无法写入 `{name}`",
    }
    file_no_folder(name, dir) {
        en: "cannot write `{name}`: there is no folder `{dir}`\nhint: create it first, or name a file in an existing folder",
        zh: "无法写入 `{name}`：文件夹 `{dir}` 不存在\n提示：先创建这个文件夹，或指定已有文件夹中的文件",
    }
    file_no_temp(name, dir) {
        en: "cannot write `{name}`: cannot create a temporary file in `{dir}`",
        zh: "无法写入 `{name}`：无法在 `{dir}` 中创建临时文件",
    }
    /// Refused before a byte is written; `why` is one of the `file_why_*`.
    file_write_refused(name, why) {
        en: "cannot write `{name}`: {why}; nothing written",
        zh: "无法写入 `{name}`：{why}；未写入任何内容",
    }
    file_why_folder() {
        en: "it is a folder",
        zh: "这是一个文件夹",
    }
    file_why_read_only() {
        en: "the file is read-only",
        zh: "该文件是只读的",
    }
    file_why_nul() {
        en: "the name holds a NUL byte",
        zh: "文件名中含有 NUL 字节",
    }
    file_why_not_yours(cause) {
        en: "you may not write this file ({cause})",
        zh: "你没有写这个文件的权限（{cause}）",
    }
    file_why_sticky() {
        en: "it belongs to another user in a sticky folder (like /tmp), where only its owner may replace it; write to another name",
        zh: "它属于另一个用户，且位于设有粘滞位的文件夹（如 /tmp）中，只有所有者才能替换它；请换一个文件名",
    }

    // `export -o`, `list`, the default database.
    file_wrote_one(n, path) {
        en: "wrote {n} service to `{path}`",
        zh: "已将 {n} 个服务写入 `{path}`",
    }
    file_wrote_many(n, path) {
        en: "wrote {n} services to `{path}`",
        zh: "已将 {n} 个服务写入 `{path}`",
    }
    /// `list`: fewer rows shown than matched. `range` and `more` are
    /// `file_page_range*` and `file_page_more`, or empty.
    file_page_shown(shown, total, range, more) {
        en: "{shown} of {total} shown{range}{more}",
        zh: "共 {total} 条，显示 {shown} 条{range}{more}",
    }
    file_page_past_end(shown, total, offset) {
        en: "{shown} of {total} shown (--offset {offset} is past the end)",
        zh: "共 {total} 条，显示 {shown} 条（--offset {offset} 已超出末尾）",
    }
    file_page_range_one(n) {
        en: " ({n})",
        zh: "（第 {n} 条）",
    }
    file_page_range(first, last) {
        en: " ({first}–{last})",
        zh: "（第 {first}–{last} 条）",
    }
    file_page_more() {
        en: "; use --limit/--offset for more",
        zh: "；用 --limit/--offset 查看更多",
    }
    file_bad_sort(cause) {
        en: "invalid value for --sort: {cause}",
        zh: "--sort 的值无效：{cause}",
    }
    file_no_home() {
        en: "cannot find a home folder for the default database; pass --db PATH or set XAAS_DB",
        zh: "找不到用来存放默认数据库的主目录；请用 --db 路径 指定，或设置 XAAS_DB",
    }
}

/// "wrote N service(s) to `PATH`": `shown` is `n` as printed (grouped).
pub fn file_wrote(n: u64, shown: impl std::fmt::Display, path: impl std::fmt::Display) -> String {
    if n == 1 {
        file_wrote_one(shown, path)
    } else {
        file_wrote_many(shown, path)
    }
}
