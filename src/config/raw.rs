//! The experiment file exactly as written: a serde mirror of the TOML.
//!
//! Optional keys are `Option`s here; `resolve` fills the defaults and checks
//! every value. The same types serialize the resolved config back to TOML
//! (with every field present) for `config.toml` and `synapse check`.

use serde::{Deserialize, Serialize};

use super::resolved::{Activation, Generator, Init, Loss, Missing, Normalize, Precision, Task};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub experiment: Option<RawExperiment>,
    pub data: Option<RawData>,
    pub model: Option<RawModel>,
    pub training: Option<RawTraining>,
    /// Absent from config.toml (and so from the run id) unless set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plots: Option<RawPlots>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExperiment {
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub seed: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generator: Option<Generator>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Missing>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    pub normalize: Option<Normalize>,
    pub split: Option<RawSplit>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSplit {
    pub validation: Option<f64>,
    pub test: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    pub layers: Option<Vec<RawLayer>>,
    pub init: Option<Init>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLayer {
    pub units: Option<u64>,
    pub activation: Option<Activation>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTraining {
    pub epochs: Option<u64>,
    pub learning_rate: Option<f64>,
    pub batch_size: Option<u64>,
    pub loss: Option<Loss>,
    pub optimizer: Option<OptimizerKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub momentum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta1: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta2: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epsilon: Option<f64>,
    pub shuffle: Option<bool>,
    pub precision: Option<Precision>,
    pub l2: Option<f64>,
    pub schedule: Option<RawSchedule>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub early_stopping: Option<RawEarlyStopping>,
    /// Written only when on, so that a config without it keeps its run id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    Sgd,
    Momentum,
    Adam,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleKind {
    Constant,
    Step,
    Exponential,
    Cosine,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSchedule {
    pub kind: Option<ScheduleKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub every: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_rate: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEarlyStopping {
    pub patience: Option<u64>,
    pub min_delta: Option<f64>,
    pub restore_best: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlots {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slice: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshots: Option<Vec<u64>>,
}
