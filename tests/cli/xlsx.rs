//! Workbooks in and out: `import FILE.xlsx` through the same row engine
//! as CSV, `-o FILE.xlsx` on export, list, due and outcomes (ids as text,
//! dates as dates, amounts as numbers), the round trip that changes
//! nothing, and the ids a spreadsheet mangles (scientific notation,
//! dropped leading zeros) refused by name.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader};

use super::*;

/// The rows of a workbook's first sheet (or `sheet`), as calamine reads them.
fn cells_of(path: &Path, sheet: Option<&str>) -> Vec<Vec<Data>> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let name = sheet.map_or_else(|| book.sheet_names()[0].clone(), str::to_string);
    let range = book.worksheet_range(&name).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

/// A part of a workbook (its zip), as text.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn text(s: &str) -> Data {
    Data::String(s.to_string())
}

/// The column of `header` named `name`.
fn col(rows: &[Vec<Data>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| *h == text(name))
        .unwrap_or_else(|| panic!("no column {name}: {:?}", rows[0]))
}

/// The row whose `key` column holds `value`.
fn row<'a>(rows: &'a [Vec<Data>], key: &str, value: &str) -> &'a [Data] {
    let k = col(rows, key);
    rows.iter()
        .find(|r| r[k] == text(value))
        .unwrap_or_else(|| panic!("no row with {key} = {value}"))
}

fn is_date(d: &Data, day: &str) -> bool {
    match d {
        Data::DateTime(x) if x.is_datetime() => {
            let (y, m, dd, ..) = x.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{dd:02}") == day
        }
        _ => false,
    }
}

/// `rows` services in the service list's 19 English columns, made here
/// (a clean checkout has no `gen_services.py`), varied as real lists are:
/// Chinese names, every attribute, decimals, empty cells, several
/// services per customer, ids with and without leading zeros.
fn generated(rows: u32) -> String {
    const INDUSTRY: [&str; 5] = ["制造业", "金融", "医疗健康", "物流行业", "教育培训"];
    const REGION: [&str; 4] = ["华东", "华北", "华南", "西南"];
    const CSM: [&str; 4] = ["张伟", "王芳", "李娜", "刘洋"];
    const TYPE: [(&str, &str); 4] = [
        ("subscription", "云WAF"),
        ("basic", "硬件维保"),
        ("managed", "MDR托管检测响应"),
        ("subscription", "上网行为管理订阅"),
    ];
    let mut csv = String::from(
        "customer_id,customer_name,industry,region,size,tier,department,distributor_type,csm,sales,sales_contact,service_id,service_type,product,start_date,expiry_date,amount,accounts,run_status\n",
    );
    for i in 0..rows {
        let c = i * 2 / 5;
        let (k, ck) = (i as usize, c as usize);
        let (kind, product) = TYPE[k % 4];
        let month = 1 + i % 12;
        let day = 1 + i % 28;
        let amount = match i % 7 {
            0 => String::new(),
            1 => format!("{}.5", 1000 + i),
            _ => format!("{}", (i % 50 + 1) * 1000),
        };
        let accounts = if i % 9 == 0 {
            String::new()
        } else {
            (i % 300).to_string()
        };
        let contact = if c % 3 == 0 {
            String::new()
        } else {
            format!("13{:09}", c * 7919 % 1_000_000_000)
        };
        csv.push_str(&format!(
            "{cid},{name}{c}有限公司,{ind},{reg},{size},{tier},{dept},{dist},{csm},{sales},{contact},{sid},{kind},{product},2025-{month:02}-{day:02},{exp}-{month:02}-{day:02},{amount},{accounts},{run}\n",
            cid = if c % 10 == 0 { format!("{c:06}") } else { format!("C{c:06}") },
            name = ["华宇科技", "中科智联", "东方仁和", "金盾物流"][ck % 4],
            ind = INDUSTRY[ck % 5],
            reg = REGION[ck % 4],
            size = ["大型", "中型", "小型"][ck % 3],
            tier = ["KA", "A", "B", "C"][ck % 4],
            dept = ["上海办", "北京办", "广州办"][ck % 3],
            dist = ["直签", "总代A", "总代B"][ck % 3],
            csm = CSM[ck % 4],
            sales = ["赵强", "孙丽", "周杰"][ck % 3],
            sid = if i % 10 == 0 { format!("{i:07}") } else { format!("S{i:07}") },
            exp = 2026 + i % 2,
            run = if i % 11 == 0 { "abnormal" } else { "normal" },
        ));
    }
    csv
}

