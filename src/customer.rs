//! A customer as the service list describes it: an id, a name, and the
//! attributes the column registry lists.

use crate::columns::{Col, ATTR_COUNT};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Customer {
    pub id: String,
    pub name: String,
    /// In `CUSTOMER_ATTRS` order; `None` is an empty cell.
    pub attrs: [Option<String>; ATTR_COUNT],
}

impl Customer {
    /// The value of a customer column (the id and the name included);
    /// `None` for an empty attribute or a column that is not the customer's.
    pub fn get(&self, c: Col) -> Option<&str> {
        match c {
            Col::CustomerId => Some(&self.id),
            Col::CustomerName => Some(&self.name),
            _ => c.attr_index().and_then(|i| self.attrs[i].as_deref()),
        }
    }

    pub fn csm(&self) -> Option<&str> {
        self.get(Col::Csm)
    }
}

/// The tiers in their business order, most valuable first.
pub const TIERS: [&str; 4] = ["KA", "A", "B", "C"];

/// Where a tier sorts: the business order of `TIERS` (case ignored, as
/// filters ignore it), then other tiers by their text, then no tier.
/// `db::query` sorts by SQL generated from `TIERS` and tested to agree.
pub fn tier_rank(tier: Option<&str>) -> (u8, &str) {
    const OTHER: u8 = TIERS.len() as u8;
    match tier.filter(|t| !t.is_empty()) {
        None => (OTHER + 1, ""),
        Some(t) => match TIERS.iter().position(|k| k.eq_ignore_ascii_case(t)) {
            Some(i) => (i as u8, t),
            None => (OTHER, t),
        },
    }
}

/// A name or id as a CUSTOMER argument compares it: spaces, case and
/// full-width forms ignored (`ＡＢＣ 科技` reads `abc科技`). Full-width
/// ASCII is folded by hand rather than by NFKC: it is what Chinese input
/// methods produce, and a fold this small keeps `literal_chars` exact.
pub fn name_key(s: &str) -> String {
    folded(s).collect()
}

/// The characters of `name_key(s)`, without building it.
fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(half_width)
        .flat_map(char::to_lowercase)
}

