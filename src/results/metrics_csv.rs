//! metrics.csv: one row per epoch, no timings, byte-identical on every rerun.
//! Written here row by row as training goes; read back here, as columns and
//! rows of numbers, by compare, sweeps and the report.

use std::path::Path;

use super::csv_file;
use super::read_error::ReadError;

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

/// The file as its header's columns and rows of numbers, every epoch from
/// 1 in order; anything else is an error naming the line.
pub fn parse(path: &Path, text: &str) -> Result<(Vec<String>, Vec<Vec<f64>>), ReadError> {
    let mut reader = csv_file::reader(text);
    let columns = csv_file::header(path, &mut reader)?;
    let epoch_column = columns.iter().position(|c| c == "epoch");
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_file::error(path, e))?;
        let line = record.position().map(|p| p.line());
        if record.len() != columns.len() {
            return Err(ReadError::Invalid {
                path: path.to_path_buf(),
                line,
                message: csv_file::fields_message(record.len(), columns.len()),
            });
        }
        let row = record
            .iter()
            .zip(&columns)
            .map(|(cell, column)| {
                // metrics.csv writes "NaN" for a non-finite value, which parses.
                cell.trim().parse::<f64>().map_err(|_| ReadError::Invalid {
                    path: path.to_path_buf(),
                    line,
                    message: format!(
                        "column `{column}`: `{}` is not a number",
                        crate::data::cell::shown(cell)
                    ),
                })
            })
            .collect::<Result<Vec<f64>, ReadError>>()?;
        // synapse writes every epoch from 1, in order: a gap or a repeat is
        // a file that was edited or cut, whose curves would mislead.
        let expected = rows.len() + 1;
        if let Some(epoch) = epoch_column.map(|c| row[c])
            && epoch != expected as f64
        {
            return Err(ReadError::Invalid {
                path: path.to_path_buf(),
                line,
                message: format!(
                    "epoch {epoch} where epoch {expected} was expected: the rows run from epoch 1, one per epoch"
                ),
            });
        }
        rows.push(row);
    }
    Ok((columns, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn metrics_parse_including_nan() {
        let text = "epoch,train_cost,train_loss\n1,10.5,0.5\n2,NaN,NaN\n";
        let (columns, rows) = parse(Path::new("m.csv"), text).expect("parses");
        assert_eq!(columns, ["epoch", "train_cost", "train_loss"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], [1.0, 10.5, 0.5]);
        assert!(rows[1][1].is_nan());
    }

    #[test]
    fn a_missing_or_repeated_epoch_is_an_error_naming_the_line() {
        for (text, line, found) in [
            (
                "epoch,train_loss\n1,0.5\n3,0.4\n",
                3,
                "epoch 3 where epoch 2",
            ),
            (
                "epoch,train_loss\n1,0.5\n1,0.4\n",
                3,
                "epoch 1 where epoch 2",
            ),
            ("epoch,train_loss\n2,0.5\n", 2, "epoch 2 where epoch 1"),
        ] {
            let error = parse(Path::new("m.csv"), text).expect_err(text);
            let message = error.to_string();
            assert!(
                message.starts_with(&format!("m.csv, line {line}: {found}")),
                "{message}"
            );
        }
    }

    #[test]
    fn a_ragged_metrics_row_is_an_error_naming_the_line() {
        let error =
            parse(Path::new("metrics.csv"), "epoch,train_loss\n1,0.5\n2\n").expect_err("ragged");
        assert_eq!(
            error.to_string(),
            "metrics.csv, line 3: 1 field, but the header has 2 columns"
        );
    }

    #[test]
    fn an_empty_metrics_csv_is_an_error() {
        let error = parse(Path::new("metrics.csv"), "").expect_err("empty");
        assert!(error.to_string().contains("header"), "{error}");
    }
}
