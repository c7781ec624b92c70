//! Sweeps: many variants of one experiment, and what they add up to.

pub mod aggregate;
pub mod check;
pub mod figure;
pub mod spec;
pub mod tables;
