//! A book with a known answer, for health: a service list, 24 months of
//! monthly usage, and the monthly lists that carry the renewals, all
//! driven by a hidden propensity per customer that shapes both how the
//! customer uses the service and whether it renews (plus noise). A sound
//! health score must separate renewed from lost on it; a broken one (or
//! usage shuffled across services) cannot.
//!
//! ```sh
//! cargo run --release --example gen_book -- OUT_DIR [SERVICES] [SEED] [--shuffle]
//! cargo run --release --example gen_book -- --season-for SERVICES.csv OUT_DIR [MONTHS]
//! ```
//!
//! Writes `OUT_DIR/services.csv` (first terms, expiring 2025-01 … 2026-12),
//! `OUT_DIR/usage.csv` (one row per service and month, 2024-12 … 2026-11),
//! and `OUT_DIR/renewals-YYYY-MM.csv` (the services renewed in that month,
//! with their new expiry), to import in order with `--today` at each
//! month's end. The model is in the README ("Health", "Test data with a
//! known answer").

use std::fmt::Write as _;
use std::path::Path;

use chrono::{Datelike, Months, NaiveDate};

/// splitmix64: small, seeded, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal (sum of four uniforms), mean 0, deviation `sd`.
    pub fn noise(&mut self, sd: f64) -> f64 {
        let s: f64 = (0..4).map(|_| self.unit()).sum::<f64>() - 2.0;
        s * sd * (3.0f64).sqrt()
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// The renewal rule: a term renews when the customer's propensity plus
/// noise clears this bar.
pub const BAR: f64 = 0.45;
/// How much a term's decision strays from the propensity.
pub const DECISION_NOISE: f64 = 0.15;

pub const FIRST_MONTH: (i32, u32) = (2024, 12);
pub const MONTHS: u32 = 24;

fn month_end(y: i32, m: u32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(y, m, 1).unwrap();
    first + Months::new(1) - chrono::Days::new(1)
}

/// One generated service: its customer's hidden propensity, its terms'
/// expiries, and whether each term renewed (the known answer).
pub struct Service {
    pub customer: usize,
    pub id: String,
    pub accounts: i64,
    pub amount: i64,
    pub propensity: f64,
    /// Each term's expiry, and the renewal's recording day (None: lost).
    pub terms: Vec<(NaiveDate, Option<NaiveDate>)>,
}

/// The files of a generated book, as text.
pub struct Book {
    pub services: Vec<Service>,
    pub services_csv: String,
    pub usage_csv: String,
    /// ("YYYY-MM", the renewals recorded that month, its last day).
    pub renewals: Vec<(String, String, NaiveDate)>,
}

/// Generates a book of about `n` services. With `shuffle`, each service's
/// usage is another service's: same numbers, no link to renewal.
pub fn generate(n: usize, seed: u64, shuffle: bool) -> Book {
    let mut rng = Rng::new(seed);
    let last_day = month_end(2026, 11);
    let mut services = Vec::with_capacity(n);
    let mut customer = 0;
    while services.len() < n {
        customer += 1;
        let propensity = rng.unit();
        for _ in 0..=rng.below(2) {
            let k = services.len() + 1;
            let first_expiry =
                NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(rng.below(730));
            let mut terms = Vec::new();
            let mut expiry = first_expiry;
            loop {
                let renews = propensity + rng.noise(DECISION_NOISE) > BAR;
                // Decided (and recorded) within the month before expiry.
                let recorded = expiry - chrono::Days::new(rng.below(30));
                if renews && recorded <= last_day {
                    terms.push((expiry, Some(recorded)));
                    expiry = expiry + Months::new(12);
                } else {
                    terms.push((expiry, None));
                    break;
                }
            }
            services.push(Service {
                customer,
                id: format!("S{k:05}"),
                accounts: 20 + rng.below(300) as i64,
                amount: 10_000 + 1_000 * rng.below(200) as i64,
                propensity,
                terms,
            });
        }
    }
    let mut services_csv = String::from(
        "customer_id,customer_name,csm,tier,service_id,service_type,expiry_date,amount,accounts\n",
    );
    for s in &services {
        let _ = writeln!(
            services_csv,
            "C{:05},客户{:05},{},{},{},subscription,{},{}.00,{}",
            s.customer,
            s.customer,
            ["张伟", "王芳", "李娜"][s.customer % 3],
            ["KA", "A", "B", "C"][s.customer % 4],
            s.id,
            s.terms[0].0,
            s.amount,
            s.accounts
        );
    }
    // Usage: one row per month. The active share and depth of use follow
    // the propensity, with month-to-month noise; a customer on its way out
    // drifts down over time.
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for s in &services {
        let p = s.propensity;
        let mut cells = Vec::new();
        for m in 0..MONTHS {
            let (y, mo) = FIRST_MONTH;
            let first = NaiveDate::from_ymd_opt(y, mo, 1).unwrap() + Months::new(m);
            let day = month_end(first.year(), first.month());
            let drift = (1.0 - p) * 0.15 * f64::from(m) / f64::from(MONTHS);
            let ratio = (0.1 + 0.7 * p - drift + rng.noise(0.1)).clamp(0.0, 1.0);
            let active = (s.accounts as f64 * ratio).round() as i64;
            let actions =
                (active as f64 * (4.0 + 20.0 * p + rng.noise(3.0)).max(0.0)).round() as i64;
            let features = (2.0 + 8.0 * p + rng.noise(1.5)).round().clamp(1.0, 12.0) as i64;
            cells.push(format!("{day},{active},{actions},{features}"));
        }
        rows.push((s.id.clone(), cells));
    }
    if shuffle {
        // Fisher–Yates over whose usage each service gets.
        for i in (1..rows.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            let (a, b) = (rows[i].1.clone(), rows[j].1.clone());
            rows[i].1 = b;
            rows[j].1 = a;
        }
    }
    let mut usage_csv = String::from("service_id,date,active_users,key_actions,features_used\n");
    for (id, cells) in &rows {
        for c in cells {
            let _ = writeln!(usage_csv, "{id},{c}");
        }
    }
    // Renewals by the month they were recorded in.
    let mut renewals = Vec::new();
    let mut month = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
    while month <= last_day {
        let end = month_end(month.year(), month.month());
        let mut text =
            String::from("customer_id,customer_name,service_id,service_type,expiry_date\n");
        let mut any = false;
        for s in &services {
            for (expiry, recorded) in &s.terms {
                if let Some(r) = recorded.filter(|r| *r >= month && *r <= end) {
                    let _ = r;
                    let _ = writeln!(
                        text,
                        "C{:05},客户{:05},{},subscription,{}",
                        s.customer,
                        s.customer,
                        s.id,
                        *expiry + Months::new(12)
                    );
                    any = true;
                }
            }
        }
        if any {
            renewals.push((format!("{}-{:02}", month.year(), month.month()), text, end));
        }
        month = month + Months::new(1);
    }
    Book {
        services,
        services_csv,
        usage_csv,
        renewals,
    }
}

/// Writes the book's files into `dir`.
pub fn write(book: &Book, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("services.csv"), &book.services_csv)?;
    std::fs::write(dir.join("usage.csv"), &book.usage_csv)?;
    for (month, text, _) in &book.renewals {
        std::fs::write(dir.join(format!("renewals-{month}.csv")), text)?;
    }
    Ok(())
}

