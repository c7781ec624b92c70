//! A run's figures, drawn and written as independent jobs, one per file
//! stem (cost, function, network, …), each timed for `--timings`.
//!
//! Each job writes its own two files and reads only what training left, so
//! the order they run in changes no byte: a run that has the machine to
//! itself (`synapse run`) draws them on rayon's threads at once; a sweep's
//! runs draw theirs one after the other, since its jobs already keep every
//! core busy and more threads would only take turns.

use std::time::Instant;

use rayon::prelude::*;

use super::timings::{FIGURES, Timings};
use crate::error::Error;

/// One figure to draw and write: its file stem, and the work.
pub(super) struct Job<'a> {
    pub(super) stem: &'static str,
    pub(super) draw: Box<dyn FnOnce() -> Result<(), Error> + Send + 'a>,
}

impl<'a> Job<'a> {
    pub(super) fn new(
        stem: &'static str,
        draw: impl FnOnce() -> Result<(), Error> + Send + 'a,
    ) -> Self {
        Job {
            stem,
            draw: Box::new(draw),
        }
    }
}

/// Runs every job (at once when `parallel`), each one's time a part of the
/// figures phase; the first error in the jobs' order, after all have run.
pub(super) fn draw_all(
    jobs: Vec<Job<'_>>,
    parallel: bool,
    timings: &mut Timings,
) -> Result<(), Error> {
    let started = Instant::now();
    let timed = |job: Job<'_>| {
        let started = Instant::now();
        let result = (job.draw)();
        (job.stem, started.elapsed(), result)
    };
    let done: Vec<_> = if parallel {
        // One job per task: the few jobs differ in size by ten times.
        jobs.into_par_iter().with_max_len(1).map(timed).collect()
    } else {
        jobs.into_iter().map(timed).collect()
    };
    timings.add(FIGURES, started.elapsed());
    let mut first_error = None;
    for (stem, time, result) in done {
        timings.add_part(FIGURES, stem, time);
        if let (Err(error), None) = (result, &first_error) {
            first_error = Some(error);
        }
    }
    first_error.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_runs_and_the_first_error_in_order_is_returned() {
        for parallel in [false, true] {
            let ran = std::sync::atomic::AtomicUsize::new(0);
            let count = || {
                ran.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            };
            let jobs = vec![
                Job::new("a", || {
                    count();
                    Ok(())
                }),
                Job::new("b", || {
                    count();
                    Err(Error::Usage("b failed".into()))
                }),
                Job::new("c", || {
                    count();
                    Err(Error::Usage("c failed".into()))
                }),
            ];
            let mut timings = Timings::default();
            let error = draw_all(jobs, parallel, &mut timings).expect_err("b fails");
            assert_eq!(
                error.to_string(),
                Error::Usage("b failed".into()).to_string()
            );
            assert_eq!(ran.load(std::sync::atomic::Ordering::Relaxed), 3);
            let table = timings.table(std::time::Duration::from_secs(1));
            for stem in ["  a ", "  b ", "  c "] {
                assert!(table.contains(stem), "{table}");
            }
        }
    }
}
