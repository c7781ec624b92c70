//! Everything a run writes, and where.
//!
//! Each result file has one module holding its writer (a pure function from
//! records to text) and its reader; `atomic` is the one place that puts bytes
//! on disk, and `read` composes the readers into run and sweep directories.

pub mod atomic;
pub mod checkpoint;
pub mod classification_figures;
pub mod config_toml;
pub mod cost_figure;
pub mod csv_file;
pub mod diagnostics_csv;
pub mod diagnostics_figure;
pub mod figure_files;
pub mod function_figure;
pub mod history;
pub mod metrics_csv;
pub mod metrics_file;
pub mod model_file;
pub mod network_figure;
pub mod output_guard;
pub mod predictions_csv;
pub mod read;
pub mod read_error;
pub mod run_dir;
pub mod run_id;
pub mod run_lock;
pub mod summary;
pub mod sweep_summary_csv;
pub mod thin;
pub mod write_error;

use std::path::{Component, Path, PathBuf};

/// The path from directory `from` to `to`, both absolute or both relative to
/// the same place.
pub fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for component in &to[common..] {
        path.push(component);
    }
    path
}

/// `a/b/../c` as `a/c`, without touching the disk: result directories are
/// plain directories, and their paths are compared as written.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let popped =
                    matches!(out.components().next_back(), Some(Component::Normal(_))) && out.pop();
                if !popped {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}
