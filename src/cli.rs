//! The command line, exactly as the user types it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "synapse",
    version,
    about = "Turn a TOML file into a reproducible neural-network experiment",
    after_help = "Exit codes: 0 success, 1 a run failed (diverged, I/O error), 2 bad usage, config or data, 130 interrupted."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: Global,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Where results are written and read.
    #[arg(long, global = true, value_name = "DIR", default_value = "results")]
    pub results: PathBuf,
    /// No progress bar.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate, train, and write one run directory.
    Run(RunArgs),
    /// Validate the config and the data and print the resolved config; train
    /// nothing, write nothing.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The experiment file.
    pub file: PathBuf,
    /// Override a config key before validation: KEY=VALUE, with KEY a dotted
    /// path (training.learning_rate, model.layers.0.units) and VALUE TOML.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run again even if this exact experiment already has results.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The experiment file.
    pub file: PathBuf,
    /// Override a config key, as with `run`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}
