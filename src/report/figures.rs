//! The plots of the page, from result files: a run's cost curves and a
//! sweep's overlay with seed bands, drawn by `crate::plot` like the plots
//! `run` and `sweep` write, with long curves thinned to what a plot can show.

use std::collections::BTreeSet;

use super::collect::{Collection, Sweep};
use crate::plot::{Figure, Reference, Series};
use crate::results::cost_figure::{RunCurves, class_words, epoch_markers, run_panels};
use crate::results::read::RunFiles;
use crate::results::thin::{MAX_PLOT_POINTS, thin};
use crate::sweep::aggregate::{self, RunResult, SEED_KEY};
use crate::sweep::figure::sweep_figure;
use crate::sweep::spec::RunSpec;
use crate::text;

/// As `run` draws its cost.png, from the result files: the cost, the loss
/// per example and the task's metric per epoch, with the baseline of
/// summary.json dashed and the best and restored epochs marked. The page's
/// heading names the run, so the figure has no title of its own.
pub fn run_figure(run: &RunFiles) -> Figure {
    let line = |label: &str, column: &str| {
        run.series(column).map(|points| Series {
            label: label.to_string(),
            points,
            band: None,
        })
    };
    let regression = run.columns.iter().any(|c| c == "train_rmse");
    let metric = if regression { "rmse" } else { "accuracy" };
    let summary = &run.summary;
    // The split the curves are judged on: validation, else training.
    let baseline = summary.baseline.as_ref().map(|b| {
        let scores = b.validation.as_ref().unwrap_or(&b.train);
        let words = b
            .class
            .as_deref()
            .map_or_else(|| "always the mean".to_string(), class_words);
        (words, scores)
    });
    let reference = |key: &str| -> Vec<Reference> {
        baseline
            .as_ref()
            .and_then(|(words, scores)| {
                let y = *scores.get(key)?;
                Some(Reference {
                    label: format!("{words} {}", text::number(y)),
                    y,
                })
            })
            .into_iter()
            .collect()
    };
    let mut figure = Figure {
        title: String::new(),
        panels: run_panels(RunCurves {
            cost: line("train cost", "train_cost").into_iter().collect(),
            losses: [
                line("train", "train_loss"),
                line("validation", "validation_loss"),
            ]
            .into_iter()
            .flatten()
            .collect(),
            metrics: [
                line("train", &format!("train_{metric}")),
                line("validation", &format!("validation_{metric}")),
            ]
            .into_iter()
            .flatten()
            .collect(),
            regression,
            loss_baseline: reference("loss"),
            metric_baseline: reference(metric),
            markers: epoch_markers(
                summary.best.as_ref().map(|b| b.epoch),
                summary.restored_epoch,
            ),
        }),
    };
    thin_figure(&mut figure, MAX_PLOT_POINTS);
    figure
}

/// As `sweep` draws it, from summary.csv and the runs it names: every
/// point's mean curve over its seeds, in a ± one standard deviation band.
pub fn sweep_overlay(collection: &Collection, sweep: &Sweep) -> Figure {
    let results = sweep_results(collection, sweep);
    let points = aggregate::points(&results);
    let validation = results
        .iter()
        .filter_map(|r| r.files.as_ref())
        .any(|f| f.columns.iter().any(|c| c == "validation_loss"));
    let mut figure = sweep_figure("", &points, validation);
    thin_figure(&mut figure, MAX_PLOT_POINTS);
    figure
}

/// The sweep's runs as `sweep` holds them when it draws: summary.csv's
/// rows, in order, with the files of the runs they name.
pub fn sweep_results(collection: &Collection, sweep: &Sweep) -> Vec<RunResult> {
    sweep
        .files
        .rows
        .iter()
        .zip(&sweep.members)
        .enumerate()
        .map(|(index, (row, member))| RunResult {
            spec: RunSpec {
                position: index + 1,
                values: row
                    .params
                    .iter()
                    .map(|(key, text)| (key.clone(), toml_value(text)))
                    .collect(),
            },
            status: row.status,
            dir: None,
            files: member
                .as_ref()
                .and_then(|(experiment, run)| collection.run(experiment, run))
                .cloned(),
            error: None,
        })
        .collect()
}

/// "learning_rate × units, 3 seeds each", as the sweep command titles its plot.
pub fn sweep_description(sweep: &Sweep) -> String {
    let Some(first) = sweep.files.rows.first() else {
        return "no runs".to_string();
    };
    let swept: Vec<&str> = first
        .params
        .iter()
        .map(|(key, _)| key.as_str())
        .filter(|key| *key != SEED_KEY)
        .map(|key| key.rsplit('.').next().unwrap_or(key))
        .collect();
    let seeds: BTreeSet<&str> = sweep
        .files
        .rows
        .iter()
        .flat_map(|row| &row.params)
        .filter(|(key, _)| key == SEED_KEY)
        .map(|(_, value)| value.as_str())
        .collect();
    let mut text = if swept.is_empty() {
        "seeds".to_string()
    } else {
        swept.join(" × ")
    };
    if seeds.len() > 1 {
        text.push_str(&format!(", {} seeds each", seeds.len()));
    }
    text
}

/// A summary.csv cell is the value as TOML (`0.1`, `"adam"`); text that is
/// not TOML stays text.
fn toml_value(text: &str) -> toml::Value {
    text.parse::<toml::Value>()
        .unwrap_or_else(|_| toml::Value::String(text.to_string()))
}

fn thin_figure(figure: &mut Figure, max: usize) {
    for series in figure.panels.iter_mut().flat_map(|p| p.series.iter_mut()) {
        series.points = thin(&series.points, max);
        if let Some(band) = &series.band {
            series.band = Some(stride(band, max));
        }
    }
}

/// Every k-th item and the last, at most about `max`: a shaded band has no
/// extremes that a reader would look for.
fn stride<T: Copy>(items: &[T], max: usize) -> Vec<T> {
    if items.len() <= max || max < 2 {
        return items.to_vec();
    }
    let step = items.len().div_ceil(max - 1);
    let mut out: Vec<T> = items.iter().step_by(step).copied().collect();
    if !(items.len() - 1).is_multiple_of(step) {
        out.extend(items.last().copied());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strides_keep_the_last_item() {
        let items: Vec<u32> = (0..1000).collect();
        let out = stride(&items, 100);
        assert!(out.len() <= 101, "{}", out.len());
        assert_eq!(out.first(), Some(&0));
        assert_eq!(out.last(), Some(&999));
    }

    #[test]
    fn summary_cells_read_back_as_the_toml_values_sweep_wrote() {
        assert_eq!(toml_value("0.1"), toml::Value::Float(0.1));
        assert_eq!(toml_value("8"), toml::Value::Integer(8));
        assert_eq!(toml_value("\"adam\""), toml::Value::String("adam".into()));
        assert_eq!(
            toml_value("not toml"),
            toml::Value::String("not toml".into())
        );
    }
}
