//! An entry's numbers: each metric's mean over the entry's runs, with the
//! standard deviation where there are two or more (by the one rule of
//! `crate::statistics`, which the sweep uses too), and the differences to
//! the first entry, the reference.

use super::entries::Entry;
use crate::results::read::RunFiles;
use crate::results::summary::BaselineReport;
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
    /// What a constant prediction scores on the split `accuracy` and `rmse`
    /// are read from, so that the two stand side by side.
    pub baseline: Baseline,
    /// The findings' codes, each with how many of the entry's runs have it,
    /// in the order they first appear.
    pub findings: Vec<(String, usize)>,
    /// Whether the entry is measured on the reference's scale (the same
    /// task and loss); without, it shows no differences.
    pub comparable: bool,
}

/// The baseline of an entry's runs, from their summary.json (`baseline`);
/// empty for summaries written before there was one.
#[derive(Default)]
pub(super) struct Baseline {
    /// The majority classes, each once (runs of one data set share one).
    pub classes: Vec<String>,
    /// The training mean of a regression target.
    pub mean: Option<Stats>,
    pub accuracy: Option<Stats>,
    pub rmse: Option<Stats>,
}

impl Baseline {
    fn of(runs: &[RunFiles]) -> Baseline {
        let reports: Vec<&BaselineReport> = runs
            .iter()
            .filter_map(|r| r.summary.baseline.as_ref())
            .collect();
        // The split the run is judged on: validation where there is one.
        let judged = |report: &BaselineReport, name: &str| {
            report
                .validation
                .as_ref()
                .unwrap_or(&report.train)
                .get(name)
                .copied()
        };
        let each = |value: &dyn Fn(&BaselineReport) -> Option<f64>| {
            stats(&reports.iter().filter_map(|r| value(r)).collect::<Vec<_>>())
        };
        let mut classes: Vec<String> = Vec::new();
        for class in reports.iter().filter_map(|r| r.class.as_ref()) {
            if !classes.contains(class) {
                classes.push(class.clone());
            }
        }
        Baseline {
            classes,
            mean: each(&|r| r.mean),
            accuracy: each(&|r| judged(r, "accuracy")),
            rmse: each(&|r| judged(r, "rmse")),
        }
    }
}

/// Each code with the number of runs that have it, in order of appearance.
fn findings(runs: &[RunFiles]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for run in runs {
        let mut codes: Vec<&str> = Vec::new();
        for finding in &run.summary.findings {
            if !codes.contains(&finding.code.as_str()) {
                codes.push(&finding.code);
            }
        }
        for code in codes {
            match out.iter_mut().find(|(c, _)| c == code) {
                Some((_, count)) => *count += 1,
                None => out.push((code.to_string(), 1)),
            }
        }
    }
    out
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
            baseline: Baseline::of(runs),
            findings: findings(runs),
            comparable: true,
        }
    }
}

pub(super) fn difference(value: Option<Stats>, reference: Option<Stats>) -> Option<f64> {
    Some(value?.mean - reference?.mean)
}
