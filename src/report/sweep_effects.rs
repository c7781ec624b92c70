//! A sweep's effects plot in the page, drawn as `sweep` draws effects.svg
//! (`sweep::effects`), from summary.csv and the runs it names. The page has
//! no sweep file, so what the file said is told from the values: the keys
//! form a grid when every combination of their values was run, and a key
//! is drawn on a log axis where its values are log-spaced or, without a
//! grid, span two decades (a log-uniform draw).

use std::collections::BTreeSet;

use super::collect::{Collection, Sweep};
use super::html::escape;
use crate::plot;
use crate::sweep::aggregate::{RunResult, SEED_KEY};
use crate::sweep::effects::{Keys, effects_figure};
use crate::sweep::ranking::resolve_metric;
use crate::sweep::spec::RunSpec;
use crate::sweep::tables::metric_names;

/// `<figure>` with the effects plot's SVG inline, or nothing where no run
/// has the metric (nothing finished).
pub fn sweep_effects(collection: &Collection, experiment: &str, sweep: &Sweep) -> String {
    let results: Vec<RunResult> = sweep
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
                    .map(|(key, text)| {
                        let value = text
                            .parse::<toml::Value>()
                            .unwrap_or_else(|_| toml::Value::String(text.clone()));
                        (key.clone(), value)
                    })
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
        .collect();
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
    let body = match plot::render_dots_svg(&figure) {
        Ok(svg) => svg.content.replacen(
            "<svg ",
            &format!(
                "<svg class=\"plot\" role=\"img\" aria-label=\"{}\" \
                 style=\"--natural-width: {}px\" ",
                escape("The sweep's effects: the metric against each swept setting"),
                svg.width
            ),
            1,
        ),
        Err(error) => format!(
            "<p class=\"note\">The plot could not be drawn: {}</p>",
            escape(&error.to_string())
        ),
    };
    format!(
        "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        body.trim_end(),
        escape(
            "Effects: each dot is a run, each square a point's mean over its seeds with a bar of ± one standard deviation; \
             in a grid, a line joins the means of each value of another key; the dashed line is the baseline."
        )
    )
}
