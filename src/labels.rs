//! The language of labels and headers. The enums that travel as an
//! English id and a Chinese label are declared with
//! `spelling::labelled_enum!`.

use std::fmt;

/// Language of headers and labels in human-facing output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        })
    }
}
