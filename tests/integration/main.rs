//! Command-line tests: the real binary, run in a temporary directory.

mod bad_input;
mod common;
mod examples;
