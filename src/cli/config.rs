//! The personal config file (SPEC "Team settings"): one CSM's own
//! defaults, `csm` (what `--mine` means), `author` (who a write names) and
//! `lang`, in `config.toml` of the `directories` config folder (on Linux
//! `$XDG_CONFIG_HOME/xaas/`, else `~/.config/xaas/`), or the file
//! `XAAS_CONFIG` names. Team rules live in the database (`settings`); this
//! file only says who you are and how you read.
//!
//! A missing file is no file. A file that is there but wrong is an error,
//! whether or not this command needed the key: a typo in it must be found
//! the first time, not on the day `--mine` silently means nobody.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Deserialize;

use xaas::labels::Lang;
use xaas::msg::config as m;

use super::UsageError;

/// The file's contents. Every key is optional; any other key is an error.
#[derive(Deserialize, Debug, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Your CSM name: `--mine` is `--csm` this.
    pub csm: Option<Name>,
    /// Who your writes name (history, records) without `--author`.
    pub author: Option<Name>,
    /// Labels and headers without `--lang`; beats the locale.
    pub lang: Option<FileLang>,
}

/// A name, trimmed; an empty one is refused (it would mean nobody).
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(try_from = "String")]
pub struct Name(pub String);

impl TryFrom<String> for Name {
    type Error = String;

    fn try_from(s: String) -> Result<Name, String> {
        let t = s.trim();
        if t.is_empty() {
            return Err(m::config_empty_name());
        }
        Ok(Name(t.to_string()))
    }
}

/// `en` or `zh`.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(try_from = "String")]
pub struct FileLang(pub Lang);

impl TryFrom<String> for FileLang {
    type Error = String;

    fn try_from(s: String) -> Result<FileLang, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(FileLang(Lang::En)),
            "zh" => Ok(FileLang(Lang::Zh)),
            _ => Err(m::config_bad_lang(s)),
        }
    }
}

/// Where the file is looked for, and why there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Named by `XAAS_CONFIG`: it must exist (a typo there is loud).
    Named(PathBuf),
    /// The default place: a missing file is no file.
    Default(PathBuf),
}

impl Place {
    pub fn path(&self) -> &Path {
        match self {
            Place::Named(p) | Place::Default(p) => p,
        }
    }
}

/// `XAAS_CONFIG` if set, else `config.toml` in `default_dir` (the
/// `directories` config folder; none without a home folder).
pub fn place(named: Option<&str>, default_dir: Option<PathBuf>) -> Option<Place> {
    match named {
        Some(p) => Some(Place::Named(PathBuf::from(p))),
        None => default_dir.map(|d| Place::Default(d.join("config.toml"))),
    }
}

/// The `directories` config folder of xaas, if there is a home folder.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "xaas").map(|d| d.config_dir().to_path_buf())
}

/// The file read and parsed. Bad contents, or `XAAS_CONFIG` naming no
/// file, are usage errors (exit 2: the user's own setting, fixed by
/// them, like a bad `XAAS_TODAY`); a file that cannot be read is a
/// runtime error (exit 1) naming it.
pub fn load(place: &Place) -> Result<Config> {
    let path = place.path();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return match place {
                Place::Default(_) => Ok(Config::default()),
                Place::Named(_) => Err(UsageError(m::config_named_missing(path.display())).into()),
            };
        }
        Err(e) => {
            // The cause on the error's line, the hint after it (the error
            // chain would print the cause last, after the hint).
            return Err(anyhow::anyhow!(m::config_cannot_read(path.display(), e)));
        }
    };
    Ok(parse(&bytes, path).map_err(UsageError)?)
}

/// The file's bytes as a `Config`, or a message naming the file, the
/// line and its key, and what to do.
pub fn parse(bytes: &[u8], path: &Path) -> Result<Config, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| m::config_not_utf8(path.display()))?;
    toml::from_str(text).map_err(|e| describe(&e, text, path))
}

/// A TOML error as "file, line N, key K: what; hint". toml's own message
/// is kept ("unknown field" said as "unknown key": TOML's word), its
/// drawing of the line dropped: the line number is enough.
fn describe(e: &toml::de::Error, text: &str, path: &Path) -> String {
    let what = toml_words(e.message().trim());
    let Some(at) = e.span().map(|s| s.start.min(text.len())) else {
        return m::config_bad(path.display(), what, m::config_keys());
    };
    let n = text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    let line = text.lines().nth(n).unwrap_or("");
    let key = key_of(line).map_or(String::new(), m::config_key_part);
    m::config_bad_line(path.display(), n + 1, key, what, m::config_keys())
}

