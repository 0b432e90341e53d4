//! clap's errors in the user's language. clap writes English; under
//! Chinese the same facts (the argument, the value, the suggestion) are
//! put in a Chinese sentence from the catalogue. Help and version pass
//! through untouched.

use std::io::Write;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use xaas::labels::Lang;
use xaas::msg::{self, args as m};

/// Prints `e` as clap would, or in Chinese, and says how to exit.
pub fn report(e: clap::Error) -> ExitCode {
    let passes = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if passes || msg::lang() == Lang::En {
        let _ = e.print();
        return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    }
    let _ = writeln!(std::io::stderr(), "{}", msg::common::error_line(text(&e)));
    ExitCode::from(2)
}

fn text(e: &clap::Error) -> String {
    let get = |k: ContextKind| e.get(k).map(value).unwrap_or_default();
    let mut out = match e.kind() {
        ErrorKind::UnknownArgument => m::unknown_argument(get(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => m::unknown_command(get(ContextKind::InvalidSubcommand)),
        // A flag given no value at all.
        ErrorKind::InvalidValue if get(ContextKind::InvalidValue).is_empty() => {
            m::missing_value(get(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let mut s =
                m::invalid_value(get(ContextKind::InvalidValue), get(ContextKind::InvalidArg));
            // A value_parser's own reason (already in the user's language).
            if let Some(cause) = std::error::Error::source(e) {
                s.push_str(msg::pick(": ", "："));
                match cause.downcast_ref::<std::num::ParseIntError>() {
                    Some(_) => s.push_str(&m::not_a_whole_number()),
                    None => s.push_str(&cause.to_string()),
                }
            }
            s
        }
        ErrorKind::NoEquals | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            m::missing_value(get(ContextKind::InvalidArg))
        }
        ErrorKind::TooManyValues => {
            m::too_many_values(get(ContextKind::InvalidValue), get(ContextKind::InvalidArg))
        }
        ErrorKind::MissingRequiredArgument => m::missing_required(get(ContextKind::InvalidArg)),
        ErrorKind::ArgumentConflict => {
            m::conflict(get(ContextKind::InvalidArg), get(ContextKind::PriorArg))
        }
        ErrorKind::MissingSubcommand => m::missing_command(),
        _ => m::other(first_line(e)),
    };
    for k in [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ] {
        if let Some(v) = e.get(k) {
            let or = msg::pick("` or `", "` 或 `");
            let what = match v {
                ContextValue::Strings(s) => s.join(or),
                other => other.to_string(),
            };
            out.push_str(&m::did_you_mean(what));
        }
    }
    if let Some(v) = e.get(ContextKind::ValidValue) {
        out.push_str(&m::possible_values(value(v)));
    }
    if let Some(usage) = e.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let usage = usage.trim().strip_prefix("Usage:").unwrap_or(usage.trim());
        out.push_str(&m::usage_line(usage.trim()));
    }
    out
}

fn value(v: &ContextValue) -> String {
    match v {
        ContextValue::Strings(s) => s.join(", "),
        other => other.to_string(),
    }
}

/// clap's own first line without its `error: `, for kinds not named above.
fn first_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let line = text.lines().next().unwrap_or("");
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}
