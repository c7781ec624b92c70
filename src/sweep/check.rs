//! A sweep checked whole before anything trains: every run as `synapse
//! check` would check it, and no two runs that would be one.
//!
//! Running a sweep whose third value is out of range would train two runs,
//! then record a failure that was knowable at the start; a refused run is
//! the sweep file's mistake, so the whole sweep is refused (exit 2) and
//! nothing is written. What is left to fail once training starts (the file
//! system) fails one run, not the sweep.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use crate::config;
use crate::data::{self, Examples, PreparedData};
use crate::error::Error;
use crate::experiment::{self, DataFacts};
use crate::results::run_id;
use crate::sweep::spec::{RunSpec, Sweep};

/// A data set's facts and, while the sweep's data sets together are under
/// `KEPT_BYTES`, the data itself; or why it cannot be used.
type Prepared = Result<(DataFacts, Option<Arc<PreparedData>>), data::DataError>;

/// How much prepared data the check keeps for the runs, so that each data
/// set is read and prepared once per sweep; past it (a sweep over the seeds
/// of a large file), a run prepares its own, as it would alone.
const KEPT_BYTES: usize = 256 << 20;

/// Each run's data, prepared by the check, by the run's position; a run
/// missing here prepares its own.
pub type Kept = HashMap<usize, Arc<PreparedData>>;

/// How many refusals are shown in full; the rest are counted.
const SHOWN: usize = 3;

/// How many more refused runs are named by their position alone.
const LISTED: usize = 20;

/// Refuses the whole sweep, listing the runs that cannot run, when any
/// cannot. Each run's id is computed to find two runs that would be one.
/// The data the check prepared is returned for the runs to use.
pub fn check_all(sweep: &Sweep, runs: &[RunSpec]) -> Result<Kept, Error> {
    // The base experiment was read already; reading it once more keeps every
    // run's check to text, and every data set is prepared once.
    // Through regular_file like every read: it may have been swapped since.
    let text = crate::regular_file::read_to_string(&sweep.experiment).map_err(|e| {
        Error::Usage(format!(
            "{}: cannot read the experiment file: {e}",
            crate::text::printable(&sweep.experiment.display().to_string())
        ))
    })?;
    // Each data set prepared once, by whichever run needs it first; the
    // runs are checked in parallel (a config's check is small, but a sweep
    // may have 100,000 of them).
    let data: Mutex<HashMap<String, Arc<OnceLock<Prepared>>>> = Mutex::new(HashMap::new());
    let kept_bytes = AtomicUsize::new(0);
    // Each run's id, and its data where it is kept.
    type Checked = Result<(String, Option<Arc<PreparedData>>), Error>;
    let checked: Vec<Checked> = runs
        .par_iter()
        .map(|run| {
            let loaded = config::load_text(&sweep.experiment, &text, &run.assignments())?;
            // What `data::prepare` reads of the config: a data set per
            // distinct source, split, seed and loss.
            let key = format!(
                "{:?}",
                (
                    &loaded.config.data,
                    loaded.config.experiment.seed,
                    loaded.config.training.loss
                )
            );
            let slot = {
                let mut data = data.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                Arc::clone(data.entry(key).or_default())
            };
            let (facts, prepared) = slot
                .get_or_init(|| {
                    data::prepare(&loaded.config).map(|d| {
                        let facts = DataFacts::of(&d);
                        let size = bytes(&d);
                        let total = kept_bytes.fetch_add(size, Ordering::Relaxed) + size;
                        (facts, (total <= KEPT_BYTES).then(|| Arc::new(d)))
                    })
                })
                .clone()
                .map_err(|error| experiment::data_error(&loaded, error))?;
            let config = experiment::checked(loaded, &facts)?;
            Ok((run_id::run_id(&config, &facts.content_hash), prepared))
        })
        .collect();
    let mut refused: Vec<(&RunSpec, Error)> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::with_capacity(runs.len());
    let mut kept = Kept::new();
    for (run, id) in runs.iter().zip(checked) {
        match id {
            Ok((id, prepared)) => {
                if let Some(prepared) = prepared {
                    kept.insert(run.position, prepared);
                }
                if let Some(first) = by_id.insert(id.clone(), run.position) {
                    refused.push((
                        run,
                        Error::Usage(format!(
                            "is the same run as run {first} (run id {id}): the values differ only \
                             in how they are written, so it would be counted twice"
                        )),
                    ));
                }
            }
            Err(error) => refused.push((run, error)),
        }
    }
    if refused.is_empty() {
        return Ok(kept);
    }
    let mut message = format!(
        "{}: {} of {} runs would be refused, so nothing was run:",
        sweep.file.display(),
        refused.len(),
        runs.len()
    );
    for (run, error) in refused.iter().take(SHOWN) {
        message.push_str(&format!(
            "\n\nrun {} ({}): {error}",
            run.position,
            crate::text::printable(&run.assignments().join(" "))
        ));
    }
    if refused.len() > SHOWN {
        let rest = &refused[SHOWN..];
        let mut positions: Vec<String> = rest
            .iter()
            .take(LISTED)
            .map(|(run, _)| run.position.to_string())
            .collect();
        if rest.len() > LISTED {
            positions.push("…".to_string());
        }
        message.push_str(&format!(
            "\n\n... and {} more runs refused (runs {})",
            rest.len(),
            positions.join(", ")
        ));
    }
    Err(Error::Usage(message))
}

/// About what a prepared data set holds in memory: its splits' numbers,
/// encoded and raw.
fn bytes(data: &PreparedData) -> usize {
    let split = |examples: &Examples| {
        let numbers = examples.inputs.len() + examples.targets.len();
        2 * numbers * std::mem::size_of::<f64>()
    };
    [
        Some(&data.train),
        data.validation.as_ref(),
        data.test.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(split)
    .sum()
}
