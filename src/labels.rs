//! Enums that travel as an English id, a Chinese label and kebab-case input.

use std::fmt;

/// Language of headers and labels in human-facing output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// Normalises user input for matching against ids: trimmed, lowercase,
/// `-` and spaces as `_`.
pub(crate) fn id_key(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Declares a closed set of values with an id, a Chinese label and aliases.
/// Parsing accepts the id (any case, kebab or snake), the label or an alias.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($var:ident = $id:literal, $zh:literal $(, $alias:literal)*;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($var),* }

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

            pub fn parse(s: &str) -> Result<$name, String> {
                // Stored values are exact ids: no allocation on that path.
                $( if s == $id { return Ok($name::$var); } )*
                let key = $crate::labels::id_key(s);
                let raw = s.trim();
                $(
                    if key == $id || raw == $zh $(|| raw.eq_ignore_ascii_case($alias))* {
                        return Ok($name::$var);
                    }
                )*
                Err(format!("unknown {} `{}`; expected one of: {}", $what, s, Self::choices()))
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

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        })
    }
}
