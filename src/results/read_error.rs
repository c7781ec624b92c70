//! Why a result file cannot be read back: the one error of every reader
//! in `results`, naming the file (and line, where there is one) and what
//! was expected there.

use std::io;
use std::path::{Path, PathBuf};

use crate::text::printable;

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
        "{}: neither a run directory (with summary.json) nor a sweep directory (with summary.csv), nor an experiment directory holding them",
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

/// The text of result file `path`: missing (`expected` says what should
/// be there), unreadable, or not UTF-8 are each a `ReadError` naming it.
pub fn read_text(path: &Path, expected: &'static str) -> Result<String, ReadError> {
    let bytes = crate::regular_file::read(path).map_err(|source| {
        if source.kind() == io::ErrorKind::NotFound {
            ReadError::Missing {
                path: path.to_path_buf(),
                expected,
            }
        } else {
            ReadError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    String::from_utf8(bytes).map_err(|error| ReadError::Invalid {
        path: path.to_path_buf(),
        line: None,
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        ),
    })
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
