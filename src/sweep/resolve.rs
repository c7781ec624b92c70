//! The sweep file's values checked: from the serde mirror (`raw`) to the
//! `Sweep` the command trusts.
//!
//! The same pipeline as the experiment file's (`config`): serde refuses an
//! unknown key or a value of the wrong shape, and this module turns its
//! complaint into a message at the key's line and column that says what is
//! allowed; then every value is checked here, each error located the same
//! way. Nothing is checked twice and nothing is matched by hand from TOML.

use std::collections::HashSet;
use std::path::Path;

use serde_path_to_error::Segment;
use toml::Value;

use super::raw::{RawDistribution, RawRandom, RawSweep};
use super::spec::{Distribution, MAX_RUNS, Sweep, value_text};
use crate::config::{ConfigError, Location, Source};
use crate::text::closest;

const EXPERIMENT: &str = "must be the path of the base experiment file, as a string";
const SEED: &str = "must be a whole number, 0 or more";
const GRID: &str = "must be a table of \"dotted.key\" = [values]";
const GRID_VALUES: &str = "must be a non-empty array of the values to try";
const RANDOM: &str = "must be a table with `samples` and \"dotted.key\" = { distribution }";
const DISTRIBUTION: &str = "must be one of { uniform = [low, high] }, { log_uniform = [low, high] }, \
                            { int_uniform = [low, high] }, { choice = [values] }";

/// What `samples` must be.
fn samples_allowed() -> String {
    format!("must be a whole number from 1 to {MAX_RUNS}")
}

/// What the arguments of distribution `kind` must be.
fn arguments_allowed(kind: &str) -> String {
    match kind {
        "int_uniform" => {
            "`int_uniform` takes [low, high], whole numbers with low ≤ high".to_string()
        }
        "choice" => "`choice` takes a non-empty array of values".to_string(),
        kind => format!("`{kind}` takes [low, high], two numbers"),
    }
}

/// Turns serde's complaint about the sweep file into a located message that
/// names the key and says what it may be. Unknown keys are told by the
/// experiment file's rule (`config::serde_error`: "did you mean").
pub(super) fn serde_error(
    source: &Source,
    error: &serde_path_to_error::Error<toml::de::Error>,
) -> ConfigError {
    let mut located = crate::config::serde_error(source, error);
    let path: Vec<&str> = error
        .path()
        .iter()
        .filter_map(|segment| match segment {
            Segment::Map { key } => Some(key.as_str()),
            Segment::Enum { variant } => Some(variant.as_str()),
            Segment::Seq { .. } => Some("#"),
            Segment::Unknown => None,
        })
        .collect();
    let inner = error.inner().message();
    if let ["random", key, ..] = path.as_slice() {
        let at = format!("random.{key}");
        // An unknown distribution is told at its name, as an unknown key is.
        if located.message.starts_with("unknown value") {
            let word = inner.split('`').nth(1).unwrap_or_default();
            let message = located
                .message
                .replacen("unknown value", "unknown distribution", 1);
            return source.key_error(&format!("{at}.{word}"), message);
        }
        // `samples` misspelt reads as a key to sample: no experiment key is
        // a single word, so a near miss is the count.
        let samples = ["samples".to_string()];
        if path.len() == 2
            && *key != "samples"
            && !key.contains('.')
            && closest(key, &samples).is_some()
        {
            let message = format!(
                "unknown key `{key}`; did you mean `samples`? [random] holds \
                 `samples = N` and \"dotted.key\" = {{ distribution }}"
            );
            return source.key_error(&at, message);
        }
        // Not a table of one key: serde reads a string as a variant with
        // nothing inside, and counts a table's keys.
        if inner.contains("unit variant") || inner.contains("wanted exactly 1 element") {
            return source.error(&at, format!("{DISTRIBUTION}, a table of one key"));
        }
    }
    if located.message.starts_with("unknown ") {
        return located;
    }
    let allowed = match path.as_slice() {
        ["experiment"] => EXPERIMENT.to_string(),
        ["seed"] => SEED.to_string(),
        ["grid"] => GRID.to_string(),
        ["grid", _, ..] => GRID_VALUES.to_string(),
        ["random"] => RANDOM.to_string(),
        ["random", "samples"] => samples_allowed(),
        ["random", _] => DISTRIBUTION.to_string(),
        ["random", _, kind, ..] => arguments_allowed(kind),
        _ => return located,
    };
    located.message = match found(inner) {
        Some(found) => format!("{allowed}; got {found}"),
        None => format!("{allowed} ({})", located.message),
    };
    located
}

