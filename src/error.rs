//! The program's errors, each with its exit code.

use std::path::PathBuf;

use crate::config::ConfigError;
use crate::data::DataError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Data(#[from] DataError),
    /// Reading or writing results failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A results path that must not be used (for example a symbolic link).
    #[error("{}: {message}", path.display())]
    Results { path: PathBuf, message: String },
    /// Training stopped on a non-finite number; the results are written.
    #[error("{0}")]
    Diverged(String),
    /// Ctrl-C or SIGTERM; the completed epochs are written.
    #[error("interrupted; the completed epochs are in {}", .0.display())]
    Interrupted(PathBuf),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }

    /// 2 for what the user can fix in their input; 1 for a run that failed;
    /// 130 for an interruption, as shells report SIGINT.
    pub fn code(&self) -> i32 {
        match self {
            Error::Config(_) | Error::Data(_) | Error::Results { .. } => 2,
            Error::Io { .. } | Error::Diverged(_) => 1,
            Error::Interrupted(_) => 130,
        }
    }
}
