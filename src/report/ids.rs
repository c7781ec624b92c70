//! Element ids of the page's sections, so that links and the script agree.
//!
//! Parts are slugs (letters, digits, `-`, `_`) joined by `.`, which no slug
//! contains: two different runs never share an id.

use super::html::slug;

pub fn experiment(experiment: &str) -> String {
    format!("experiment.{}", slug(experiment))
}

pub fn run(experiment: &str, run: &str) -> String {
    format!("run.{}.{}", slug(experiment), slug(run))
}

pub fn sweep(experiment: &str, sweep: &str) -> String {
    format!("sweep.{}.{}", slug(experiment), slug(sweep))
}