/// What spreadsheets get wrong, as rows of the generator's English
/// columns: ids with leading zeros, a 19-digit number in a phone column,
/// text that starts like a formula or a number, quotes and commas.
const TRICKY: [&str; 4] = [
    "000123,=SUM(A1),金融,华东,大型,KA,北京办,直签,张伟,赵强,6222021234567890123,000456,subscription,-5,2026-01-01,2027-01-01,1234567.89,7,normal",
    "000123,=SUM(A1),金融,华东,大型,KA,北京办,直签,张伟,赵强,6222021234567890123,0000789,basic,@cmd,2025-12-24,2026-12-24,0.05,0,abnormal",
    "9000001,\"恒信\"\"证券\"\", 股份\",金融,华南,小型,C,上海办,总代A,李娜,吴敏,+86 138 0000 0000,9000001,managed,''=x,,2026-12-01,,,",
    "C9000002,'+1 中文,物流,华北,中型,B,武汉办,总代B,王芳,周杰,13800000000,S9000002,basic,'-,2026-02-01,2027-02-01,1000000000000,1234567,normal",
];

/// The generator's list with the tricky rows after it.
fn book_csv(rows: u32) -> String {
    let mut csv = generated(rows);
    for r in TRICKY {
        csv.push_str(r);
        csv.push('\n');
    }
    csv
}

/// The whole book as CSV, the way a round trip is judged.
fn export_csv(env: &Env) -> String {
    env.xaas("export").ok().stdout
}

/// `export -o FILE` in `lang` then `import FILE` into the same database
/// changes nothing (summary, export, history), and into a new database
/// gives the same export.
#[track_caller]
fn round_trip(env: &Env, lang: &str, expected_services: &str) {
    let name = format!("book-{lang}.xlsx");
    let before = export_csv(env);
    let history = env.one("SELECT count(*) FROM history");
    env.run(&["--lang", lang, "export", "-o", &name]).ok();
    env.run(&["import", &name])
        .ok()
        .stderr_has("customers: 0 new, 0 updated,")
        .stderr_has(&format!(
            "services:  0 new, 0 updated, 0 renewed, 0 corrected, 0 stale, {expected_services} unchanged, 0 rejected"
        ));
    assert!(export_csv(env) == before, "{lang}: the export changed");
    assert_eq!(env.one("SELECT count(*) FROM history"), history);

    let fresh = Env::new();
    let path = env.dir.path().join(&name);
    fresh
        .run(&["import", path.to_str().unwrap()])
        .ok()
        .stderr_has(&format!(
            "(sheet `{}`)",
            if lang == "zh" {
                "服务清单"
            } else {
                "services"
            }
        ));
    assert!(
        export_csv(&fresh) == before,
        "{lang}: a new database differs"
    );
}

