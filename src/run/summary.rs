//! summary.json's content for a finished run: how it ended, its headline
//! (the metrics of the weights model.json holds), its final and best
//! metrics, the test split's, the sizes, and the identities (seed, hashes,
//! version) that make it reproducible.

use std::collections::BTreeMap;
use std::io;

use super::train_and_write::Context;
use crate::experiment;
use crate::nn::Float;
use crate::results::history::History;
use crate::results::metrics_csv;
use crate::results::summary::{self, RunSummary};
use crate::train::baseline::{Baseline, Rule, Scored};
use crate::train::metrics::{Summary, TaskMetrics};
use crate::train::{EpochRecord, Outcome};

pub(super) fn named(split: &str, summary: &Summary) -> BTreeMap<String, f64> {
    let mut columns = vec![(format!("{split}_loss"), summary.loss)];
    metrics_csv::push_task(split, summary, &mut columns);
    columns.into_iter().collect()
}

/// The epoch whose weights model.json holds: the one early stopping
/// restored, else the last. The restored epoch is usually the best one
/// History keeps (the first of the lowest validation loss), but a
/// `min_delta` can make early stopping keep an earlier one, whose row is
/// then read back (`read`) from metrics.csv rather than kept in memory.
pub(super) fn headline_record<T: Float>(
    outcome: &Outcome<T>,
    history: &History,
    read: impl FnOnce(usize) -> io::Result<Option<EpochRecord>>,
) -> io::Result<Option<EpochRecord>> {
    match outcome.restored_epoch {
        None => Ok(history.last().cloned()),
        Some(epoch) => match history.best() {
            Some(best) if best.epoch == epoch => Ok(Some(best.clone())),
            _ => read(epoch),
        },
    }
}

/// `columns` of an epoch's row by name, without the epoch.
fn row(record: &EpochRecord) -> BTreeMap<String, f64> {
    metrics_csv::columns(record)
        .into_iter()
        .filter(|(name, _)| name != "epoch")
        .collect()
}

/// summary.json's `headline`: the row of `record` (the epoch whose weights
/// model.json holds) with the test split's metrics, which are the final
/// network's and so that epoch's.
fn headline<T: Float>(
    outcome: &Outcome<T>,
    record: &EpochRecord,
    test: &BTreeMap<String, f64>,
) -> summary::Headline {
    let mut metrics = row(record);
    metrics.extend(test.iter().map(|(k, v)| (k.clone(), *v)));
    summary::Headline {
        epoch: record.epoch,
        of: outcome.epochs_run,
        restored: outcome.restored_epoch == Some(record.epoch),
        metrics,
    }
}

pub(super) fn run_summary<T: Float>(
    cx: &Context<'_>,
    outcome: &Outcome<T>,
    history: &History,
    headline_record: Option<&EpochRecord>,
    test: BTreeMap<String, f64>,
    baseline: &Baseline,
    findings: Vec<summary::Finding>,
) -> RunSummary {
    let best = history.best().map(|r| summary::Best {
        epoch: r.epoch,
        metrics: row(r),
    });
    let count = |e: &Option<crate::data::Examples>| e.as_ref().map_or(0, |e| e.len());
    RunSummary {
        experiment: cx.config.experiment.name.clone(),
        run_id: cx.identity.run_id.clone(),
        status: outcome.status,
        task: experiment::task_name(cx.data.task).to_string(),
        epochs_planned: cx.config.training.epochs,
        epochs_run: outcome.epochs_run,
        final_metrics: history.last().map(row).unwrap_or_default(),
        headline: headline_record.map(|r| headline(outcome, r, &test)),
        best,
        test,
        restored_epoch: outcome.restored_epoch,
        divergence: outcome
            .divergence
            .as_ref()
            .map(|d| summary::DivergenceReport {
                epoch: d.epoch,
                batch: d.batch,
                quantity: d.quantity.clone(),
            }),
        examples: summary::Examples {
            train: cx.data.train.len(),
            validation: count(&cx.data.validation),
            test: count(&cx.data.test),
        },
        parameters: outcome
            .network
            .layers
            .iter()
            .map(|l| l.weights.len() + l.biases.len())
            .sum(),
        seed: cx.config.experiment.seed,
        config_hash: cx.identity.config_hash.clone(),
        data_hash: cx.data.content_hash.clone(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        train_seconds: outcome.train_seconds,
        wall_seconds: cx.started.elapsed().as_secs_f64(),
        baseline: Some(report(baseline)),
        findings,
        // Filled in by the classification builder.
        classification: None,
    }
}

/// The baseline as summary.json writes it: per split `loss` and the task's
/// metrics, by their names in metrics.csv without the split.
fn report(baseline: &Baseline) -> summary::BaselineReport {
    let split = |scored: &Scored| {
        let mut columns = BTreeMap::from([("loss".to_string(), scored.summary.loss)]);
        match scored.summary.task {
            TaskMetrics::Accuracy(a) => {
                columns.insert("accuracy".to_string(), a);
            }
            TaskMetrics::Regression { rmse, mae } => {
                columns.insert("rmse".to_string(), rmse);
                columns.insert("mae".to_string(), mae);
            }
        }
        columns
    };
    let (class, mean) = match &baseline.rule {
        Rule::Majority { class } => (Some(class.clone()), None),
        Rule::Mean { mean } => (None, Some(*mean)),
    };
    summary::BaselineReport {
        class,
        mean,
        train: split(&baseline.train),
        validation: baseline.validation.as_ref().map(split),
        test: baseline.test.as_ref().map(split),
    }
}