/// What serde found instead: "string \"x\"" of "invalid type: string \"x\",
/// expected u64", in the words the experiment file's messages use.
fn found(message: &str) -> Option<String> {
    let rest = message
        .trim()
        .strip_prefix("invalid type: ")
        .or_else(|| message.trim().strip_prefix("invalid value: "))?;
    let (what, _) = rest.split_once(", expected")?;
    Some(
        what.replacen("map", "a table", 1)
            .replacen("sequence", "an array", 1),
    )
}

/// Checks every value of the sweep file; `canonical` is its text for the
/// sweep's id, `file` where relative paths start.
pub(super) fn resolve(
    raw: RawSweep,
    file: &Path,
    source: &Source,
    canonical: String,
) -> Result<Sweep, ConfigError> {
    let experiment = match raw.experiment {
        Some(path) if !path.trim().is_empty() => path,
        Some(_) => return Err(source.error("experiment", EXPERIMENT)),
        None => {
            return Err(source.error(
                "experiment",
                "is required: the base experiment file, relative to this sweep file (experiment = \"heart.toml\")",
            ));
        }
    };
    let grid = match raw.grid {
        Some(grid) => resolve_grid(grid, source)?,
        None => Vec::new(),
    };
    let (samples, random) = match raw.random {
        Some(random) => resolve_random(random, source)?,
        None => (0, Vec::new()),
    };
    if grid.is_empty() && random.is_empty() {
        return Err(source.error(
            "grid",
            "the sweep varies nothing: give a [grid] or a [random] section",
        ));
    }
    check_keys_once(&grid, &random, source)?;
    let base = file.parent().unwrap_or(Path::new("."));
    Ok(Sweep {
        file: file.to_path_buf(),
        experiment: base.join(experiment),
        seed: raw.seed.unwrap_or(0),
        grid,
        samples,
        random,
        canonical,
    })
}

fn resolve_grid(
    grid: std::collections::BTreeMap<String, Vec<Value>>,
    source: &Source,
) -> Result<Vec<(String, Vec<Value>)>, ConfigError> {
    let mut out = Vec::with_capacity(grid.len());
    for (key, values) in grid {
        check_key(&key, "grid", source)?;
        let path = format!("grid.{key}");
        if values.is_empty() {
            return Err(source.error(&path, GRID_VALUES));
        }
        // A value given twice would be the same run twice: counted twice in
        // the point's statistics, or, run in parallel, two processes on one
        // run directory. Compared by their TOML text, hashed: a list as long
        // as the sweep allows is checked at once.
        let mut written = HashSet::with_capacity(values.len());
        if let Some(value) = values.iter().find(|v| !written.insert(value_text(v))) {
            return Err(source.error(
                &path,
                format!(
                    "lists {} twice; each value is one run (repeat a point with experiment.seed)",
                    value_text(value)
                ),
            ));
        }
        out.push((key, values));
    }
    Ok(out)
}

fn resolve_random(
    random: RawRandom,
    source: &Source,
) -> Result<(usize, Vec<(String, Distribution)>), ConfigError> {
    let samples = match random.samples {
        Some(n) if (1..=MAX_RUNS as u64).contains(&n) => Some(n as usize),
        Some(n) => {
            return Err(source.error("random.samples", format!("{}; got {n}", samples_allowed())));
        }
        None => None,
    };
    let mut out = Vec::with_capacity(random.keys.len());
    for (key, raw) in random.keys {
        check_key(&key, "random", source)?;
        let distribution = resolve_distribution(raw, &format!("random.{key}"), source)?;
        out.push((key, distribution));
    }
    match (samples, out.is_empty()) {
        (Some(samples), false) => Ok((samples, out)),
        (None, false) => Err(source.error(
            "random",
            "needs `samples = N`, how many random points to draw",
        )),
        (_, true) => Err(source.error("random", "names no key to sample")),
    }
}

fn resolve_distribution(
    raw: RawDistribution,
    path: &str,
    source: &Source,
) -> Result<Distribution, ConfigError> {
    match raw {
        RawDistribution::Uniform(bounds) => {
            range(&bounds, "uniform", path, source).map(|(l, h)| Distribution::Uniform(l, h))
        }
        RawDistribution::LogUniform(bounds) => {
            range(&bounds, "log_uniform", path, source).map(|(l, h)| Distribution::LogUniform(l, h))
        }
        RawDistribution::IntUniform(bounds) => match bounds[..] {
            [low, high] if low <= high => Ok(Distribution::IntUniform(low, high)),
            _ => Err(source.error(path, arguments_allowed("int_uniform"))),
        },
        RawDistribution::Choice(values) if !values.is_empty() => Ok(Distribution::Choice(values)),
        RawDistribution::Choice(_) => Err(source.error(path, arguments_allowed("choice"))),
    }
}

