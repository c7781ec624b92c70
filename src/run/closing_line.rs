//! The line `synapse run` prints when a run ends: how it ended, after how
//! many epochs, its headline (the costs and metrics of the weights
//! model.json holds, labelled with their epoch where early stopping
//! restored them) with the baseline beside the judged split's metric, the
//! test split's metrics, and where its results are.

use std::path::Path;

use crate::config::Config;
use crate::nn::Float;
use crate::text::number;
use crate::train::baseline::{Baseline, Rule};
use crate::train::metrics::{Summary, TaskMetrics};
use crate::train::{EpochRecord, Outcome, Status};

/// `headline` is the epoch whose weights model.json holds; `test` the final
/// network on the test split.
pub(super) fn closing_line<T: Float>(
    config: &Config,
    outcome: &Outcome<T>,
    headline: Option<&EpochRecord>,
    test: Option<&Summary>,
    baseline: &Baseline,
    dir: &Path,
) -> String {
    let mut line = format!(
        "{}: {} after {} of {} epochs",
        config.experiment.name,
        outcome.status.as_str(),
        outcome.epochs_run,
        config.training.epochs
    );
    if let Some(record) = headline {
        line.push_str(&if outcome.status == Status::Diverged {
            diverged(record)
        } else {
            metrics(outcome, record, test, baseline)
        });
    }
    line.push_str(&format!(" -> {}", dir.display()));
    line
}

/// The headline's costs and metrics; the baseline beside the split the
/// findings judge (validation, or training where there is none).
fn metrics<T: Float>(
    outcome: &Outcome<T>,
    record: &EpochRecord,
    test: Option<&Summary>,
    baseline: &Baseline,
) -> String {
    let mut text = String::from("; ");
    if outcome.restored_epoch == Some(record.epoch) {
        text.push_str(&format!(
            "restored epoch {} of {}: ",
            record.epoch, outcome.epochs_run
        ));
    }
    text.push_str(&format!(
        "train cost {} (loss {}{})",
        number(record.train.cost),
        number(record.train.loss),
        match record.validation {
            None => with_baseline(&record.train, &baseline.rule, &baseline.train.summary),
            Some(_) => task_text(&record.train),
        }
    ));
    if let Some(v) = &record.validation {
        let beside = match &baseline.validation {
            Some(b) => with_baseline(v, &baseline.rule, &b.summary),
            None => task_text(v),
        };
        text.push_str(&format!(", validation loss {}{beside}", number(v.loss)));
    }
    if let Some(t) = test {
        text.push_str(&format!("; test loss {}{}", number(t.loss), task_text(t)));
    }
    text
}

/// A diverged run's last finite epoch: its losses alone. Its metrics are
/// as meaningless as they are long, and the error that follows says where
/// and why it diverged.
fn diverged(record: &EpochRecord) -> String {
    let mut text = format!("; train loss {}", number(record.train.loss));
    if let Some(v) = &record.validation {
        text.push_str(&format!(", validation loss {}", number(v.loss)));
    }
    text
}

fn task_text(summary: &Summary) -> String {
    match summary.task {
        TaskMetrics::Accuracy(a) => format!(", accuracy {}", number(a)),
        TaskMetrics::Regression { rmse, mae } => {
            format!(", rmse {}, mae {}", number(rmse), number(mae))
        }
    }
}

/// The task's metrics with the baseline's beside the first:
/// `, accuracy 0.855, always "no" 0.717`, `, rmse 0.13, mae 0.1, always
/// the mean: rmse 0.71` (the baseline's number is its rmse, not the mean).
fn with_baseline(summary: &Summary, rule: &Rule, baseline: &Summary) -> String {
    match (summary.task, rule, baseline.task) {
        (TaskMetrics::Accuracy(a), Rule::Majority { class }, TaskMetrics::Accuracy(b)) => {
            format!(", accuracy {}, always \"{class}\" {}", number(a), number(b))
        }
        (
            TaskMetrics::Regression { rmse, mae },
            Rule::Mean { .. },
            TaskMetrics::Regression { rmse: b, .. },
        ) => {
            format!(
                ", rmse {}, mae {}, always the mean: rmse {}",
                number(rmse),
                number(mae),
                number(b)
            )
        }
        _ => task_text(summary),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_baseline_stands_beside_the_metric_it_is_compared_with() {
        let summary = |task| Summary {
            cost: 1.0,
            loss: 0.5,
            task,
        };
        let majority = Rule::Majority {
            class: "no".to_string(),
        };
        assert_eq!(
            with_baseline(
                &summary(TaskMetrics::Accuracy(0.8553)),
                &majority,
                &summary(TaskMetrics::Accuracy(0.71667))
            ),
            ", accuracy 0.8553, always \"no\" 0.7167"
        );
        assert_eq!(
            with_baseline(
                &summary(TaskMetrics::Regression {
                    rmse: 0.13,
                    mae: 0.1
                }),
                &Rule::Mean { mean: 3.0 },
                &summary(TaskMetrics::Regression {
                    rmse: 0.71,
                    mae: 0.6
                })
            ),
            ", rmse 0.13, mae 0.1, always the mean: rmse 0.71"
        );
    }
}
