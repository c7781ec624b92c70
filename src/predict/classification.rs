//! What predict prints after its metrics line when the new rows have a
//! classifier's target: the confusion matrix, per-class scores and the AUC
//! of a binary task, as `run` prints them for its validation split.

use std::path::Path;

use nalgebra::DMatrix;

use crate::data::predict_input::{Encoding, NewRows};
use crate::train::classification::{report, text};

/// The table for `outputs` on `rows` (read from `data`); empty for
/// regression, without the target column, or beyond ten classes.
pub fn classification_text(
    data: &Path,
    encoding: &Encoding,
    rows: &NewRows,
    outputs: &DMatrix<f64>,
) -> String {
    if !rows.has_target {
        return String::new();
    }
    report(
        encoding.task,
        &encoding.classes,
        outputs,
        &rows.examples.targets,
    )
    .map(|r| text::render(&r, &data.display().to_string()))
    .unwrap_or_default()
}
