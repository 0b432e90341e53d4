//! What the read commands select: any number of values.

use super::*;

const HEAD: &str = "customer_id,customer_name,csm,tier,distributor_type,service_id,service_type,expiry_date,amount\n";

/// 5,000 customers of one service each: C00001 … C05000.
fn many_customers(env: &Env) -> Vec<String> {
    let mut csv = String::from(HEAD);
    let ids: Vec<String> = (1..=5000).map(|i| format!("C{i:05}")).collect();
    for (i, c) in ids.iter().enumerate() {
        let day = 1 + i % 28;
        csv.push_str(&format!(
            "{c},客户{i},张伟,A,总代A,S{i:05},basic,2027-01-{day:02},100\n"
        ));
    }
    env.file("many.csv", csv);
    env.xaas("import many.csv").ok();
    ids
}

#[test]
fn any_number_of_customers_and_values() {
    let env = Env::new();
    let ids = many_customers(&env);
    let lines = |r: Run| r.stdout.lines().count() - 1;
    assert_eq!(lines(env.xaas("list --limit 0 --format tsv").ok()), 5000);
    assert_eq!(
        lines(env.xaas("list --limit 0 --offset 10 --format tsv").ok()),
        4990
    );
    let mut args = vec!["list", "--services", "--limit", "0", "--format", "tsv"];
    for c in &ids {
        args.extend(["--customer", c.as_str()]);
    }
    assert_eq!(env.run(&args).ok().ids().len(), 5000);
    let mut args = vec!["list", "--limit", "0", "--format", "tsv"];
    for c in &ids {
        args.extend(["--customer", c.as_str()]);
    }
    assert_eq!(lines(env.run(&args).ok()), 5000);
    let mut args = vec!["export", "--format", "tsv"];
    args.extend(ids.iter().map(String::as_str));
    assert_eq!(env.run(&args).ok().ids().len(), 5000);
    let mut args = vec!["due", "--within", "90", "--format", "tsv"];
    for c in &ids[..3000] {
        args.extend(["--customer", c.as_str()]);
    }
    assert_eq!(env.run(&args).ok().ids().len(), 3000);
}
