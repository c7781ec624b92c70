//! Running a sweep's runs: each through the one-run pipeline (`crate::run`)
//! on a pool of worker threads, with a progress bar of runs; a run of
//! another shard is only looked up. Every run ends as a `RunResult`:
//! finished (its status from its own files), failed (with the error), or
//! pending (not run, and why).

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::aggregate::RunResult;
use super::check::Kept;
use super::spec::{RunSpec, Sweep};
use crate::data::PreparedData;
use crate::error::Error;
use crate::interrupt;
use crate::results::read::RunFiles;
use crate::run::timings::Timings;
use crate::run::{self, Request};
use crate::train::status::Status;

/// How a sweep's runs are run: on `jobs` threads; `quiet` hides the
/// progress bar; `fail_fast` starts no run after one fails; `kept` is the
/// data the check prepared, by run position.
pub struct Options<'a> {
    pub jobs: usize,
    pub force: bool,
    pub fail_fast: bool,
    pub quiet: bool,
    pub results: &'a Path,
    pub kept: &'a Kept,
}

/// What the runs took, for `--timings`: their phases summed over the runs
/// (reading each run's files back included), and their own times summed.
#[derive(Debug, Default)]
pub struct RunTimes {
    pub phases: Timings,
    pub sum: Duration,
    pub runs: usize,
}

/// The phase of a run in a sweep after the run itself: its files read
/// back for the sweep's tables.
pub const READ_BACK: &str = "read-back";

/// Runs `selected` as `options` say; results come back in sweep order.
pub fn execute_all(
    sweep: &Sweep,
    selected: &[&RunSpec],
    options: &Options<'_>,
) -> Result<(Vec<RunResult>, RunTimes), Error> {
    let Options {
        jobs,
        force,
        fail_fast,
        quiet,
        results,
        kept,
    } = *options;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {jobs} worker threads: {e}")))?;
    let target = if quiet {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    };
    let bar = ProgressBar::with_draw_target(Some(selected.len() as u64), target);
    if let Ok(style) =
        ProgressStyle::with_template("runs {pos}/{len} {bar:30} {msg} [{elapsed_precise}]")
    {
        bar.set_style(style);
    }
    let running = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let show = |bar: &ProgressBar| {
        bar.set_message(format!(
            "{} running, {} failed",
            running.load(Ordering::Relaxed),
            failed.load(Ordering::Relaxed)
        ));
    };
    let done: Vec<(RunResult, Timings, Option<Duration>)> = pool.install(|| {
        selected
            .par_iter()
            // One run per task, so a slow run never holds others back.
            .with_max_len(1)
            .map(|spec| {
                let mut timings = Timings::of_a_run();
                if stop.load(Ordering::Relaxed) || interrupt::requested() {
                    let result = pending(spec, "not started: the sweep was stopped");
                    return (result, timings, None);
                }
                running.fetch_add(1, Ordering::Relaxed);
                show(&bar);
                let started = Instant::now();
                let data = kept.get(&spec.position).map(|data| &**data);
                let result = execute_one(sweep, spec, force, results, data, &mut timings);
                let took = started.elapsed();
                running.fetch_sub(1, Ordering::Relaxed);
                // Failed, or pending after it waited and was stopped: a
                // run that never trained to an end.
                if !result.status.is_training_end() {
                    failed.fetch_add(1, Ordering::Relaxed);
                    if fail_fast {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                bar.inc(1);
                show(&bar);
                (result, timings, Some(took))
            })
            .collect()
    });
    bar.finish_and_clear();
    let mut times = RunTimes::default();
    let mut finished = Vec::with_capacity(done.len());
    for (result, timings, took) in done {
        if let Some(took) = took {
            times.phases.merge(&timings);
            times.sum += took;
            times.runs += 1;
        }
        finished.push(result);
    }
    Ok((finished, times))
}

fn pending(spec: &RunSpec, why: &str) -> RunResult {
    RunResult {
        spec: spec.clone(),
        status: Status::Pending,
        dir: None,
        files: None,
        error: Some(why.to_string()),
    }
}

fn execute_one(
    sweep: &Sweep,
    spec: &RunSpec,
    force: bool,
    results: &Path,
    data: Option<&PreparedData>,
    timings: &mut Timings,
) -> RunResult {
    let assignments = spec.assignments();
    let request = Request {
        file: &sweep.experiment,
        assignments: &assignments,
        force,
        results,
        progress: false,
        announce: false,
        resume: true,
        checkpoint_every: None,
        alone: false,
        data,
    };
    match run::execute(&request, timings) {
        Ok(outcome) => timings.time(READ_BACK, || finished(spec, outcome.dir())),
        // Stopped while waiting for another process's run of it.
        Err(Error::Interrupted(_)) => pending(spec, "not started: the sweep was stopped"),
        // The values were checked before the sweep began: what fails now is
        // the file system under this run (a planted link, a full disk).
        Err(error) => failed(spec, &error),
    }
}

/// A run of another shard: done if its results are there, else pending.
pub fn look_up(sweep: &Sweep, spec: &RunSpec, results: &Path) -> RunResult {
    let assignments = spec.assignments();
    let request = Request {
        file: &sweep.experiment,
        assignments: &assignments,
        force: false,
        results,
        progress: false,
        announce: false,
        resume: true,
        checkpoint_every: None,
        alone: false,
        data: None,
    };
    match run::locate(&request) {
        Ok((dir, true)) => finished(spec, &dir),
        Ok((_, false)) => pending(spec, "not run yet (another shard)"),
        Err(error) => failed(spec, &error),
    }
}

fn failed(spec: &RunSpec, error: &Error) -> RunResult {
    RunResult {
        spec: spec.clone(),
        status: Status::Failed,
        dir: None,
        files: None,
        error: Some(error.to_string()),
    }
}

/// A run whose directory has been written: its status from its own files.
fn finished(spec: &RunSpec, dir: &Path) -> RunResult {
    match RunFiles::read(dir) {
        Ok(files) => RunResult {
            spec: spec.clone(),
            status: files.summary.status,
            dir: Some(dir.to_path_buf()),
            files: Some(files),
            error: None,
        },
        Err(error) => RunResult {
            spec: spec.clone(),
            status: Status::Failed,
            dir: Some(dir.to_path_buf()),
            files: None,
            error: Some(error.to_string()),
        },
    }
}
