//! metrics.csv: one row per epoch, no timings, byte-identical on every rerun.

use crate::train::EpochRecord;
use crate::train::metrics::{Summary, TaskMetrics};

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
    let mut out = header(history.first().unwrap_or(template));
    for record in history {
        out.push_str(&row(record));
    }
    out
}

/// The header line (with its newline) of a file of records like `template`.
pub fn header(template: &EpochRecord) -> String {
    let names: Vec<String> = columns(template)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut line = names.join(",");
    line.push('\n');
    line
}

/// One row (with its newline).
pub fn row(record: &EpochRecord) -> String {
    let cells: Vec<String> = columns(record)
        .into_iter()
        .map(|(name, value)| {
            if name == "epoch" {
                format!("{}", record.epoch)
            } else {
                format_number(value)
            }
        })
        .collect();
    let mut line = cells.join(",");
    line.push('\n');
    line
}

/// A row read back (without its newline) as the record it was written
/// from, with the columns of `template`: the numbers are exact, so the
/// record renders to the same text, which is checked. (The validation
/// cost, which metrics.csv does not hold, reads as 0.) `None` for anything
/// else.
pub fn parse_row(line: &str, template: &EpochRecord) -> Option<EpochRecord> {
    let mut cells = line.split(',');
    let epoch: usize = cells.next()?.parse().ok()?;
    let mut values = Vec::new();
    for cell in cells {
        values.push(cell.parse::<f64>().ok()?);
    }
    let mut values = values.into_iter();
    let values = &mut values;
    // Column order as `columns` writes them.
    let cost = values.next()?;
    let train = Summary {
        cost,
        loss: values.next()?,
        task: task_read(&template.train.task, values)?,
    };
    let validation = match &template.validation {
        Some(like) => Some(Summary {
            cost: 0.0,
            loss: values.next()?,
            task: task_read(&like.task, values)?,
        }),
        None => None,
    };
    let record = EpochRecord {
        epoch,
        learning_rate: values.next()?,
        train,
        validation,
    };
    (values.next().is_none() && row(&record).strip_suffix('\n') == Some(line)).then_some(record)
}

fn task_read(like: &TaskMetrics, values: &mut impl Iterator<Item = f64>) -> Option<TaskMetrics> {
    Some(match like {
        TaskMetrics::Accuracy(_) => TaskMetrics::Accuracy(values.next()?),
        TaskMetrics::Regression { .. } => TaskMetrics::Regression {
            rmse: values.next()?,
            mae: values.next()?,
        },
    })
}

/// The shortest text that reads back as the same f64: exact and stable.
pub fn format_number(value: f64) -> String {
    if value.is_finite() {
        format!("{value:?}")
    } else {
        "NaN".to_string()
    }
}
