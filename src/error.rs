//! The program's errors, each with its exit code.

use std::path::PathBuf;

use crate::config::ConfigError;
use crate::data::DataError;
use crate::plot::PlotError;
use crate::results::read_error::ReadError;
use crate::results::write_error::WriteError;
use crate::text::printable;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    // Boxed: a located config error is large, and most results are Ok.
    Config(Box<ConfigError>),
    #[error("{0}")]
    Data(#[from] DataError),
    /// A results directory to read back (compare, sweep) is missing or corrupt.
    #[error("{0}")]
    Read(#[from] ReadError),
    /// Reading or writing results failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A figure that could not be drawn; `path` is the file it was for.
    /// Writing the drawn bytes fails as `Io`, like any other result file.
    #[error("{}: {source}", path.display())]
    Plot { path: PathBuf, source: PlotError },
    /// Command-line arguments that do not make sense together.
    #[error("{0}")]
    Usage(String),
    /// Some runs of a sweep were rejected or failed; the others are written.
    #[error("{0}")]
    RunsFailed(String),
    /// A results path that must not be used (for example a symbolic link).
    /// Its path and message may quote result files, so are shown escaped.
    #[error("{}: {}", printable(&path.display().to_string()), printable(message))]
    Results { path: PathBuf, message: String },
    /// Training stopped on a non-finite number; the results are written.
    #[error("{0}")]
    Diverged(String),
    /// A model.json that cannot be used (missing, corrupt, inconsistent).
    /// Its message may quote the file (a class, an input), so is shown escaped.
    #[error("{}: {}", printable(&path.display().to_string()), printable(message))]
    Model { path: PathBuf, message: String },
    /// `gradcheck`: backpropagation disagrees with finite differences.
    #[error("{0}")]
    GradientMismatch(String),
    /// `--strict`: the run got findings (printed as warnings); its results
    /// are written.
    #[error("{0}")]
    Findings(String),
    /// Ctrl-C or SIGTERM; the completed epochs are written.
    #[error("interrupted; the completed epochs are in {}", .0.display())]
    Interrupted(PathBuf),
}

impl From<WriteError> for Error {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Io { path, source } => Error::Io { path, source },
            WriteError::Plot { path, source } => Error::Plot { path, source },
            WriteError::Refused { path, message } => Error::Results { path, message },
            WriteError::Usage(message) => Error::Usage(message),
            WriteError::Interrupted(path) => Error::Interrupted(path),
        }
    }
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Error::Config(Box::new(error))
    }
}

/// The exit code of an interrupted command, as shells report SIGINT.
pub const INTERRUPTED: u8 = 130;

impl Error {
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }

    pub fn plot(path: impl Into<PathBuf>) -> impl FnOnce(PlotError) -> Error {
        let path = path.into();
        move |source| Error::Plot { path, source }
    }

    /// 2 for what the user can fix in their input; 1 for a run that failed;
    /// 130 for an interruption, as shells report SIGINT.
    pub fn code(&self) -> u8 {
        match self {
            Error::Config(_)
            | Error::Data(_)
            | Error::Read(_)
            | Error::Results { .. }
            | Error::Usage(_)
            | Error::Model { .. } => 2,
            // A path that cannot take a file (see `atomic::replaceable`).
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::InvalidInput => 2,
            Error::Io { .. }
            | Error::Plot { .. }
            | Error::Diverged(_)
            | Error::RunsFailed(_)
            | Error::Findings(_)
            | Error::GradientMismatch(_) => 1,
            Error::Interrupted(_) => INTERRUPTED,
        }
    }
}