#[test]
fn a_5000_service_book_goes_through_xlsx_and_back_unchanged_in_either_language() {
    let env = Env::new();
    env.file("book.csv", book_csv(5000));
    env.xaas("import book.csv").ok();
    assert_eq!(env.one("SELECT count(*) FROM services"), "5004");
    round_trip(&env, "en", "5004");
    round_trip(&env, "zh", "5004");

    // What a person sees in the workbook: text stays text, whatever it
    // looks like; numbers and days are typed.
    let rows = cells_of(&env.dir.path().join("book-en.xlsx"), None);
    let r = row(&rows, "service_id", "000456");
    assert_eq!(r[col(&rows, "customer_id")], text("000123"));
    assert_eq!(r[col(&rows, "customer_name")], text("=SUM(A1)"));
    assert_eq!(r[col(&rows, "product")], text("-5"));
    assert_eq!(r[col(&rows, "sales_contact")], text("6222021234567890123"));
    assert_eq!(r[col(&rows, "amount")], Data::Float(1_234_567.89));
    assert!(is_date(&r[col(&rows, "expiry_date")], "2027-01-01"));
    assert_eq!(r[col(&rows, "accounts")], Data::Float(7.0));
    let r = row(&rows, "service_id", "9000001");
    assert_eq!(r[col(&rows, "customer_name")], text("恒信\"证券\", 股份"));
    // A text that import would take a guard off keeps one more.
    assert_eq!(r[col(&rows, "product")], text("''=x"));
    assert_eq!(r[col(&rows, "sales_contact")], text("+86 138 0000 0000"));
    assert_eq!(
        env.one("SELECT product FROM services WHERE service_id = '9000001'"),
        "'=x"
    );
    // Nothing is a formula.
    assert!(!part(
        &env.dir.path().join("book-en.xlsx"),
        "xl/worksheets/sheet1.xml"
    )
    .contains("<f>"));
}

#[test]
fn workbooks_other_programs_saved_import_from_the_sheet_named() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut books: Vec<_> = [
        "openpyxl_services.xlsx",
        "libreoffice_services.ods",
        "libreoffice_services.xls",
    ]
    .into_iter()
    .map(|f| fixtures.join(f))
    .collect();
    // Made again when openpyxl is at hand: both give the same rows.
    let env = Env::new();
    let made = env.dir.path().join("made.xlsx");
    let has_openpyxl = Command::new("python3")
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has_openpyxl {
        let ok = Command::new("python3")
            .arg(fixtures.join("openpyxl_services.py"))
            .arg(&made)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        books.push(made);
    }
    for book in &books {
        let env = Env::new();
        let path = book.to_str().unwrap();
        // The first sheet is a note: told which sheets there are.
        env.run(&["import", path])
            .fails(1)
            .stderr_has("missing required columns")
            .stderr_has(
                "this is sheet `说明`, the workbook's first; its sheets: `说明`, `服务清单`",
            );
        env.run(&["import", path, "--sheet", "Nope"])
            .fails(1)
            .stderr_has("has no sheet `Nope`; its sheets: `说明`, `服务清单`");
        assert!(!env.db.exists() || env.one("SELECT count(*) FROM services") == "0");
        env.run(&["import", path, "--sheet", "服务清单"])
            .ok()
            .stderr_has("(sheet `服务清单`): 3 rows")
            .stderr_has("services:  3 new,");
        let got = env.sql(
            "SELECT c.customer_id, c.customer_name, c.sales_contact, c.budget_date, s.service_id,
                    s.service_type, s.product, s.start_date, s.expiry_date, s.amount, s.accounts
             FROM services s JOIN customers c USING (customer_id) ORDER BY s.service_id",
        );
        let want: Vec<Vec<&str>> = vec![
            vec![
                "2002",
                "Beta 贝塔",
                "13912345678",
                "∅",
                "3003",
                "basic",
                "=SUM(A1)",
                "∅",
                "2027-02-01",
                "300000",
                "5",
            ],
            vec![
                "000123",
                "华宇科技有限公司",
                "13800000000",
                "2027-03-01",
                "S1",
                "subscription",
                "EDR订阅",
                "2026-01-01",
                "2027-01-01",
                "1200050",
                "12",
            ],
            vec![
                "C4",
                "丙公司",
                "+86 138 0000 0000",
                "∅",
                "S4",
                "managed",
                "-5",
                "2026-03-01",
                "2027-03-01",
                "120000",
                "∅",
            ],
        ];
        assert_eq!(got, want, "{path}");
        // Again: nothing changes.
        env.run(&["import", path, "--sheet", "服务清单"])
            .ok()
            .stderr_has("0 new, 0 updated, 0 renewed, 0 corrected, 0 stale, 3 unchanged");
    }
}

