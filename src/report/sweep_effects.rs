//! A sweep's effects plot in the page, drawn as `sweep` draws effects.svg
//! (`sweep::effects`), from summary.csv and the runs it names. The page has
//! no sweep file, so what the file said is told from the values: the keys
//! form a grid when every combination of their values was run, and a key
//! is drawn on a log axis where its values are log-spaced or, without a
//! grid, span two decades (a log-uniform draw).

use std::collections::BTreeSet;

use super::collect::{Collection, Sweep};
use super::figures::sweep_results;
use super::plot_markup::inline_dots;
use crate::sweep::aggregate::SEED_KEY;
use crate::sweep::effects::{Keys, effects_figure};
use crate::sweep::ranking::resolve_metric;
use crate::sweep::tables::metric_names;

/// `<figure>` with the effects plot's SVG inline, or nothing where no run
/// has the metric (nothing finished).
pub fn sweep_effects(collection: &Collection, experiment: &str, sweep: &Sweep) -> String {
    let results = sweep_results(collection, sweep);
    let Some(metric) = resolve_metric("validation_loss", &metric_names(&results))
        .ok()
        .flatten()
    else {
        return String::new();
    };
    let keys: Vec<String> = sweep
        .files
        .rows
        .first()
        .map(|row| {
            row.params
                .iter()
                .map(|(k, _)| k.clone())
                .filter(|k| k != SEED_KEY)
                .collect()
        })
        .unwrap_or_default();
    let distinct = |key: &str| {
        results
            .iter()
            .filter_map(|r| r.spec.values.iter().find(|(k, _)| k == key))
            .map(|(_, v)| v.to_string())
            .collect::<BTreeSet<_>>()
            .len()
    };
    let combinations = results
        .iter()
        .map(|r| {
            r.spec
                .values
                .iter()
                .filter(|(k, _)| k != SEED_KEY)
                .map(|(_, v)| v.to_string())
                .collect::<Vec<_>>()
        })
        .collect::<BTreeSet<_>>()
        .len();
    let full = keys.iter().map(|k| distinct(k)).product::<usize>();
    let grid = if keys.len() >= 2 && combinations == full {
        keys.clone()
    } else {
        Vec::new()
    };
    let figure = effects_figure(
        experiment,
        &Keys {
            keys,
            grid,
            log_uniform: Vec::new(),
        },
        &results,
        &metric,
    );
    inline_dots(
        &figure,
        "The sweep's effects: the metric against each swept setting",
        "Effects: each dot is a run, each square a point's mean over its seeds with a bar of ± one standard deviation; \
         in a grid, a line joins the means of each value of another key; the dashed line is the baseline.",
    )
}
