//! summary.csv (a row per run) and points.csv (a row per point): pure views
//! of the sweep's results.

use std::collections::BTreeSet;
use std::path::Path;

use super::aggregate::{Point, RunResult, SEED_KEY};
use super::spec::value_text;
use crate::results::metrics_csv::format_number;
use crate::results::relative_path;

/// Every metric name that any run has, in sorted order.
pub fn metric_names(runs: &[RunResult]) -> Vec<String> {
    let names: BTreeSet<String> = runs.iter().flat_map(|r| r.metrics().into_keys()).collect();
    names.into_iter().collect()
}

fn to_csv(rows: Vec<Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail.
        writer.write_record(&row).expect("in-memory CSV");
    }
    String::from_utf8(writer.into_inner().expect("in-memory CSV"))
        .expect("CSV of UTF-8 fields is UTF-8")
}

/// Columns: `run` (its position), `status`, `param_<key>` for each swept
/// key, `epochs_run`, every metric, `run_id`, `run_dir` (relative to the
/// sweep directory) and `error`.
pub fn summary_csv(keys: &[String], runs: &[RunResult], sweep_dir: &Path) -> String {
    let metrics = metric_names(runs);
    let mut header = vec!["run".to_string(), "status".to_string()];
    header.extend(keys.iter().map(|k| format!("param_{k}")));
    header.push("epochs_run".to_string());
    header.extend(metrics.iter().cloned());
    header.extend(["run_id", "run_dir", "error"].map(String::from));
    let mut rows = vec![header];
    for run in runs {
        let mut row = vec![run.spec.position.to_string(), run.status.clone()];
        for key in keys {
            let value = run
                .spec
                .values
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| value_text(v));
            row.push(value.unwrap_or_default());
        }
        row.push(
            run.files
                .as_ref()
                .map(|f| f.summary.epochs_run.to_string())
                .unwrap_or_default(),
        );
        let values = run.metrics();
        row.extend(
            metrics
                .iter()
                .map(|m| values.get(m).map(|v| format_number(*v)).unwrap_or_default()),
        );
        row.push(
            run.files
                .as_ref()
                .map(|f| f.summary.run_id.clone())
                .unwrap_or_default(),
        );
        row.push(
            run.dir
                .as_ref()
                .map(|d| relative_path(sweep_dir, d).to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        row.push(run.error.clone().unwrap_or_default());
        rows.push(row);
    }
    to_csv(rows)
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
    to_csv(rows)
}
