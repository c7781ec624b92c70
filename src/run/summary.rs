//! summary.json's content for a finished run: how it ended, its final and
//! best metrics, the test split's, the sizes, and the identities (seed,
//! hashes, version) that make it reproducible.

use std::collections::BTreeMap;

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

pub(super) fn run_summary<T: Float>(
    cx: &Context<'_>,
    outcome: &Outcome<T>,
    history: &History,
    test: BTreeMap<String, f64>,
    baseline: &Baseline,
    findings: Vec<summary::Finding>,
) -> RunSummary {
    let row = |r: &EpochRecord| {
        metrics_csv::columns(r)
            .into_iter()
            .filter(|(name, _)| name != "epoch")
            .collect::<BTreeMap<_, _>>()
    };
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
        // Filled in by the headline and classification builders.
        headline: None,
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
