//! summary.json: how a run ended, its final, best and test metrics, and
//! what identifies it. The one result file with timings. Written by `run`
//! through serde; read back strictly here, as are all JSON result files
//! (`strict_json`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::read_error::ReadError;
use crate::train::status::Status;

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
    /// What a constant prediction from the training split scores on each
    /// split; absent from summaries written before 0.4.0.
    #[serde(default)]
    pub baseline: Option<BaselineReport>,
    /// What a person should know about the run's result (no better than the
    /// baseline, a constant output, …); empty for older summaries too.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// The metrics of the weights model.json holds: the restored epoch's
    /// where early stopping restored, else the last epoch's. The run's one
    /// headline; absent from summaries written before 0.4.0.
    #[serde(default)]
    pub headline: Option<Headline>,
    /// A classifier's confusion matrix, per-class scores and ROC AUC on the
    /// validation and test splits; None for regression and older summaries.
    #[serde(default)]
    pub classification: Option<Classification>,
}

impl RunSummary {
    /// The run's headline: summary.json's, or for a summary written before
    /// there was one (0.3.0 and older) what it would have been, where the
    /// summary says: the last epoch, or the restored one where that is its
    /// best (early stopping restores the first epoch of the lowest
    /// validation loss unless a `min_delta` passed it over, and then the
    /// older summary does not hold its row: None). None without an epoch.
    pub fn headline_or_derived(&self) -> Option<Headline> {
        if let Some(headline) = &self.headline {
            return Some(headline.clone());
        }
        let (epoch, row) = match (self.restored_epoch, &self.best) {
            (Some(restored), Some(best)) if best.epoch == restored => (restored, &best.metrics),
            (Some(_), _) => return None,
            (None, _) if self.final_metrics.is_empty() => return None,
            (None, _) => (self.epochs_run, &self.final_metrics),
        };
        let mut metrics = row.clone();
        metrics.extend(self.test.iter().map(|(k, v)| (k.clone(), *v)));
        Some(Headline {
            epoch,
            of: self.epochs_run,
            restored: self.restored_epoch.is_some(),
            metrics,
        })
    }
}

/// The headline: which epoch's weights model.json holds, of how many run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Headline {
    pub epoch: usize,
    /// Epochs run.
    pub of: usize,
    /// Early stopping restored this epoch's weights.
    pub restored: bool,
    /// Named as in `final` (`train_loss`, `validation_accuracy`, …), with
    /// the test split's (`test_loss`, …) where there is one.
    pub metrics: BTreeMap<String, f64>,
}

/// Per split, where the split exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    pub validation: Option<ClassReport>,
    pub test: Option<ClassReport>,
}

/// How a classifier did on one split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassReport {
    /// As the data spells them, in the model's order.
    pub classes: Vec<String>,
    /// `confusion[true][predicted]`, in `classes` order.
    pub confusion: Vec<Vec<u64>>,
    pub per_class: Vec<PerClass>,
    /// Binary tasks only.
    pub roc_auc: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerClass {
    pub class: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Examples of this class in the split.
    pub support: u64,
}

/// The baseline: the constant it predicts, and per split its loss and its
/// metric (`accuracy`, or `rmse` and `mae` in the target's units).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineReport {
    /// Classification: the majority class of the training split, as the data spells it.
    pub class: Option<String>,
    /// Regression: the training mean of the target, in its own units.
    pub mean: Option<f64>,
    pub train: BTreeMap<String, f64>,
    pub validation: Option<BTreeMap<String, f64>>,
    pub test: Option<BTreeMap<String, f64>>,
}

/// One finding: a stable code for scripts and one sentence for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub code: String,
    pub message: String,
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

/// summary.json read strictly: every field, no unknown ones, a run's status.
pub fn parse(path: &Path, text: &str) -> Result<RunSummary, ReadError> {
    let summary: RunSummary = strict_json(text).map_err(|error| {
        let at = if error.field.is_empty() {
            String::new()
        } else {
            format!(" at `{}`", error.field)
        };
        ReadError::Invalid {
            path: path.to_path_buf(),
            line: error.line,
            message: format!("not a synapse summary.json{at}: {}", error.message),
        }
    })?;
    // Failed, pending and invalid are a sweep's words for runs that never
    // trained to an end, so never wrote a summary.json.
    if !summary.status.is_training_end() {
        return Err(ReadError::Invalid {
            path: path.to_path_buf(),
            line: None,
            message: format!(
                "status `{}` is a sweep row's, not a run's; a run ends completed, early_stopped, \
                 diverged or interrupted",
                summary.status
            ),
        });
    }
    Ok(summary)
}

