//! model.json: the trained network with everything needed to apply it to
//! new rows (input names, normalization, categories, classes). Written
//! by `run`; read back here, strictly, and checked whole (names, shapes,
//! numbers) before `predict` trusts it.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::summary::strict_json;
use crate::text::printable;

use crate::config::{Activation, Normalize, Task};
use crate::data::PreparedData;
use nalgebra::{DMatrix, DVector};

use crate::nn::{Dense, Float, Network};

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
        layers: layer_files(network),
    }
}

/// Each layer of `network` as model.json writes it.
pub fn layer_files<T: Float>(network: &Network<T>) -> Vec<LayerFile<T>> {
    network
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
        .collect()
}

/// The network that `layers` describe for `inputs` inputs, every shape and
/// number checked.
pub fn network_from_layers<T: Float>(
    layers: &[LayerFile<T>],
    inputs: usize,
) -> Result<Network<T>, String> {
    if layers.is_empty() {
        return Err("has no layers".to_string());
    }
    let mut dense = Vec::with_capacity(layers.len());
    let mut fan_in = inputs;
    for (l, layer) in layers.iter().enumerate() {
        let shape_error = |what: String| {
            format!(
                "layers[{l}] (layer {}: {} units, fed {fan_in} values) {what}",
                l + 1,
                layer.units
            )
        };
        if layer.weights.len() != layer.units || layer.biases.len() != layer.units {
            return Err(shape_error(format!(
                "has {} rows of weights and {} biases; it needs one of each per unit",
                layer.weights.len(),
                layer.biases.len()
            )));
        }
        if let Some(row) = layer.weights.iter().position(|r| r.len() != fan_in) {
            return Err(shape_error(format!(
                "has {} weights in row {row}; it needs one per input",
                layer.weights[row].len()
            )));
        }
        // As the experiment file's checks have it: softmax only at the output.
        if layer.activation == Activation::Softmax && l + 1 < layers.len() {
            return Err(shape_error(
                "is a softmax layer, but softmax is for the output layer only".to_string(),
            ));
        }
        dense.push(Dense {
            weights: DMatrix::from_fn(layer.units, fan_in, |i, j| layer.weights[i][j]),
            biases: DVector::from_column_slice(&layer.biases),
            activation: layer.activation,
        });
        fan_in = layer.units;
    }
    let network = Network { layers: dense };
    if !network.is_finite() {
        return Err("has a weight that is not a finite number".to_string());
    }
    Ok(network)
}

/// model.json parsed strictly: every field, no unknown ones, nothing after
/// the JSON, this format. The message says what is wrong, without the path.
pub fn parse<T: Float + DeserializeOwned>(text: &str) -> Result<ModelFile<T>, String> {
    // serde_json's float_roundtrip feature reads back every weight exactly.
    let model: ModelFile<T> = strict_json(text).map_err(|e| {
        let line = e.line.map(|l| format!(" at line {l}")).unwrap_or_default();
        if e.syntax {
            return format!("not valid JSON{line}: {}", e.message);
        }
        let at = match e.field.is_empty() {
            true => String::new(),
            false => format!("at `{}`: ", e.field),
        };
        format!(
            "not a synapse model{line} ({at}{}); it should be the model.json that `synapse run` wrote",
            e.message
        )
    })?;
    if model.format != FORMAT {
        return Err(format!(
            "has format `{}`, but this synapse reads `{FORMAT}`",
            printable(&model.format)
        ));
    }
    Ok(model)
}

/// model.json at `path`, parsed strictly (see `parse`). The message says
/// what is wrong, without the path.
pub fn read<T: Float + DeserializeOwned>(path: &Path) -> Result<ModelFile<T>, String> {
    let text =
        crate::regular_file::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    parse(&text)
}

pub fn render<T: Float>(network: &Network<T>, data: &PreparedData) -> String {
    // Plain data with finite numbers always serializes; a NaN would become
    // null, which the divergence guard keeps from ever reaching here.
    let mut text =
        serde_json::to_string_pretty(&model_file(network, data)).expect("model serializes to JSON");
    text.push('\n');
    text
}

/// The first name that `names` holds twice.
fn repeated(names: &[String]) -> Option<&String> {
    names
        .iter()
        .enumerate()
        .find_map(|(i, name)| names[..i].contains(name).then_some(name))
}

