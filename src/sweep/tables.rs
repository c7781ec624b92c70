//! summary.csv (a row per run, written by `results::sweep_summary_csv`)
//! and points.csv (a row per point): pure views of the sweep's results.

use std::collections::BTreeSet;
use std::path::Path;

use super::aggregate::{Point, RunResult, SEED_KEY};
use super::spec::value_text;
use crate::results::metrics_csv::format_number;
use crate::results::sweep_summary_csv::{self, RunLine};
use crate::results::{csv_file, relative_path};

/// Every metric name that any run has, in sorted order.
pub fn metric_names(runs: &[RunResult]) -> Vec<String> {
    let names: BTreeSet<String> = runs.iter().flat_map(|r| r.metrics().into_keys()).collect();
    names.into_iter().collect()
}

/// summary.csv: a line per run, as `sweep_summary_csv` writes it.
pub fn summary_csv(keys: &[String], runs: &[RunResult], sweep_dir: &Path) -> String {
    let lines: Vec<RunLine> = runs
        .iter()
        .map(|run| RunLine {
            run: run.spec.position,
            status: run.status,
            params: keys
                .iter()
                .map(|key| {
                    run.spec
                        .values
                        .iter()
                        .find(|(k, _)| k == key)
                        .map(|(_, v)| value_text(v))
                        .unwrap_or_default()
                })
                .collect(),
            epochs_run: run.files.as_ref().map(|f| f.summary.epochs_run),
            metrics: run.metrics(),
            run_id: run.files.as_ref().map(|f| f.summary.run_id.clone()),
            run_dir: run.dir.as_ref().map(|d| relative_path(sweep_dir, d)),
            error: run.error.clone(),
        })
        .collect();
    sweep_summary_csv::render(keys, &metric_names(runs), &lines)
}

/// Columns: `point`, `param_<key>` for each swept key but the seed, `runs`,
/// `succeeded`, then `<metric>_mean` and `<metric>_std` for every metric.
pub fn points_csv(keys: &[String], points: &[Point<'_>], metrics: &[String]) -> String {
    let keys: Vec<&String> = keys.iter().filter(|k| *k != SEED_KEY).collect();
    let mut header = vec!["point".to_string()];
    header.extend(keys.iter().map(|k| format!("param_{k}")));
    header.extend(["runs", "succeeded"].map(String::from));
    for m in metrics {
        header.push(format!("{m}_mean"));
        header.push(format!("{m}_std"));
    }
    let mut rows = vec![header];
    for point in points {
        let mut row = vec![point.index.to_string()];
        for key in &keys {
            row.push(
                point
                    .values
                    .iter()
                    .find(|(k, _)| k == *key)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            );
        }
        row.push(point.runs.len().to_string());
        row.push(point.succeeded().len().to_string());
        let stats = point.metrics();
        for m in metrics {
            match stats.get(m) {
                Some(s) => {
                    row.push(format_number(s.mean));
                    // One run has no standard deviation: the cell is empty.
                    row.push(s.std.map(format_number).unwrap_or_default());
                }
                None => row.extend([String::new(), String::new()]),
            }
        }
        rows.push(row);
    }
    csv_file::to_text(rows)
}