/// Why a JSON result file is not what synapse writes.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    /// Where in the document, as `final.train_loss`; empty for the whole.
    pub field: String,
    pub line: Option<u64>,
    /// Without serde_json's "at line L column C"; control characters escaped.
    pub message: String,
    /// Not JSON at all (as opposed to JSON of another shape).
    pub syntax: bool,
}

/// `text` as one JSON document of type `T`, strictly: anything but
/// whitespace after the document is an error, so that a file with data
/// appended (two runs' summaries concatenated, an editor's leftovers) is not
/// read as if the rest were not there. Every JSON result file (summary.json,
/// model.json, checkpoint.json) is read through this.
pub fn strict_json<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let located = |error: &serde_json::Error| (error.line() > 0).then_some(error.line() as u64);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let field = error.path().to_string();
        let inner = error.into_inner();
        JsonError {
            field: if field == "." { String::new() } else { field },
            line: located(&inner),
            message: without_position(&inner),
            syntax: inner.is_syntax() || inner.is_eof(),
        }
    })?;
    // Unlike serde_json::from_str, a Deserializer stops at the end of the
    // value unless asked to check that nothing follows.
    deserializer.end().map_err(|error| JsonError {
        field: String::new(),
        line: located(&error),
        message: "data after the end of the JSON document".to_string(),
        syntax: true,
    })?;
    Ok(value)
}

/// serde_json's message without its "at line L column C", which the caller
/// gives as a line of the file; with any text quoted from the file escaped.
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(head, _)| head);
    crate::text::printable(message)
}