impl<T: Float> ModelFile<T> {
    /// The network the file describes, with every name, shape and number
    /// checked against the rest of the file: what `predict` applies.
    pub fn network(&self) -> Result<Network<T>, String> {
        // Names that must tell things apart: a repeated one could only come
        // from an edited file, and would make the output ambiguous.
        if let Some(name) = repeated(&self.inputs) {
            return Err(format!("the input `{name}` is listed twice in `inputs`"));
        }
        if let Some(name) = repeated(&self.classes) {
            return Err(format!("the class `{name}` is listed twice in `classes`"));
        }
        for group in &self.categories {
            if let Some(name) = repeated(&group.categories) {
                return Err(format!(
                    "the category `{name}` of column `{}` is listed twice",
                    group.column
                ));
            }
        }
        let inputs = self.inputs.len();
        let n = &self.normalization;
        if n.shift.len() != inputs || n.scale.len() != inputs {
            return Err(format!(
                "normalization has {} shifts and {} scales for {inputs} inputs",
                n.shift.len(),
                n.scale.len()
            ));
        }
        if let Some(i) = n.scale.iter().position(|&s| s == 0.0 || !s.is_finite()) {
            return Err(format!(
                "normalization.scale[{i}] is {}; a scale must be a non-zero number",
                n.scale[i]
            ));
        }
        // Only a regression's output is mapped back to the target's units;
        // predict ignores the pair on any other task, and export would
        // scale probabilities by it, so an edited file naming one is refused
        // rather than read two ways.
        if let Some(target) = n.target {
            if self.task != Task::Regression {
                return Err(format!(
                    "normalization.target is set, but only a regression model has one \
                     (this one is {}); it should be null",
                    match self.task {
                        Task::Binary => "binary",
                        Task::Multiclass => "multiclass",
                        Task::Regression => "regression",
                    }
                ));
            }
            if target.scale == 0.0 || !target.scale.is_finite() {
                return Err(format!(
                    "normalization.target.scale is {}; a scale must be a non-zero number",
                    target.scale
                ));
            }
        }
        let network = network_from_layers(&self.layers, inputs)?;
        let (outputs, classes) = (network.outputs(), self.classes.len());
        let fits = match self.task {
            Task::Binary => outputs == 1 && classes == 2,
            Task::Multiclass => outputs == classes && classes >= 2,
            Task::Regression => outputs == 1 && classes == 0,
        };
        if !fits {
            return Err(format!(
                "a {:?} model with {classes} classes cannot have {outputs} outputs",
                self.task
            ));
        }
        Ok(network)
    }
}

/// A small binary model, for the tests of its readers.
#[cfg(test)]
pub fn example() -> ModelFile<f64> {
    ModelFile {
        format: FORMAT.to_string(),
        task: Task::Binary,
        inputs: vec!["x".into(), "y".into()],
        target: "t".into(),
        normalization: NormalizationFile {
            kind: Normalize::None,
            shift: vec![0.0, 0.0],
            scale: vec![1.0, 1.0],
            target: None,
        },
        categories: vec![],
        classes: vec!["no".into(), "yes".into()],
        layers: vec![LayerFile {
            units: 1,
            activation: Activation::Sigmoid,
            weights: vec![vec![1.0, -1.0]],
            biases: vec![0.5],
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_file_becomes_the_network_it_describes() {
        let network = example().network().unwrap();
        assert_eq!(network.inputs(), 2);
        assert_eq!(network.layers[0].weights[(0, 1)], -1.0);
        assert_eq!(network.layers[0].biases[0], 0.5);
    }

    #[test]
    fn inconsistent_model_files_are_refused_with_the_reason() {
        let mut short_row = example();
        short_row.layers[0].weights[0].pop();
        assert!(
            short_row
                .network()
                .unwrap_err()
                .contains("has 1 weights in row 0; it needs one per input")
        );
        let mut classes = example();
        classes.classes.push("maybe".into());
        assert!(classes.network().unwrap_err().contains("3 classes"));
        let mut scale = example();
        scale.normalization.scale[1] = 0.0;
        assert!(scale.network().unwrap_err().contains("scale[1] is 0"));
        let mut twice = example();
        twice.classes[1] = twice.classes[0].clone();
        assert!(
            twice
                .network()
                .unwrap_err()
                .contains("listed twice in `classes`")
        );
        let mut hidden = example();
        hidden.layers.insert(
            0,
            LayerFile {
                units: 2,
                activation: Activation::Softmax,
                weights: vec![vec![1.0, 0.0], vec![0.0, 1.0]],
                biases: vec![0.0, 0.0],
            },
        );
        assert!(
            hidden
                .network()
                .unwrap_err()
                .contains("layers[0] (layer 1: 2 units, fed 2 values) is a softmax layer")
        );
        hidden.layers[0].activation = Activation::Tanh;
        assert!(hidden.network().is_ok());
        let mut twice = example();
        twice.inputs[1] = twice.inputs[0].clone();
        assert!(
            twice
                .network()
                .unwrap_err()
                .contains("listed twice in `inputs`")
        );
    }

    const MODEL: &str = r#"{
  "format": "synapse-model/1",
  "task": "regression",
  "inputs": ["x"],
  "target": "y",
  "normalization": { "kind": "none", "shift": [0.0], "scale": [1.0], "target": null },
  "categories": [],
  "classes": [],
  "layers": [ { "units": 1, "activation": "identity", "weights": [[2.0]], "biases": [0.5] } ]
}
"#;

    #[test]
    fn a_model_reads_back_and_data_after_it_is_refused() {
        let model: ModelFile<f64> = parse(MODEL).expect("reads");
        assert_eq!(model.layers[0].weights, [vec![2.0]]);
        for trailing in ["{}", "]", "garbage"] {
            let message = parse::<f64>(&format!("{MODEL}{trailing}")).expect_err(trailing);
            assert!(
                message.starts_with(
                    "not valid JSON at line 11: data after the end of the JSON document"
                ),
                "{message}"
            );
        }
    }

    #[test]
    fn text_quoted_from_a_model_is_escaped() {
        let model = MODEL.replace("synapse-model/1", "\\u001b[2J");
        let message = parse::<f64>(&model).expect_err("format");
        assert!(message.contains("`\\u{1b}[2J`"), "{message}");
        let model = MODEL.replace("\"identity\"", "\"\\u001b[2J\"");
        let message = parse::<f64>(&model).expect_err("activation");
        assert!(!message.contains('\u{1b}'), "{message}");
        assert!(message.contains("at `layers[0].activation`"), "{message}");
    }
}
