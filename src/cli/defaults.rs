//! Where each default of a run comes from: the flag, then the variable,
//! then the personal config file, then the machine (locale, login name,
//! clock). The environment and the clock are read once, at the edge
//! (`Vars::from_env`, `Local::now`), and passed in, so these rules are
//! tested with made-up values.

use chrono::{DateTime, Local, NaiveDate, TimeZone};

use xaas::clock::Clock;
use xaas::labels::Lang;

use super::config::Config;
use super::{parse_day, UsageError};

/// The environment variables a run reads, each `None` when unset or
/// blank (a blank variable is how a script unsets one).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Vars {
    /// `XAAS_TODAY`.
    pub today: Option<String>,
    /// `XAAS_CSM`: what `--mine` means.
    pub csm: Option<String>,
    /// `XAAS_USER`: who a write names.
    pub user: Option<String>,
    /// `USER`, else `LOGNAME`: the login name, the author's last resort.
    pub login: Option<String>,
    /// `LC_ALL`, else `LC_MESSAGES`, else `LANG`.
    pub locale: Option<String>,
    /// `XAAS_CONFIG`: another config file.
    pub config: Option<String>,
}

impl Vars {
    pub fn from_env() -> Vars {
        let mut v = Vars::from_fn(|k| std::env::var(k).ok());
        // Cron's bare environment has no USER: the account still has a name.
        if v.login.is_none() {
            v.login = account_name();
        }
        v
    }

    /// From any lookup (a test's map).
    pub fn from_fn(get: impl Fn(&str) -> Option<String>) -> Vars {
        let var = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let first = |ks: &[&str]| ks.iter().find_map(|k| var(k));
        Vars {
            today: var("XAAS_TODAY"),
            csm: var("XAAS_CSM"),
            user: var("XAAS_USER"),
            login: first(&["USER", "LOGNAME"]),
            locale: first(&["LC_ALL", "LC_MESSAGES", "LANG"]),
            config: var("XAAS_CONFIG"),
        }
    }
}

/// `--lang`, else the file's `lang`, else the locale (`zh*` is Chinese).
/// The file beats the locale: it is the CSM's own word, the locale the
/// machine's (a server's `LANG=C` must not undo `lang = "zh"`).
pub fn lang(flag: Option<Lang>, config: &Config, vars: &Vars) -> Lang {
    flag.or(config.lang.map(|l| l.0))
        .unwrap_or_else(|| match vars.locale.as_deref() {
            Some(l) if l.starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        })
}

/// Who a write names without `--author`: `XAAS_USER`, else the file's
/// `author`, else the login name. The login name comes after the file
/// although it is a variable: `USER` is always set, so the file's
/// `author` would otherwise never apply.
pub fn author(config: &Config, vars: &Vars) -> String {
    vars.user
        .clone()
        .or_else(|| config.author.as_ref().map(|a| a.0.clone()))
        .or_else(|| vars.login.clone())
        .unwrap_or_else(|| "unknown".into())
}

/// What `--mine` means: `XAAS_CSM`, else the file's `csm`.
pub fn my_csm(config: &Config, vars: &Vars) -> Option<String> {
    vars.csm
        .as_deref()
        .map(|s| s.trim().to_string())
        .or_else(|| config.csm.as_ref().map(|c| c.0.clone()))
}

/// `--today`, else `XAAS_TODAY` (a bad one named as such: the flag beats
/// it, so it is read here and not by clap), else none (the clock's day).
pub fn today(flag: Option<NaiveDate>, vars: &Vars) -> Result<Option<NaiveDate>, UsageError> {
    if flag.is_some() {
        return Ok(flag);
    }
    let Some(v) = vars.today.as_deref() else {
        return Ok(None);
    };
    parse_day(v)
        .map(Some)
        .map_err(|e| UsageError(xaas::msg::config::bad_today(e)))
}

/// The run's clock: `now`, or `today` at `now`'s time of day, so what a
/// replayed day writes is dated that day.
pub fn clock(today: Option<NaiveDate>, now: DateTime<Local>) -> Clock {
    let Some(day) = today else {
        return Clock {
            today: now.date_naive(),
            now: now.fixed_offset(),
        };
    };
    let local = Local
        .from_local_datetime(&day.and_time(now.time()))
        .earliest()
        .unwrap_or(now)
        .fixed_offset();
    Clock {
        today: day,
        now: local,
    }
}

