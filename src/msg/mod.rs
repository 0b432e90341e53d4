//! Every sentence a user reads — errors, refusals, hints, prompts,
//! summaries, captions — declared once, in English and in Chinese.
//!
//! A message is a function of its values that returns the text in the
//! language of this run, set once by the binary (`set_lang`) before it
//! does anything else: errors are built deep in the library, where no
//! language is passed, and an error built before the language is known
//! (clap's own) is translated at the edge. Labels of enums and column
//! headers are not here: they travel with their values (`labels`,
//! `columns`).
//!
//! Declaring a message (`messages!`):
//! ```text
//! /// Why it is said (optional).
//! no_database(path) {
//!     en: "no database at `{path}`",
//!     zh: "`{path}` 处没有数据库",
//! }
//! ```
//! Every argument is `impl Display`; a placeholder that is not an
//! argument does not compile, and a test checks that both texts use the
//! same placeholders and that the Chinese one is Chinese.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::labels::Lang;

pub mod args;
pub mod commands;
pub mod common;
pub mod config;
pub mod digest;
pub mod files;
pub mod followup;
pub mod forecast;
pub mod health;
pub mod import;
pub mod prompt;
pub mod report;
pub mod series;
pub mod settings;
pub mod shell;
pub mod show;
pub mod stats;
pub mod storage;
pub mod team;
pub mod usage;
pub mod values;
pub mod work;
pub mod xlsx;

static ZH: AtomicBool = AtomicBool::new(false);

/// The language of every message from now on (the binary's first act).
pub fn set_lang(lang: Lang) {
    ZH.store(lang == Lang::Zh, Ordering::Relaxed);
}

/// The language messages are written in.
pub fn lang() -> Lang {
    #[cfg(test)]
    if let Some(l) = TEST_LANG.get() {
        return l;
    }
    if ZH.load(Ordering::Relaxed) {
        Lang::Zh
    } else {
        Lang::En
    }
}

// Unit tests run in parallel threads: one that wants Chinese says so for
// its own thread only.
#[cfg(test)]
thread_local! {
    static TEST_LANG: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with messages in `lang`, on this thread only (for tests).
#[cfg(test)]
pub(crate) fn in_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    let before = TEST_LANG.replace(Some(lang));
    let out = f();
    TEST_LANG.set(before);
    out
}

/// `en` or `zh`, whichever this run speaks: for the few texts that are
/// not worth a message of their own (a noun, a unit).
pub fn pick<'a>(en: &'a str, zh: &'a str) -> &'a str {
    match lang() {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// Declares messages: see the module documentation.
macro_rules! messages {
    ($(
        $(#[$meta:meta])*
        $name:ident ( $($arg:ident),* $(,)? ) { en: $en:literal, zh: $zh:literal $(,)? }
    )*) => {
        $(
            $(#[$meta])*
            #[allow(clippy::too_many_arguments)]
            pub fn $name($($arg: impl std::fmt::Display),*) -> String {
                match $crate::msg::lang() {
                    $crate::labels::Lang::En => format!($en),
                    $crate::labels::Lang::Zh => format!($zh),
                }
            }
        )*

        /// Every message of this file: name, English, Chinese (for tests).
        #[cfg(test)]
        pub(crate) const ALL: &[(&str, &str, &str)] = &[$((stringify!($name), $en, $zh)),*];
    };
}
pub(crate) use messages;

/// Every declared message of every file, for the catalogue's tests.
#[cfg(test)]
fn all() -> Vec<(&'static str, &'static str, &'static str)> {
    [
        args::ALL,
        commands::ALL,
        common::ALL,
        config::ALL,
        digest::ALL,
        files::ALL,
        followup::ALL,
        forecast::ALL,
        health::ALL,
        import::ALL,
        prompt::ALL,
        report::ALL,
        settings::ALL,
        shell::ALL,
        series::ALL,
        show::ALL,
        stats::ALL,
        team::ALL,
        storage::ALL,
        usage::ALL,
        values::ALL,
        work::ALL,
        xlsx::ALL,
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn is_chinese(c: char) -> bool {
        matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
    }

    /// `{name}` and `{name:spec}` placeholders; `{{` is a brace.
    fn placeholders(s: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = s.replace("{{", "").replace("}}", "");
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').expect("balanced") + open;
            let inner = &rest[open + 1..close];
            out.insert(inner.split(':').next().unwrap_or("").to_string());
            rest = rest[close + 1..].to_string();
        }
        out
    }

    #[test]
    fn every_message_has_an_english_and_a_chinese_text() {
        let all = all();
        assert!(all.len() > 20, "the catalogue is read: {}", all.len());
        for (name, en, zh) in all {
            assert!(!en.trim().is_empty(), "{name}: English text is empty");
            assert!(
                zh.chars().any(is_chinese),
                "{name}: the Chinese text has no Chinese: {zh}"
            );
            assert_ne!(en, zh, "{name}: both texts are the same");
        }
    }

    #[test]
    fn both_texts_of_a_message_say_the_same_values() {
        for (name, en, zh) in all() {
            assert_eq!(placeholders(en), placeholders(zh), "{name}");
        }
    }

    #[test]
    fn hints_are_marked_in_both_languages() {
        for (name, en, zh) in all() {
            assert_eq!(
                en.contains("\nhint: "),
                zh.contains("\n提示："),
                "{name}: a hint in one language only"
            );
        }
    }

    #[test]
    fn names_are_unique() {
        let all = all();
        let names: BTreeSet<_> = all.iter().map(|m| m.0).collect();
        assert_eq!(names.len(), all.len());
    }

    #[test]
    fn placeholders_are_read_as_format_reads_them() {
        let p = placeholders("{a} and {b:>5} but not {{c}}");
        assert_eq!(p, ["a", "b"].into_iter().map(String::from).collect());
    }

    #[test]
    fn a_message_speaks_the_language_set() {
        let zh = in_lang(Lang::Zh, || storage::no_database("/x.db"));
        let en = storage::no_database("/x.db");
        assert!(zh.contains("/x.db") && zh.chars().any(is_chinese), "{zh}");
        assert!(en.starts_with("no database at `/x.db`"), "{en}");
    }
}
