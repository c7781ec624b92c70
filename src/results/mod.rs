//! Everything a run writes, and where.
//!
//! Each format is a pure function from records to text; `atomic` is the one
//! place that puts bytes on disk.

pub mod atomic;
pub mod checkpoint;
pub mod cost_figure;
pub mod figure_files;
pub mod history;
pub mod metrics_csv;
pub mod metrics_file;
pub mod model_file;
pub mod output_guard;
pub mod predictions_csv;
pub mod read;
pub mod run_dir;
pub mod run_id;
pub mod run_lock;
pub mod status;
pub mod summary;
pub mod thin;

use std::path::{Path, PathBuf};

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
