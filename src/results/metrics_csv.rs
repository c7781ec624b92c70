//! metrics.csv: one row per epoch, no timings, byte-identical on every rerun.

use crate::metrics::{Summary, TaskMetrics};
use crate::train::EpochRecord;

/// The named values of one epoch, in column order. summary.json uses the same
/// names.
pub fn columns(record: &EpochRecord) -> Vec<(String, f64)> {
    let mut columns = vec![
        ("epoch".to_string(), record.epoch as f64),
        ("train_cost".to_string(), record.train.cost),
        ("train_loss".to_string(), record.train.loss),
    ];
    push_task("train", &record.train, &mut columns);
    if let Some(validation) = &record.validation {
        columns.push(("validation_loss".to_string(), validation.loss));
        push_task("validation", validation, &mut columns);
    }
    columns.push(("learning_rate".to_string(), record.learning_rate));
    columns
}

/// `<split>_accuracy`, or `<split>_rmse` and `<split>_mae`.
pub fn push_task(split: &str, summary: &Summary, columns: &mut Vec<(String, f64)>) {
    match summary.task {
        TaskMetrics::Accuracy(accuracy) => columns.push((format!("{split}_accuracy"), accuracy)),
        TaskMetrics::Regression { rmse, mae } => {
            columns.push((format!("{split}_rmse"), rmse));
            columns.push((format!("{split}_mae"), mae));
        }
    }
}

/// The whole file. With no epochs (epochs = 0), the header alone, whose
/// columns are those `template` would have.
pub fn render(history: &[EpochRecord], template: &EpochRecord) -> String {
    let header: Vec<String> = columns(history.first().unwrap_or(template))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut out = header.join(",");
    out.push('\n');
    for record in history {
        let row: Vec<String> = columns(record)
            .into_iter()
            .map(|(name, value)| {
                if name == "epoch" {
                    format!("{}", record.epoch)
                } else {
                    format_number(value)
                }
            })
            .collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// The shortest text that reads back as the same f64: exact and stable.
pub fn format_number(value: f64) -> String {
    if value.is_finite() {
        format!("{value:?}")
    } else {
        "NaN".to_string()
    }
}
