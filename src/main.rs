use std::process::ExitCode;

use clap::Parser;

use synapse::cli::{Cli, Command};
use synapse::commands;

/// mimalloc: see `synapse::allocator` for why.
#[global_allocator]
static ALLOCATOR: synapse::Allocator = synapse::Allocator;

fn main() -> ExitCode {
    let cli = Cli::parse();
    commands::interrupt::install();
    let result = match &cli.command {
        Command::Run(args) => commands::run::run(args, &cli.global),
        Command::Check(args) => commands::check::check(args),
        Command::Sweep(args) => commands::sweep::sweep(args, &cli.global),
        Command::Compare(args) => commands::compare::compare(args, &cli.global),
        Command::Predict(args) => commands::predict::predict(args),
        Command::Export(args) => commands::export::export(args),
        Command::Trace(args) => commands::trace::trace(args),
        Command::Gradcheck(args) => commands::gradcheck::gradcheck(args),
        Command::Report(args) => commands::report::report(args, &cli.global),
        Command::Completions(args) => commands::completions::completions(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.code())
        }
    }
}
