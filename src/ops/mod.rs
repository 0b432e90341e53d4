//! One library call per command. Each function here resolves what the
//! command names, asks the domain's rules, and reads or writes through
//! `db` (writes in one `Db::change`). The CLI parses, calls one of these,
//! and prints what it returns.

pub mod backup;
pub mod budget;
pub mod digest;
pub mod doctor;
pub mod due;
pub mod export;
mod filters;
pub mod followup;
pub mod forecast;
pub mod health;
pub mod history;
pub mod import;
mod items;
pub mod kpi;
pub mod lead;
pub mod list;
pub mod log;
pub mod outcomes;
pub mod renew;
pub mod report;
pub mod risk;
pub mod settings;
pub mod show;
pub mod stats;
pub mod tasks;
#[cfg(feature = "team")]
pub mod team;
pub mod today;
pub mod usage;
