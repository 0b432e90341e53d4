//! How a CSM types a value of a closed set: the id, the Chinese label or
//! an alias, whatever the case, the width and the separators between its
//! parts, or a short form of the label. `labelled_enum!` declares such a
//! set (status, reason, window, …); its label travels with `labels::Lang`.

/// What separates the parts of an id or a label as a CSM types it,
/// besides spaces: ASCII `-` and `_`, the dashes and hyphens of Unicode
/// and the middle dots. Full-width `－` and `＿` are folded to ASCII first
/// (`customer::half_width`); `一` (a Chinese character) and `~` are not
/// separators.
const SEPARATORS: [char; 18] = [
    '-', '_', '‐', '‑', '‒', '–', '—', '―', '⁃', '−', '⸺', '⸻', '﹘', '﹣', '·', '‧', '・', '･',
];

/// Whether `c` separates the parts of an id or a label: a space of any
/// kind (the ideographic `　` too) or one of `SEPARATORS`.
pub(crate) fn is_separator(c: char) -> bool {
    c.is_whitespace() || SEPARATORS.contains(&c)
}

/// The characters of `s` that matching compares: full-width ASCII folded
/// to ASCII, ASCII lowercased, every run of separators read as one `_`,
/// none at either end (`ＡＴ－Ｒｉｓｋ` and ` at  risk ` read `at_risk`,
/// `跟进中 — 有风险` reads `跟进中_有风险`).
fn key_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    let (mut started, mut pending) = (false, false);
    s.chars()
        .map(crate::customer::half_width)
        .flat_map(move |c| {
            if is_separator(c) {
                pending = started;
                return [None, None];
            }
            let sep = pending.then_some('_');
            (started, pending) = (true, false);
            [sep, Some(c.to_ascii_lowercase())]
        })
        .flatten()
}

/// The same without the separators: a Chinese label typed without one
/// (`跟进中有风险`).
fn compact_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    key_chars(s).filter(|&c| c != '_')
}

/// Whether input `s` spells `known` (an id, a label or an alias), case,
/// width and separators aside; a Chinese `known` also without its
/// separators (an English word cut in two, `valid-ated`, is not an id).
/// Allocates nothing: import parses cells with it.
pub(crate) fn same_key(s: &str, known: &str) -> bool {
    key_chars(s).eq(key_chars(known))
        || (!known.is_ascii() && compact_chars(s).eq(compact_chars(known)))
}

/// The short forms of a Chinese label, as a CSM types it: each part of a
/// label made of parts (`跟进中-有风险`: `跟进中`, `有风险`), and the text
/// before a parenthesis (`预算原因（客户）`: `预算原因`). A label of one part
/// has none.
pub(crate) fn short_forms(label: &str) -> Vec<&str> {
    let mut out = Vec::new();
    if let Some(i) = label.find(['（', '(']) {
        let head = label[..i].trim();
        if !head.is_empty() {
            out.push(head);
        }
    }
    let parts: Vec<&str> = label
        .split(|c: char| is_separator(crate::customer::half_width(c)))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        out.extend(parts);
    }
    out
}

/// A closed set of values as `labelled_enum!` declares it: what a command
/// line parser needs to take one and to offer them all (shell completion).
pub trait Labelled: Sized + Copy + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn id(self) -> &'static str;
    fn label_zh(self) -> &'static str;
    fn parse(s: &str) -> Result<Self, String>;
}

