//! summary.json: how a run ended, its final, best and test metrics, and
//! what identifies it. The one result file with timings.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::status::Status;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSummary {
    pub experiment: String,
    pub run_id: String,
    /// completed, early_stopped, diverged or interrupted; never a sweep
    /// row's failed, pending or invalid.
    pub status: Status,
    pub task: String,
    pub epochs_planned: usize,
    pub epochs_run: usize,
    /// The last epoch's row of metrics.csv, by column name; empty with no epochs.
    #[serde(rename = "final")]
    pub final_metrics: BTreeMap<String, f64>,
    /// The epoch with the lowest validation loss (training loss without a
    /// validation split), and that epoch's row.
    pub best: Option<Best>,
    /// The trained network on the test split: `test_loss`, `test_accuracy`, ….
    pub test: BTreeMap<String, f64>,
    /// Where early stopping restored the best weights, their epoch.
    pub restored_epoch: Option<usize>,
    pub divergence: Option<DivergenceReport>,
    pub examples: Examples,
    pub parameters: usize,
    pub seed: u64,
    /// SHA-256 of the resolved config.toml.
    pub config_hash: String,
    /// SHA-256 of the data's content.
    pub data_hash: String,
    pub tool_version: String,
    pub train_seconds: f64,
    pub wall_seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Best {
    pub epoch: usize,
    pub metrics: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DivergenceReport {
    pub epoch: usize,
    pub batch: usize,
    pub quantity: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    pub train: usize,
    pub validation: usize,
    pub test: usize,
}
