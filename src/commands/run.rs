//! `synapse run`: the arguments of one run (`crate::run` runs it), the
//! threads it may use, and its ending as an exit code: a diverged or
//! interrupted run is an error here, after its results are written, and
//! with `--strict` so is a run with findings.

use std::time::Instant;

use crate::cli::{Global, RunArgs};
use crate::error::Error;
use crate::nn::fast::matmul;
use crate::results::summary;
use crate::run::timings::Timings;
use crate::run::{Request, RunOutcome, diverged_message, execute};
use crate::text::plural;
use crate::train::Status;

/// What `--diagnostics` sets, for `run` and every run of a sweep.
pub const DIAGNOSTICS_ON: &str = "training.diagnostics=true";

/// `synapse run`: a diverged or interrupted run is an error here, after its
/// results are written.
pub fn run(args: &RunArgs, global: &Global) -> Result<(), Error> {
    let started = Instant::now();
    // `--diagnostics` is a config key like any other: the run id follows it.
    let mut assignments = args.set.clone();
    if args.diagnostics {
        assignments.push(DIAGNOSTICS_ON.to_string());
    }
    let request = Request {
        file: &args.file,
        assignments: &assignments,
        force: args.force,
        results: &global.results,
        progress: !global.quiet,
        announce: true,
        resume: args.resume,
        checkpoint_every: args.checkpoint_every.map(|n| n as usize),
        alone: true,
        data: None,
    };
    let mut timings = Timings::of_a_run();
    let threads = args.threads as usize;
    let outcome = if threads > 1 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| {
                Error::Usage(format!(
                    "--threads {threads}: cannot start the threads: {e}"
                ))
            })?;
        pool.install(|| {
            matmul::set_threads(threads);
            execute(&request, &mut timings)
        })?
    } else {
        execute(&request, &mut timings)?
    };
    if args.timings {
        // After the run's own output, on stderr: stdout's last line stays
        // the closing line that scripts read.
        eprint!("{}", timings.table(started.elapsed()));
    }
    match outcome {
        RunOutcome::Ran {
            dir,
            status: Status::Interrupted,
            ..
        } => Err(Error::Interrupted(dir)),
        RunOutcome::Ran {
            dir,
            status: Status::Diverged,
            ..
        } => Err(Error::Diverged(diverged_message(&dir))),
        RunOutcome::Ran { findings, .. } if args.strict && findings > 0 => {
            Err(strict_failure(findings))
        }
        // A run found done: its findings are in its summary.json.
        RunOutcome::Skipped { dir } if args.strict => {
            let path = dir.join("summary.json");
            let text = crate::regular_file::read_to_string(&path).map_err(Error::io(&path))?;
            let findings = summary::parse(&path, &text)?.findings.len();
            if findings > 0 {
                Err(strict_failure(findings))
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

fn strict_failure(findings: usize) -> Error {
    Error::Findings(format!(
        "--strict: the run got {} (the warnings above)",
        plural(findings, "finding", "findings")
    ))
}
