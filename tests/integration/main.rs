//! Command-line tests: the real binary, run in a temporary directory.

mod bad_input;
mod common;
mod compare;
mod examples;
mod golden;
mod gradcheck;
mod predict;
mod reliability;
mod report;
mod sweep;
mod trace;
mod training;