/// A summary.json as `run` writes it, for the tests of its readers.
#[cfg(test)]
pub const EXAMPLE: &str = r#"{
  "experiment": "heart",
  "run_id": "0123456789ab",
  "status": "completed",
  "task": "binary",
  "epochs_planned": 1,
  "epochs_run": 1,
  "final": { "train_cost": 10.0, "train_loss": 0.5 },
  "best": { "epoch": 1, "metrics": { "train_cost": 10.0, "train_loss": 0.5 } },
  "test": {},
  "restored_epoch": null,
  "divergence": null,
  "examples": { "train": 20, "validation": 0, "test": 0 },
  "parameters": 9,
  "seed": 1,
  "config_hash": "x",
  "data_hash": "y",
  "tool_version": "0.1.0",
  "train_seconds": 0.1,
  "wall_seconds": 0.2,
  "baseline": {
    "class": "no",
    "mean": null,
    "train": { "loss": 0.6, "accuracy": 0.7 },
    "validation": null,
    "test": null
  },
  "findings": [
    { "code": "no_better_than_baseline", "message": "training accuracy 0.7 is no better than always \"no\" 0.7" }
  ],
  "headline": {
    "epoch": 1,
    "of": 1,
    "restored": false,
    "metrics": { "train_cost": 10.0, "train_loss": 0.5 }
  },
  "classification": {
    "validation": null,
    "test": {
      "classes": ["no", "yes"],
      "confusion": [[6, 1], [2, 3]],
      "per_class": [
        { "class": "no", "precision": 0.75, "recall": 0.8571428571428571, "f1": 0.8, "support": 7 },
        { "class": "yes", "precision": 0.75, "recall": 0.6, "f1": 0.6666666666666666, "support": 5 }
      ],
      "roc_auc": 0.8
    }
  }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn a_summary_with_an_unknown_field_is_an_error_naming_it() {
        let text = EXAMPLE.replacen('{', "{\n  \"surprise\": 1,", 1);
        let error = parse(Path::new("summary.json"), &text).expect_err("unknown field");
        let message = error.to_string();
        assert!(message.starts_with("summary.json, line 2: "), "{message}");
        assert!(message.contains("surprise"), "{message}");
    }

    #[test]
    fn a_summary_round_trips_with_its_baseline_and_findings() {
        let summary = parse(Path::new("summary.json"), EXAMPLE).expect("example");
        let baseline = summary.baseline.as_ref().expect("baseline");
        assert_eq!(baseline.class.as_deref(), Some("no"));
        assert_eq!(baseline.train.get("accuracy"), Some(&0.7));
        assert_eq!(summary.findings.len(), 1);
        assert_eq!(summary.findings[0].code, "no_better_than_baseline");
        let text = serde_json::to_string_pretty(&summary).expect("serializes");
        assert_eq!(
            parse(Path::new("summary.json"), &text).expect("again"),
            summary
        );
    }

    #[test]
    fn a_summary_without_baseline_or_findings_reads_as_older_versions_wrote_it() {
        let start = EXAMPLE
            .find(",\n  \"baseline\"")
            .expect("baseline in the example");
        let text = format!("{}\n}}\n", &EXAMPLE[..start]);
        let summary = parse(Path::new("summary.json"), &text).expect("older summary");
        assert_eq!(summary.baseline, None);
        assert!(summary.findings.is_empty());
    }

    #[test]
    fn an_older_summary_s_headline_is_derived_where_it_holds_the_epoch() {
        let mut summary = parse(Path::new("summary.json"), EXAMPLE).expect("example");
        let written = summary.headline.clone();
        assert_eq!(summary.headline_or_derived(), written);
        // 0.3.0 wrote no headline: the last epoch, with the test metrics.
        summary.headline = None;
        summary.epochs_run = 3;
        summary.test = BTreeMap::from([("test_loss".to_string(), 0.7)]);
        let derived = summary.headline_or_derived().expect("last epoch");
        assert_eq!((derived.epoch, derived.of, derived.restored), (3, 3, false));
        assert_eq!(derived.metrics.get("train_loss"), Some(&0.5));
        assert_eq!(derived.metrics.get("test_loss"), Some(&0.7));
        // Restored to the best epoch: its row.
        summary.restored_epoch = Some(1);
        if let Some(best) = summary.best.as_mut() {
            best.metrics.insert("train_loss".to_string(), 0.25);
        }
        let derived = summary.headline_or_derived().expect("best epoch");
        assert_eq!((derived.epoch, derived.of, derived.restored), (1, 3, true));
        assert_eq!(derived.metrics.get("train_loss"), Some(&0.25));
        // Restored to an epoch whose row the summary does not hold.
        summary.restored_epoch = Some(2);
        assert_eq!(summary.headline_or_derived(), None);
    }

    #[test]
    fn strict_json_refuses_anything_after_the_document_but_whitespace() {
        assert_eq!(strict_json::<Vec<u8>>("[1, 2]\n \t\n"), Ok(vec![1, 2]));
        for text in ["[1] [2]", "[1]]", "[1] x", "[1]\n{}", "[1]\u{0}"] {
            let error = strict_json::<Vec<u8>>(text).expect_err(text);
            assert_eq!(
                error.message, "data after the end of the JSON document",
                "{text}"
            );
            assert!(error.syntax, "{text}");
            assert_eq!(
                error.line,
                Some(1 + text.matches('\n').count() as u64),
                "{text}"
            );
        }
    }

    #[test]
    fn strict_json_escapes_text_quoted_from_the_file() {
        let error = strict_json::<Status>("\"\\u001b[2J\"").expect_err("unknown");
        assert!(error.message.contains("`\\u{1b}[2J`"), "{}", error.message);
        assert!(!error.message.contains('\u{1b}'), "{}", error.message);
    }

    #[test]
    fn a_summary_is_refused_for_trailing_data_an_unknown_status_or_a_sweep_status() {
        for (text, fragment) in [
            (
                format!("{EXAMPLE}{{}}"),
                "data after the end of the JSON document",
            ),
            (
                EXAMPLE.replace("\"completed\"", "\"done\""),
                "unknown variant `done`",
            ),
            (
                EXAMPLE.replace("\"completed\"", "\"pending\""),
                "status `pending` is a sweep row's",
            ),
        ] {
            let error = parse(Path::new("summary.json"), &text).expect_err(fragment);
            assert!(error.to_string().contains(fragment), "{error}");
        }
    }
}
