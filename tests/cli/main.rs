//! Integration tests: the real binary on a temporary database, with a
//! fixed `--today` and a hermetic environment.
//!
//! A test reads like the SOP: `env.xaas("followup set --service S00004
//! --status at_risk").fails(1).stderr_has("95 days left")`. The line is
//! split as a shell would (`--note "a b"` is one argument); `env.run(&[..])`
//! takes arguments built at run time. `env.on(day).xaas(..)` is the same
//! command as of another day.
//!
//! This target runs on the file engine (SQLite). tests/team runs the same
//! harness (harness.rs) and a growing list of these modules on a throwaway
//! PostgreSQL server (pg.rs, SPEC "Team mode").

/// The engine this target's harness puts every command on.
pub const ENGINE: Engine = Engine::File;

mod harness;
pub use harness::*;
/// Named by the test modules through `use super::*`.
#[allow(unused_imports)]
use std::path::Path;
/// The team target's server; compiled here too, as `Env` names it.
#[allow(dead_code)]
mod pg;

mod asof;
mod backtest;
mod bad_input;
mod budgets;
mod config;
mod digest;
mod files;
mod followup;
mod forecast;
mod health;
mod import;
mod kill;
mod kpi;
mod lang;
mod layers;
mod leads;
mod outcomes;
mod readme;
mod report;
mod risks;
mod select;
mod series;
mod shell;
mod stats;
mod storage;
mod tasks;
mod today;
mod usage;
mod views;
mod xlsx;
mod zh_t1;
mod zh_t2;
mod zh_t3;

/// The generator of a book with a known answer, shared with `cargo run
/// --example gen_book`.
#[path = "../../examples/gen_book.rs"]
#[allow(dead_code)]
mod gen_book;