/// The bounds of a `uniform` or `log_uniform`: two finite numbers, low <
/// high (both above 0 for a logarithm).
fn range(
    bounds: &[f64],
    kind: &str,
    path: &str,
    source: &Source,
) -> Result<(f64, f64), ConfigError> {
    let [low, high] = bounds[..] else {
        return Err(source.error(path, arguments_allowed(kind)));
    };
    let log = kind == "log_uniform";
    if low.is_finite() && high.is_finite() && low < high && (!log || low > 0.0) {
        Ok((low, high))
    } else {
        Err(source.error(
            path,
            format!(
                "`{kind}` needs finite low < high{}",
                if log { ", both above 0" } else { "" }
            ),
        ))
    }
}

/// Refuses a sweep of more than `MAX_RUNS` runs, counting the grid's
/// arrays and the random samples as written (what is malformed is told
/// later, where it is parsed).
pub(super) fn check_size(
    grid: Option<&Value>,
    random: Option<&Value>,
    source: &Source,
) -> Result<(), ConfigError> {
    let lengths = grid
        .and_then(Value::as_table)
        .into_iter()
        .flat_map(|grid| grid.values())
        .map(|values| values.as_array().map_or(1, |values| values.len().max(1)));
    let samples = random
        .and_then(|random| random.get("samples"))
        .and_then(Value::as_integer)
        .map_or(1, |n| usize::try_from(n).unwrap_or(1).max(1));
    let runs = lengths
        .chain([samples])
        .try_fold(1usize, |count, n| count.checked_mul(n));
    match runs {
        Some(n) if n <= MAX_RUNS => Ok(()),
        // Told where the count comes from: a random-only sweep has no grid.
        _ => Err(source.error(
            if grid.is_some() {
                "grid"
            } else {
                "random.samples"
            },
            format!(
                "this sweep would make {} runs; at most {MAX_RUNS} are allowed",
                runs.map_or("more than 2^64".to_string(), |n| n.to_string())
            ),
        )),
    }
}

/// A key as the experiment reads it: array positions are numbers, so
/// `model.layers.00.units` is `model.layers.0.units`.
fn canonical_key(key: &str) -> String {
    key.split('.')
        .map(|segment| {
            if segment.bytes().all(|b| b.is_ascii_digit()) {
                let trimmed = segment.trim_start_matches('0');
                if trimmed.is_empty() { "0" } else { trimmed }
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Refuses a key swept twice: spelt two ways, or in both `[grid]` and
/// `[random]`. Either would give two columns of one setting, and runs whose
/// values say one thing while the experiment used the other.
fn check_keys_once(
    grid: &[(String, Vec<Value>)],
    random: &[(String, Distribution)],
    source: &Source,
) -> Result<(), ConfigError> {
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let keys = grid
        .iter()
        .map(|(key, _)| format!("grid.{key}"))
        .chain(random.iter().map(|(key, _)| format!("random.{key}")));
    for path in keys {
        let Some((_, key)) = path.split_once('.') else {
            continue;
        };
        if let Some(first) = seen.insert(canonical_key(key), path.clone()) {
            let (first_key, second_key) = (&first[first.find('.').map_or(0, |i| i + 1)..], key);
            let same = if first_key == second_key {
                format!("`{key}` is swept in both [grid] and [random]")
            } else {
                format!("`{second_key}` is `{first_key}` spelt another way")
            };
            return Err(source.key_error(
                &path,
                format!(
                    "{same} (first at {}); sweep each key once, in one section",
                    place(source, &first)
                ),
            ));
        }
    }
    Ok(())
}

/// Where the sweep file wrote `path`, as `file:line:column`.
fn place(source: &Source, path: &str) -> String {
    match source.key_error(path, "").location {
        Location::Line {
            file, line, column, ..
        } => format!("{}:{line}:{column}", file.display()),
        Location::File(file) => file.display().to_string(),
        Location::Override(assignment) => assignment,
    }
}

fn check_key(key: &str, section: &str, source: &Source) -> Result<(), ConfigError> {
    let ok = !key.is_empty()
        && key.split('.').all(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
    if ok {
        Ok(())
    } else {
        Err(source.key_error(
            &format!("{section}.{key}"),
            format!(
                "`{key}` is not a dotted key of the experiment (such as \"training.learning_rate\")"
            ),
        ))
    }
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
