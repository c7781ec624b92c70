//! What can stop synapse putting results on disk: the run directory, its
//! lock, the `--out` guard and the figures. Its own type, so that `results`
//! does not import the program's error (which wraps `results`' errors, and
//! would make a circle); `crate::error::Error` converts from it, keeping
//! each case's message and exit code.

use std::path::PathBuf;

use crate::plot::PlotError;
use crate::text::printable;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Writing a file failed (becomes `Error::Io`).
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A figure that could not be drawn; `path` is the file it was for.
    #[error("{}: {source}", path.display())]
    Plot { path: PathBuf, source: PlotError },
    /// A results path that must not be used (a symbolic link, a folder that
    /// cannot be created): the user's to fix (becomes `Error::Results`).
    #[error("{}: {}", printable(&path.display().to_string()), printable(message))]
    Refused { path: PathBuf, message: String },
    /// An `--out` that would land on a result or on something not a file
    /// (becomes `Error::Usage`).
    #[error("{0}")]
    Usage(String),
    /// Ctrl-C or SIGTERM while waiting for another synapse's lock.
    #[error("interrupted; the completed epochs are in {}", .0.display())]
    Interrupted(PathBuf),
}

impl WriteError {
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> WriteError {
        let path = path.into();
        move |source| WriteError::Io { path, source }
    }

    pub fn plot(path: impl Into<PathBuf>) -> impl FnOnce(PlotError) -> WriteError {
        let path = path.into();
        move |source| WriteError::Plot { path, source }
    }
}
