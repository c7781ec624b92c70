//! What a sweep writes into its own directory (summary.csv, points.csv,
//! the figure of its points, the effects plot of its settings), under the directory's lock, and the sweep's
//! identity that names that directory.

use std::path::Path;
use std::time::Instant;

use super::aggregate::{self, Point, RunResult};
use super::spec::Sweep;
use super::{effects, figure, ranking, tables};
use crate::config;
use crate::error::Error;
use crate::interrupt;
use crate::results::figure_files::FigureFiles;
use crate::results::run_lock::RunLock;
use crate::results::{atomic, run_dir, run_id};
use crate::run::timings::{FIGURES, FILES, Timings};

/// The sweep's identity: its content, the base experiment's, and the version.
pub fn sweep_id(sweep: &Sweep, base: &config::Config) -> String {
    let text = format!(
        "synapse {}\n{}\n{}\n",
        env!("CARGO_PKG_VERSION"),
        sweep.canonical,
        config::to_toml(base)
    );
    run_id::sha256_hex(text.as_bytes())[..12].to_string()
}

/// What the command line asked the sweep's figures for.
pub struct Asked<'a> {
    /// `--metric`, as typed: the effects plot's y.
    pub metric: &'a str,
    /// `--facet`: the key whose values get a panel each in the curves.
    pub facet: Option<&'a str>,
}

/// Writes the sweep's files; what they took is added to `timings` (files,
/// and each figure a part of figures).
#[allow(clippy::too_many_arguments)]
pub fn write_outputs(
    sweep: &Sweep,
    dir: &Path,
    name: &str,
    results: &[RunResult],
    points: &[Point<'_>],
    metrics: &[String],
    asked: Asked<'_>,
    timings: &mut Timings,
) -> Result<(), Error> {
    let started = Instant::now();
    let Asked {
        metric: asked_metric,
        facet,
    } = asked;
    run_dir::prepare(dir)?;
    // Two sweeps of one file write the same files: one at a time, each
    // clearing only what no one is writing any more.
    let _lock = RunLock::acquire(
        dir,
        || {
            eprintln!(
                "note: another synapse is writing {}; waiting for it",
                dir.display()
            )
        },
        interrupt::requested,
    )?;
    atomic::remove_strays(dir);
    let keys = sweep.keys();
    let write = |file: &str, bytes: &[u8]| {
        let path = dir.join(file);
        atomic::write(&path, bytes).map_err(Error::io(path))
    };
    write(
        "summary.csv",
        tables::summary_csv(&keys, results, dir).as_bytes(),
    )?;
    write(
        "points.csv",
        tables::points_csv(&keys, points, metrics).as_bytes(),
    )?;
    timings.add(FILES, started.elapsed());
    // The `--metric` the ranking uses; one no run has is the ranking's
    // error to report, after these files: the plot falls back to the default.
    let metric = ranking::resolve_metric(asked_metric, metrics)
        .ok()
        .flatten()
        .or_else(|| {
            ranking::resolve_metric("validation_loss", metrics)
                .ok()
                .flatten()
        });
    // The two figures at once: the runs are done, and the cores idle.
    let started = Instant::now();
    let timed = |draw: &dyn Fn() -> Result<(), Error>| {
        let started = Instant::now();
        (draw(), started.elapsed())
    };
    let ((cost, cost_time), (effects, effects_time)) = rayon::join(
        || {
            timed(&|| {
                let validation = metrics.iter().any(|m| m == "final_validation_loss");
                let title = sweep_title(name, &keys, results);
                let figure = figure::faceted_figure(&title, points, validation, facet);
                FigureFiles::write_cost(&figure, dir).map_err(Error::from)
            })
        },
        || {
            timed(&|| match &metric {
                Some(metric) => write_effects(sweep, dir, name, results, metric),
                None => Ok(()),
            })
        },
    );
    timings.add(FIGURES, started.elapsed());
    timings.add_part(FIGURES, "cost", cost_time);
    timings.add_part(FIGURES, "effects", effects_time);
    cost?;
    effects?;
    Ok(())
}

/// effects.svg and effects.png, both drawn before either is written.
fn write_effects(
    sweep: &Sweep,
    dir: &Path,
    name: &str,
    results: &[RunResult],
    metric: &str,
) -> Result<(), Error> {
    let figure = effects::effects_figure(name, &effects::Keys::of(sweep), results, metric);
    let (svg, png) = (dir.join("effects.svg"), dir.join("effects.png"));
    let svg_text = crate::plot::render_dots_svg(&figure)
        .map_err(Error::plot(svg.clone()))?
        .content;
    let png_bytes = crate::plot::render_dots_png(&figure)
        .map_err(Error::plot(png.clone()))?
        .content;
    atomic::write(&svg, svg_text.as_bytes()).map_err(Error::io(svg.clone()))?;
    atomic::write(&png, &png_bytes).map_err(Error::io(png.clone()))
}

/// "heart: learning_rate × units, 3 seeds each".
pub fn sweep_title(name: &str, keys: &[String], results: &[RunResult]) -> String {
    let values = |key: &str| {
        results
            .iter()
            .filter_map(|r| r.spec.values.iter().find(|(k, _)| k == key))
            .map(|(_, v)| v.to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    // A key of one value is no dimension of the sweep; the figure's title
    // names it as a constant (`epochs=40`).
    let swept: Vec<&str> = keys
        .iter()
        .filter(|k| *k != aggregate::SEED_KEY && values(k) > 1)
        .map(|k| k.rsplit('.').next().unwrap_or(k))
        .collect();
    let seeds = values(aggregate::SEED_KEY);
    let mut title = format!(
        "{name}: {}",
        if swept.is_empty() {
            "seeds".to_string()
        } else {
            swept.join(" × ")
        }
    );
    if seeds > 1 {
        title.push_str(&format!(", {seeds} seeds each"));
    }
    title
}
