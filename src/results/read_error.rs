//! Why a result file cannot be read back: the one error of every reader
//! in `results`, naming the file (and line, where there is one) and what
//! was expected there.

use std::io;
use std::path::{Path, PathBuf};

use crate::error::printable;

/// Every message names the file; paths and text that come from result
/// files (a `run_dir` cell, a serde message quoting a value) are shown with
/// control characters escaped, so that an edited file cannot write to the
/// terminal through an error.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: not found; expected {expected}", shown(path))]
    Missing {
        path: PathBuf,
        expected: &'static str,
    },
    #[error("{}: not a directory; expected {expected}", shown(path))]
    NotADirectory {
        path: PathBuf,
        expected: &'static str,
    },
    #[error(
        "{}: neither a run directory (with summary.json) nor a sweep directory (with summary.csv)",
        shown(path)
    )]
    NotResults { path: PathBuf },
    #[error("{}: cannot read: {source}", shown(path))]
    Io { path: PathBuf, source: io::Error },
    /// The file is there but its content is not what synapse writes.
    #[error("{}{}: {}", shown(path), at_line(*line), printable(message))]
    Invalid {
        path: PathBuf,
        line: Option<u64>,
        message: String,
    },
}

fn shown(path: &Path) -> String {
    printable(&path.display().to_string())
}

fn at_line(line: Option<u64>) -> String {
    line.map(|l| format!(", line {l}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn messages_escape_control_characters_from_paths_and_files() {
        let error = ReadError::Invalid {
            path: PathBuf::from("a\u{1b}[2J/summary.csv"),
            line: Some(2),
            message: "bad `\u{7}`".to_string(),
        };
        assert_eq!(
            error.to_string(),
            "a\\u{1b}[2J/summary.csv, line 2: bad `\\u{7}`"
        );
    }
}
