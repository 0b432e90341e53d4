//! Messages: shell (`man`, `doctor`, `backup`).

use super::messages;

messages! {
    man_no_folder(dir) {
        en: "there is no folder `{dir}`\nhint: create it first (mkdir -p), or name an existing folder",
        zh: "没有文件夹 `{dir}`\n提示：先创建它（mkdir -p），或指定一个已有的文件夹",
    }
    man_wrote_pages(n, dir) {
        en: "wrote {n} man pages to `{dir}`",
        zh: "已将 {n} 个手册页写入 `{dir}`",
    }

    // doctor: titles and labels of the report.
    doctor_database() {
        en: "Database",
        zh: "数据库",
    }
    doctor_path() {
        en: "path",
        zh: "路径",
    }
    doctor_file() {
        en: "file",
        zh: "文件",
    }
    doctor_schema() {
        en: "schema",
        zh: "结构版本",
    }
    doctor_journal() {
        en: "journal mode",
        zh: "日志模式",
    }
    doctor_integrity() {
        en: "integrity",
        zh: "完整性",
    }
    doctor_rows() {
        en: "rows",
        zh: "行数",
    }
    doctor_last_import() {
        en: "last import",
        zh: "最近导入",
    }
    doctor_settings() {
        en: "Team settings (xaas settings)",
        zh: "团队设置（xaas settings）",
    }
    doctor_setup() {
        en: "Setup",
        zh: "运行环境",
    }
    doctor_config_file() {
        en: "config file",
        zh: "配置文件",
    }
    doctor_language() {
        en: "language",
        zh: "语言",
    }
    doctor_author() {
        en: "author",
        zh: "作者",
    }
    doctor_today() {
        en: "today",
        zh: "今天",
    }
    doctor_stdout() {
        en: "stdout",
        zh: "标准输出",
    }
    doctor_binary() {
        en: "binary",
        zh: "程序",
    }
    doctor_environment() {
        en: "Environment (the variables xaas reads)",
        zh: "环境变量（xaas 读取的变量）",
    }
    doctor_cron() {
        en: "Cron (weekdays at 8:00; add with `crontab -e`)",
        zh: "定时任务（工作日 8:00；用 `crontab -e` 添加）",
    }
    doctor_healthy() {
        en: "No problem found",
        zh: "未发现问题",
    }
    doctor_problems(n) {
        en: "Problems ({n})",
        zh: "问题（{n} 个）",
    }

    // doctor: the values.
    doctor_path_flag(path) {
        en: "{path} (from --db)",
        zh: "{path}（来自 --db）",
    }
    doctor_path_env(path) {
        en: "{path} (from XAAS_DB)",
        zh: "{path}（来自 XAAS_DB）",
    }
    doctor_path_default(path) {
        en: "{path} (the default place; --db or XAAS_DB name another)",
        zh: "{path}（默认位置；可用 --db 或 XAAS_DB 指定其他文件）",
    }
    /// A relative path: where it is from here, and that cron is elsewhere.
    doctor_path_relative(abs) {
        en: "= {abs} from here\n(cron starts in your home folder)",
        zh: "= 从当前文件夹看是 {abs}\n（cron 从你的主目录启动）",
    }
    // doctor on a team database (PostgreSQL).
    doctor_address() {
        en: "address",
        zh: "地址",
    }
    doctor_team() {
        en: "a team database (PostgreSQL)",
        zh: "团队数据库（PostgreSQL）",
    }
    doctor_connection() {
        en: "connection",
        zh: "连接",
    }
    doctor_connected() {
        en: "connects",
        zh: "可以连接",
    }
    doctor_not_connected() {
        en: "cannot connect",
        zh: "无法连接",
    }
    doctor_unreadable(error) {
        en: "connects, but cannot be read: {error}",
        zh: "可以连接，但无法读取：{error}",
    }
    doctor_team_schema_none() {
        en: "none: no xaas book here",
        zh: "无：这里没有 xaas 数据",
    }
    doctor_team_schema_older(v, latest) {
        en: "version {v}; this xaas needs {latest}",
        zh: "版本 {v}；这个 xaas 需要版本 {latest}",
    }
    doctor_login() {
        en: "login",
        zh: "登录名",
    }
    doctor_roles() {
        en: "roles",
        zh: "角色",
    }
    doctor_roles_none() {
        en: "none: it can read nothing\n(the lead runs `xaas team grant LOGIN`)",
        zh: "无：它什么都不能读\n（请负责人运行 `xaas team grant 登录名`）",
    }
    doctor_file_missing() {
        en: "not there",
        zh: "不存在",
    }
    doctor_file_empty() {
        en: "0 bytes: an empty file",
        zh: "0 字节：空文件",
    }
    doctor_file_empty_database(size) {
        en: "{size}: an SQLite database with nothing in it",
        zh: "{size}：空的 SQLite 数据库",
    }
    doctor_file_foreign(size, what) {
        en: "{size}: not an xaas database ({what})",
        zh: "{size}：不是 xaas 数据库（{what}）",
    }
    doctor_file_newer(size) {
        en: "{size}: an xaas database from a newer xaas",
        zh: "{size}：更新版本的 xaas 创建的数据库",
    }
    doctor_file_xaas(size) {
        en: "{size}: an xaas database",
        zh: "{size}：xaas 数据库",
    }
    doctor_file_unreadable(detail) {
        en: "cannot be read: {detail}",
        zh: "无法读取：{detail}",
    }
    doctor_file_is_folder(path) {
        en: "`{path}` is a folder",
        zh: "`{path}` 是文件夹",
    }
    doctor_size_with_wal(size, wal) {
        en: "{size}, and {wal} in its -wal file",
        zh: "{size}，另有 -wal 文件 {wal}",
    }
    doctor_schema_current(v) {
        en: "version {v}, the newest this xaas knows",
        zh: "版本 {v}，是这个 xaas 认识的最新版本",
    }
    doctor_schema_none() {
        en: "version 0: no xaas schema",
        zh: "版本 0：没有 xaas 的表结构",
    }
    doctor_schema_older(v, latest) {
        en: "version {v}; this xaas knows up to {latest} and\nupgrades it on the next command that opens it",
        zh: "版本 {v}；这个 xaas 认识到版本 {latest}，\n下一条打开它的命令会升级它",
    }
    doctor_schema_newer(v, latest) {
        en: "version {v}; this xaas knows only up to {latest}",
        zh: "版本 {v}；这个 xaas 只认识到版本 {latest}",
    }
    doctor_journal_rollback() {
        en: "delete (a rollback journal); the next xaas\ncommand that opens it switches it to wal",
        zh: "delete（回滚日志）；下一条打开它的 xaas\n命令会把它切换为 wal",
    }
    doctor_check_ok_full() {
        en: "ok (integrity_check)",
        zh: "正常（integrity_check）",
    }
    doctor_check_ok_quick() {
        en: "ok (quick_check, as the file is large;\n--full runs integrity_check)",
        zh: "正常（quick_check，因为文件较大；\n--full 运行完整的 integrity_check）",
    }
    doctor_check_failed(how, errors) {
        en: "FAILED ({how}):\n{errors}",
        zh: "未通过（{how}）：\n{errors}",
    }
    /// A table an older schema does not have yet.
    doctor_count_absent() {
        en: "none yet",
        zh: "尚无",
    }
    doctor_counts_line(customers, services, records, history, usage, tasks) {
        en: "customers {customers} · services {services} · follow-up records {records}\nhistory entries {history} · usage rows {usage} · open tasks {tasks}",
        zh: "客户 {customers} · 服务 {services} · 跟进记录 {records}\n历史记录 {history} · 用量行 {usage} · 未完成任务 {tasks}",
    }
    doctor_import_at(at, author, changes) {
        en: "{at} by {author}; history entries written: {changes}\n(the file's name and row count are not stored)",
        zh: "{at}，导入人 {author}；写入历史记录 {changes} 条\n（文件名和行数未保存）",
    }
    doctor_import_file(at, author, file, rows, rejected) {
        en: "{at} by {author}: `{file}`, {rows} rows ({rejected} skipped)",
        zh: "{at}，导入人 {author}：`{file}`，{rows} 行（跳过 {rejected} 行）",
    }
    doctor_import_none() {
        en: "none logged",
        zh: "没有导入记录",
    }
    doctor_setting_default(value) {
        en: "{value} (default)",
        zh: "{value}（默认）",
    }
    doctor_config_none() {
        en: "none: no home folder to look in",
        zh: "无：没有可查找的主目录",
    }
    doctor_config_named(path) {
        en: "{path} (named by XAAS_CONFIG)",
        zh: "{path}（由 XAAS_CONFIG 指定）",
    }
    doctor_config_absent(path) {
        en: "{path} (not there: no personal defaults)",
        zh: "{path}（不存在：没有个人默认值）",
    }
    doctor_config_error(path, error) {
        en: "{path}: {error}",
        zh: "{path}：{error}",
    }
    doctor_mine_none() {
        en: "none (set XAAS_CSM, or `csm` in the config file)",
        zh: "无（设置 XAAS_CSM，或配置文件中的 `csm`）",
    }
    doctor_stdout_terminal() {
        en: "a terminal: tables by default",
        zh: "终端：默认输出表格",
    }
    doctor_stdout_piped() {
        en: "not a terminal: TSV by default",
        zh: "不是终端：默认输出 TSV",
    }
    doctor_var_unset() {
        en: "(unset)",
        zh: "（未设置）",
    }
    doctor_cron_silence() {
        en: "cron mails what a job prints, and `due` prints nothing when nothing is due:\nno mail means nothing was due. A database that is not there is loud\n(exit 1 and an error, which cron mails).",
        zh: "cron 会把任务的输出用邮件发给你，而没有到期服务时 `due` 什么也不输出：\n没收到邮件就是没有到期的服务。数据库不存在时会报错\n（退出码 1 并输出错误，cron 会发邮件）。",
    }
    doctor_cron_environment() {
        en: "cron's environment is bare (no LANG, no XAAS_*, a short PATH): the line\nnames the database and this binary by absolute path. To see what a job\nsees, run `xaas doctor` from cron once with the same variables.",
        zh: "cron 的环境几乎是空的（没有 LANG、XAAS_*，PATH 很短）：这一行\n用绝对路径指明数据库和本程序。想知道定时任务看到的环境，\n就用同样的变量在 cron 中运行一次 `xaas doctor`。",
    }

    // doctor: the problems (a missing, foreign or newer database is said
    // as every command says it: `storage`).
    doctor_problem_empty_file(path) {
        en: "`{path}` is an empty file (0 bytes), not an xaas database\nhint: `xaas import FILE` makes it one; if it held your book, restore a backup",
        zh: "`{path}` 是空文件（0 字节），不是 xaas 数据库\n提示：`xaas import 文件` 会把它变成 xaas 数据库；如果它原本存有你的数据，请从备份恢复",
    }
    doctor_problem_empty_database(path) {
        en: "`{path}` is an SQLite database with nothing in it, not an xaas database yet\nhint: `xaas import FILE` makes it one, or point --db / XAAS_DB at the right file",
        zh: "`{path}` 是空的 SQLite 数据库，还不是 xaas 数据库\n提示：`xaas import 文件` 会把它变成 xaas 数据库，或用 --db / XAAS_DB 指向正确的文件",
    }
    doctor_problem_unreadable(error) {
        en: "{error}\nhint: check the file's permissions, and whether another program holds it",
        zh: "{error}\n提示：检查文件权限，以及是否有其他程序占用它",
    }
    doctor_problem_check_failed(path, how, first) {
        en: "`{path}` failed SQLite's {how}: {first}\nhint: restore the latest backup (`xaas backup -o FILE` makes them); the sqlite3 shell's `.recover` may save what is left",
        zh: "`{path}` 未通过 SQLite 的 {how}：{first}\n提示：从最近的备份恢复（`xaas backup -o 文件` 可做备份）；sqlite3 命令行的 `.recover` 或许能救回剩下的数据",
    }

    // backup
    /// What an empty file or database is, where `backup` refuses it.
    backup_nothing_in_it() {
        en: "nothing in it yet",
        zh: "里面还没有任何内容",
    }
    backup_exists(path) {
        en: "`{path}` exists; nothing written\nhint: pass --force to replace it, or name a new file",
        zh: "`{path}` 已存在，未写入任何内容\n提示：加 --force 覆盖它，或换一个新文件名",
    }
    backup_onto_itself(path) {
        en: "`{path}` is the database itself; nothing written\nhint: name another file",
        zh: "`{path}` 就是数据库本身，未写入任何内容\n提示：换一个文件名",
    }
    backup_not_a_file(path) {
        en: "cannot back up to `{path}`: a backup is a file (not a folder, a device or stdout); nothing written\nhint: name a file, such as `xaas-backup.db`",
        zh: "无法备份到 `{path}`：备份必须是文件（不能是文件夹、设备或标准输出），未写入任何内容\n提示：指定一个文件，例如 `xaas-backup.db`",
    }
    backup_check_failed(path, errors) {
        en: "the copy for `{path}` failed integrity_check; nothing written:\n{errors}",
        zh: "`{path}` 的副本未通过 integrity_check，未写入任何内容：\n{errors}",
    }
    backup_cannot_write(path, cause) {
        en: "cannot write `{path}`: {cause}",
        zh: "无法写入 `{path}`：{cause}",
    }
    backup_done(db, path, size, counts) {
        en: "backed up `{db}` to `{path}` ({size}, integrity_check ok):\n{counts}",
        zh: "已将 `{db}` 备份到 `{path}`（{size}，integrity_check 正常）：\n{counts}",
    }
}
