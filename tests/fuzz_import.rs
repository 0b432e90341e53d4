//! Fuzzing the import reader inside `cargo test`: a fixed seed and a
//! bounded number of cases, so CI runs the same inputs every time in a
//! few seconds. Sheets are built from realistic cells (ids with leading
//! zeros, Chinese names, every date and amount spelling, formula-like
//! text), in UTF-8 or GBK, then damaged byte by byte. Two properties:
//! reading never panics, and every row it accepts is written back by the
//! export's own cells and read again to the same values.

use std::io::Cursor;
use std::rc::Rc;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use xaas::cells::{guard, service_cells, service_fields};
use xaas::labels::Lang;
use xaas::sheet::{Encoding, Item, Row, Sheet};
use xaas::status::Status;
use xaas::view::ServiceView;
use xaas::window::Window;

const CASES: u32 = 1500;

const HEADER: &str = "customer_id,customer_name,industry,csm,service_id,service_type,start_date,expiry_date,amount,accounts,renewal_of";

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("华宇科技有限公司".to_string()),
        Just("北京金融".to_string()),
        Just("张三".to_string()),
        Just("000123".to_string()),
        Just("6222021234567890123".to_string()),
        Just("=SUM(A1)".to_string()),
        Just("-inf".to_string()),
        Just("+8613800000000".to_string()),
        Just("'=x".to_string()),
        Just("\"quoted, with comma\"".to_string()),
        Just(String::new()),
        "[A-Za-z0-9 ]{0,8}",
        "[\u{4e00}-\u{4e80}]{1,6}",
    ]
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("2026-11-23".to_string()),
        1 => Just("2026/1/5".to_string()),
        1 => Just("2026年11月23日".to_string()),
        1 => Just("2027/3/1 0:00".to_string()),
        1 => Just("2026-02-30".to_string()),
        1 => Just("2026-06-01 garbage".to_string()),
        6 => (1890i32..2210, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
    ]
}

fn amount() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("12,000.00".to_string()),
        1 => Just("¥12000".to_string()),
        1 => Just("1,5".to_string()),
        1 => Just("1000000000000".to_string()),
        1 => Just("1000000000000.01".to_string()),
        1 => Just(String::new()),
        6 => (0u64..10_000_000, 0u32..100).prop_map(|(y, c)| format!("{y}.{c:02}")),
    ]
}

fn line() -> impl Strategy<Value = String> {
    (
        0u32..40,
        cell(),
        cell(),
        cell(),
        0u32..60,
        prop_oneof![3 => Just("basic"), 3 => Just("基础服务"), 3 => Just("xaas"), 1 => Just("bogus")],
        prop_oneof![4 => Just("2020/1/1".to_string()), 2 => Just(String::new()), 1 => date()],
        date(),
        amount(),
        prop_oneof![3 => Just("12".to_string()), 3 => Just("1,200".to_string()), 1 => Just("1,5".to_string()), 3 => Just(String::new())],
        prop_oneof![Just(String::new()), (0u32..60).prop_map(|n| format!("S{n:03}"))],
    )
        .prop_map(|(c, name, industry, csm, s, ty, start, expiry, amount, accounts, renewal_of)| {
            let q = |v: &str| {
                if v.contains([',', '"']) && !v.starts_with('"') {
                    format!("\"{}\"", v.replace('"', "\"\""))
                } else {
                    v.to_string()
                }
            };
            [
                format!("C{c:03}"),
                q(&name),
                q(&industry),
                q(&csm),
                format!("S{s:03}"),
                ty.to_string(),
                start,
                expiry,
                q(&amount),
                q(&accounts),
                renewal_of,
            ]
            .join(",")
        })
}

/// A damage to the file: flip, insert or delete a byte at a fraction of
/// its length.
#[derive(Clone, Debug)]
enum Damage {
    Flip(f64, u8),
    Insert(f64, u8),
    Delete(f64),
}

fn damage() -> impl Strategy<Value = Damage> {
    let byte = prop_oneof![
        any::<u8>(),
        Just(b','),
        Just(b'"'),
        Just(b'\n'),
        Just(b'\r'),
        Just(0u8),
        Just(0xFF)
    ];
    prop_oneof![
        (0.0..1.0f64, byte.clone()).prop_map(|(at, b)| Damage::Flip(at, b)),
        (0.0..1.0f64, byte).prop_map(|(at, b)| Damage::Insert(at, b)),
        (0.0..1.0f64).prop_map(Damage::Delete),
    ]
}

fn sheet() -> impl Strategy<Value = (Vec<u8>, bool, Vec<Damage>)> {
    (
        prop::collection::vec(line(), 0..25),
        any::<bool>(),
        prop::collection::vec(damage(), 0..4),
    )
        .prop_map(|(lines, gbk, damages)| {
            let text = format!("{HEADER}\n{}\n", lines.join("\n"));
            let bytes = if gbk {
                encoding_rs::GB18030.encode(&text).0.into_owned()
            } else {
                text.into_bytes()
            };
            (bytes, gbk, damages)
        })
}

