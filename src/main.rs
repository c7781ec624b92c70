mod cli;
mod commands;
mod config;
mod data;
mod early_stopping;
mod error;
mod metrics;
mod nn;
mod results;
mod rng;
mod schedule;
mod sweep;

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
        Command::Sweep(args) => commands::sweep::sweep(args, &cli.global),
        Command::Compare(args) => commands::compare::compare(args, &cli.global),
        Command::Predict(args) => commands::predict::predict(args),
        Command::Trace(args) => commands::trace::trace(args),
        Command::Gradcheck(args) => commands::gradcheck::gradcheck(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.code() as u8)
        }
    }
}
