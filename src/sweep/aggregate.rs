//! From the runs of a sweep to its points: runs that differ only in
//! `experiment.seed` repeat one point, summarised as mean ± standard deviation.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::spec::{self, RunSpec, value_text};
use crate::results::read::RunFiles;
use crate::statistics::{self, Stats};
use crate::train::status::Status;

/// The key whose values repeat a point rather than define one.
pub const SEED_KEY: &str = "experiment.seed";

/// One run of the sweep and how it ended.
#[derive(Debug)]
pub struct RunResult {
    pub spec: RunSpec,
    /// completed, early_stopped, diverged, interrupted, failed (an I/O error
    /// once it had started: values are checked before the sweep runs), or
    /// pending (not run yet).
    pub status: Status,
    pub dir: Option<PathBuf>,
    pub files: Option<RunFiles>,
    pub error: Option<String>,
}

impl RunResult {
    pub fn succeeded(&self) -> bool {
        self.status.succeeded()
    }

    /// The run's metrics by name: `final_<column>` for the last row of
    /// metrics.csv, `best_epoch` and `best_<column>` for the best epoch's
    /// losses and accuracy, `headline_epoch` and `headline_<column>` for
    /// the epoch whose weights model.json holds (`RunSummary::headline`),
    /// and the test split's `test_<metric>` (the headline's too).
    pub fn metrics(&self) -> BTreeMap<String, f64> {
        self.files.as_ref().map(run_metrics).unwrap_or_default()
    }

    /// The curve drawn for the run: validation loss per epoch, or training
    /// loss where there is no validation split, from epoch 0 (the initial
    /// weights) where metrics.csv has it.
    pub fn curve(&self) -> Vec<(f64, f64)> {
        let Some(files) = &self.files else {
            return Vec::new();
        };
        files
            .series("validation_loss")
            .or_else(|| files.series("train_loss"))
            .unwrap_or_default()
    }
}

/// A finished run's metrics by name, as `RunResult::metrics` gives them:
/// also what compare's `--metric` reads, so the names mean the same.
pub fn run_metrics(files: &RunFiles) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let summary = &files.summary;
    for (name, value) in &summary.final_metrics {
        if name != "learning_rate" {
            out.insert(format!("final_{name}"), *value);
        }
    }
    if let Some(best) = &summary.best {
        out.insert("best_epoch".to_string(), best.epoch as f64);
        for (name, value) in &best.metrics {
            if name.starts_with("validation_") || name == "train_loss" {
                out.insert(format!("best_{name}"), *value);
            }
        }
    }
    if let Some(headline) = summary.headline_or_derived() {
        out.insert("headline_epoch".to_string(), headline.epoch as f64);
        for (name, value) in &headline.metrics {
            if name != "learning_rate" && !name.starts_with("test_") {
                out.insert(format!("headline_{name}"), *value);
            }
        }
    }
    out.extend(summary.test.iter().map(|(k, v)| (k.clone(), *v)));
    out
}

/// Whether `name` has the form of a metric that `RunResult::metrics` can
/// give: `best_epoch`, `headline_epoch`, or
/// `[final_|best_|headline_]<split>_<measure>` with split
/// train, validation or test and measure cost, loss, accuracy, rmse or mae.
/// Some of these no run gives (there is no `final_test_loss`), but every
/// metric a run gives has this form: enough to catch a misspelt `--metric`
/// before any training, rather than after the whole sweep.
pub fn is_metric_name(name: &str) -> bool {
    if name == "best_epoch" || name == "headline_epoch" {
        return true;
    }
    let rest = name
        .strip_prefix("final_")
        .or_else(|| name.strip_prefix("best_"))
        .or_else(|| name.strip_prefix("headline_"))
        .unwrap_or(name);
    rest.split_once('_').is_some_and(|(split, measure)| {
        ["train", "validation", "test"].contains(&split)
            && ["cost", "loss", "accuracy", "rmse", "mae"].contains(&measure)
    })
}

/// A point of the sweep: its swept values (seed left out) and its runs.
#[derive(Debug)]
pub struct Point<'a> {
    /// 1-based, in order of first appearance.
    pub index: usize,
    pub values: Vec<(String, String)>,
    /// Each value as its label shows it (`spec::labels`), in `values` order.
    pub shown: Vec<String>,
    pub runs: Vec<&'a RunResult>,
}

