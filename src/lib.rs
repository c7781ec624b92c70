//! synapse: a TOML file in, a reproducible neural-network experiment out.
//!
//! The binary (`src/main.rs`) is a thin shell over this library, which the
//! benchmarks and fuzz targets use too. ARCHITECTURE.md maps the modules
//! and what each may depend on.

pub mod cli;
pub mod commands;
pub mod compare;
pub mod config;
pub mod data;
pub mod error;
pub mod experiment;
pub mod export;
pub mod gradcheck;
pub mod interrupt;
pub mod math;
pub mod nn;
pub mod plot;
pub mod predict;
pub mod regular_file;
pub mod report;
pub mod results;
pub mod rng;
pub mod run;
pub mod runs;
pub mod statistics;
pub mod stdout;
pub mod sweep;
pub mod text;
pub mod trace;
pub mod train;
