//! `xaas settings [KEY [VALUE]]`

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use xaas::cells::{Cell, Field};
use xaas::history::{Actor, Via};
use xaas::msg::commands as m;
use xaas::ops;
use xaas::settings::{Key, Settings};

use super::output::{self, Out};
use super::{Ctx, UsageError};

/// Team rules stored in the database: list them, show one, or set one
#[derive(Args, Debug)]
pub struct SettingsArgs {
    /// The setting (grace_days, task_kickoff_days, ...) [default: list all]
    #[arg(value_parser = super::choice::Choice::<Key>::new())]
    pub key: Option<Key>,
    /// Its new value
    #[arg(allow_hyphen_values = true)]
    pub value: Option<String>,
    /// Who changed it [default: $XAAS_USER, else `author` of
    /// the config file, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

pub fn run(ctx: &Ctx, a: SettingsArgs) -> Result<ExitCode> {
    match (a.key, a.value) {
        (Some(key), Some(value)) => {
            // A bad value is a usage error, like a bad flag.
            let bad = |e: String| UsageError(m::invalid_flag_value(key.id(), e));
            let checked = key.check(&value).map_err(bad)?;
            let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
            let mut db = ctx.open()?;
            ops::settings::all(&db)?
                .check_with(key, &checked)
                .map_err(bad)?;
            let (before, after) = ops::settings::set(&mut db, key, &value, &who)?;
            if before == after {
                println!("{}", m::setting_unchanged(key.id(), after));
            } else {
                println!("{}", m::setting_changed(key.id(), before, after));
                if let Some(note) = Settings::takes_effect(key) {
                    eprintln!("{}", m::settings_note(note));
                }
            }
        }
        (Some(key), None) => {
            let db = ctx.open_read()?;
            println!("{}", ops::settings::all(&db)?.get(key));
        }
        (None, _) => {
            let db = ctx.open_read()?;
            let settings = ops::settings::all(&db)?;
            let fields = vec![
                Field {
                    key: "key",
                    zh: "设置",
                },
                Field {
                    key: "value",
                    zh: "值",
                },
                Field {
                    key: "default",
                    zh: "默认值",
                },
                Field {
                    key: "label",
                    zh: "名称",
                },
                Field {
                    key: "about",
                    zh: "说明",
                },
            ];
            let mut out = Out::new(output::stdout(), ctx.format(), ctx.lang, fields)?;
            for (key, value) in settings.all() {
                out.row(&[
                    Cell::Text(key.id().to_string()),
                    Cell::Text(value.clone()),
                    Cell::Text(key.default_value().to_string()),
                    Cell::Text(key.label_zh().to_string()),
                    Cell::Text(key.about().to_string()),
                ])?;
            }
            out.finish()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
