//! Sweeps: many variants of one experiment, and what they add up to.
//!
//! The sweep file is read as the experiment file is: `raw` mirrors it,
//! `resolve` checks it, `spec` is what it means (the runs, in order);
//! `shard` says which of them one machine of many runs. `check` checks
//! the whole sweep before anything trains; `execute` runs the runs through
//! `crate::run` (or `listing` prints them as commands, for a scheduler);
//! `aggregate` groups them into points, and `outputs` writes the sweep's
//! files while `ranking` orders the points for the terminal.

pub mod aggregate;
pub mod check;
pub mod effects;
pub mod execute;
pub mod figure;
pub mod listing;
pub mod outputs;
pub mod ranking;
mod raw;
mod resolve;
pub mod shard;
pub mod spec;
pub mod tables;