/// A full-width ASCII form (U+FF01–U+FF5E) as its ASCII character.
pub(crate) fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Chinese characters: `name_key` keeps them, and makes them from nothing
/// else.
fn is_literal(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// The characters of `query` that every name or id it matches (`Lookup`)
/// contains as they are, so the database can narrow the customers to
/// those before the names are compared: its Chinese characters.
pub fn literal_chars(query: &str) -> Vec<char> {
    let mut out = Vec::new();
    for c in query.chars().filter(|&c| is_literal(c)) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Candidates listed for an ambiguous CUSTOMER, and suggestions for an
/// unknown one.
pub const SHOWN: usize = 10;
pub const SUGGESTED: usize = 3;

/// How a CUSTOMER argument (not an exact id: that is looked up first)
/// names a customer: an exact name or id by `name_key`, else a part of
/// one name. Offered every candidate, it keeps only what it needs.
#[derive(Debug)]
pub struct Lookup {
    key: String,
    exact: Vec<(String, String)>,
    /// The first partial matches by (name length, id), and their count.
    partial: Vec<(String, String)>,
    partial_count: u64,
}

/// What a CUSTOMER argument named.
#[derive(Debug, PartialEq, Eq)]
pub enum Named {
    /// This customer's id.
    One(String),
    /// Several: the first `SHOWN` (id, name), and how many in all.
    Several(Vec<(String, String)>, u64),
    None,
}

impl Lookup {
    pub fn new(query: &str) -> Lookup {
        Lookup {
            key: name_key(query),
            exact: Vec::new(),
            partial: Vec::new(),
            partial_count: 0,
        }
    }

    /// A query of nothing but spaces names nobody.
    pub fn is_empty(&self) -> bool {
        self.key.is_empty()
    }

    pub fn offer(&mut self, id: &str, name: &str) {
        let Some(first) = self.key.chars().next() else {
            return;
        };
        // Most names do not hold the query's first character: no key built.
        if folded(name).eq(self.key.chars()) || folded(id).eq(self.key.chars()) {
            self.exact.push((id.to_string(), name.to_string()));
        } else if self.exact.is_empty()
            && folded(name).any(|c| c == first)
            && name_key(name).contains(&self.key)
        {
            // Shortest names first: the closest to what was typed.
            self.partial_count += 1;
            let rank = (name.chars().count(), id);
            let at = self
                .partial
                .partition_point(|(i, n)| (n.chars().count(), i.as_str()) <= rank);
            if at < SHOWN {
                self.partial.insert(at, (id.to_string(), name.to_string()));
                self.partial.truncate(SHOWN);
            }
        }
    }

    pub fn named(mut self) -> Named {
        if !self.exact.is_empty() {
            self.exact.sort();
            let n = self.exact.len() as u64;
            return match n {
                1 => Named::One(self.exact.remove(0).0),
                _ => Named::Several(self.exact.into_iter().take(SHOWN).collect(), n),
            };
        }
        match self.partial_count {
            0 => Named::None,
            1 => Named::One(self.partial.remove(0).0),
            n => Named::Several(self.partial, n),
        }
    }
}

/// How close a query is to a customer, 0 to 1, all as `name_key`s: the
/// better of its name and its id by Jaro–Winkler (typos, a different
/// ending), and of the name's stretches as long as the query by
/// Levenshtein (a typo in a part of a long name).
fn closeness(query: &str, id: &str, name: &str) -> f64 {
    let whole = strsim::jaro_winkler(query, name).max(strsim::jaro_winkler(query, id));
    let chars: Vec<char> = name.chars().collect();
    let mut stretch = String::new();
    let mut part = 0.0f64;
    for w in chars.windows(query.chars().count().max(1)) {
        stretch.clear();
        stretch.extend(w);
        part = part.max(strsim::normalized_levenshtein(query, &stretch));
    }
    whole.max(part)
}

/// The most `closeness` can give for key `s` and a query of characters
/// `q`, from the `m` characters of `s` that `q` has: a stretch of |q|
/// characters keeps at most `m` of them (Levenshtein ≤ m/|q|), Jaro is at
/// most (m/|q| + m/|s| + 1) / 3, and Jaro–Winkler at most 0.6 × Jaro + 0.4.
fn closeness_bound(q: &[char], s: impl Iterator<Item = char>) -> f64 {
    let (mut n, mut m) = (0usize, 0usize);
    for c in s {
        n += 1;
        m += usize::from(q.contains(&c));
    }
    if m == 0 {
        return 0.0;
    }
    let (m, ql, n) = (m.min(q.len()) as f64, q.len() as f64, n as f64);
    (m / ql).max(0.6 * (m / ql + m / n + 1.0) / 3.0 + 0.4)
}

/// Below this, a name is no suggestion.
const CLOSE: f64 = 0.7;

/// The `SUGGESTED` customers closest to an unknown query, closest first,
/// among those close enough to be worth a "did you mean".
#[derive(Debug)]
pub struct Suggestions {
    key: String,
    chars: Vec<char>,
    best: Vec<(f64, String, String)>,
}

impl Suggestions {
    pub fn new(query: &str) -> Suggestions {
        let key = name_key(query);
        Suggestions {
            chars: key.chars().collect(),
            key,
            best: Vec::new(),
        }
    }

    pub fn offer(&mut self, id: &str, name: &str) {
        // What a customer must reach to be kept; most are ruled out by
        // `closeness_bound` without being measured.
        let floor = match self.best.get(SUGGESTED - 1) {
            Some((worst, _, _)) => *worst,
            None => CLOSE,
        };
        let bound = closeness_bound(&self.chars, folded(name))
            .max(closeness_bound(&self.chars, folded(id)));
        if bound < floor {
            return;
        }
        let score = closeness(&self.key, &name_key(id), &name_key(name));
        if score < floor {
            return;
        }
        let at = self
            .best
            .partition_point(|(s, i, _)| *s > score || (*s == score && i.as_str() < id));
        if at < SUGGESTED {
            self.best
                .insert(at, (score, id.to_string(), name.to_string()));
            self.best.truncate(SUGGESTED);
        }
    }

    /// (id, name), closest first.
    pub fn into_names(self) -> Vec<(String, String)> {
        self.best.into_iter().map(|(_, i, n)| (i, n)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(query: &str, customers: &[(&str, &str)]) -> Named {
        let mut l = Lookup::new(query);
        for (id, name) in customers {
            // The database offers only names holding the literal characters.
            if literal_chars(query)
                .iter()
                .all(|c| name.contains(*c) || id.contains(*c))
            {
                l.offer(id, name);
            }
        }
        l.named()
    }

    const BOOK: &[(&str, &str)] = &[
        ("C1", "星河学院7"),
        ("C2", "星河学院70"),
        ("C3", "ＡＢＣ 科技"),
        ("C4", "Acme Corp"),
        ("C5", "星 河 学 院 8"),
    ];

    #[test]
    fn keys_ignore_spaces_case_and_full_width_forms() {
        assert_eq!(name_key("ＡＢＣ 科技"), "abc科技");
        assert_eq!(name_key(" Acme\u{3000}Corp（北京）"), "acmecorp(北京)");
        assert_eq!(name_key("星河学院７"), "星河学院7");
        assert_eq!(literal_chars("ａ星河 星x"), ['星', '河']);
        assert!(literal_chars("acme").is_empty());
    }

    #[test]
    fn an_exact_name_wins_then_a_unique_part() {
        let one = |id: &str| Named::One(id.to_string());
        assert_eq!(named("星河学院7", BOOK), one("C1"));
        assert_eq!(named("星河学院７", BOOK), one("C1"));
        assert_eq!(named("星河学院8", BOOK), one("C5"));
        assert_eq!(named("abc科技", BOOK), one("C3"));
        assert_eq!(named("ACME corp", BOOK), one("C4"));
        assert_eq!(named("c4", BOOK), one("C4"));
        assert_eq!(named("学院70", BOOK), one("C2"));
        assert_eq!(named("acme", BOOK), one("C4"));
        assert_eq!(named("完全无关", BOOK), Named::None);
        assert_eq!(named("   ", BOOK), Named::None);
    }

    #[test]
    fn several_are_listed_shortest_name_first() {
        let Named::Several(shown, n) = named("星河", BOOK) else {
            panic!("ambiguous")
        };
        assert_eq!(n, 3);
        let ids: Vec<&str> = shown.iter().map(|(i, _)| i.as_str()).collect();
        assert_eq!(ids, ["C1", "C2", "C5"]);
        let many: Vec<(String, String)> = (0..25)
            .map(|i| (format!("K{i:02}"), format!("{}公司", "长".repeat(25 - i))))
            .collect();
        let refs: Vec<(&str, &str)> = many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let Named::Several(shown, n) = named("公司", &refs) else {
            panic!("ambiguous")
        };
        assert_eq!((shown.len(), n), (SHOWN, 25));
        assert_eq!(shown[0].0, "K24");
        // Two customers of one name are ambiguous too.
        let twins = [("C1", "华宇"), ("C2", "华 宇")];
        assert!(matches!(named("华宇", &twins), Named::Several(_, 2)));
    }

    #[test]
    fn suggestions_are_the_close_names_closest_first() {
        let suggest = |q: &str| {
            let mut s = Suggestions::new(q);
            for (id, name) in BOOK {
                s.offer(id, name);
            }
            s.into_names()
                .into_iter()
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        };
        assert_eq!(suggest("星河大学"), ["C1", "C5", "C2"]);
        assert_eq!(suggest("acne-corp"), ["C4"]);
        assert!(suggest("完全无关").is_empty());
        // An id with a typo, and a typo in a part of a long name.
        assert!(closeness("c0o01", "c0001", "华宇科技") >= CLOSE);
        assert!(closeness("金盾物留", "c4", "金盾物流有限公司") >= CLOSE);
    }

    #[test]
    fn the_bound_is_never_below_the_closeness() {
        let keys = [
            "金盾物流有限公司",
            "金盾",
            "物流金盾",
            "acmecorp",
            "acme",
            "c0001",
            "华宇科技",
            "星河学院70",
            "",
        ];
        for q in ["金盾物留", "acne-corp", "c0o01", "盾", "星河学院7", "x"] {
            let chars: Vec<char> = q.chars().collect();
            for k in keys {
                let (score, bound) = (closeness(q, "", k), closeness_bound(&chars, k.chars()));
                assert!(score <= bound + 1e-9, "{q} {k}: {score} > {bound}");
                let (score, bound) = (closeness(q, k, ""), closeness_bound(&chars, k.chars()));
                assert!(score <= bound + 1e-9, "{q} id {k}: {score} > {bound}");
            }
        }
    }

    #[test]
    fn tiers_sort_in_business_order_then_by_name_then_none() {
        let mut tiers = vec![
            None,
            Some("C"),
            Some("战略"),
            Some("ka"),
            Some("B"),
            Some(""),
            Some("D"),
            Some("KA"),
            Some("A"),
        ];
        tiers.sort_by_key(|t| tier_rank(*t));
        assert_eq!(
            tiers,
            [
                Some("KA"),
                Some("ka"),
                Some("A"),
                Some("B"),
                Some("C"),
                Some("D"),
                Some("战略"),
                None,
                Some("")
            ]
        );
        // The SQL that sorts by it compares with upper().
        assert!(TIERS.iter().all(|t| *t == t.to_ascii_uppercase()));
    }

    #[test]
    fn attributes_are_found_by_column() {
        let mut c = Customer {
            id: "C1".into(),
            name: "华宇".into(),
            ..Customer::default()
        };
        c.attrs[Col::Csm.attr_index().unwrap()] = Some("张伟".into());
        assert_eq!(c.get(Col::CustomerId), Some("C1"));
        assert_eq!(c.get(Col::CustomerName), Some("华宇"));
        assert_eq!(c.csm(), Some("张伟"));
        assert_eq!(c.get(Col::Tier), None);
        assert_eq!(c.get(Col::ServiceId), None);
    }
}
