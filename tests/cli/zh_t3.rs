//! Import, usage import and the files commands in Chinese (`--lang zh`),
//! and the same in English, unchanged.

use super::*;

const HEAD: &str = "customer_id,customer_name,service_id,service_type,expiry_date,amount";

fn bad_file(env: &Env) {
    env.file(
        "bad.csv",
        format!("{HEAD}\nC1,甲,S1,basic,2027-01-01,1\nC1,甲,S2,basic,2027-01-01,x\n"),
    );
}

#[test]
fn a_bad_row_names_file_line_column_and_value_in_chinese() {
    let env = Env::new();
    bad_file(&env);
    env.xaas("--lang zh import bad.csv")
        .fails(1)
        .stderr_has("错误：`bad.csv` 中有 1 行有误：")
        .stderr_has("  第 3 行，列 amount，值 `x`：")
        .stderr_has("已检查 `bad.csv`（UTF-8，以 `,` 分隔）：2 行")
        .stderr_has("  服务：新增 1，更新 0，续费 0，更正 0，过时 0，未变 0，有误 1")
        .stderr_has("未写入任何内容：导入要么全部写入，要么一行不写\n提示：")
        .stderr_lacks("line 3");
    env.xaas("--lang en import bad.csv")
        .fails(1)
        .stderr_has("error: 1 bad row in `bad.csv`:")
        .stderr_has("  line 3, column amount, value `x`: ")
        .stderr_has("checked `bad.csv` (UTF-8, `,`-separated): 2 rows")
        .stderr_has("nothing was written: the import is all or nothing\nhint: fix those rows");
}

#[test]
fn the_rejects_file_says_where_in_chinese() {
    let env = Env::new();
    bad_file(&env);
    env.xaas("--lang zh import bad.csv --skip-invalid --rejects rejects.csv")
        .ok()
        .stderr_has("已跳过：`bad.csv` 中有误的 1 行：")
        .stderr_has("已导入 `bad.csv`")
        .stderr_has("  客户：新增 1，更新 0，未变 0");
    let saved = std::fs::read_to_string(env.dir.path().join("rejects.csv")).unwrap();
    assert!(
        saved.contains("C1,甲,S2,basic,2027-01-01,x,\"第 3 行，列 amount："),
        "{saved}"
    );
}

#[test]
fn a_missing_column_is_refused_in_chinese_with_its_hint() {
    let env = Env::new();
    env.file("h.csv", "客户ID,客户名称,服务ID\nC1,甲,S1\n");
    env.xaas("--lang zh import h.csv")
        .fails(1)
        .stderr_has(
            "错误：`h.csv`：缺少必需的列：服务类型（service_type）, 到期时间（expiry_date）",
        )
        .stderr_has("表头里有：客户ID, 客户名称, 服务ID\n提示：第一行必须是表头")
        .stderr_has("未导入任何内容");
    env.xaas("import h.csv")
        .fails(1)
        .stderr_has("missing required columns: service_type (服务类型), expiry_date (到期时间)\nfound: 客户ID, 客户名称, 服务ID\nhint: ");
}

#[test]
fn a_usage_import_speaks_chinese() {
    let env = Env::new();
    env.import_examples();
    env.file(
        "u.csv",
        "service_id,date,active_users,note\nS00001,2026-10,4,ok\nNOPE,2026-10-01,1,\n",
    );
    env.xaas("--lang zh usage import u.csv --skip-invalid")
        .ok()
        .stderr_has("注意：已忽略的列：note（不是数字）")
        .stderr_has("  第 3 行，列 service_id，值 `NOPE`：数据库中没有这个服务")
        .stderr_has("  使用情况：新增 1，更新 0，未变 0，有误 1")
        .stderr_has("（健康度指标已更新）");
    env.xaas("usage import u.csv --skip-invalid --dry-run")
        .ok()
        .stderr_has("note: ignored columns: note (not numbers)")
        .stderr_has("  usage:    0 new, 0 updated, 1 unchanged, 1 rejected")
        .stderr_has("dry run: nothing was written");
}

#[test]
fn written_files_and_pages_speak_chinese() {
    let env = Env::new();
    env.import_examples();
    env.xaas("--lang zh export -o out.csv")
        .ok()
        .stderr_is("已将 50 个服务写入 `out.csv`\n");
    env.xaas("export -o out.csv")
        .ok()
        .stderr_is("wrote 50 services to `out.csv`\n");
    let dir = env.dir.path().to_string_lossy().into_owned();
    env.run(&["--lang", "zh", "export", "-o", &dir])
        .fails(1)
        .stderr_has("：这是一个文件夹；未写入任何内容");
    env.xaas("--lang zh export -o nowhere/out.csv")
        .fails(1)
        .stderr_has("错误：无法写入 `nowhere/out.csv`：文件夹 `nowhere` 不存在\n提示：");
    env.xaas("--lang zh list --limit 3 --offset 4 --format tsv")
        .ok()
        .stderr_is("共 15 条，显示 3 条（第 5–7 条）；用 --limit/--offset 查看更多\n");
    env.xaas("list --limit 3 --offset 4 --format tsv")
        .ok()
        .stderr_is("3 of 15 shown (5–7); use --limit/--offset for more\n");
}

#[test]
fn an_unknown_encoding_and_a_foreign_file_are_refused_in_chinese() {
    let env = Env::new();
    env.xaas("--lang zh import x.csv --encoding latin1")
        .fails(2)
        .stderr_has("无法识别的编码 `latin1`；可选 auto、utf-8 或 gbk");
    env.file("empty.csv", "");
    env.xaas("--lang zh import empty.csv")
        .fails(1)
        .stderr_has("错误：`empty.csv` 是空文件");
    env.file("not.db", "customer_id\n");
    env.xaas("--lang zh --db not.db list")
        .fails(1)
        .stderr_has("（不是 SQLite 文件）");
}
