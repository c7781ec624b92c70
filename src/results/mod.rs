//! Everything a run writes, and where.
//!
//! Each format is a pure function from records to text; `atomic` is the one
//! place that puts bytes on disk.

pub mod atomic;
pub mod cost_figure;
pub mod metrics_csv;
pub mod model_file;
pub mod plot;
pub mod predictions_csv;
pub mod run_id;
pub mod summary;
