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

/// The harness's own tests: the server and its databases.
mod server;

// The suite's modules ported to PostgreSQL so far.
#[path = "../cli/followup.rs"]
mod followup;
#[path = "../cli/import.rs"]
mod import;
#[path = "../cli/select.rs"]
mod select;
#[path = "../cli/stats.rs"]
mod stats;
#[path = "../cli/views.rs"]
mod views;

// Team mode's own tests: concurrent changes, roles and authors.
mod race;
mod roles;
