//! A trained model applied to new rows, as `synapse predict` does it.
//!
//! The rows are encoded with the categories and normalized with the
//! statistics stored in model.json (`encoding`), and go forward through the
//! network in the run's own precision (`run_settings`) and in the run's own
//! chunks (`train::Evaluator`), so the test split's rows give
//! predictions.csv's numbers bit for bit (`output_csv`). Where the rows
//! have the target, the metrics line (`metrics_line`) and a classifier's
//! confusion matrix and per-class scores (`classification`) say how the
//! model did on them.

mod classification;
mod metrics_line;
mod output_csv;
mod run_settings;

pub use classification::classification_text;
pub use metrics_line::metrics_line;
pub use output_csv::render;
pub use run_settings::RunSettings;

use crate::data::CategoricalFeature;
use crate::data::predict_input::Encoding;
use crate::results::model_file::ModelFile;

/// What model.json says about turning CSV rows into the network's inputs.
pub fn encoding<T>(model: &ModelFile<T>) -> Encoding {
    Encoding {
        inputs: model.inputs.clone(),
        categories: model
            .categories
            .iter()
            .map(|c| CategoricalFeature {
                column: c.column.clone(),
                categories: c.categories.clone(),
            })
            .collect(),
        shift: model.normalization.shift.clone(),
        scale: model.normalization.scale.clone(),
        target: model.target.clone(),
        task: model.task,
        classes: model.classes.clone(),
        target_normalization: model.normalization.target.map(|t| (t.shift, t.scale)),
    }
}