/// Declares a closed set of values with an id, a Chinese label and aliases,
/// after the name of the kind in English and in Chinese (for errors).
/// Parsing accepts the id, the label or an alias, whatever the case, the
/// width and the separators between parts, and a short form of the label
/// that names one value (`short_forms`).
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, $what_zh:literal, { $($var:ident = $id:literal, $zh:literal $(, $alias:literal)*;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($var),* }

        impl $crate::spelling::Labelled for $name {
            fn all() -> &'static [$name] {
                $name::ALL
            }
            fn id(self) -> &'static str {
                $name::id(self)
            }
            fn label_zh(self) -> &'static str {
                $name::label_zh(self)
            }
            fn parse(s: &str) -> Result<$name, String> {
                $name::parse(s)
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),*];

            pub fn id(self) -> &'static str {
                match self { $($name::$var => $id),* }
            }

            pub fn label_zh(self) -> &'static str {
                match self { $($name::$var => $zh),* }
            }

            pub fn label(self, lang: $crate::labels::Lang) -> &'static str {
                match lang {
                    $crate::labels::Lang::En => self.id(),
                    $crate::labels::Lang::Zh => self.label_zh(),
                }
            }

            /// The accepted spellings, for error messages and help.
            pub fn choices() -> String {
                Self::ALL.iter().map(|v| format!("{} ({})", v.id(), v.label_zh())).collect::<Vec<_>>().join(", ")
            }

            /// A stored value: the exact id, nothing else.
            pub fn from_id(s: &str) -> Option<$name> {
                match s { $($id => Some($name::$var),)* _ => None }
            }

            /// The id, the Chinese label or an alias, whatever the case,
            /// the width (`ａｔ＿ｒｉｓｋ`) and the separators between parts
            /// (`at risk`, `跟进中—有风险`, `跟进中有风险`); else a short
            /// form of the label (`有风险`), which must name one value: an
            /// ambiguous one is an error listing the candidates.
            pub fn parse(s: &str) -> Result<$name, String> {
                // Stored values are exact ids: no allocation on that path.
                $( if s == $id { return Ok($name::$var); } )*
                $(
                    if $crate::spelling::same_key(s, $id)
                        || $crate::spelling::same_key(s, $zh)
                        $(|| $crate::spelling::same_key(s, $alias))*
                    {
                        return Ok($name::$var);
                    }
                )*
                let found: Vec<$name> = Self::ALL
                    .iter()
                    .copied()
                    .filter(|v| {
                        $crate::spelling::short_forms(v.label_zh())
                            .into_iter()
                            .any(|p| $crate::spelling::same_key(s, p))
                    })
                    .collect();
                let what = $crate::msg::pick($what, $what_zh);
                match found[..] {
                    [one] => Ok(one),
                    [] => Err($crate::msg::values::unknown_value(what, s, Self::choices())),
                    _ => Err($crate::msg::values::ambiguous_value(
                        what,
                        s,
                        found
                            .iter()
                            .map(|v| format!("{} ({})", v.id(), v.label_zh()))
                            .collect::<Vec<_>>()
                            .join(", "),
                    )),
                }
            }

            /// Every spelling declared (id, label, aliases), for tests.
            #[cfg(test)]
            #[allow(dead_code)]
            pub(crate) fn spellings() -> Vec<($name, &'static str)> {
                vec![$(($name::$var, $id), ($name::$var, $zh) $(, ($name::$var, $alias))*),*]
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.id())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> { $name::parse(s) }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.id())
            }
        }
    };
}
pub(crate) use labelled_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_dashes_spaces_and_middle_dots() {
        for c in [
            '-', '_', ' ', '\u{3000}', '–', '—', '―', '‐', '‑', '⁃', '·', '・',
        ] {
            assert!(is_separator(c), "{c:?}");
        }
        for c in ['一', '~', '/', '.', 'a', '1', '有'] {
            assert!(!is_separator(c), "{c:?}");
        }
        assert!(same_key("ＡＴ－ｒｉｓｋ", "at_risk"));
        assert!(same_key("跟进中 — 有风险", "跟进中-有风险"));
        assert!(same_key("跟进中有风险", "跟进中-有风险"));
        assert!(same_key(" at  risk ", "at_risk"));
        assert!(!same_key("跟进中一有风险", "跟进中-有风险"));
        assert!(!same_key("atrisk", "at_risk"));
        assert!(!same_key("valid-ated", "validated"));
    }

    #[test]
    fn short_forms_are_the_parts_of_a_label_and_what_precedes_a_parenthesis() {
        assert_eq!(short_forms("跟进中-有风险"), ["跟进中", "有风险"]);
        assert_eq!(short_forms("跟进中—识别风险"), ["跟进中", "识别风险"]);
        assert_eq!(short_forms("预算原因（客户）"), ["预算原因"]);
        assert_eq!(short_forms("预算(客户)"), ["预算"]);
        assert!(short_forms("不续费").is_empty());
    }

    /// No spelling of one value reads as a spelling of another, once case,
    /// width and separators are set aside.
    #[test]
    fn no_two_values_share_a_spelling() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(all: Vec<(T, &'static str)>) {
            for (i, (a, x)) in all.iter().enumerate() {
                for (b, y) in &all[i + 1..] {
                    let same = same_key(x, y) || same_key(y, x);
                    assert!(a == b || !same, "{a:?} `{x}` and {b:?} `{y}`");
                }
            }
        }
        check(crate::status::Status::spellings());
        check(crate::status::Reason::spellings());
        check(crate::window::Window::spellings());
        check(crate::service::ServiceType::spellings());
        check(crate::service::RunStatus::spellings());
        check(crate::risk::RiskKind::spellings());
        check(crate::risk::RiskOutcome::spellings());
        check(crate::risk::RiskState::spellings());
        check(crate::lead::LeadStatus::spellings());
        check(crate::budget::BudgetResult::spellings());
        check(crate::budget::BudgetState::spellings());
        check(crate::task::Rule::spellings());
        check(crate::task::TaskStatus::spellings());
        check(crate::settings::Key::spellings());
        check(crate::health::Band::spellings());
        check(crate::health::Indicator::spellings());
        check(crate::history::Kind::spellings());
        check(crate::history::Via::spellings());
        check(crate::stats::Dim::spellings());
        check(crate::outcome::Outcome::spellings());
    }
}