/// toml's message, in the user's language where it is one this file
/// meets (the keys are few, and every value is text); as toml says it
/// otherwise, "unknown field" said as "unknown key".
fn toml_words(raw: &str) -> String {
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        if let Some((key, expected)) = rest.split_once("`, expected one of ") {
            return m::config_unknown_key(key, expected);
        }
    }
    if let Some(found) = raw
        .strip_prefix("invalid type: ")
        .and_then(|r| r.strip_suffix(", expected a string"))
    {
        return m::config_not_text(found);
    }
    match raw {
        "duplicate key" => m::config_duplicate_key(),
        "key with no value, expected `=`" => m::config_no_value(),
        _ => raw.replace("unknown field", "unknown key"),
    }
}

/// The key a line sets (`csm = "x"` → `csm`), the table it opens
/// (`[colours]` → `colours`), or the word it starts with when it is not
/// TOML (`csm: x` → `csm`); `None` for anything else.
fn key_of(line: &str) -> Option<&str> {
    let line = line.trim();
    let key = if let Some(table) = line.strip_prefix('[') {
        table.trim_start_matches('[').split(']').next()?
    } else if let Some((key, _)) = line.split_once('=') {
        key
    } else {
        line.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .next()?
    };
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty()).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Config, String> {
        parse(text.as_bytes(), Path::new("/h/.config/xaas/config.toml"))
    }

    #[test]
    fn every_key_and_none() {
        let c = parsed("csm = \" 张伟 \"\nauthor = \"zhang.wei\"\nlang = \"ZH\"\n").unwrap();
        assert_eq!(c.csm, Some(Name("张伟".into())));
        assert_eq!(c.author, Some(Name("zhang.wei".into())));
        assert_eq!(c.lang, Some(FileLang(Lang::Zh)));
        assert_eq!(parsed("# nothing yet\n").unwrap(), Config::default());
        assert_eq!(parsed("").unwrap(), Config::default());
    }

    #[test]
    fn an_unknown_key_names_the_file_the_line_and_the_key() {
        let e = parsed("csm = \"张伟\"\ncolour = \"blue\"\n").unwrap_err();
        assert!(
            e.starts_with(
                "the config file `/h/.config/xaas/config.toml`, line 2, key `colour`: unknown key `colour`"
            ),
            "{e}"
        );
        assert!(
            e.contains("hint: fix or remove line 2; the keys are csm, author and lang"),
            "{e}"
        );
        let e = parsed("[colours]\nfg = 1\n").unwrap_err();
        assert!(e.contains("line 1, key `colours`"), "{e}");
    }

    #[test]
    fn a_bad_value_names_its_key() {
        let e = parsed("\nlang = \"fr\"\n").unwrap_err();
        assert!(
            e.contains("line 2, key `lang`: `lang` is `en` or `zh`, not `fr`"),
            "{e}"
        );
        let e = parsed("csm = 3\n").unwrap_err();
        assert!(e.contains("line 1, key `csm`: invalid type"), "{e}");
        let e = parsed("author = \"  \"\n").unwrap_err();
        assert!(e.contains("line 1, key `author`: an empty name"), "{e}");
    }

    #[test]
    fn text_that_is_not_toml_or_not_utf8_is_named() {
        let e = parsed("csm: 张伟\n").unwrap_err();
        assert!(e.contains("config.toml`, line 1, key `csm`"), "{e}");
        assert!(e.contains("hint: fix or remove line 1"), "{e}");
        let e = parsed("csm = \"a\"\ncsm = \"b\"\n").unwrap_err();
        assert!(e.contains("line 2, key `csm`"), "{e}");
        let e = parse(b"csm = \"\xff\"", Path::new("c.toml")).unwrap_err();
        assert_eq!(
            e,
            "the config file `c.toml` is not UTF-8 text\nhint: save it as UTF-8"
        );
    }

    #[test]
    fn the_variable_beats_the_default_place() {
        let dir = Some(PathBuf::from("/h/.config/xaas"));
        assert_eq!(
            place(None, dir.clone()),
            Some(Place::Default("/h/.config/xaas/config.toml".into()))
        );
        assert_eq!(
            place(Some("/etc/me.toml"), dir),
            Some(Place::Named("/etc/me.toml".into()))
        );
        assert_eq!(place(None, None), None);
    }

    #[test]
    fn a_missing_file_is_none_unless_the_variable_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        assert_eq!(load(&Place::Default(p.clone())).unwrap(), Config::default());
        let e = load(&Place::Named(p)).unwrap_err();
        assert!(e.downcast_ref::<UsageError>().is_some());
        assert!(e.to_string().contains("XAAS_CONFIG names"), "{e}");
        // A folder where the file should be cannot be read: exit 1, named.
        let e = load(&Place::Default(dir.path().to_path_buf())).unwrap_err();
        assert!(e.downcast_ref::<UsageError>().is_none());
        assert!(e.to_string().contains("cannot read the config file"), "{e}");
    }
}
