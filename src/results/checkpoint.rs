//! checkpoint.json: the state of an unfinished run after its last completed
//! epoch, so `synapse run --resume` carries on as if it had never stopped.
//! The epochs' rows are not in it: it counts those metrics.csv holds and
//! names their hash, so it stays small however long the run.

use serde::{Deserialize, Serialize};

use super::metrics_file::Committed;
use super::model_file::{LayerFile, layer_files, network_from_layers};
use super::summary::strict_json;
use crate::nn::Float;
use crate::nn::optimizer::OptimizerState;
use crate::rng;
use crate::train::Checkpoint;
use crate::train::early_stopping::EarlyStopping;

pub const FORMAT: &str = "synapse-checkpoint/2";
pub const FILE: &str = "checkpoint.json";

/// What the checkpoint belongs to; a checkpoint of anything else is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub run_id: String,
    pub tool_version: String,
    /// SHA-256 of the run's config.toml.
    pub config_hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckpointFile<T> {
    format: String,
    identity: Identity,
    epoch: usize,
    network: Vec<LayerFile<T>>,
    optimizer: OptimizerState<T>,
    shuffle: rng::Position,
    order: Vec<usize>,
    early_stopping: Option<EarlyStopping>,
    best: Option<Vec<LayerFile<T>>>,
    /// Rows of metrics.csv (after its header and epoch 0's row) that belong
    /// to this state: the number of epochs.
    metrics_rows: usize,
    /// SHA-256 of metrics.csv's header, epoch 0's row and those rows.
    metrics_sha256: String,
}

pub fn render<T: Float>(
    checkpoint: &Checkpoint<T>,
    identity: &Identity,
    metrics: &Committed,
) -> String {
    let file = CheckpointFile {
        format: FORMAT.to_string(),
        identity: identity.clone(),
        epoch: checkpoint.epoch,
        network: layer_files(&checkpoint.network),
        optimizer: checkpoint.optimizer.clone(),
        shuffle: checkpoint.shuffle,
        order: checkpoint.order.clone(),
        early_stopping: checkpoint.stopping.clone(),
        best: checkpoint.best.as_ref().map(layer_files),
        metrics_rows: metrics.rows,
        metrics_sha256: metrics.sha256.clone(),
    };
    // Plain data with finite numbers always serializes.
    serde_json::to_string(&file).expect("checkpoint serializes to JSON")
}

/// Reads a checkpoint back, refusing one of another run, config or
/// version, or one whose numbers do not make a state to train on.
pub fn parse<T: Float>(
    text: &str,
    expected: &Identity,
    inputs: usize,
) -> Result<(Checkpoint<T>, Committed), String> {
    // Strict as every JSON result file: nothing may follow the document.
    let file: CheckpointFile<T> = strict_json(text).map_err(|e| {
        let line = e.line.map(|l| format!(" (line {l})")).unwrap_or_default();
        format!("is not a synapse checkpoint{line}: {}", e.message)
    })?;
    if file.format != FORMAT {
        return Err(format!(
            "has format `{}`, but this synapse reads `{FORMAT}`; run without --resume to start over",
            file.format
        ));
    }
    let mine = &file.identity;
    if mine.tool_version != expected.tool_version {
        return Err(format!(
            "was written by synapse {}, not by this version ({}); run without --resume to start over",
            mine.tool_version, expected.tool_version
        ));
    }
    if mine.run_id != expected.run_id || mine.config_hash != expected.config_hash {
        return Err("belongs to another config; run without --resume to start over".to_string());
    }
    if file.metrics_rows != file.epoch {
        return Err(format!(
            "counts {} metrics rows for epoch {}",
            file.metrics_rows, file.epoch
        ));
    }
    let moments = file.optimizer.first.iter().chain(&file.optimizer.second);
    if moments
        .flat_map(|(w, b)| w.iter().chain(b))
        .any(|v| !v.is_finite())
    {
        return Err("has an optimizer moment that is not a finite number".to_string());
    }
    let checkpoint = Checkpoint {
        epoch: file.epoch,
        network: network_from_layers(&file.network, inputs)?,
        optimizer: file.optimizer,
        shuffle: file.shuffle,
        order: file.order,
        stopping: file.early_stopping,
        best: file
            .best
            .as_deref()
            .map(|layers| network_from_layers(layers, inputs))
            .transpose()?,
    };
    let metrics = Committed {
        rows: file.metrics_rows,
        sha256: file.metrics_sha256,
    };
    Ok((checkpoint, metrics))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Activation;
    use crate::nn::{Dense, Network};
    use nalgebra::{DMatrix, DVector};

    fn identity() -> Identity {
        Identity {
            run_id: "abc".to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            config_hash: "h".to_string(),
        }
    }

    fn text() -> String {
        let checkpoint = Checkpoint::<f64> {
            epoch: 0,
            network: Network {
                layers: vec![Dense {
                    weights: DMatrix::from_element(1, 1, 0.5),
                    biases: DVector::from_element(1, 0.0),
                    activation: Activation::Sigmoid,
                }],
            },
            optimizer: OptimizerState {
                steps: 0,
                first: Vec::new(),
                second: Vec::new(),
            },
            shuffle: rng::Position {
                word: 0,
                spare_normal: None,
            },
            order: vec![0],
            stopping: None,
            best: None,
        };
        let metrics = Committed {
            rows: 0,
            sha256: String::new(),
        };
        render(&checkpoint, &identity(), &metrics)
    }

    #[test]
    fn data_after_the_checkpoint_is_refused() {
        parse::<f64>(&text(), &identity(), 1).expect("a checkpoint as written reads back");
        parse::<f64>(&format!("{}\n", text()), &identity(), 1).expect("whitespace after it");
        for trailing in ["{}", "]", "x", "\u{0}"] {
            let message =
                parse::<f64>(&format!("{}{trailing}", text()), &identity(), 1).expect_err(trailing);
            assert!(
                message.contains("data after the end of the JSON document"),
                "{message}"
            );
        }
    }
}
