//! Running a sweep's runs: each through the one-run pipeline (`crate::run`)
//! on a pool of worker threads, with a progress bar of runs; a run of
//! another shard is only looked up. Every run ends as a `RunResult`:
//! finished (its status from its own files), failed (with the error), or
//! pending (not run, and why).

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::aggregate::RunResult;
use super::spec::{RunSpec, Sweep};
use crate::error::Error;
use crate::interrupt;
use crate::results::read::RunFiles;
use crate::run::{self, Request};
use crate::train::status::Status;

/// Runs `selected` on `jobs` threads; results come back in sweep order.
/// `quiet` hides the progress bar; `fail_fast` starts no run after one
/// fails.
pub fn execute_all(
    sweep: &Sweep,
    selected: &[&RunSpec],
    jobs: usize,
    force: bool,
    fail_fast: bool,
    quiet: bool,
    results: &Path,
) -> Result<Vec<RunResult>, Error> {
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
    let results = pool.install(|| {
        selected
            .par_iter()
            // One run per task, so a slow run never holds others back.
            .with_max_len(1)
            .map(|spec| {
                if stop.load(Ordering::Relaxed) || interrupt::requested() {
                    return pending(spec, "not started: the sweep was stopped");
                }
                running.fetch_add(1, Ordering::Relaxed);
                show(&bar);
                let result = execute_one(sweep, spec, force, results);
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
                result
            })
            .collect()
    });
    bar.finish_and_clear();
    Ok(results)
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

fn execute_one(sweep: &Sweep, spec: &RunSpec, force: bool, results: &Path) -> RunResult {
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
    };
    match run::execute(&request) {
        Ok(outcome) => finished(spec, outcome.dir()),
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
