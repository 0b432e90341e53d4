//! The integration suite on PostgreSQL (SPEC "Team mode": "one suite of
//! integration tests runs against both" engines): the harness and test
//! files of tests/cli, compiled again with `ENGINE` set to PostgreSQL.
//! Every `Env::new()` is a fresh database on a throwaway server
//! (tests/cli/pg.rs), made ready by `xaas team init`.
//!
//! A module joins once the engine runs it: one `#[path]` line below. A test
//! in it that only makes sense on a file returns early through
//! `env.file_only("why")`.

/// The engine this target's harness puts every command on.
pub const ENGINE: Engine = Engine::Postgres;

#[path = "../cli/harness.rs"]
#[allow(dead_code)]
mod harness;
pub use harness::*;
/// Named by the test modules through `use super::*`.
#[allow(unused_imports)]
use std::path::Path;
#[path = "../cli/pg.rs"]
#[allow(dead_code)]
mod pg;

/// The generator of a book with a known answer (as tests/cli has it).
#[path = "../../examples/gen_book.rs"]
#[allow(dead_code)]
mod gen_book;
/// `team push` and `snapshot`: only on PostgreSQL.
mod push;

/// The harness's own tests: the server and its databases.
mod server;

/// `doctor` on a team database: only on PostgreSQL.
mod doctor;

/// Two writers on one task: exit 3, nothing written.
mod items_race;

// The suite's modules ported to PostgreSQL so far.
#[path = "../cli/asof.rs"]
mod asof;
#[path = "../cli/bad_input.rs"]
mod bad_input;
#[path = "../cli/budgets.rs"]
mod budgets;
#[path = "../cli/config.rs"]
mod config;
#[path = "../cli/digest.rs"]
mod digest;
#[path = "../cli/files.rs"]
mod files;
#[path = "../cli/followup.rs"]
mod followup;
#[path = "../cli/forecast.rs"]
mod forecast;
#[path = "../cli/import.rs"]
mod import;
#[path = "../cli/kpi.rs"]
mod kpi;
#[path = "../cli/lang.rs"]
mod lang;
#[path = "../cli/leads.rs"]
mod leads;
#[path = "../cli/outcomes.rs"]
mod outcomes;
#[path = "../cli/report.rs"]
mod report;
#[path = "../cli/risks.rs"]
mod risks;
#[path = "../cli/select.rs"]
mod select;
#[path = "../cli/series.rs"]
mod series;
#[path = "../cli/stats.rs"]
mod stats;
#[path = "../cli/tasks.rs"]
mod tasks;
#[path = "../cli/today.rs"]
mod today;
#[path = "../cli/views.rs"]
mod views;
#[path = "../cli/xlsx.rs"]
mod xlsx;
#[path = "../cli/zh_t1.rs"]
mod zh_t1;
#[path = "../cli/zh_t2.rs"]
mod zh_t2;
#[path = "../cli/zh_t3.rs"]
mod zh_t3;

#[path = "../cli/backtest.rs"]
mod backtest;
#[path = "../cli/health.rs"]
mod health;
#[path = "../cli/usage.rs"]
mod usage;

// Team mode's own tests: concurrent changes, roles and authors.
mod race;
mod roles;
