//! Team mode: the PostgreSQL database, its roles, conflicts, push and
//! snapshot.

use super::messages;

messages! {
    bad_address(address, cause) {
        en: "cannot read the team database address `{address}`: {cause}\nhint: write it as postgres://LOGIN@HOST[:PORT]/DATABASE",
        zh: "无法识别团队数据库地址 `{address}`：{cause}\n提示：写成 postgres://登录名@主机[:端口]/数据库",
    }
    password_in_address(address) {
        en: "the address `{address}` carries a password: a password is never given on the command line\nhint: put it in PGPASSWORD or ~/.pgpass (host:port:database:login:password, mode 0600)",
        zh: "地址 `{address}` 中带有密码：密码不能写在命令行里\n提示：放进 PGPASSWORD 环境变量或 ~/.pgpass（主机:端口:数据库:登录名:密码，权限 0600）",
    }
    cannot_connect(address, cause) {
        en: "cannot connect to the team database at `{address}`: {cause}\nhint: check the server is running and the login, and that PGPASSWORD or ~/.pgpass holds its password",
        zh: "无法连接团队数据库 `{address}`：{cause}\n提示：检查服务器是否在运行、登录名是否正确，以及 PGPASSWORD 或 ~/.pgpass 中的密码",
    }
    connection_lost(cause) {
        en: "the team database failed: {cause}",
        zh: "团队数据库出错：{cause}",
    }
    server_said(message, statement) {
        en: "the team database refused: {message} (in: {statement})",
        zh: "团队数据库拒绝执行：{message}（语句：{statement}）",
    }
    needs_role(message) {
        en: "your login may not do this ({message})\nhint: reading needs the role xaas_csm; follow-ups, records, tasks, risks, leads and budgets need xaas_csm; imports, renewals, settings and usage need xaas_lead. Ask the lead to run `xaas team grant LOGIN --lead`",
        zh: "你的登录名无权执行此操作（{message}）\n提示：查看需要 xaas_csm 角色；跟进、记录、任务、风险、商机和预算需要 xaas_csm；导入、续费、设置和使用数据需要 xaas_lead。请负责人运行 `xaas team grant 登录名 --lead`",
    }
    not_initialised(address) {
        en: "`{address}` holds no xaas book\nhint: the database owner runs `xaas --db {address} team init` once",
        zh: "`{address}` 中没有 xaas 数据\n提示：数据库所有者先运行一次 `xaas --db {address} team init`",
    }
    older_schema(address, found, latest) {
        en: "the team database `{address}` is at schema version {found}; this xaas needs {latest}\nhint: upgrade it with a matching xaas, or use the xaas that made it",
        zh: "团队数据库 `{address}` 的结构版本为 {found}，此 xaas 需要 {latest}\n提示：用对应版本的 xaas 升级，或使用创建它的 xaas",
    }
    not_on_team() {
        en: "this command does not run on a team database (PostgreSQL) yet\nhint: run it on a snapshot (`xaas snapshot -o FILE`, then --db FILE), or on a file database",
        zh: "此命令暂不支持团队数据库（PostgreSQL）\n提示：先运行 `xaas snapshot -o 文件`，再用 --db 文件 在快照上运行，或使用本地文件数据库",
    }
    changed_meanwhile(lines) {
        en: "someone else changed this while you were working; nothing was written:\n{lines}\nhint: look at it again (`xaas show`, `xaas history`) and repeat the command if it still applies",
        zh: "在你操作期间已有他人修改了同一内容，本次未写入任何数据：\n{lines}\n提示：重新查看（`xaas show`、`xaas history`），如仍需要再执行一次命令",
    }
    collision(service, what, to, author, at) {
        en: "  {service}: {what} is now {to}, changed by {author} at {at}",
        zh: "  {service}：{what} 现为 {to}，由 {author} 于 {at} 修改",
    }
    collision_unknown() {
        en: "  (the other change is not in the history yet)",
        zh: "  （对方的修改尚未出现在历史记录中）",
    }
    no_such_login(login) {
        en: "no login `{login}` on this server\nhint: create it first, e.g. `CREATE ROLE \"{login}\" LOGIN PASSWORD '...'` in psql",
        zh: "服务器上没有登录名 `{login}`\n提示：先创建它，例如在 psql 中执行 `CREATE ROLE \"{login}\" LOGIN PASSWORD '...'`",
    }
    push_not_empty(address) {
        en: "the team database `{address}` already holds a book: `team push` only fills an empty one\nhint: import the service list there instead, or push into a new database",
        zh: "团队数据库 `{address}` 中已有数据：`team push` 只能写入空库\n提示：改为向其导入服务清单，或推送到新建的数据库",
    }
    snapshot_exists(path) {
        en: "`{path}` exists: a snapshot is written to a new file\nhint: choose another name, or remove the old snapshot",
        zh: "`{path}` 已存在：快照只写入新文件\n提示：换一个文件名，或删除旧快照",
    }
    snapshot_read_only(path, source, at) {
        en: "`{path}` is a snapshot of {source} taken {at}, for reading only\nhint: write to the team database (--db {source})",
        zh: "`{path}` 是 {source} 于 {at} 的快照，只能查看\n提示：请写入团队数据库（--db {source}）",
    }
    init_needs_createrole() {
        en: "this login may not make the roles xaas_csm and xaas_lead\nhint: `team init` is run once by a superuser, or by the database's owner with CREATEROLE (`ALTER ROLE login CREATEROLE` in psql, or `createuser --createrole`)",
        zh: "此登录名无权创建角色 xaas_csm 和 xaas_lead\n提示：`team init` 需由超级用户运行一次，或由拥有 CREATEROLE 权限的数据库所有者运行（在 psql 中执行 `ALTER ROLE 登录名 CREATEROLE`，或 `createuser --createrole`）",
    }
    pgpass_ignored(path) {
        en: "warning: `{path}` is readable by others, so it is not used (as libpq does)\nhint: chmod 600 {path}",
        zh: "警告：`{path}` 可被他人读取，因此不使用（与 libpq 一致）\n提示：chmod 600 {path}",
    }
    init_created(address) {
        en: "made the xaas book in {address}, with the roles xaas_csm and xaas_lead\nnext: `xaas team grant LOGIN --csm` (or --lead) for each member",
        zh: "已在 {address} 中创建 xaas 数据库及角色 xaas_csm 和 xaas_lead\n下一步：为每位成员运行 `xaas team grant 登录名 --csm`（或 --lead）",
    }
    init_there(address) {
        en: "{address} already holds an xaas book: nothing changed",
        zh: "{address} 中已有 xaas 数据库：未做改动",
    }
    granted(login, role) {
        en: "{login} now has the role {role}",
        zh: "{login} 已获得角色 {role}",
    }
    copied(table, rows) {
        en: "  {table}: {rows}",
        zh: "  {table}：{rows}",
    }
    pushed(address) {
        en: "copied into {address}:",
        zh: "已复制到 {address}：",
    }
    snapshot_written(path) {
        en: "wrote the snapshot {path} (read-only):",
        zh: "已写入快照 {path}（只读）：",
    }
    needs_team(command) {
        en: "`{command}` works on a team database: give --db postgres://LOGIN@HOST/DATABASE (or XAAS_DB)",
        zh: "`{command}` 用于团队数据库：请给出 --db postgres://登录名@主机/数据库（或 XAAS_DB）",
    }
}