/// A season for an existing service list (the benchmark's), into `dir`:
/// `usage.csv` with `months` monthly rows per service ending 2026-10 (the
/// last month over by the benchmark's today, 2026-11-23), and
/// `renewals-YYYY-MM.csv` for the terms expiring before 2026-11-23 that
/// renew (recorded within the month before expiry), each customer's
/// propensity drawn from its id; the same model as `generate`.
fn season_for(list: &str, dir: &Path, months: u32) -> Result<(), Box<dyn std::error::Error>> {
    use std::collections::BTreeMap;
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let mut r = csv::Reader::from_path(list)?;
    let headers = r.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{list} has no column {name}"))
    };
    let (sid, cid, cname, ty, exp, acc) = (
        col("service_id")?,
        col("customer_id")?,
        col("customer_name")?,
        col("service_type")?,
        col("expiry_date")?,
        col("accounts")?,
    );
    let mut w =
        std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join("usage.csv"))?);
    writeln!(w, "service_id,date,active_users,key_actions,features_used")?;
    let days: Vec<NaiveDate> = (0..months)
        .map(|m| {
            let first = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap() - Months::new(months - 1 - m);
            month_end(first.year(), first.month())
        })
        .collect();
    let last = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let mut renewals: BTreeMap<String, String> = BTreeMap::new();
    let mut rec = csv::StringRecord::new();
    let mut rng = Rng::new(7);
    while r.read_record(&mut rec)? {
        let seed = rec[cid]
            .bytes()
            .fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(u64::from(b)));
        let p = Rng::new(seed).unit();
        let accounts: f64 = rec[acc].parse().unwrap_or(100.0);
        for (m, day) in days.iter().enumerate() {
            let drift = (1.0 - p) * 0.15 * m as f64 / f64::from(months);
            let ratio = (0.1 + 0.7 * p - drift + rng.noise(0.1)).clamp(0.0, 1.0);
            let active = (accounts * ratio).round() as i64;
            let actions =
                (active as f64 * (4.0 + 20.0 * p + rng.noise(3.0)).max(0.0)).round() as i64;
            let features = (2.0 + 8.0 * p + rng.noise(1.5)).round().clamp(1.0, 12.0) as i64;
            writeln!(w, "{},{day},{active},{actions},{features}", &rec[sid])?;
        }
        let Ok(expiry) = rec[exp].parse::<NaiveDate>() else {
            continue;
        };
        let recorded = expiry - chrono::Days::new(rng.below(30));
        if p + rng.noise(DECISION_NOISE) > BAR && recorded <= last {
            let file = renewals
                .entry(format!("{}-{:02}", recorded.year(), recorded.month()))
                .or_insert_with(|| {
                    "customer_id,customer_name,service_id,service_type,expiry_date\n".to_string()
                });
            let _ = writeln!(
                file,
                "{},{},{},{},{}",
                &rec[cid],
                &rec[cname],
                &rec[sid],
                &rec[ty],
                expiry + Months::new(12)
            );
        }
    }
    w.flush()?;
    for (month, text) in renewals {
        std::fs::write(dir.join(format!("renewals-{month}.csv")), text)?;
    }
    Ok(())
}

