//! model.json: the trained network with everything needed to apply it to
//! new rows (input names, normalization, categories, classes).

use serde::{Deserialize, Serialize};

use crate::config::{Activation, Normalize, Task};
use crate::data::PreparedData;
use crate::nn::{Float, Network};

pub const FORMAT: &str = "synapse-model/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile<T> {
    pub format: String,
    pub task: Task,
    /// The network's inputs after encoding, in order.
    pub inputs: Vec<String>,
    pub target: String,
    pub normalization: NormalizationFile,
    /// One-hot encoded columns and their categories (from the training split).
    pub categories: Vec<CategoriesFile>,
    /// Class labels in output order; empty for regression.
    pub classes: Vec<String>,
    pub layers: Vec<LayerFile<T>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalizationFile {
    pub kind: Normalize,
    /// Per input: input = (raw − shift) / scale.
    pub shift: Vec<f64>,
    pub scale: Vec<f64>,
    /// Regression: the target's shift and scale (output × scale + shift).
    pub target: Option<TargetNormalization>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetNormalization {
    pub shift: f64,
    pub scale: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoriesFile {
    pub column: String,
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerFile<T> {
    pub units: usize,
    pub activation: Activation,
    /// units rows × inputs columns.
    pub weights: Vec<Vec<T>>,
    pub biases: Vec<T>,
}

/// The model file of `network` trained on `data`. Numbers keep the run's
/// precision: an f32 network is written with f32's shortest digits.
pub fn model_file<T: Float>(network: &Network<T>, data: &PreparedData) -> ModelFile<T> {
    let n = &data.normalization;
    ModelFile {
        format: FORMAT.to_string(),
        task: data.task,
        inputs: data.inputs.clone(),
        target: data.target.clone(),
        normalization: NormalizationFile {
            kind: n.kind,
            shift: n.shift.clone(),
            scale: n.scale.clone(),
            target: n
                .target
                .map(|(shift, scale)| TargetNormalization { shift, scale }),
        },
        categories: data
            .categories
            .iter()
            .map(|c| CategoriesFile {
                column: c.column.clone(),
                categories: c.categories.clone(),
            })
            .collect(),
        classes: data.classes.clone(),
        layers: network
            .layers
            .iter()
            .map(|layer| LayerFile {
                units: layer.units(),
                activation: layer.activation,
                weights: layer
                    .weights
                    .row_iter()
                    .map(|row| row.iter().copied().collect())
                    .collect(),
                biases: layer.biases.iter().copied().collect(),
            })
            .collect(),
    }
}

pub fn render<T: Float>(network: &Network<T>, data: &PreparedData) -> String {
    // Plain data with finite numbers always serializes; a NaN would become
    // null, which the divergence guard keeps from ever reaching here.
    let mut text =
        serde_json::to_string_pretty(&model_file(network, data)).expect("model serializes to JSON");
    text.push('\n');
    text
}
