//! `xaas`: renewal follow-up for subscription security services.
//!
//! Layers, each depending only on those below it:
//! - [`ops`]: one call per command, which the binary makes once;
//! - [`db`]: the only place that speaks SQL, with one way to write;
//! - the domain, pure: the rules ([`status`], [`window`], [`followup`]),
//!   values ([`money`], [`date`], [`service`], [`customer`], [`record`],
//!   [`history`], [`renewal`]) and how they are typed ([`spelling`]), the
//!   column registry ([`columns`]), reading sheets ([`sheet`], [`workbook`],
//!   [`usage`]),
//!   views and figures ([`view`], [`stats`], [`cells`]), the worklist
//!   ([`worklist`]), the work around renewals ([`risk`], [`lead`],
//!   [`budget`]), tasks ([`task`]).
//!
//! The library never prints, prompts or reads the clock: a [`clock::Clock`]
//! is passed in.

pub mod budget;
pub mod cells;
pub mod clock;
pub mod columns;
pub mod customer;
pub mod date;
pub mod db;
pub mod digest;
pub mod doctor;
pub mod error;
pub mod filter;
pub mod followup;
pub mod forecast;
pub mod health;
pub mod history;
pub mod kpi;
pub mod labels;
pub mod lead;
pub mod money;
pub mod msg;
pub mod ops;
pub mod outcome;
pub mod ratio;
pub mod record;
pub mod renewal;
pub mod report;
pub mod risk;
pub mod service;
pub mod settings;
pub mod sheet;
pub mod spelling;
pub mod stats;
pub mod status;
pub mod task;
pub mod usage;
pub mod view;
pub mod window;
pub mod workbook;
pub mod worklist;

pub use error::{Error, Result};
