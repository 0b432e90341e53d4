//! Importing a service list: its header, its rows (and what a bad one
//! says: line, column, value, why), the summary, the dry run, the rejects
//! file and the progress bar. The usage import shares the rows' words.

use super::messages;

messages! {
    // The header.
    /// A column named in a message: its English id and Chinese name.
    import_column_name(id, zh) {
        en: "{id} ({zh})",
        zh: "{zh}（{id}）",
    }
    import_column_twice(name, first, second) {
        en: "column `{name}` appears twice in the header (columns {first} and {second})",
        zh: "列 `{name}` 在表头中出现了两次（第 {first} 列和第 {second} 列）",
    }
    import_missing_column(missing, found) {
        en: "missing required column: {missing}\nfound: {found}\nhint: the first line must be the header; English ids and Chinese names both work (see README, \"Import format\")",
        zh: "缺少必需的列：{missing}\n表头里有：{found}\n提示：第一行必须是表头；英文列名和中文列名都可以（见 README 的“Import format”一节）",
    }
    import_missing_columns(missing, found) {
        en: "missing required columns: {missing}\nfound: {found}\nhint: the first line must be the header; English ids and Chinese names both work (see README, \"Import format\")",
        zh: "缺少必需的列：{missing}\n表头里有：{found}\n提示：第一行必须是表头；英文列名和中文列名都可以（见 README 的“Import format”一节）",
    }

    // A bad row: where, then why.
    /// A bad row, and the `reason` cell of the rejects file.
    import_bad_row(line, column, reason) {
        en: "line {line}, column {column}: {reason}",
        zh: "第 {line} 行，列 {column}：{reason}",
    }
    import_bad_row_value(line, column, value, reason) {
        en: "line {line}, column {column}, value `{value}`: {reason}",
        zh: "第 {line} 行，列 {column}，值 `{value}`：{reason}",
    }
    import_cell_count(cells, header) {
        en: "has {cells} cells, the header has {header}; check for an unquoted delimiter",
        zh: "这一行有 {cells} 个单元格，而表头有 {header} 列；请检查是否有未加引号的分隔符",
    }
    import_required(column) {
        en: "{column} is required",
        zh: "{column} 必须填写",
    }
    import_control_in_id() {
        en: "an id cannot hold a control character (newline, tab, NUL…)",
        zh: "ID 中不能有控制字符（换行、制表符、NUL 等）",
    }
    import_starts_after_expiry(expiry) {
        en: "starts after it expires ({expiry})",
        zh: "开始时间晚于到期时间（{expiry}）",
    }
    import_renews_itself() {
        en: "a service cannot renew itself",
        zh: "服务不能续费它自己",
    }
    import_not_accounts(value) {
        en: "`{value}` is not a whole number of accounts",
        zh: "`{value}` 不是整数，无法作为开通账号数",
    }
    import_duplicate_service() {
        en: "duplicate service_id: it is on an earlier line of this file",
        zh: "service_id 重复：本文件前面的行里已有它",
    }
    import_unknown_renewal_of() {
        en: "names no service in the database or on an earlier line",
        zh: "数据库和本文件前面的行里都没有这个服务",
    }
    import_customer_differs_prev(line, customer) {
        en: "line {line}: customer {customer} has other attributes than on the row before; the last row wins",
        zh: "第 {line} 行：客户 {customer} 的属性与上一行不同；以最后一行为准",
    }
    import_customer_differs_earlier(line, customer) {
        en: "line {line}: customer {customer} has other attributes than on an earlier row; the last row wins",
        zh: "第 {line} 行：客户 {customer} 的属性与前面某一行不同；以最后一行为准",
    }
    import_reading_thread() {
        en: "cannot start the reading thread",
        zh: "无法启动读取文件的线程",
    }

    // What the import says when it ends.
    import_nothing_imported() {
        en: "nothing was imported (the import is all or nothing)",
        zh: "未导入任何内容（导入要么全部写入，要么一行不写）",
    }
    import_nothing_imported_rejects() {
        en: "nothing was imported: the bad rows could not be saved (the import is all or nothing)",
        zh: "未导入任何内容：有误的行无法保存（导入要么全部写入，要么一行不写）",
    }
    import_bad_rows_error_one(n, file) {
        en: "error: {n} bad row in `{file}`:",
        zh: "错误：`{file}` 中有 {n} 行有误：",
    }
    import_bad_rows_error_many(n, file) {
        en: "error: {n} bad rows in `{file}`:",
        zh: "错误：`{file}` 中有 {n} 行有误：",
    }
    import_bad_rows_skipped_one(n, file) {
        en: "skipped: {n} bad row in `{file}`:",
        zh: "已跳过：`{file}` 中有误的 {n} 行：",
    }
    import_bad_rows_skipped_many(n, file) {
        en: "skipped: {n} bad rows in `{file}`:",
        zh: "已跳过：`{file}` 中有误的 {n} 行：",
    }
    /// The end of a list cut short (rows, warnings, ids).
    import_and_more(n) {
        en: "… and {n} more",
        zh: "……另有 {n} 条",
    }
    import_tab_separated() {
        en: "tab-separated",
        zh: "制表符分隔",
    }
    import_separated_by(delimiter) {
        en: "`{delimiter}`-separated",
        zh: "以 `{delimiter}` 分隔",
    }
    import_imported_one(file, encoding, separated, rows) {
        en: "imported `{file}` ({encoding}, {separated}): {rows} row",
        zh: "已导入 `{file}`（{encoding}，{separated}）：{rows} 行",
    }
    import_imported_many(file, encoding, separated, rows) {
        en: "imported `{file}` ({encoding}, {separated}): {rows} rows",
        zh: "已导入 `{file}`（{encoding}，{separated}）：{rows} 行",
    }
    import_checked_one(file, encoding, separated, rows) {
        en: "checked `{file}` ({encoding}, {separated}): {rows} row",
        zh: "已检查 `{file}`（{encoding}，{separated}）：{rows} 行",
    }
    import_checked_many(file, encoding, separated, rows) {
        en: "checked `{file}` ({encoding}, {separated}): {rows} rows",
        zh: "已检查 `{file}`（{encoding}，{separated}）：{rows} 行",
    }
    import_unknown_columns(columns) {
        en: "note: ignored unknown columns: {columns}",
        zh: "注意：已忽略无法识别的列：{columns}",
    }
    import_customers_line(new, updated, unchanged) {
        en: "  customers: {new} new, {updated} updated, {unchanged} unchanged",
        zh: "  客户：新增 {new}，更新 {updated}，未变 {unchanged}",
    }
    import_services_line(new, updated, renewed, corrected, stale, unchanged, rejected) {
        en: "  services:  {new} new, {updated} updated, {renewed} renewed, {corrected} corrected, {stale} stale, {unchanged} unchanged, {rejected} rejected",
        zh: "  服务：新增 {new}，更新 {updated}，续费 {renewed}，更正 {corrected}，过时 {stale}，未变 {unchanged}，有误 {rejected}",
    }
    import_stale_line(n, ids) {
        en: "  stale:     {n} (an earlier expiry than a renewal recorded here; the renewal stands): {ids}",
        zh: "  过时：{n} 个（到期时间早于这里已记录的续费，以续费为准）：{ids}",
    }
    import_corrected_line(n, ids) {
        en: "  corrected: {n} (the stored expiry corrected; in the history): {ids}",
        zh: "  更正：{n} 个（已更正数据库中的到期时间，见历史记录）：{ids}",
    }
    import_absent_line(n, ids) {
        en: "  absent:    {n} (in the database, not in this file; left alone): {ids}",
        zh: "  未出现：{n} 个（在数据库中、不在本文件中，保持不变）：{ids}",
    }
    import_all_or_nothing() {
        en: "nothing was written: the import is all or nothing\nhint: fix those rows and import again, or pass --skip-invalid (with --rejects FILE) to import the others",
        zh: "未写入任何内容：导入要么全部写入，要么一行不写\n提示：修正这些行后重新导入，或加 --skip-invalid（可配合 --rejects 文件）只导入其余的行",
    }
    import_dry_run() {
        en: "dry run: nothing was written",
        zh: "试运行：未写入任何内容",
    }
    /// indicatif's template (its `{…}` keys, braces doubled here); the
    /// Chinese one's bar is shorter, to fit 80 columns with its wide words.
    import_progress_template() {
        en: "{{bar:40}} {{bytes}}/{{total_bytes}} {{elapsed}} (eta {{eta}})",
        zh: "{{bar:25}} {{bytes}}/{{total_bytes}} 已用 {{elapsed_precise}} 剩余 {{eta_precise}}",
    }
}

