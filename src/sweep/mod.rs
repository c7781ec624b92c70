//! Sweeps: many variants of one experiment, and what they add up to.
//!
//! The sweep file is read as the experiment file is: `raw` mirrors it,
//! `resolve` checks it, `spec` is what it means (the runs, in order);
//! `shard` says which of them one machine of many runs.

pub mod aggregate;
pub mod check;
pub mod figure;
mod raw;
mod resolve;
pub mod shard;
pub mod spec;
pub mod tables;
