//! `xaas`: renewal follow-up for subscription security services.
//!
//! The library holds the domain and never prints, prompts or reads the
//! clock: [`model::Clock`] is passed in. The binary (`src/main.rs`, `src/cli`)
//! parses arguments, calls in here and prints.

pub mod columns;
pub mod date;
pub mod db;
pub mod error;
pub mod filter;
pub mod followup;
pub mod history;
pub mod import;
pub mod labels;
pub mod model;
pub mod money;
pub mod record;
pub mod stats;
pub mod status;
pub mod view;
pub mod window;

pub use error::{Error, Result};
