//! The `[plots]` table: which plane the function figure draws (`slice`) and
//! at which epochs it is drawn as training goes (`snapshots`).
//!
//! Both keys stay out of config.toml unless the file sets them, so a run
//! that does not mention them keeps the id it always had; one that does is
//! a run of its own. `slice` is checked twice: its shape here, its names
//! once the data (and so its inputs) is known (`check_slice`).

use super::raw::RawPlots;
use super::resolved::Plots;
use super::source::{ConfigError, Source};
use crate::text::closest;

/// More snapshot panels than this would be too small to read side by side.
pub const MAX_SNAPSHOTS: usize = 8;

pub(super) fn resolve_plots(
    raw: Option<RawPlots>,
    epochs: usize,
    source: &Source,
) -> Result<Plots, ConfigError> {
    let Some(raw) = raw else {
        return Ok(Plots::default());
    };
    let slice = match raw.slice {
        None => None,
        Some(names) => Some(resolve_slice(names, source)?),
    };
    let snapshots = match raw.snapshots {
        None => None,
        Some(listed) => Some(resolve_snapshots(listed, epochs, source)?),
    };
    Ok(Plots { slice, snapshots })
}

fn resolve_slice(names: Vec<String>, source: &Source) -> Result<[String; 2], ConfigError> {
    let example = "for example slice = [\"weight_kg\", \"age_years\"]";
    match <[String; 2]>::try_from(names) {
        Ok([x, y]) if x == y => Err(source.error(
            "plots.slice",
            format!("names `{x}` twice; it takes two different inputs, the plane's x and y axes ({example})"),
        )),
        Ok(pair) => Ok(pair),
        Err(names) => Err(source.error(
            "plots.slice",
            format!(
                "has {} {}; it takes exactly two input names, the plane's x and y axes ({example})",
                names.len(),
                if names.len() == 1 { "name" } else { "names" }
            ),
        )),
    }
}

fn resolve_snapshots(
    mut listed: Vec<u64>,
    epochs: usize,
    source: &Source,
) -> Result<Vec<usize>, ConfigError> {
    if listed.len() > MAX_SNAPSHOTS {
        return Err(source.error(
            "plots.snapshots",
            format!(
                "lists {} epochs; at most {MAX_SNAPSHOTS} are allowed (more panels would be too small to read)",
                listed.len()
            ),
        ));
    }
    listed.sort_unstable();
    if let Some(late) = listed.iter().find(|&&e| e > epochs as u64) {
        return Err(source.error(
            "plots.snapshots",
            format!(
                "has epoch {late}, but training.epochs is {epochs}: each snapshot is an epoch from 0 \
                 (the initial weights) to {epochs}"
            ),
        ));
    }
    if let Some(pair) = listed.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(source.error(
            "plots.snapshots",
            format!("lists epoch {} twice; each epoch is drawn once", pair[0]),
        ));
    }
    // At most `epochs`, which fits in usize.
    Ok(listed.into_iter().map(|e| e as usize).collect())
}

/// The table as config.toml writes it: absent when no key is set.
pub(super) fn to_raw_plots(plots: &Plots) -> Option<RawPlots> {
    if plots.slice.is_none() && plots.snapshots.is_none() {
        return None;
    }
    Some(RawPlots {
        slice: plots.slice.clone().map(Vec::from),
        snapshots: plots
            .snapshots
            .as_ref()
            .map(|epochs| epochs.iter().map(|&e| e as u64).collect()),
    })
}

/// Checks `plots.slice` against the data: both names must be numeric inputs
/// (`numeric`, in input order); a text column's one-hot inputs have no axis
/// to draw.
pub fn check_slice(plots: &Plots, source: &Source, numeric: &[String]) -> Result<(), ConfigError> {
    let Some(slice) = &plots.slice else {
        return Ok(());
    };
    for name in slice {
        if numeric.iter().any(|n| n == name) {
            continue;
        }
        let allowed = if numeric.is_empty() {
            "this data has no numeric input, so there is no plane to draw".to_string()
        } else {
            format!("the numeric inputs are {}", numeric.join(", "))
        };
        let hint = closest(name, numeric)
            .map(|near| format!(" (did you mean `{near}`?)"))
            .unwrap_or_default();
        return Err(source.error(
            "plots.slice",
            format!("names `{name}`, which is not a numeric input{hint}; {allowed}"),
        ));
    }
    Ok(())
}
