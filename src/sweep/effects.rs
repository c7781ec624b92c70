//! The sweep's effects plot (effects.png/svg): what each swept setting did
//! to the ranking metric. One panel per swept key (the seed is what repeats
//! a point, not a setting), the key's values along x, every run a dot and
//! every point's mean ± sample std over its seeds as a bar: the spread of
//! the dots shows at a glance whether a difference between values is larger
//! than the noise between seeds, which the ranking's table cannot show.
//!
//! In a grid of two or more keys, each panel joins the means of each value
//! of a second key (the other grid key with the fewest values) by a line in
//! its own colour: parallel lines mean the keys act independently, crossing
//! or fanning ones an interaction. A random search has no such second key:
//! its samples share no values, so each is a point on its own.
//!
//! x is logarithmic where the values were drawn log-uniform, or are
//! positive and log-spaced (three or more values whose successive ratios
//! are about equal and above 1.5, like 0.01, 0.1, 1 or 4, 8, 16), or,
//! without a grid, positive and spread over two decades or more; strings,
//! booleans and anything else not a number are categories.
//!
//! The baseline (a constant predictor's value of the metric, from each
//! run's summary.json) is a dashed line. Runs with the same data and split
//! share one baseline; where the seed changes the split (heart), each run
//! has its own, and the line is their mean, said so in the legend: it is
//! still the level a model must beat, give or take the split.

use std::collections::BTreeMap;

use super::aggregate::{RunResult, SEED_KEY};
use super::spec::{self, Distribution, Sweep};
use crate::plot::{DotFigure, DotGroup, DotPanel, MeanBar, Reference, XScale};
use crate::statistics;
use crate::text;

/// More panels than this would not fit one image; the first keys are kept.
const MAX_PANELS: usize = 12;

/// The swept keys and how each was swept: what the figure needs of the
/// sweep file (the report has no sweep file, only its summary.csv).
pub struct Keys {
    /// In column order, the seed left out.
    pub keys: Vec<String>,
    /// The keys of the grid (each value combined with every other).
    pub grid: Vec<String>,
    /// The keys drawn log-uniform.
    pub log_uniform: Vec<String>,
}

impl Keys {
    pub fn of(sweep: &Sweep) -> Self {
        Keys {
            keys: sweep.keys().into_iter().filter(|k| k != SEED_KEY).collect(),
            grid: sweep
                .grid
                .iter()
                .map(|(k, _)| k.clone())
                .filter(|k| k != SEED_KEY)
                .collect(),
            log_uniform: sweep
                .random
                .iter()
                .filter(|(_, d)| matches!(d, Distribution::LogUniform(..)))
                .map(|(k, _)| k.clone())
                .collect(),
        }
    }
}

/// One run as the figure reads it: its swept values and its metric.
struct Observation<'a> {
    values: &'a [(String, toml::Value)],
    y: f64,
}

impl Observation<'_> {
    fn value(&self, key: &str) -> Option<&toml::Value> {
        self.values.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// The effects figure of `results` for `metric` (a resolved metric name,
/// such as `headline_validation_loss`), titled after the experiment `name`
/// (the panels name the keys).
pub fn effects_figure(name: &str, keys: &Keys, results: &[RunResult], metric: &str) -> DotFigure {
    let observations: Vec<Observation<'_>> = results
        .iter()
        .filter(|r| r.succeeded())
        .filter_map(|r| {
            let y = *r.metrics().get(metric)?;
            y.is_finite().then_some(Observation {
                values: &r.spec.values,
                y,
            })
        })
        .collect();
    let measure = measure_words(metric);
    let baseline = baseline(results, metric);
    // A key of one value (a grid's constant, such as `epochs = [40]`) has
    // no effect to show: it gets no panel and groups nothing.
    let varies = |key: &&String| distinct(&observations, key).len() > 1;
    let grid: Vec<&String> = keys.grid.iter().filter(varies).collect();
    let panels = keys
        .keys
        .iter()
        .filter(varies)
        .take(MAX_PANELS)
        .map(|key| {
            // The second key: the other grid key with the fewest values.
            let second = if grid.contains(&key) {
                grid.iter()
                    .copied()
                    .filter(|k| *k != key)
                    .min_by_key(|k| distinct(&observations, k).len())
            } else {
                None
            };
            let log = keys.log_uniform.contains(key);
            panel(
                key,
                second.map(String::as_str),
                log,
                grid.is_empty(),
                &observations,
                &measure,
                &baseline,
            )
        })
        .collect();
    let seeds = results
        .iter()
        .filter_map(|r| r.spec.values.iter().find(|(k, _)| k == SEED_KEY))
        .map(|(_, v)| spec::value_text(v))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let repeats = if seeds > 1 {
        format!(" (dots: runs; bars: mean ± std over {seeds} seeds)")
    } else {
        " (dots: runs)".to_string()
    };
    DotFigure {
        title: format!("{name}: {measure} by setting{repeats}"),
        panels,
    }
}

/// "validation loss" for `headline_validation_loss`: the headline is what
/// every metric of a run means unless it says otherwise.
fn measure_words(metric: &str) -> String {
    text::words(metric.strip_prefix("headline_").unwrap_or(metric))
}

/// The distinct values of `key` in order of first appearance.
fn distinct<'a>(observations: &[Observation<'a>], key: &str) -> Vec<&'a toml::Value> {
    let mut out: Vec<&'a toml::Value> = Vec::new();
    for o in observations {
        if let Some((_, v)) = o.values.iter().find(|(k, _)| k == key)
            && !out.contains(&v)
        {
            out.push(v);
        }
    }
    out
}