/// A workbook made here, a row of cells at a time (numbers as numbers).
enum W {
    S(&'static str),
    N(f64),
    D(u16, u8, u8),
}

fn workbook(env: &Env, name: &str, rows: &[Vec<W>]) -> String {
    let mut book = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy/m/d");
    let ws = book.add_worksheet();
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                W::S(s) => ws.write_string(r, c, *s).map(|_| ()),
                W::N(x) => ws.write_number(r, c, *x).map(|_| ()),
                W::D(y, m, d) => {
                    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, day, &date).map(|_| ())
                }
            }
            .unwrap();
        }
    }
    let path = env.dir.path().join(name);
    book.save(&path).unwrap();
    path.to_string_lossy().into_owned()
}

fn head() -> Vec<W> {
    [
        "customer_id",
        "customer_name",
        "service_id",
        "service_type",
        "expiry_date",
    ]
    .into_iter()
    .map(W::S)
    .collect()
}

#[test]
fn an_id_a_spreadsheet_turned_into_a_number_is_a_bad_row_in_csv_and_xlsx() {
    let env = Env::new();
    env.import_examples();
    // LibreOffice or Excel saved the sheet as CSV after showing the id as a number.
    env.file(
        "mangled.csv",
        "customer_id,customer_name,service_id,service_type,expiry_date\n\
         C0001,华宇,S00001,subscription,2027-11-22\n\
         C0001,华宇,6.22202123456789E+18,basic,2027-01-01\n",
    );
    env.refused("import mangled.csv", 1, "1 bad row in")
        .stderr_has("line 3, column service_id, value `6.22202123456789E+18`: a spreadsheet turned this id into a number")
        .stderr_has("format the id column as Text");
    // A number cell of 19 digits in a workbook reads as Excel shows it.
    let path = workbook(
        &env,
        "mangled.xlsx",
        &[
            head(),
            vec![
                W::N(6_222_021_234_567_890_123.0),
                W::S("新客户"),
                W::S("S7"),
                W::S("basic"),
                W::D(2027, 1, 1),
            ],
        ],
    );
    env.refused(
        &format!("import {path}"),
        1,
        "line 2, column customer_id, value `6.22202123456789E+18`",
    );
    env.refused(
        &format!("import {path} --dry-run"),
        1,
        "scientific notation",
    );
    // A phone number mangled the same way is refused too, not stored so.
    env.file(
        "phone.csv",
        "customer_id,customer_name,sales_contact,service_id,service_type,expiry_date\n\
         C0001,华宇,6.22202123456789E+018,S00001,subscription,2026-11-22\n",
    );
    env.refused("import phone.csv", 1, "1 bad row in")
        .stderr_has("column sales_contact, value `6.22202123456789E+018`: a spreadsheet turned this number into scientific notation");
    // --skip-invalid imports the rest.
    env.xaas("import mangled.csv --skip-invalid")
        .ok()
        .stderr_has("1 rejected");
    assert_eq!(
        env.one("SELECT expiry_date FROM services WHERE service_id = 'S00001'"),
        "2027-11-22"
    );
}

