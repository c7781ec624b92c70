//! The list as text: an aligned table for people (numbers through
//! `text::number`), or CSV and JSON at full precision for programs. Each
//! run has its status, findings, the config keys that differ among the
//! listed runs, and its headline metrics.

use std::collections::BTreeMap;

use super::Format;
use super::collect::Listed;
use super::sort;
use crate::results::csv_file;
use crate::results::metrics_csv::format_number;
use crate::text::{self, Table};

/// Free text that differs between otherwise identical experiments.
const IGNORED_KEYS: [&str; 1] = ["experiment.description"];
/// Shown for a key a run's config does not have, or a metric it has not.
const ABSENT: &str = "—";
/// Left out of the table (CSV and JSON have them): the cost is the loss
/// summed over the examples, and the rate is in the config.
const NOT_IN_TABLE: [&str; 2] = ["learning_rate", "train_cost"];

pub fn render(runs: &[Listed], format: Format) -> String {
    let keys = differing_keys(runs);
    let metrics = sort::available(runs);
    match format {
        Format::Table => table(runs, &keys, &metrics),
        Format::Csv => csv(runs, &keys, &metrics),
        Format::Json => json(runs, &keys, &metrics),
    }
}

/// The config keys whose values are not the same in every listed run (a
/// key some runs lack differs too), in key order.
fn differing_keys(runs: &[Listed]) -> Vec<String> {
    let mut keys: Vec<&String> = runs.iter().flat_map(|r| r.config.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|key| !IGNORED_KEYS.contains(&key.as_str()))
        .filter(|key| {
            let first = runs.first().and_then(|r| r.config.get(*key));
            runs.iter().any(|r| r.config.get(*key) != first)
        })
        .cloned()
        .collect()
}

fn metric_values(run: &Listed) -> BTreeMap<String, f64> {
    run.run
        .summary
        .headline_or_derived()
        .map(|h| h.metrics)
        .unwrap_or_default()
}

fn findings(run: &Listed) -> Vec<&str> {
    run.run
        .summary
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect()
}

fn table(runs: &[Listed], keys: &[String], metrics: &[String]) -> String {
    if runs.is_empty() {
        return "no runs\n".to_string();
    }
    let with_sweep = runs.iter().any(|r| r.sweep.is_some());
    let metrics: Vec<&String> = metrics
        .iter()
        .filter(|m| !NOT_IN_TABLE.contains(&m.as_str()))
        .collect();
    let mut header = vec!["run", "experiment"];
    if with_sweep {
        header.push("sweep");
    }
    header.extend(["status", "findings"]);
    let left = header.len();
    header.extend(keys.iter().map(String::as_str));
    header.extend(metrics.iter().map(|m| m.as_str()));
    let mut out = Table::new(&header).left_then_right(left);
    for run in runs {
        let mut row = vec![run.run.summary.run_id.clone(), run.experiment.clone()];
        if with_sweep {
            row.push(run.sweep.clone().unwrap_or_else(|| ABSENT.to_string()));
        }
        row.push(run.run.summary.status.to_string());
        let codes = findings(run);
        row.push(if codes.is_empty() {
            ABSENT.to_string()
        } else {
            codes.join(", ")
        });
        row.extend(keys.iter().map(|key| {
            run.config
                .get(key)
                .map_or(ABSENT, |v| text::unquoted(v))
                .to_string()
        }));
        let values = metric_values(run);
        row.extend(metrics.iter().map(|m| {
            values
                .get(*m)
                .map_or(ABSENT.to_string(), |v| text::number(*v))
        }));
        out.row(row);
    }
    out.render()
}

fn csv(runs: &[Listed], keys: &[String], metrics: &[String]) -> String {
    let mut header: Vec<String> = ["run_id", "experiment", "sweep", "status", "findings", "dir"]
        .map(String::from)
        .to_vec();
    header.extend(keys.iter().cloned());
    header.extend(metrics.iter().cloned());
    let mut rows = vec![header];
    for run in runs {
        let mut row = vec![
            run.run.summary.run_id.clone(),
            run.experiment.clone(),
            run.sweep.clone().unwrap_or_default(),
            run.run.summary.status.to_string(),
            findings(run).join(" "),
            run.run.dir.display().to_string(),
        ];
        row.extend(
            keys.iter()
                .map(|k| run.config.get(k).cloned().unwrap_or_default()),
        );
        let values = metric_values(run);
        row.extend(
            metrics
                .iter()
                .map(|m| values.get(m).map(|v| format_number(*v)).unwrap_or_default()),
        );
        rows.push(row);
    }
    csv_file::to_text(rows)
}

fn json(runs: &[Listed], keys: &[String], metrics: &[String]) -> String {
    use serde_json::{Map, Value, json};
    let list: Vec<Value> = runs
        .iter()
        .map(|run| {
            let config: Map<String, Value> = keys
                .iter()
                .filter_map(|k| Some((k.clone(), Value::from(run.config.get(k)?.as_str()))))
                .collect();
            let values = metric_values(run);
            // NaN (a diverged run) is null: JSON has no NaN.
            let metrics: Map<String, Value> = metrics
                .iter()
                .filter_map(|m| Some((m.clone(), Value::from(*values.get(m)?))))
                .collect();
            json!({
                "run_id": run.run.summary.run_id,
                "experiment": run.experiment,
                "sweep": run.sweep,
                "status": run.run.summary.status.as_str(),
                "findings": findings(run),
                "dir": run.run.dir.display().to_string(),
                "config": config,
                "metrics": metrics,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&Value::Array(list)).unwrap_or_default();
    text.push('\n');
    text
}
