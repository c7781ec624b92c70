//! One run: validate the experiment, train it, and write its run
//! directory, as `synapse run` and every run of a sweep ask for it.
//!
//! The run directory is found from the experiment's identity
//! (`results::run_dir`) and taken under its lock; a run already finished
//! there is not run again, an interrupted one is continued from its
//! checkpoint or started over. Training (`train`) is observed by a
//! recorder that writes metrics.csv and checkpoints as it goes
//! (`record`); what the run produced is then written, summary.json last
//! (`train_and_write`, `summary`). It lives outside `commands` because the
//! sweep runs it too, and the run command is then only its arguments.

mod classification;
mod closing_line;
mod diagnostics_file;
mod diverged;
mod figures;
mod findings;
mod progress;
mod record;
mod snapshots;
mod summary;
pub mod timings;
mod train_and_write;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::{self, Config, Precision};
use crate::data::{self, PreparedData};
use crate::error::Error;
use crate::experiment::{self, DataFacts};
use crate::interrupt;
use crate::results::{checkpoint, config_toml, run_dir, run_id};
use crate::stdout;
use crate::train::Status;

pub use diverged::diverged_message;
use timings::{CONFIG, DATA, FILES, Timings};
use train_and_write::{Context, train_and_write, write};

#[derive(Debug, Clone, PartialEq)]
pub enum RunOutcome {
    /// Trained; `status` says how it ended (diverged and interrupted runs
    /// have their results written too).
    Ran {
        dir: PathBuf,
        status: Status,
        /// How many findings the run got (`--strict` fails on any).
        findings: usize,
    },
    /// This exact experiment already has results there.
    Skipped { dir: PathBuf },
}

impl RunOutcome {
    pub fn dir(&self) -> &Path {
        match self {
            RunOutcome::Ran { dir, .. } | RunOutcome::Skipped { dir } => dir,
        }
    }
}

/// One run, as `run` and `sweep` ask for it.
pub struct Request<'a> {
    pub file: &'a Path,
    pub assignments: &'a [String],
    pub force: bool,
    pub results: &'a Path,
    /// Draw a progress bar (on a terminal).
    pub progress: bool,
    /// Print the closing line, or where the existing results are.
    pub announce: bool,
    /// Continue an interrupted run from its checkpoint.
    pub resume: bool,
    /// Checkpoint every this many epochs; by default about once a second.
    pub checkpoint_every: Option<usize>,
    /// The run has the machine to itself (`synapse run`, not one of a
    /// sweep's): its figures are drawn at once, on rayon's threads.
    pub alone: bool,
    /// This run's data, prepared already (a sweep prepares each of its data
    /// sets once, for its check): what `data::prepare` gives for the
    /// request's config, taken instead of preparing it again.
    pub data: Option<&'a PreparedData>,
}

/// Where the run of a request lands, and whether it is complete there;
/// trains nothing.
pub fn locate(request: &Request<'_>) -> Result<(PathBuf, bool), Error> {
    let (config, data) = experiment::load(request.file, request.assignments)?;
    let (dir, _) = run_dir::locate(request.results, &config, &data.content_hash);
    let done = run_dir::has_summary(&dir);
    Ok((dir, done))
}

/// Validates, trains and writes one run directory (or finds it done); what
/// its phases took is added to `timings`.
pub fn execute(request: &Request<'_>, timings: &mut Timings) -> Result<RunOutcome, Error> {
    let started = Instant::now();
    let loaded = timings.time(CONFIG, || config::load(request.file, request.assignments))?;
    let prepared;
    let data = match request.data {
        Some(data) => data,
        None => {
            prepared = timings
                .time(DATA, || data::prepare(&loaded.config))
                .map_err(|error| experiment::data_error(&loaded, error))?;
            &prepared
        }
    };
    let config = timings.time(CONFIG, || experiment::checked(loaded, &DataFacts::of(data)))?;
    let files = Instant::now();
    let (dir, id) = run_dir::locate(request.results, &config, &data.content_hash);
    // A finished run (diverged included: rerunning gives the same) is not
    // run again; an interrupted one is continued or started over.
    if run_dir::finished(run_dir::previous_status(&dir)) && !request.force {
        return skipped(request, &config, dir, "--force runs it again");
    }
    run_dir::prepare(&dir)?;
    let lock = run_dir::take(
        &dir,
        || {
            eprintln!(
                "note: another synapse is running this same experiment in {}; \
                 waiting for it (its results will be the same)",
                dir.display()
            )
        },
        interrupt::requested,
    )?;
    // The run may have been finished while this process waited for it (or
    // since it looked): taken as done, not run twice.
    let previous = run_dir::previous_status(&dir);
    if run_dir::finished(previous) && (!request.force || lock.waited()) {
        return skipped(request, &config, dir, "by another synapse, just now");
    }

    let config_text = config_toml::render(&config, &dir);
    let identity = checkpoint::Identity {
        run_id: id.clone(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        config_hash: run_id::sha256_hex(config_text.as_bytes()),
    };
    let resume_from = if request.resume && !request.force {
        let path = dir.join(checkpoint::FILE);
        match crate::regular_file::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if request.announce && previous.is_some() {
                    eprintln!("note: {} has no checkpoint; starting over", dir.display());
                }
                None
            }
            // Not UTF-8: not a checkpoint synapse wrote, refused as one
            // that is not JSON is.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Err(Error::Results {
                    path,
                    message: format!(
                        "is not a synapse checkpoint ({e}); run without --resume to start over"
                    ),
                });
            }
            Err(e) => return Err(Error::io(path)(e)),
        }
    } else {
        if previous.is_some() && !request.force && request.announce {
            eprintln!(
                "note: starting over the interrupted run in {} (--resume continues it)",
                dir.display()
            );
        }
        None
    };
    write(&dir.join("config.toml"), config_text.as_bytes())?;
    timings.add(FILES, files.elapsed());
    let context = Context {
        config: &config,
        data,
        dir: &dir,
        identity: &identity,
        resume_from: resume_from.as_deref(),
        started,
        progress: request.progress,
        announce: request.announce,
        checkpoint_every: request.checkpoint_every,
        parallel_figures: request.alone,
    };
    let (status, findings) = match config.training.precision {
        Precision::F64 => train_and_write::<f64>(&context, timings)?,
        Precision::F32 => train_and_write::<f32>(&context, timings)?,
    };
    Ok(RunOutcome::Ran {
        dir,
        status,
        findings,
    })
}

/// A run found done: says where its results are (`why` in brackets).
fn skipped(
    request: &Request<'_>,
    config: &Config,
    dir: PathBuf,
    why: &str,
) -> Result<RunOutcome, Error> {
    if request.announce {
        stdout::line(&format!(
            "{}: already ran ({why}) -> {}",
            config.experiment.name,
            dir.display()
        ))?;
    }
    Ok(RunOutcome::Skipped { dir })
}