/// The name of the account this process runs as (the password database),
/// for an environment without `USER` or `LOGNAME`.
#[cfg(unix)]
fn account_name() -> Option<String> {
    // SAFETY: getpwuid returns null or a pointer to a record that stays
    // valid until the next such call; it is copied out at once, on the
    // main thread, before any other thread starts.
    unsafe {
        let pw = libc::getpwuid(libc::geteuid());
        if pw.is_null() || (*pw).pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr((*pw).pw_name);
        name.to_str()
            .ok()
            .filter(|n| !n.is_empty())
            .map(str::to_string)
    }
}

#[cfg(not(unix))]
fn account_name() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::config::{FileLang, Name};

    fn vars(pairs: &[(&str, &str)]) -> Vars {
        Vars::from_fn(|k| {
            pairs
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.to_string())
        })
    }

    fn file(csm: Option<&str>, author: Option<&str>, lang: Option<Lang>) -> Config {
        Config {
            csm: csm.map(|s| Name(s.into())),
            author: author.map(|s| Name(s.into())),
            lang: lang.map(FileLang),
        }
    }

    #[test]
    fn lang_flag_then_file_then_locale() {
        let zh_locale = vars(&[("LANG", "zh_CN.UTF-8")]);
        let c_locale = vars(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")]);
        let none = Config::default();
        let zh = file(None, None, Some(Lang::Zh));
        let en = file(None, None, Some(Lang::En));
        assert_eq!(lang(None, &none, &zh_locale), Lang::Zh, "LANG");
        assert_eq!(lang(None, &none, &c_locale), Lang::En, "LC_ALL beats LANG");
        assert_eq!(lang(None, &none, &Vars::default()), Lang::En);
        // The file beats the locale, both ways.
        assert_eq!(lang(None, &zh, &c_locale), Lang::Zh);
        assert_eq!(lang(None, &en, &zh_locale), Lang::En);
        // The flag beats the file.
        assert_eq!(lang(Some(Lang::En), &zh, &zh_locale), Lang::En);
        assert_eq!(lang(Some(Lang::Zh), &en, &Vars::default()), Lang::Zh);
    }

    #[test]
    fn author_variable_then_file_then_login() {
        let c = file(None, Some("张伟"), None);
        let all = vars(&[("XAAS_USER", "ops"), ("USER", "zw"), ("LOGNAME", "x")]);
        assert_eq!(author(&c, &all), "ops", "XAAS_USER beats the file");
        let login = vars(&[("USER", "zw"), ("LOGNAME", "x")]);
        assert_eq!(author(&c, &login), "张伟", "the file beats the login");
        assert_eq!(author(&Config::default(), &login), "zw");
        assert_eq!(author(&Config::default(), &vars(&[("LOGNAME", "x")])), "x");
        assert_eq!(author(&Config::default(), &Vars::default()), "unknown");
        // A blank variable is unset.
        let blank = vars(&[("XAAS_USER", " "), ("USER", "zw")]);
        assert_eq!(author(&c, &blank), "张伟");
    }

    #[test]
    fn mine_variable_then_file() {
        let c = file(Some("王芳"), None, None);
        assert_eq!(
            my_csm(&c, &vars(&[("XAAS_CSM", " 张伟 ")])).as_deref(),
            Some("张伟")
        );
        assert_eq!(my_csm(&c, &Vars::default()).as_deref(), Some("王芳"));
        assert_eq!(
            my_csm(&c, &vars(&[("XAAS_CSM", "")])).as_deref(),
            Some("王芳")
        );
        assert_eq!(my_csm(&Config::default(), &Vars::default()), None);
    }

    #[test]
    fn today_flag_then_variable_then_the_clock() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let v = vars(&[("XAAS_TODAY", "2026-11-23")]);
        assert_eq!(today(None, &v).unwrap(), Some(d("2026-11-23")));
        assert_eq!(
            today(Some(d("2026-01-02")), &v).unwrap(),
            Some(d("2026-01-02"))
        );
        // The flag beats a bad variable; without the flag it is named.
        let bad = vars(&[("XAAS_TODAY", "soon")]);
        assert_eq!(
            today(Some(d("2026-01-02")), &bad).unwrap(),
            Some(d("2026-01-02"))
        );
        assert!(today(None, &bad).unwrap_err().0.starts_with("XAAS_TODAY: "));
        assert_eq!(today(None, &Vars::default()).unwrap(), None);

        let now = Local.with_ymd_and_hms(2026, 3, 4, 9, 30, 0).unwrap();
        let c = clock(None, now);
        assert_eq!((c.today, c.now), (d("2026-03-04"), now.fixed_offset()));
        let c = clock(Some(d("2025-12-01")), now);
        assert_eq!(c.today, d("2025-12-01"));
        assert_eq!(c.now.date_naive(), d("2025-12-01"));
        assert_eq!(c.now.time(), now.time(), "the clock's time of day");
    }
}
