//! The comparison as text: the metrics table and the table of config keys
//! that differ, for a person; and the same numbers at full precision as
//! table.csv, for scripts.

use super::entries::{ABSENT, Entry};
use super::statistics::{Row, difference};
use crate::results::metrics_csv;
use crate::statistics::Stats;
use crate::text::{Table, mean_std, number, signed};

fn with_std(stat: Option<Stats>) -> String {
    match stat {
        None => ABSENT.to_string(),
        Some(Stats {
            mean,
            std: Some(std),
            n,
        }) => mean_std(mean, Some(std), n),
        Some(Stats { mean, .. }) => number(mean),
    }
}

pub(super) fn metrics_table(labels: &[String], rows: &[Row]) -> String {
    let with_n = rows.iter().any(|r| r.n > 1);
    let with_accuracy = rows.iter().any(|r| r.accuracy.is_some());
    let with_rmse = rows.iter().any(|r| r.rmse.is_some());
    let reference = rows.first();

    let mut header = vec!["#", "entry", "status", "epochs"];
    if with_n {
        header.push("n");
    }
    header.extend(["train_loss", "val_loss", "Δ", "best val_loss (epoch)", "Δ"]);
    if with_accuracy {
        header.extend(["accuracy", "Δ"]);
    }
    if with_rmse {
        header.extend(["rmse", "Δ"]);
    }

    let lines: Vec<Vec<String>> = rows
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (row, label))| {
            // The reference's differences to itself would only be noise.
            let delta = |pick: fn(&Row) -> Option<Stats>| {
                if i == 0 {
                    return String::new();
                }
                difference(pick(row), reference.and_then(pick)).map_or(ABSENT.to_string(), signed)
            };
            let (low, high) = row.epochs_range;
            let mut line = vec![
                format!("{}", i + 1),
                label.clone(),
                row.status.clone(),
                if low == high {
                    low.to_string()
                } else {
                    format!("{low}-{high}")
                },
            ];
            if with_n {
                line.push(row.n.to_string());
            }
            let best = match (row.best_validation_loss, row.best_epoch) {
                (Some(loss), Some(epoch)) => {
                    format!("{} ({})", with_std(Some(loss)), number(epoch.mean))
                }
                (loss, _) => with_std(loss),
            };
            line.extend([
                with_std(row.final_train_loss),
                with_std(row.final_validation_loss),
                delta(|r| r.final_validation_loss),
                best,
                delta(|r| r.best_validation_loss),
            ]);
            if with_accuracy {
                line.extend([with_std(row.accuracy), delta(|r| r.accuracy)]);
            }
            if with_rmse {
                line.extend([with_std(row.rmse), delta(|r| r.rmse)]);
            }
            line
        })
        .collect();
    // Everything after the label and the status is a number.
    let mut table = Table::new(&header).left_then_right(3);
    for line in lines {
        table.row(line);
    }
    table.render()
}

pub(super) fn diff_table(diff: &[(String, Vec<String>)], entries: usize) -> String {
    if diff.is_empty() {
        return "no config keys differ\n".to_string();
    }
    let mut header = vec!["key".to_string()];
    header.extend((1..=entries).map(|i| format!("#{i}")));
    let mut table = Table::new(&header);
    for (key, values) in diff {
        table.row(std::iter::once(key.clone()).chain(values.iter().cloned()));
    }
    format!("config keys that differ:\n{}", table.render())
}

const CSV_HEADER: [&str; 23] = [
    "entry",
    "label",
    "dir",
    "run_ids",
    "n",
    "status",
    "epochs",
    "headline_train_loss",
    "headline_train_loss_std",
    "headline_validation_loss",
    "headline_validation_loss_std",
    "best_validation_loss",
    "best_validation_loss_std",
    "best_epoch",
    "accuracy",
    "accuracy_std",
    "rmse",
    "rmse_std",
    "diff_headline_train_loss",
    "diff_headline_validation_loss",
    "diff_best_validation_loss",
    "diff_accuracy",
    "diff_rmse",
];

/// The table at full precision, with the same columns whatever the task, for
/// scripts.
pub(super) fn table_csv(entries: &[Entry], labels: &[String], rows: &[Row]) -> Vec<u8> {
    let optional = |x: Option<f64>| x.map(metrics_csv::format_number).unwrap_or_default();
    let mean = |s: Option<Stats>| optional(s.map(|s| s.mean));
    let std = |s: Option<Stats>| optional(s.and_then(|s| s.std));
    let reference = rows.first();
    let diff = |row: &Row, pick: fn(&Row) -> Option<Stats>| {
        optional(difference(pick(row), reference.and_then(pick)))
    };

    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut records: Vec<Vec<String>> = vec![CSV_HEADER.iter().map(|h| h.to_string()).collect()];
    for (i, ((entry, label), row)) in entries.iter().zip(labels).zip(rows).enumerate() {
        let ids: Vec<&str> = entry
            .runs
            .iter()
            .map(|r| r.summary.run_id.as_str())
            .collect();
        records.push(vec![
            (i + 1).to_string(),
            label.clone(),
            entry.source.display().to_string(),
            ids.join(" "),
            row.n.to_string(),
            row.status.clone(),
            number(row.epochs.mean),
            mean(row.final_train_loss),
            std(row.final_train_loss),
            mean(row.final_validation_loss),
            std(row.final_validation_loss),
            mean(row.best_validation_loss),
            std(row.best_validation_loss),
            row.best_epoch.map(|s| number(s.mean)).unwrap_or_default(),
            mean(row.accuracy),
            std(row.accuracy),
            mean(row.rmse),
            std(row.rmse),
            diff(row, |r| r.final_train_loss),
            diff(row, |r| r.final_validation_loss),
            diff(row, |r| r.best_validation_loss),
            diff(row, |r| r.accuracy),
            diff(row, |r| r.rmse),
        ]);
    }
    for record in &records {
        // Writing CSV into memory cannot fail; an error would only drop the row.
        let _ = writer.write_record(record);
    }
    writer.into_inner().unwrap_or_default()
}