/// The missing required columns of a header, one or several.
pub fn import_missing(
    n: usize,
    missing: impl std::fmt::Display,
    found: impl std::fmt::Display,
) -> String {
    if n == 1 {
        import_missing_column(missing, found)
    } else {
        import_missing_columns(missing, found)
    }
}

/// "error: N bad row(s) in `FILE`:", or "skipped: …".
pub fn import_bad_rows(skipped: bool, n: u64, file: impl std::fmt::Display) -> String {
    match (skipped, n == 1) {
        (false, true) => import_bad_rows_error_one(n, file),
        (false, false) => import_bad_rows_error_many(n, file),
        (true, true) => import_bad_rows_skipped_one(n, file),
        (true, false) => import_bad_rows_skipped_many(n, file),
    }
}

/// "imported `FILE` (UTF-8, `,`-separated): N row(s)", or "checked" when
/// nothing was written.
pub fn import_read(
    committed: bool,
    file: impl std::fmt::Display,
    encoding: impl std::fmt::Display,
    separated: impl std::fmt::Display,
    rows: u64,
) -> String {
    match (committed, rows == 1) {
        (true, true) => import_imported_one(file, encoding, separated, rows),
        (true, false) => import_imported_many(file, encoding, separated, rows),
        (false, true) => import_checked_one(file, encoding, separated, rows),
        (false, false) => import_checked_many(file, encoding, separated, rows),
    }
}
