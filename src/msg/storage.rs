//! The database file: missing, busy, foreign, newer, read-only.

use super::messages;

messages! {
    no_database(path) {
        en: "no database at `{path}`\nhint: run `xaas import FILE` first, or point --db / XAAS_DB at the right file",
        zh: "`{path}` 处没有数据库\n提示：先运行 `xaas import 文件` 导入服务清单，或用 --db / XAAS_DB 指向正确的文件",
    }
    empty_database(path) {
        en: "`{path}` is empty: there is no xaas database in it (it was left untouched)\nhint: if it was truncated, restore it from a backup (`xaas backup` makes them); to start a book there, run `xaas import FILE`",
        zh: "`{path}` 是空的：里面没有 xaas 数据库（未作任何改动）\n提示：如果它被截断了，请从备份恢复（备份可用 `xaas backup` 制作）；要在那里新建，请运行 `xaas import 文件`",
    }
    schema_too_new(path, found, supported) {
        en: "database `{path}` has schema version {found}, but this xaas knows versions up to {supported}\nhint: upgrade xaas; it will not touch a newer database",
        zh: "数据库 `{path}` 的结构版本是 {found}，而这个 xaas 只认识到版本 {supported}\n提示：请升级 xaas；它不会改动更新版本的数据库",
    }
    busy(db) {
        en: "{db} is busy: another process holds its lock (most likely another xaas command, such as an import, is writing to it)\nhint: wait for it to finish, then run this command again",
        zh: "{db}正忙：另一个进程持有它的锁（多半是另一个 xaas 命令，例如导入，正在写入）\n提示：等它结束后再运行这条命令",
    }
    database_at(path) {
        en: "database `{path}`",
        zh: "数据库 `{path}` ",
    }
    the_database() {
        en: "the database",
        zh: "数据库",
    }
    foreign(path, what) {
        en: "`{path}` is not an xaas database ({what}); it was left untouched\nhint: --db / XAAS_DB must name a database that xaas created (`xaas import FILE` creates one at a new path)",
        zh: "`{path}` 不是 xaas 的数据库（{what}），未作任何改动\n提示：--db / XAAS_DB 必须指向 xaas 创建的数据库（`xaas import 文件` 会在新路径上创建一个）",
    }
    read_only_file(path) {
        en: "database `{path}` is a read-only file; xaas opens its database for writing, even to read it (WAL mode)\nhint: make it writable (chmod u+w {path}), or copy it to a writable folder and pass the copy with --db",
        zh: "数据库 `{path}` 是只读文件；xaas 即使只读数据也要以写方式打开它（WAL 模式）\n提示：让它可写（chmod u+w {path}），或把它复制到可写的文件夹并用 --db 指向副本",
    }
    read_only_folder(path, dir) {
        en: "database `{path}` is in a read-only folder (`{dir}`); xaas needs to create files there (the database's -wal and -shm files, or a new database itself)\nhint: make the folder writable (chmod u+w {dir}), or copy the database to a writable folder and pass the copy with --db",
        zh: "数据库 `{path}` 所在的文件夹（`{dir}`）只读；xaas 需要在那里创建文件（数据库的 -wal 和 -shm 文件，或新数据库本身）\n提示：让文件夹可写（chmod u+w {dir}），或把数据库复制到可写的文件夹并用 --db 指向副本",
    }
    choose_window(lines) {
        en: "the services to change lie in more than one window; nothing changed:\n{lines}\nhint: say which with --window W (repeatable), or --window all",
        zh: "要修改的服务分布在多个到期窗口中，未做任何修改：\n{lines}\n提示：用 --window 窗口 指定（可重复），或 --window all 表示全部",
    }
    database_error(cause) {
        en: "database: {cause}",
        zh: "数据库错误：{cause}",
    }
    database_value(cause) {
        en: "database value: {cause}",
        zh: "数据库中的值有误：{cause}",
    }
    // Opening, reading and creating the database file.
    db_not_sqlite() {
        en: "not an SQLite file",
        zh: "不是 SQLite 文件",
    }
    db_unreadable_sqlite() {
        en: "a file SQLite cannot read as a database",
        zh: "SQLite 无法把它当作数据库读取",
    }
    db_no_table(version) {
        en: "an SQLite database with no table, at user_version {version}",
        zh: "没有任何表的 SQLite 数据库，user_version 为 {version}",
    }
    db_other_program() {
        en: "an SQLite database of another program",
        zh: "其他程序的 SQLite 数据库",
    }
    db_other_program_table(names) {
        en: "an SQLite database of another program: table {names}",
        zh: "其他程序的 SQLite 数据库：有表 {names}",
    }
    db_other_program_tables(names) {
        en: "an SQLite database of another program: tables {names}",
        zh: "其他程序的 SQLite 数据库：有表 {names}",
    }
    db_other_program_more(names, more) {
        en: "an SQLite database of another program: tables {names} and {more} more",
        zh: "其他程序的 SQLite 数据库：有表 {names} 等，另有 {more} 个",
    }
    db_cannot_open(path, cause) {
        en: "cannot open database `{path}`: {cause}",
        zh: "无法打开数据库 `{path}`：{cause}",
    }
    db_cannot_read(path) {
        en: "cannot read database `{path}`",
        zh: "无法读取数据库 `{path}`",
    }
    db_cannot_write(path) {
        en: "cannot write database `{path}`",
        zh: "无法写入数据库 `{path}`",
    }
    db_cannot_create(path) {
        en: "cannot create database `{path}`",
        zh: "无法创建数据库 `{path}`",
    }
    db_cannot_create_folder(dir) {
        en: "cannot create folder `{dir}`",
        zh: "无法创建文件夹 `{dir}`",
    }
}
