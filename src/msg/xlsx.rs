//! Workbooks in and out (`import FILE.xlsx`, `-o FILE.xlsx`), and what a
//! spreadsheet does to ids on the way (scientific notation, dropped
//! leading zeros).

use super::messages;

messages! {
    /// A file that looks like a workbook (by name or signature) but that
    /// no reader could open.
    not_a_workbook(file, cause) {
        en: "`{file}` cannot be read as a workbook (xlsx, xlsm, xlsb, xls or ods): {cause}\nhint: open it in Excel or WPS and save it again as .xlsx, or as \"CSV UTF-8\"",
        zh: "无法把 `{file}` 当作工作簿（xlsx、xlsm、xlsb、xls 或 ods）读取：{cause}\n提示：用 Excel 或 WPS 打开它，另存为 .xlsx 或 \"CSV UTF-8\"",
    }
    cannot_open(file) {
        en: "cannot open `{file}`",
        zh: "无法打开 `{file}`",
    }
    cannot_read(file) {
        en: "cannot read `{file}`",
        zh: "无法读取 `{file}`",
    }
    no_reading_thread() {
        en: "cannot start the thread that reads the workbook",
        zh: "无法启动读取工作簿的线程",
    }
    /// What the xlsx writer refused (not an I/O error: those name the file).
    cannot_write_workbook(cause) {
        en: "cannot write the workbook: {cause}",
        zh: "无法写出工作簿：{cause}",
    }
    no_sheets(file) {
        en: "`{file}` has no sheet to read",
        zh: "`{file}` 里没有可以读取的工作表",
    }
    /// `--sheet NAME` that the workbook does not have: its sheets listed.
    no_such_sheet(file, sheet, sheets) {
        en: "`{file}` has no sheet `{sheet}`; its sheets: {sheets}\nhint: pass one of them with --sheet NAME (without --sheet the first is read)",
        zh: "`{file}` 里没有工作表 `{sheet}`；它的工作表有：{sheets}\n提示：用 --sheet 名称 指定其中之一（不加 --sheet 时读取第一个）",
    }
    unreadable_sheet(sheet, file, cause) {
        en: "cannot read sheet `{sheet}` of `{file}`: {cause}\nhint: open it in Excel or WPS and save it again as .xlsx, or as \"CSV UTF-8\"",
        zh: "无法读取 `{file}` 的工作表 `{sheet}`：{cause}\n提示：用 Excel 或 WPS 打开它，另存为 .xlsx 或 \"CSV UTF-8\"",
    }
    /// Told with a header error when the first of several sheets was read
    /// (no --sheet).
    first_sheet_read(sheet, sheets) {
        en: "\nhint: this is sheet `{sheet}`, the workbook's first; its sheets: {sheets}; pick another with --sheet NAME",
        zh: "\n提示：读取的是工作簿的第一个工作表 `{sheet}`；它的工作表有：{sheets}；用 --sheet 名称 选择其他工作表",
    }
    /// `--sheet` given with a file of text.
    sheet_on_text(file) {
        en: "--sheet picks a sheet of a workbook (xlsx, xls, ods), but `{file}` is text (CSV or TSV)\nhint: leave out --sheet",
        zh: "--sheet 用于选择工作簿（xlsx、xls、ods）中的工作表，但 `{file}` 是文本文件（CSV 或 TSV）\n提示：去掉 --sheet",
    }
    empty_sheet(file, sheet) {
        en: "sheet `{sheet}` of `{file}` is empty; expected a header line and rows of services",
        zh: "`{file}` 的工作表 `{sheet}` 是空的；应有一行表头和若干行服务",
    }
    /// The summary's first line for a workbook, written or not
    /// (`sheet_read`).
    imported_sheet_one(file, sheet, rows) {
        en: "imported `{file}` (sheet `{sheet}`): {rows} row",
        zh: "已导入 `{file}`（工作表 `{sheet}`）：{rows} 行",
    }
    imported_sheet_many(file, sheet, rows) {
        en: "imported `{file}` (sheet `{sheet}`): {rows} rows",
        zh: "已导入 `{file}`（工作表 `{sheet}`）：{rows} 行",
    }
    checked_sheet_one(file, sheet, rows) {
        en: "checked `{file}` (sheet `{sheet}`): {rows} row",
        zh: "已检查 `{file}`（工作表 `{sheet}`）：{rows} 行",
    }
    checked_sheet_many(file, sheet, rows) {
        en: "checked `{file}` (sheet `{sheet}`): {rows} rows",
        zh: "已检查 `{file}`（工作表 `{sheet}`）：{rows} 行",
    }
    /// An id cell in scientific notation (`6.22202123456789E+18`): a
    /// spreadsheet took the id for a number and kept 15 digits of it.
    number_as_scientific() {
        en: "a spreadsheet turned this number into scientific notation (the digits after the 15th are lost)\nhint: format the column as Text in Excel or WPS (Format Cells → Text) and enter the number again, or take the list from its source again",
        zh: "电子表格把这个号码变成了科学计数法（第 15 位之后的数字已丢失）\n提示：在 Excel 或 WPS 中把该列设置为文本（设置单元格格式 → 文本）后重新录入，或从源系统重新导出清单",
    }
    id_as_number() {
        en: "a spreadsheet turned this id into a number (scientific notation: the digits after the 15th are lost)\nhint: format the id column as Text before entering or pasting ids (Excel or WPS: Format Cells → Text), or take the list from its source again",
        zh: "电子表格把这个 ID 变成了数字（科学计数法：第 15 位之后的数字已丢失）\n提示：录入或粘贴 ID 之前先把 ID 列设置为文本（Excel 或 WPS：设置单元格格式 → 文本），或从源系统重新导出清单",
    }
    /// A customer or service id whose leading zeros a spreadsheet dropped:
    /// the database has the id with them, and none without.
    zeros_dropped(stored) {
        en: "the database has `{stored}` and not this id: a spreadsheet dropped its leading zeros, and the row would add a new one\nhint: format the id column as Text and restore the zeros, or start from `xaas export -o FILE.xlsx`, which keeps ids as text",
        zh: "数据库里有 `{stored}`，没有这个 ID：电子表格去掉了它的前导零，这一行会新增一条记录\n提示：把 ID 列设置为文本并补回前导零，或从 `xaas export -o 文件.xlsx` 导出的文件开始（它把 ID 保存为文本）",
    }
    /// An export longer than a sheet can hold.
    too_many_rows(limit) {
        en: "a sheet holds at most {limit} rows, and this list has more\nhint: narrow it with filters (--csm, --expires-before, ...), or write CSV (-o FILE.csv)",
        zh: "一个工作表最多容纳 {limit} 行，而这份清单更长\n提示：用筛选条件（--csm、--expires-before 等）缩小范围，或导出为 CSV（-o 文件.csv）",
    }
    /// A text longer than a cell can hold.
    cell_too_long(column, chars, limit) {
        en: "a value of column `{column}` has {chars} characters, and a cell holds at most {limit}\nhint: write CSV (-o FILE.csv), which has no such limit",
        zh: "列 `{column}` 的一个值有 {chars} 个字符，而一个单元格最多容纳 {limit} 个\n提示：导出为 CSV（-o 文件.csv），它没有这个限制",
    }
    /// What `-o FILE` says once the file is in place.
    wrote(count, what, path) {
        en: "wrote {count} {what} to `{path}`",
        zh: "已写入 `{path}`：{what} {count} 行",
    }
    /// `-o FILE.xlsx` with --format json (or csv, tsv, table).
    format_with_xlsx(format) {
        en: "--format {format} does not go with `-o FILE.xlsx`, which writes a workbook\nhint: leave out --format, or name a .csv file",
        zh: "--format {format} 不能与 `-o 文件.xlsx` 同用，后者写出工作簿\n提示：去掉 --format，或写入 .csv 文件",
    }
}

/// "imported `FILE` (sheet `S`): N row(s)", or "checked" when nothing was
/// written: a workbook's `import::import_read`.
pub fn sheet_read(
    committed: bool,
    file: impl std::fmt::Display,
    sheet: impl std::fmt::Display,
    rows: u64,
) -> String {
    match (committed, rows == 1) {
        (true, true) => imported_sheet_one(file, sheet, rows),
        (true, false) => imported_sheet_many(file, sheet, rows),
        (false, true) => checked_sheet_one(file, sheet, rows),
        (false, false) => checked_sheet_many(file, sheet, rows),
    }
}
