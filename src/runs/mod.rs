//! `synapse runs`: the runs under a results directory, found from their
//! files alone (`collect`), narrowed by `--where` (`filter`), ordered by a
//! metric (`sort`) and printed as a table, CSV or JSON (`render`), so that
//! a run can be found again without remembering its id, as `mlflow runs
//! list` or `guild runs` find theirs.

mod collect;
mod filter;
mod render;
mod sort;

use std::path::Path;

use crate::error::Error;

/// How the list is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned, numbers as people read them.
    Table,
    /// Full precision, one row per run.
    Csv,
    /// Full precision, an array of one object per run.
    Json,
}

/// What `synapse runs` was asked.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    /// Experiment names (directories under the results directory); all when empty.
    pub experiments: &'a [String],
    /// `--where KEY=VALUE`, all of which must hold.
    pub filters: &'a [String],
    /// `--sort METRIC`.
    pub sort: Option<&'a str>,
    pub format: Format,
}

/// The list of the runs under `results` that `query` asks for, as text.
pub fn list(results: &Path, query: &Query<'_>) -> Result<String, Error> {
    let runs = collect::collect(results, query.experiments)?;
    let filters = filter::parse(query.filters, &runs)?;
    let mut runs: Vec<collect::Listed> = runs
        .into_iter()
        .filter(|run| filters.iter().all(|f| f.holds(run)))
        .collect();
    match query.sort {
        Some(metric) => sort::by_metric(&mut runs, metric)?,
        None => sort::by_experiment(&mut runs),
    }
    Ok(render::render(&runs, query.format))
}