fn short(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// A value as a number, where it is one.
fn numeric(value: &toml::Value) -> Option<f64> {
    match value {
        toml::Value::Float(f) => Some(*f),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

/// Whether sorted, distinct, positive `values` are log-spaced: at least
/// three, successive ratios above 1.5 and within a factor 1.5 of each other.
fn log_spaced(values: &[f64]) -> bool {
    if values.len() < 3 || values.iter().any(|v| *v <= 0.0) {
        return false;
    }
    let ratios: Vec<f64> = values.windows(2).map(|w| w[1] / w[0]).collect();
    let low = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let high = ratios.iter().copied().fold(0.0, f64::max);
    low > 1.5 && high <= low * 1.5
}

/// The x scale of `key`'s values, and each value's x.
fn x_scale(values: &[&toml::Value], log_uniform: bool, no_grid: bool) -> (XScale, Vec<f64>) {
    let numbers: Option<Vec<f64>> = values.iter().map(|v| numeric(v)).collect();
    match numbers {
        Some(numbers) if !numbers.is_empty() => {
            let mut sorted = numbers.clone();
            sorted.sort_by(f64::total_cmp);
            sorted.dedup();
            let positive = sorted.first().is_some_and(|v| *v > 0.0);
            let wide = positive
                && sorted
                    .last()
                    .zip(sorted.first())
                    .is_some_and(|(hi, lo)| hi / lo >= 100.0);
            let log = positive && (log_uniform || log_spaced(&sorted) || (no_grid && wide));
            (if log { XScale::Log } else { XScale::Linear }, numbers)
        }
        _ => {
            let names = spec::labels(values);
            let xs = (0..values.len()).map(|i| i as f64).collect();
            (XScale::Categories(names), xs)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn panel(
    key: &str,
    second: Option<&str>,
    log_uniform: bool,
    no_grid: bool,
    observations: &[Observation<'_>],
    measure: &str,
    baseline: &Option<Reference>,
) -> DotPanel {
    let values = distinct(observations, key);
    let (scale, xs) = x_scale(&values, log_uniform, no_grid);
    let x_of = |o: &Observation<'_>| {
        let value = o.value(key)?;
        values
            .iter()
            .position(|v| *v == value)
            .and_then(|i| xs.get(i).copied())
    };
    let seconds: Vec<Option<&toml::Value>> = match second {
        Some(second) => distinct(observations, second)
            .into_iter()
            .map(Some)
            .collect(),
        None => vec![None],
    };
    let second_labels = spec::labels(&seconds.iter().flatten().copied().collect::<Vec<_>>());
    let groups = seconds
        .iter()
        .enumerate()
        .map(|(g, wanted)| {
            let members: Vec<&Observation<'_>> = observations
                .iter()
                .filter(|o| match (second, wanted) {
                    (Some(second), Some(wanted)) => o.value(second) == Some(*wanted),
                    _ => true,
                })
                .collect();
            let dots: Vec<(f64, f64)> = members
                .iter()
                .filter_map(|o| Some((x_of(o)?, o.y)))
                .collect();
            // Per x, the runs there: a point's seeds (and, with more than
            // two keys, the values of the keys not in this panel).
            let mut at: BTreeMap<u64, (f64, Vec<f64>)> = BTreeMap::new();
            for &(x, y) in &dots {
                at.entry(x.to_bits()).or_insert((x, Vec::new())).1.push(y);
            }
            let means = at
                .values()
                .filter_map(|(x, ys)| {
                    let stats = statistics::stats(ys)?;
                    Some(MeanBar {
                        x: *x,
                        mean: stats.mean,
                        std: stats.std,
                    })
                })
                .collect();
            DotGroup {
                label: second_labels.get(g).cloned().unwrap_or_default(),
                dots,
                means,
                joined: second.is_some(),
            }
        })
        .collect();
    let x_label = match scale {
        XScale::Log => format!("{key} (log scale)"),
        _ => key.to_string(),
    };
    DotPanel {
        title: short(key).to_string(),
        x_label,
        y_label: measure.to_string(),
        x: scale,
        legend_title: second.map(short).unwrap_or_default().to_string(),
        groups,
        references: baseline.iter().cloned().collect(),
    }
}

/// The baseline of `metric` over the runs: the one they share, or the mean
/// of theirs where their splits differ; none for a metric a constant
/// predictor has no value of (an epoch) or where a run has none.
fn baseline(results: &[RunResult], metric: &str) -> Option<Reference> {
    let rest = ["headline_", "final_", "best_"]
        .iter()
        .find_map(|p| metric.strip_prefix(p))
        .unwrap_or(metric);
    let (split, measure) = rest.split_once('_')?;
    let mut values = Vec::new();
    let mut shared: Option<(&str, f64)> = None;
    let mut same = true;
    let mut rule = None;
    for summary in results
        .iter()
        .filter(|r| r.succeeded())
        .filter_map(|r| r.files.as_ref().map(|f| &f.summary))
    {
        let baseline = summary.baseline.as_ref()?;
        let by_split = match split {
            "train" => Some(&baseline.train),
            "validation" => baseline.validation.as_ref(),
            "test" => baseline.test.as_ref(),
            _ => None,
        }?;
        let y = *by_split.get(measure)?;
        let this = (summary.data_hash.as_str(), y);
        same &= shared.is_none_or(|first| first == this);
        shared = shared.or(Some(this));
        rule = Some(baseline.class.as_ref().map_or_else(
            || "always the mean".to_string(),
            |c| format!("always \"{}\"", text::printable(c)),
        ));
        values.push(y);
    }
    let stats = statistics::stats(&values)?;
    let rule = rule?;
    let label = if same {
        format!("baseline ({rule}) {}", text::number(stats.mean))
    } else {
        format!(
            "baseline, mean over {} runs' splits {}",
            values.len(),
            text::number(stats.mean)
        )
    };
    Some(Reference {
        label,
        y: stats.mean,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_spacing_needs_three_values_with_about_equal_ratios() {
        assert!(log_spaced(&[0.01, 0.1, 1.0]));
        assert!(log_spaced(&[4.0, 8.0, 16.0]));
        assert!(log_spaced(&[1e-4, 3e-4, 1e-3, 3e-3]));
        assert!(!log_spaced(&[0.01, 0.1]));
        assert!(!log_spaced(&[1.0, 2.0, 3.0, 4.0]));
        assert!(!log_spaced(&[1.0, 10.0, 12.0]));
        assert!(!log_spaced(&[0.0, 1.0, 10.0]));
    }

    #[test]
    fn numbers_get_a_numeric_axis_and_anything_else_categories() {
        let rates = [0.01, 0.1, 1.0].map(toml::Value::Float);
        let (scale, xs) = x_scale(&rates.iter().collect::<Vec<_>>(), false, false);
        assert_eq!((scale, xs), (XScale::Log, vec![0.01, 0.1, 1.0]));
        let units = [2, 4, 6, 8].map(toml::Value::Integer);
        let (scale, _) = x_scale(&units.iter().collect::<Vec<_>>(), false, false);
        assert_eq!(scale, XScale::Linear);
        // Drawn log-uniform: a log axis whatever the draws' spacing.
        let drawn = [0.002, 0.003, 0.5].map(toml::Value::Float);
        let (scale, _) = x_scale(&drawn.iter().collect::<Vec<_>>(), true, true);
        assert_eq!(scale, XScale::Log);
        let flags = [toml::Value::Boolean(true), toml::Value::Boolean(false)];
        let (scale, xs) = x_scale(&flags.iter().collect::<Vec<_>>(), false, false);
        assert_eq!(
            (scale, xs),
            (
                XScale::Categories(vec!["true".to_string(), "false".to_string()]),
                vec![0.0, 1.0]
            )
        );
    }

    #[test]
    fn the_measure_is_named_in_words_without_the_headline_prefix() {
        assert_eq!(measure_words("headline_validation_loss"), "validation loss");
        assert_eq!(
            measure_words("best_validation_accuracy"),
            "best validation accuracy"
        );
    }
}