#[test]
fn an_id_that_lost_its_leading_zeros_is_a_bad_row_not_a_new_customer() {
    let env = Env::new();
    env.file(
        "book.csv",
        "customer_id,customer_name,service_id,service_type,expiry_date\n\
         000123,华宇,000456,basic,2027-01-01\n\
         C2,乙,S2,basic,2027-01-01\n",
    );
    env.xaas("import book.csv").ok();
    env.file(
        "opened-in-excel.csv",
        "customer_id,customer_name,service_id,service_type,expiry_date\n\
         123,华宇,S3,basic,2027-01-01\n\
         000123,华宇,456,basic,2027-01-01\n\
         C2,乙,S2,basic,2027-01-01\n",
    );
    env.refused("import opened-in-excel.csv", 1, "2 bad rows in")
        .stderr_has("line 2, column customer_id, value `123`: the database has `000123` and not this id: a spreadsheet dropped its leading zeros")
        .stderr_has("line 3, column service_id, value `456`: the database has `000456`");
    // The same in a workbook whose id cells are numbers.
    let path = workbook(
        &env,
        "numbers.xlsx",
        &[
            head(),
            vec![
                W::N(123.0),
                W::S("华宇"),
                W::S("S3"),
                W::S("basic"),
                W::D(2027, 1, 1),
            ],
        ],
    );
    env.refused(&format!("import {path}"), 1, "the database has `000123`");
    // Where both ids are stored, `123` is a customer of its own.
    env.file(
        "both.csv",
        "customer_id,customer_name,service_id,service_type,expiry_date\n123,另一家,S9,basic,2027-01-01\n",
    );
    env.sql("INSERT INTO customers(customer_id, customer_name) VALUES ('123', '另一家')");
    env.xaas("import both.csv").ok().stderr_has("1 new");
    // Ids of other shapes are never looked at.
    env.file(
        "other.csv",
        "customer_id,customer_name,service_id,service_type,expiry_date\n77,新,88,basic,2027-01-01\n",
    );
    env.xaas("import other.csv").ok();
}

