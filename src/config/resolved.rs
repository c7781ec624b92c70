//! The checked experiment: every value valid, every default explicit.
//!
//! Built only by `resolve`; nothing downstream validates again.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use crate::nn::vocabulary::{Activation, Init, Layer, Loss, Optimizer};

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub experiment: Experiment,
    pub data: Data,
    pub model: Model,
    pub training: Training,
    pub plots: Plots,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    /// Letters, digits, '-' and '_': it names `results/<name>/`.
    pub name: String,
    pub description: String,
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Data {
    pub source: DataSource,
    /// `None` until the data has been read and the task inferred.
    pub task: Option<Task>,
    pub missing: Missing,
    pub normalize: Normalize,
    pub split: Split,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DataSource {
    Generator {
        generator: Generator,
        rows: usize,
    },
    Csv {
        /// As written in the experiment file (relative to it, or absolute).
        path: String,
        /// `path` resolved against the experiment file's folder.
        resolved_path: PathBuf,
        target: String,
        /// `None`: every column but the target.
        features: Option<Vec<String>>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Generator {
    Heart,
    Xor,
    Circles,
    Spiral,
    Sine,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    Binary,
    Multiclass,
    Regression,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    Error,
    Drop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalize {
    None,
    Standard,
    #[serde(rename = "minmax")]
    MinMax,
}

/// Fractions of the examples held out; the rest is the training split.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split {
    pub validation: f64,
    pub test: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Hidden layers, then the output layer.
    pub layers: Vec<Layer>,
    pub init: Init,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Training {
    pub epochs: usize,
    pub learning_rate: f64,
    pub batch_size: usize,
    pub loss: Loss,
    pub optimizer: Optimizer,
    pub shuffle: bool,
    pub precision: Precision,
    pub l2: f64,
    pub schedule: Schedule,
    pub early_stopping: Option<EarlyStopping>,
    /// Write diagnostics.csv and diagnostics.png/svg: per epoch and layer,
    /// weight and gradient norms, update ratio, saturated and dead units.
    pub diagnostics: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    F32,
    F64,
}

/// The learning rate of each epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Schedule {
    Constant,
    /// Multiply by `factor` every `every` epochs.
    Step {
        every: usize,
        factor: f64,
    },
    /// Multiply by `factor` every epoch.
    Exponential {
        factor: f64,
    },
    /// Half a cosine from the initial rate down to `min_rate` over the run.
    Cosine {
        min_rate: f64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EarlyStopping {
    pub patience: usize,
    pub min_delta: f64,
    pub restore_best: bool,
}

/// What the function figure shows; each key `None` where the file leaves it
/// to the run (and then absent from config.toml, so run ids stay put).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plots {
    /// The two numeric inputs whose plane is drawn, by name; checked
    /// against the data's inputs once the data is read.
    pub slice: Option<[String; 2]>,
    /// Epochs whose weights are drawn side by side, ascending, distinct,
    /// each within 0..=training.epochs.
    pub snapshots: Option<Vec<usize>>,
}