impl Point<'_> {
    /// A short label: the last segment of each key with its value.
    pub fn label(&self) -> String {
        if self.values.is_empty() {
            return "all runs".to_string();
        }
        self.values
            .iter()
            .zip(&self.shown)
            .map(|((key, _), shown)| {
                let key = key.rsplit('.').next().unwrap_or(key);
                format!("{key}={shown}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn succeeded(&self) -> Vec<&RunResult> {
        self.runs
            .iter()
            .copied()
            .filter(|r| r.succeeded())
            .collect()
    }

    /// Each metric over the point's successful runs.
    pub fn metrics(&self) -> BTreeMap<String, Stats> {
        let mut values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for run in self.succeeded() {
            for (name, value) in run.metrics() {
                values.entry(name).or_default().push(value);
            }
        }
        values
            .into_iter()
            .filter_map(|(name, v)| Some((name, statistics::stats(&v)?)))
            .collect()
    }

    /// The mean curve over the successful runs, epoch by epoch (epoch 0
    /// included), with the standard deviation (over the runs that reached
    /// that epoch).
    pub fn mean_curve(&self) -> Vec<(f64, Stats)> {
        let curves: Vec<Vec<(f64, f64)>> = self.succeeded().iter().map(|r| r.curve()).collect();
        statistics::mean_curve(curves.iter().map(Vec::as_slice))
    }
}

/// Groups runs into points by their swept values other than the seed.
pub fn points(runs: &[RunResult]) -> Vec<Point<'_>> {
    let mut points: Vec<Point<'_>> = Vec::new();
    for run in runs {
        let values: Vec<(String, String)> = run
            .spec
            .values
            .iter()
            .filter(|(key, _)| key != SEED_KEY)
            .map(|(key, value)| (key.clone(), value_text(value)))
            .collect();
        match points.iter_mut().find(|p| p.values == values) {
            Some(point) => point.runs.push(run),
            None => points.push(Point {
                index: points.len() + 1,
                values,
                shown: Vec::new(),
                runs: vec![run],
            }),
        }
    }
    label_values(&mut points);
    points
}

/// Fills each point's `shown` labels, key by key, from the values of that
/// key at every point: how many digits a value needs depends on the others.
fn label_values(points: &mut [Point<'_>]) {
    let Some(first) = points.first() else { return };
    let keys = first.values.len();
    let mut shown = vec![Vec::new(); points.len()];
    for k in 0..keys {
        // A point's values are those of its first run (the others differ
        // only in the seed).
        let values: Vec<&toml::Value> = points
            .iter()
            .filter_map(|p| {
                let key = &p.values.get(k)?.0;
                let run = p.runs.first()?;
                run.spec
                    .values
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v)
            })
            .collect();
        let labels = spec::labels(&values);
        if labels.len() != points.len() {
            // Points with different keys (not in one sweep): each as written.
            for (point, shown) in points.iter().zip(&mut shown) {
                if let Some((_, value)) = point.values.get(k) {
                    shown.push(crate::text::unquoted(value).to_string());
                }
            }
            continue;
        }
        for (shown, label) in shown.iter_mut().zip(labels) {
            shown.push(label);
        }
    }
    for (point, shown) in points.iter_mut().zip(shown) {
        point.shown = shown;
    }
}

/// Whether a larger value of `metric` is better.
pub fn higher_is_better(metric: &str) -> bool {
    metric.contains("accuracy")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_names_are_recognised_and_misspellings_are_not() {
        for name in [
            "best_epoch",
            "final_train_cost",
            "final_validation_rmse",
            "best_validation_accuracy",
            "test_mae",
            "validation_loss",
            "headline_epoch",
            "headline_validation_accuracy",
        ] {
            assert!(is_metric_name(name), "{name}");
        }
        for name in [
            "",
            "validaton_loss",
            "final_validation",
            "accuracy",
            "final_learning_rate",
            "best_",
            "final_final_train_loss",
        ] {
            assert!(!is_metric_name(name), "{name}");
        }
    }

    fn run(position: usize, values: &[(&str, toml::Value)]) -> RunResult {
        RunResult {
            spec: RunSpec {
                position,
                values: values
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            },
            status: Status::Completed,
            dir: None,
            files: None,
            error: None,
        }
    }

    #[test]
    fn runs_that_differ_only_in_the_seed_form_one_point() {
        use toml::Value::{Float, Integer};
        let runs = vec![
            run(
                1,
                &[
                    ("experiment.seed", Integer(1)),
                    ("training.learning_rate", Float(0.1)),
                ],
            ),
            run(
                2,
                &[
                    ("experiment.seed", Integer(2)),
                    ("training.learning_rate", Float(0.1)),
                ],
            ),
            run(
                3,
                &[
                    ("experiment.seed", Integer(1)),
                    ("training.learning_rate", Float(1.0)),
                ],
            ),
        ];
        let points = points(&runs);
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].runs.len(), 2);
        assert_eq!(points[0].label(), "learning_rate=0.1");
        assert_eq!(points[1].label(), "learning_rate=1");
    }

    #[test]
    fn a_label_shows_strings_without_their_toml_quotes() {
        let runs = vec![run(
            1,
            &[("training.optimizer", toml::Value::String("sgd".into()))],
        )];
        let points = points(&runs);
        assert_eq!(points[0].values[0].1, "\"sgd\"");
        assert_eq!(points[0].label(), "optimizer=sgd");
    }
}
