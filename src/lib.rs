//! synapse: a TOML file in, a reproducible neural-network experiment out.
//!
//! The binary (`src/main.rs`) is a thin shell over this library, which the
//! benchmarks and fuzz targets use too.

pub mod allocator;
pub mod cli;
pub mod commands;
pub mod config;
pub mod data;
pub mod early_stopping;
pub mod error;
pub mod export;
pub mod metrics;
pub mod nn;
pub mod plot;
pub mod regular_file;
pub mod report;
pub mod results;
pub mod rng;
pub mod schedule;
pub mod sweep;
pub mod train;
pub mod workloads;
pub use allocator::Allocator;
