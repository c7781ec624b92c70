//! The numbers the comparison view draws, embedded in the page as JSON:
//! each run's metrics per epoch and its flattened config, in index order.

use serde_json::{Map, Value, json};

use super::collect::Collection;
use crate::results::config_toml;
use crate::results::read::RunFiles;
use crate::results::thin::keep_mask;

/// The comparison plot is about 800 px wide; curves are thinned to this
/// many points per metric so that a 10,000-epoch run stays small.
const MAX_POINTS: usize = 400;
/// Six significant digits are more than a plot can show, and keep the page
/// small.
const DIGITS: usize = 6;

/// `{"runs": [{"key", "experiment", "run", "status", "epochs", "series": {column: [...]}, "config": {key: value}}]}`,
/// runs in the order of the index (by experiment, then run directory).
pub fn comparison_data(collection: &Collection) -> Value {
    let mut runs = Vec::new();
    for (experiment, entry) in &collection.experiments {
        for (name, run) in &entry.runs {
            runs.push(run_data(experiment, name, run));
        }
    }
    json!({ "runs": runs })
}

fn run_data(experiment: &str, name: &str, run: &RunFiles) -> Value {
    let epoch = run.columns.iter().position(|c| c == "epoch");
    let columns: Vec<(usize, &String)> = run
        .columns
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != epoch)
        .collect();

    // A row is kept when any metric needs it, so all series share one epoch axis.
    let mut keep = vec![false; run.rows.len()];
    for (index, _) in &columns {
        let values: Vec<f64> = run
            .rows
            .iter()
            .map(|row| row.get(*index).copied().unwrap_or(f64::NAN))
            .collect();
        for (kept, needed) in keep.iter_mut().zip(keep_mask(&values, MAX_POINTS)) {
            *kept |= needed;
        }
    }
    let rows: Vec<(usize, &Vec<f64>)> = run
        .rows
        .iter()
        .enumerate()
        .zip(&keep)
        .filter_map(|(row, kept)| kept.then_some(row))
        .collect();

    let epochs: Vec<Value> = rows
        .iter()
        .map(|(i, row)| match epoch {
            Some(e) => rounded(row.get(e).copied().unwrap_or(f64::NAN)),
            None => json!(i + 1),
        })
        .collect();
    let mut series = Map::new();
    for (index, column) in &columns {
        let values: Vec<Value> = rows
            .iter()
            .map(|(_, row)| rounded(row.get(*index).copied().unwrap_or(f64::NAN)))
            .collect();
        series.insert((*column).clone(), Value::Array(values));
    }
    let config: Map<String, Value> = config_toml::flatten(&run.config)
        .into_iter()
        .map(|(key, value)| (key, Value::String(value)))
        .collect();
    json!({
        "key": format!("{experiment}/{name}"),
        "experiment": experiment,
        "run": name,
        "status": run.summary.status,
        "epochs": epochs,
        "series": series,
        "config": config,
    })
}

/// JSON has no NaN or infinity: those become null, where the plot breaks
/// its line.
fn rounded(x: f64) -> Value {
    if !x.is_finite() {
        return Value::Null;
    }
    let short: f64 = format!("{x:.prec$e}", prec = DIGITS - 1)
        .parse()
        .unwrap_or(x);
    if short.fract() == 0.0 && short.abs() < 1e15 {
        json!(short as i64)
    } else {
        json!(short)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_cut_to_six_digits_and_non_finite_ones_become_null() {
        assert_eq!(rounded(0.111_574_016_709_054_73), json!(0.111574));
        assert_eq!(rounded(54.654_005_197_702_546), json!(54.654));
        assert_eq!(rounded(100.0), json!(100));
        assert_eq!(rounded(f64::NAN), Value::Null);
        assert_eq!(rounded(f64::INFINITY), Value::Null);
    }
}