#[test]
fn list_due_and_outcomes_write_workbooks_with_typed_cells() {
    let env = Env::new();
    env.import_examples();
    env.xaas("followup set --service S00008 --status not_renewing --reason budget")
        .ok();
    env.xaas("list -o customers.xlsx")
        .ok()
        .stdout_empty()
        .stderr_is("wrote 15 customers to `customers.xlsx`\n");
    let rows = cells_of(&env.dir.path().join("customers.xlsx"), None);
    assert_eq!(
        rows[0][..3],
        [text("customer_id"), text("customer_name"), text("industry")]
    );
    let r = row(&rows, "customer_id", "C0001");
    assert_eq!(r[col(&rows, "customer_name")], text("华宇科技有限公司"));
    assert!(matches!(r[col(&rows, "amount")], Data::Float(x) if x > 0.0));
    assert!(matches!(r[col(&rows, "services")], Data::Float(_)));
    assert!(is_date(&r[col(&rows, "nearest_expiry")], "2026-11-13"));

    env.xaas("--lang zh due --within 90 -o due.xlsx")
        .ok()
        .stdout_empty()
        .stderr_has("个服务写入 `due.xlsx`");
    let due = env.dir.path().join("due.xlsx");
    let rows = cells_of(&due, None);
    assert_eq!(rows[0][..2], [text("客户ID"), text("客户名称")]);
    let r = row(&rows, "服务ID", "S00004");
    assert_eq!(r[col(&rows, "客户名称")], text("金盾物流有限公司"));
    assert!(is_date(&r[col(&rows, "到期时间")], "2026-12-24"));
    assert_eq!(r[col(&rows, "金额")], Data::Float(300_000.0));
    assert_eq!(r[col(&rows, "运行状态")], text("异常"));
    // A phone number is text, not 1.34E+10.
    assert!(matches!(&r[col(&rows, "销售联系方式")], Data::String(s) if s.len() == 11));
    // The same services as the CSV of `due`.
    let csv = env.xaas("due --within 90 --format csv").ok().stdout;
    assert_eq!(rows.len(), csv.lines().count());

    // Bold frozen header with filters, columns fitted (CJK counts two).
    let sheet = part(&due, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "{sheet}"
    );
    assert!(
        sheet.contains(&format!(r#"<autoFilter ref="A1:AG{}"/>"#, rows.len())),
        "{sheet}"
    );
    assert!(
        sheet.contains(r#"<col min="2" max="2" width="25.7109375" customWidth="1"/>"#),
        "{sheet}"
    );
    let styles = part(&due, "xl/styles.xml");
    assert!(
        styles.contains("<b/>") && styles.contains(r##"formatCode="#,##0.00""##),
        "{styles}"
    );
    assert!(styles.contains(r#"formatCode="yyyy-mm-dd""#), "{styles}");

    env.xaas("outcomes -o outcomes.xlsx")
        .ok()
        .stderr_has("terms to `outcomes.xlsx`");
    let rows = cells_of(&env.dir.path().join("outcomes.xlsx"), None);
    let r = row(&rows, "service_id", "S00008");
    assert_eq!(r[col(&rows, "outcome")], text("not_renewing"));
    assert!(matches!(r[col(&rows, "amount")], Data::Float(_)));
    assert!(matches!(r[col(&rows, "expiry_date")], Data::DateTime(_)));

    // `-o FILE.csv` is CSV with a BOM; `-o -` is standard output.
    env.xaas("due --within 90 -o due.csv").ok();
    let bytes = std::fs::read(env.dir.path().join("due.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFcustomer_id,"));
    assert_eq!(&bytes[3..], csv.as_bytes());
    env.xaas("outcomes -o - --format csv")
        .ok()
        .stdout_has("S00008");
    // A workbook has no --format.
    env.xaas("list -o x.xlsx --json")
        .fails(2)
        .stderr_has("--format json does not go with `-o FILE.xlsx`");
    assert!(!env.dir.path().join("x.xlsx").exists());
}

#[test]
fn an_empty_listing_is_a_workbook_with_its_header() {
    let env = Env::new();
    env.import_examples();
    env.xaas("due --within 0 --customer C0003 -o none.xlsx")
        .ok()
        .stderr_is("wrote 0 services to `none.xlsx`\n");
    let rows = cells_of(&env.dir.path().join("none.xlsx"), None);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], text("customer_id"));
}

#[test]
fn usage_import_reads_a_workbook_too() {
    let csv = Env::new();
    csv.import_examples();
    csv.file(
        "u.csv",
        "service_id,date,accounts,active_users\nS00001,2026-10-31,100,40\nS00016,2026-10,,69\n",
    );
    csv.xaas("usage import u.csv").ok();
    let book = Env::new();
    book.import_examples();
    let path = workbook(
        &book,
        "u.xlsx",
        &[
            ["service_id", "date", "accounts", "active_users"]
                .into_iter()
                .map(W::S)
                .collect(),
            vec![W::S("S00001"), W::D(2026, 10, 31), W::N(100.0), W::N(40.0)],
            vec![W::S("S00016"), W::S("2026-10"), W::S(""), W::N(69.0)],
        ],
    );
    book.run(&["usage", "import", &path])
        .ok()
        .stderr_has("(sheet `Sheet1`): 2 rows");
    let usage = |e: &Env| e.sql("SELECT * FROM usage ORDER BY 1, 2");
    assert_eq!(usage(&book), usage(&csv));
    book.run(&["usage", "import", &path, "--sheet", "Other"])
        .fails(1)
        .stderr_has("its sheets: `Sheet1`");
}

#[test]
fn sheet_is_for_workbooks() {
    let env = Env::new();
    env.import_examples();
    env.refused(
        &format!("import {} --sheet Sheet1", examples().display()),
        1,
        "--sheet picks a sheet of a workbook",
    );
}

#[test]
fn a_workbook_reads_from_standard_input_and_from_a_pipe() {
    let env = Env::new();
    env.import_examples();
    env.xaas("export -o book.xlsx").ok();
    let book = std::fs::read(env.dir.path().join("book.xlsx")).unwrap();
    let fresh = Env::new();
    fresh
        .run_in(&["import", "-"], &book)
        .ok()
        .stderr_has("(sheet `services`): 50 rows");
    assert!(export_csv(&fresh) == export_csv(&env));
    // A named pipe, as `import <(…)` gives: CSV and workbook alike.
    for (name, bytes) in [
        ("pipe.xlsx", book.clone()),
        ("pipe.csv", std::fs::read(examples()).unwrap()),
    ] {
        let fifo = env.dir.path().join(name);
        assert!(Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let writer = std::thread::spawn(move || std::fs::write(&fifo, bytes).unwrap());
        env.run(&["import", name])
            .ok()
            .stderr_has("0 new, 0 updated, 0 renewed, 0 corrected, 0 stale, 50 unchanged");
        writer.join().unwrap();
    }
}