fn apply(mut bytes: Vec<u8>, damages: &[Damage]) -> Vec<u8> {
    for d in damages {
        let at = |f: f64, len: usize| ((f * len as f64) as usize).min(len.saturating_sub(1));
        match *d {
            Damage::Flip(f, b) if !bytes.is_empty() => {
                let i = at(f, bytes.len());
                bytes[i] = b;
            }
            Damage::Insert(f, b) => {
                let i = at(f, bytes.len() + 1);
                bytes.insert(i, b);
            }
            Damage::Delete(f) if !bytes.is_empty() => {
                let i = at(f, bytes.len());
                bytes.remove(i);
            }
            _ => {}
        }
    }
    bytes
}

/// The rows accepted from `bytes`; None when the file is refused whole.
fn accepted(bytes: Vec<u8>, name: &str) -> Option<Vec<Row>> {
    let sheet = Sheet::from_reader(
        name,
        Box::new(Cursor::new(bytes)),
        Encoding::Auto,
        None,
        None,
    )
    .ok()?;
    let rows = sheet.rows().ok()?;
    let mut out = vec![];
    for item in rows {
        match item {
            Ok(Item::Row(r)) => out.push(*r),
            Ok(Item::Bad(_)) => {}
            Err(_) => return Some(out),
        }
    }
    Some(out)
}

/// A row as `export` writes it: the service list's CSV line, cells
/// guarded against formulas.
fn exported(rows: &[Row]) -> String {
    let mut w = csv::Writer::from_writer(vec![]);
    w.write_record(service_fields().iter().map(|f| f.key))
        .unwrap();
    for r in rows {
        let s = &r.service;
        let view = ServiceView {
            customer: Rc::new((*r.customer).clone()),
            service_id: s.id.clone(),
            service_type: s.service_type,
            product: s.product.clone(),
            start_date: s.start_date,
            expiry_date: s.expiry_date,
            amount: s.amount,
            accounts: s.accounts,
            run_status: s.run_status,
            renewal_of: s.renewal_of.clone(),
            stored_status: Status::Unset,
            reason: None,
            status_changed_at: None,
            last_followup_at: None,
            reason_detail: None,
            last_note: None,
            previous_expiry: None,
            previous_amount: None,
            days_left: 0,
            window: Window::Within30,
            status: Status::Unset,
            health: xaas::health::Health::UNKNOWN,
        };
        let cells: Vec<String> = service_cells(view)
            .iter()
            .map(|c| guard(&c.text(Lang::En)).into_owned())
            .collect();
        w.write_record(&cells).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[test]
fn the_reader_never_panics_and_accepted_rows_round_trip() {
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let started = std::time::Instant::now();
    let rows_seen = std::cell::Cell::new(0usize);
    runner
        .run(&sheet(), |(bytes, _gbk, damages)| {
            let damaged = apply(bytes, &damages);
            let Some(rows) = accepted(damaged, "fuzz.csv") else {
                return Ok(());
            };
            rows_seen.set(rows_seen.get() + rows.len());
            let again = accepted(exported(&rows).into_bytes(), "again.csv")
                .expect("an export is always readable");
            prop_assert_eq!(again.len(), rows.len());
            for (a, b) in rows.iter().zip(&again) {
                prop_assert_eq!(&*a.customer, &*b.customer);
                prop_assert_eq!(&a.service, &b.service);
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "fuzz: {CASES} sheets, {} accepted rows round-tripped, in {:.1} s",
        rows_seen.get(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        rows_seen.get() > 1000,
        "the generator must produce rows that are accepted"
    );
}

/// What the issue measured: one flipped byte in a UTF-8 file. Every row
/// accepted after any of 1,000 flips holds a name from the file, or the
/// same name with one byte changed (an ASCII letter), never the file read
/// as GBK.
#[test]
fn one_flipped_byte_never_turns_utf8_into_mojibake() {
    let names = [
        "华宇科技有限公司",
        "北京金融控股",
        "上海安全服务",
        "深圳云盾",
    ];
    let mut text = format!("{HEADER}\n");
    for i in 0..200 {
        text.push_str(&format!(
            "C{i:03},{},金融,张三,S{i:03},basic,2026-01-01,2027-01-01,12000,10,\n",
            names[i % names.len()]
        ));
    }
    let bytes = text.into_bytes();
    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[9; 32]);
    let mut kept = 0;
    for _ in 0..1000 {
        let mut flipped = bytes.clone();
        let i = rng.random_range(0..flipped.len());
        flipped[i] ^= 1 << rng.random_range(0..8u32);
        let Some(rows) = accepted(flipped, "flip.csv") else {
            continue;
        };
        for r in &rows {
            let close = names.iter().any(|n| {
                n.len() == r.customer.name.len()
                    && n.bytes()
                        .zip(r.customer.name.bytes())
                        .filter(|(a, b)| a != b)
                        .count()
                        <= 1
            });
            assert!(
                close,
                "mojibake after a flip at byte {i}: {}",
                r.customer.name
            );
        }
        kept += rows.len();
    }
    assert!(kept > 190_000, "nearly every row survives: {kept}");
}
