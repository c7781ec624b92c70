use std::process::ExitCode;

use clap::Parser;

use synapse::cli::{Cli, Command};
use synapse::commands;

/// The allocator: mimalloc, in its stable v2 line, declared here and in each
/// benchmark, not in the library, so that the library leaves the choice to
/// the program that links it.
///
/// Each product large enough for the `gemm` kernel allocates scratch space
/// for packing and frees it again. glibc's allocator spent about 5% of the
/// digits epoch on that (merging free chunks in `malloc_consolidate`);
/// mimalloc hands the same block back. The benchmarks declare it too, so
/// that they time what the CLI runs; the allocation test counts allocations
/// with an allocator of its own.
///
/// `.cargo/config.toml` builds mimalloc with arenas committed as they are
/// used (`MI_DEFAULT_ARENA_EAGER_COMMIT=0`). Committed up front, they made
/// the peak of `synapse run` on the wide workload 8–11 MB higher than with
/// glibc, and that of the heart run 9 MB; as used, the peaks match glibc's
/// within a few MB (measured; README, "Speed").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    synapse::interrupt::install();
    let result = match &cli.command {
        Command::Run(args) => commands::run::run(args, &cli.global),
        Command::Check(args) => commands::check::check(args),
        Command::Sweep(args) => commands::sweep::sweep(args, &cli.global),
        Command::Compare(args) => commands::compare::compare(args, &cli.global),
        Command::Runs(args) => commands::runs::runs(args, &cli.global),
        Command::Predict(args) => commands::predict::predict(args),
        Command::Export(args) => commands::export::export(args),
        Command::Trace(args) => commands::trace::trace(args),
        Command::Data(args) => commands::data::data(args),
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
