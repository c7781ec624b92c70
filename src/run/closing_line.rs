//! The line `synapse run` prints when a run ends: how it ended, after how
//! many epochs, its last costs and metrics, and where its results are.

use std::path::Path;

use crate::config::Config;
use crate::nn::Float;
use crate::results::history::History;
use crate::text::number;
use crate::train::Outcome;
use crate::train::metrics::{Summary, TaskMetrics};

pub(super) fn closing_line<T: Float>(
    config: &Config,
    outcome: &Outcome<T>,
    history: &History,
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
            task_text(&last.train)
        ));
        if let Some(v) = &last.validation {
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
