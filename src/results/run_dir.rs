//! A run's directory: where it is (`<results>/<experiment>/<run id>`),
//! whether a run there is done, creating it without following links, and
//! taking it for writing (its `.lock`, see `run_lock`, then the strays of
//! writers that died cleared). What goes in it, and in what order, is
//! the business of `run`; every file in it is written
//! through `atomic`.
//!
//! A sweep's directory is created and guarded the same way.

use std::fs;
use std::path::{Path, PathBuf};

use super::run_lock::RunLock;
use super::summary::RunSummary;
use super::write_error::WriteError;
use super::{atomic, run_id};
use crate::config::Config;
use crate::train::status::Status;

/// The directory of the run of `config` on data with `content_hash`, under
/// `results`, and the run's id.
pub fn locate(results: &Path, config: &Config, content_hash: &str) -> (PathBuf, String) {
    let id = run_id::run_id(config, content_hash);
    (results.join(&config.experiment.name).join(&id), id)
}

/// Whether the run in `dir` wrote its summary (it ended, however it ended).
pub fn has_summary(dir: &Path) -> bool {
    dir.join("summary.json").is_file()
}

/// The status in a run directory's summary.json, if it has one.
pub fn previous_status(dir: &Path) -> Option<Status> {
    let text = crate::regular_file::read_to_string(&dir.join("summary.json")).ok()?;
    let summary: RunSummary = serde_json::from_str(&text).ok()?;
    Some(summary.status)
}

/// Whether a run of this status is done: anything but interrupted. (A
/// diverged run is done: running it again gives the same.)
pub fn finished(status: Option<Status>) -> bool {
    status.is_some_and(|s| s != Status::Interrupted)
}

/// Creates the directory, refusing symbolic links on the way. Stray
/// temporary files are cleared by whoever then takes its lock (`take`).
pub fn prepare(dir: &Path) -> Result<(), WriteError> {
    refuse_links(dir)?;
    // Failing here is a problem of the results path the user gave, before
    // anything ran: a usage error, not a failed run.
    fs::create_dir_all(dir).map_err(|e| WriteError::Refused {
        path: dir.to_path_buf(),
        message: format!("cannot create the results directory: {e}"),
    })
}

/// Refuses a symbolic link at `dir` or at its parent. The experiment and
/// run folders are synapse's own; a linked results root is the user's
/// choice and is left alone.
pub fn refuse_links(dir: &Path) -> Result<(), WriteError> {
    for own in [dir.parent(), Some(dir)].into_iter().flatten() {
        if fs::symlink_metadata(own).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(WriteError::Refused {
                path: own.to_path_buf(),
                message: "is a symbolic link; synapse does not write results through links"
                    .to_string(),
            });
        }
    }
    Ok(())
}

/// Takes the directory for writing: waits for its lock (calling `on_wait`
/// once if another process holds it, giving up when `stop` says so), then
/// clears the temporary files of writers that died. Only the holder may
/// clear them: another process's are still being written.
pub fn take(
    dir: &Path,
    on_wait: impl FnOnce(),
    stop: impl Fn() -> bool,
) -> Result<RunLock, WriteError> {
    let lock = RunLock::acquire(dir, on_wait, stop)?;
    atomic::remove_strays(dir);
    Ok(lock)
}
