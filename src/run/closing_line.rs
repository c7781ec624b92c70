//! The line `synapse run` prints when a run ends: how it ended, after how
//! many epochs, its last costs and metrics beside the baseline's, and where
//! its results are.

use std::path::Path;

use crate::config::Config;
use crate::nn::Float;
use crate::results::history::History;
use crate::text::number;
use crate::train::Outcome;
use crate::train::baseline::{Baseline, Rule};
use crate::train::metrics::{Summary, TaskMetrics};

pub(super) fn closing_line<T: Float>(
    config: &Config,
    outcome: &Outcome<T>,
    history: &History,
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
    if let Some(last) = history.last() {
        line.push_str(&format!(
            "; train cost {} (loss {}{})",
            number(last.train.cost),
            number(last.train.loss),
            // The baseline beside the last metric on the line.
            match last.validation {
                None => with_baseline(&last.train, &baseline.rule, &baseline.train.summary),
                Some(_) => task_text(&last.train),
            }
        ));
        if let (Some(v), Some(b)) = (&last.validation, &baseline.validation) {
            line.push_str(&format!(
                ", validation loss {}{}",
                number(v.loss),
                with_baseline(v, &baseline.rule, &b.summary)
            ));
        } else if let Some(v) = &last.validation {
            line.push_str(&format!(
                ", validation loss {}{}",
                number(v.loss),
                task_text(v)
            ));
        }
    }
    line.push_str(&format!(" -> {}", dir.display()));
    line
}

pub(super) fn task_text(summary: &Summary) -> String {
    match summary.task {
        TaskMetrics::Accuracy(a) => format!(", accuracy {}", number(a)),
        TaskMetrics::Regression { rmse, mae } => {
            format!(", rmse {}, mae {}", number(rmse), number(mae))
        }
    }
}

/// The task's metrics with the baseline's in brackets beside the first:
/// `, accuracy 0.855 (always "no" 0.717)`, `, rmse 0.13 (mean 0.71), mae 0.1`.
fn with_baseline(summary: &Summary, rule: &Rule, baseline: &Summary) -> String {
    match (summary.task, rule, baseline.task) {
        (TaskMetrics::Accuracy(a), Rule::Majority { class }, TaskMetrics::Accuracy(b)) => {
            format!(
                ", accuracy {} (always \"{class}\" {})",
                number(a),
                number(b)
            )
        }
        (
            TaskMetrics::Regression { rmse, mae },
            Rule::Mean { .. },
            TaskMetrics::Regression { rmse: b, .. },
        ) => {
            format!(
                ", rmse {} (mean {}), mae {}",
                number(rmse),
                number(b),
                number(mae)
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
            ", accuracy 0.8553 (always \"no\" 0.7167)"
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
            ", rmse 0.13 (mean 0.71), mae 0.1"
        );
    }
}
