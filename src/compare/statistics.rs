//! An entry's numbers: each metric's mean over the entry's runs, with the
//! standard deviation where there are two or more (by the one rule of
//! `crate::statistics`, which the sweep uses too), and the differences to
//! the first entry, the reference.

use super::entries::Entry;
use crate::results::read::RunFiles;
use crate::statistics::{Stats, stats};

/// An entry's numbers, as the table shows them.
pub(super) struct Row {
    pub n: usize,
    pub status: String,
    pub epochs: Stats,
    pub epochs_range: (usize, usize),
    pub final_train_loss: Option<Stats>,
    pub final_validation_loss: Option<Stats>,
    pub best_validation_loss: Option<Stats>,
    pub best_epoch: Option<Stats>,
    /// Final validation accuracy, or training accuracy without a validation split.
    pub accuracy: Option<Stats>,
    /// Final validation RMSE, or training RMSE without a validation split.
    pub rmse: Option<Stats>,
}

impl Row {
    pub(super) fn of(entry: &Entry) -> Row {
        let runs = &entry.runs;
        let each = |value: &dyn Fn(&RunFiles) -> Option<f64>| {
            stats(&runs.iter().filter_map(value).collect::<Vec<_>>())
        };
        // The headline's: the epoch whose weights model.json holds.
        let last = |name: &'static str| {
            move |r: &RunFiles| r.summary.headline_or_derived()?.metrics.get(name).copied()
        };
        let either = |first: &'static str, second: &'static str| {
            move |r: &RunFiles| last(first)(r).or_else(|| last(second)(r))
        };
        let best_validation = |r: &RunFiles| {
            r.summary
                .best
                .as_ref()
                .and_then(|b| b.metrics.get("validation_loss").copied())
        };
        let best_epoch = |r: &RunFiles| {
            let best = r.summary.best.as_ref()?;
            best.metrics
                .contains_key("validation_loss")
                .then_some(best.epoch as f64)
        };

        let mut statuses: Vec<&str> = Vec::new();
        for run in runs {
            if !statuses.contains(&run.summary.status.as_str()) {
                statuses.push(run.summary.status.as_str());
            }
        }
        let epochs: Vec<usize> = runs.iter().map(|r| r.summary.epochs_run).collect();
        let as_float: Vec<f64> = epochs.iter().map(|&e| e as f64).collect();
        Row {
            n: runs.len(),
            status: statuses.join("/"),
            epochs: stats(&as_float).unwrap_or(Stats {
                mean: 0.0,
                std: None,
                n: 0,
            }),
            epochs_range: (
                epochs.iter().copied().min().unwrap_or(0),
                epochs.iter().copied().max().unwrap_or(0),
            ),
            final_train_loss: each(&last("train_loss")),
            final_validation_loss: each(&last("validation_loss")),
            best_validation_loss: each(&best_validation),
            best_epoch: each(&best_epoch),
            accuracy: each(&either("validation_accuracy", "train_accuracy")),
            rmse: each(&either("validation_rmse", "train_rmse")),
        }
    }
}

pub(super) fn difference(value: Option<Stats>, reference: Option<Stats>) -> Option<f64> {
    Some(value?.mean - reference?.mean)
}