#[allow(dead_code)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--season-for") {
        let (Some(list), Some(dir)) = (args.get(1), args.get(2)) else {
            eprintln!("usage: gen_book --season-for SERVICES.csv OUT_DIR [MONTHS]");
            std::process::exit(2);
        };
        let months = args.get(3).and_then(|m| m.parse().ok()).unwrap_or(12);
        if let Err(e) = season_for(list, Path::new(dir), months) {
            eprintln!("{e}");
            std::process::exit(1);
        }
        return;
    }
    let shuffle = args.iter().any(|a| a == "--shuffle");
    let plain: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(dir) = plain.first() else {
        eprintln!("usage: gen_book OUT_DIR [SERVICES] [SEED] [--shuffle]");
        std::process::exit(2);
    };
    let n = plain.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let seed = plain.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    let book = generate(n, seed, shuffle);
    if let Err(e) = write(&book, Path::new(dir.as_str())) {
        eprintln!("cannot write into {dir}: {e}");
        std::process::exit(1);
    }
    let terms: usize = book.services.iter().map(|s| s.terms.len()).sum();
    let renewed: usize = book
        .services
        .iter()
        .flat_map(|s| &s.terms)
        .filter(|t| t.1.is_some())
        .count();
    eprintln!(
        "wrote {} services, {} usage rows, {} renewal files into {dir}; {terms} terms, {renewed} renewed",
        book.services.len(),
        book.services.len() * MONTHS as usize,
        book.renewals.len()
    );
}
