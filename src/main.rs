mod cli;
mod commands;
mod config;
mod data;
mod error;
mod metrics;
mod nn;
mod results;
mod rng;
mod schedule;
mod train;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    commands::interrupt::install();
    let result = match &cli.command {
        Command::Run(args) => commands::run::run(args, &cli.global).map(|_| ()),
        Command::Check(args) => commands::check::check(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.code() as u8)
        }
    }
}
