//! What `risk`, `lead`, `budget` (and `tasks`) share on the command line: item ids,
//! notes that must say something, and printing a list of items.

use anyhow::Result;

use xaas::cells::{Cell, Field};
use xaas::msg::commands as m;

use super::output::{self, pick, Format, Out};
use super::Ctx;

/// An item id as `list` shows it: `3` (or `#3`, as messages write it).
pub fn parse_id(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let t = t.strip_prefix('#').unwrap_or(t);
    match t.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(m::not_an_id(s)),
    }
}

/// " about S00004" when an item is about a service, else nothing: what
/// the confirmation line of an item's creation says.
pub fn about(service: Option<&str>) -> String {
    service.map_or(String::new(), m::about_service)
}

/// Text that must say something: blank is refused (exit 2).
pub fn nonblank(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(m::blank_text());
    }
    Ok(t.to_string())
}

/// Prints rows in the chosen format: the table's columns are `table`,
/// files get every field. On a terminal, an empty list says so on
/// stderr (`none`: "no risks"); piped, it prints nothing (or CSV's
/// header, JSON's `[]`), as every list does.
pub fn print(
    ctx: &Ctx,
    fields: Vec<Field>,
    table: &[&str],
    rows: impl Iterator<Item = Vec<Cell>>,
    none: &str,
) -> Result<()> {
    let format = ctx.format();
    let (fields, idx) = pick(format, fields, table);
    let mut out = Out::new(output::stdout(), format, ctx.lang, fields)?;
    for cells in rows {
        out.picked(&cells, &idx)?;
    }
    if out.finish()? == 0 && format == Format::Table {
        eprintln!("{none}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_positive_numbers_with_or_without_a_hash() {
        assert_eq!(parse_id("3"), Ok(3));
        assert_eq!(parse_id(" #12 "), Ok(12));
        for bad in ["0", "-1", "x", "", "3.5"] {
            assert!(parse_id(bad).is_err(), "{bad}");
        }
        assert_eq!(nonblank("  应对 "), Ok("应对".into()));
        assert!(nonblank(" \u{3000}").is_err());
    }
}
