//! Asking for a missing value, on a terminal only. Without one (cron,
//! pipes, tests) a missing value is an error naming its flag.

use std::io::IsTerminal;

use anyhow::Result;
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Input, Select};

use xaas::msg::prompt as m;

use super::UsageError;

/// Prompts need someone to answer (stdin) and somewhere to draw (stderr).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// One of `items`, each shown as "id  中文标签"; `flag` names what to
/// pass instead when there is no terminal.
pub fn choose<T: Copy>(
    what: &str,
    flag: &str,
    items: &[T],
    show: impl Fn(T) -> String,
) -> Result<T> {
    if !interactive() {
        return Err(missing(what, flag));
    }
    super::interrupt::guard();
    let labels: Vec<String> = items.iter().map(|&i| show(i)).collect();
    let i = Select::with_theme(&ColorfulTheme::default())
        .with_prompt(what)
        .items(&labels)
        .default(0)
        .interact_opt()
        .map_err(read_failed)?
        .ok_or_else(|| anyhow::anyhow!(m::prompt_cancelled()))?;
    Ok(items[i])
}

/// A line of text; empty allowed when `optional`.
pub fn text(what: &str, flag: &str, optional: bool) -> Result<Option<String>> {
    if !interactive() {
        return Err(missing(what, flag));
    }
    super::interrupt::guard();
    let s: String = Input::with_theme(&ColorfulTheme::default())
        .with_prompt(what)
        .allow_empty(optional)
        .interact_text()
        .map_err(read_failed)?;
    let s = s.trim().to_string();
    Ok((!s.is_empty()).then_some(s))
}

/// A read that Ctrl-C interrupted stops the program as the handler does
/// (the two race: whichever comes first speaks); any other failure is an
/// error.
fn read_failed(e: dialoguer::Error) -> anyhow::Error {
    let dialoguer::Error::IO(io) = &e;
    if io.kind() == std::io::ErrorKind::Interrupted {
        super::interrupt::stop();
    }
    anyhow::Error::new(e).context(m::cannot_read_answer())
}

/// The error for a value that a terminal would have been asked for.
pub fn missing(what: &str, flag: &str) -> anyhow::Error {
    UsageError(m::no_terminal(what, flag)).into()
}
