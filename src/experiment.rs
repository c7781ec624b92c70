//! An experiment: its config checked against its data. What `run`, `check`,
//! `trace`, `gradcheck` and the sweep's whole-file check share; outside
//! `commands` so that the sweep can check its points without depending on
//! the command modules that depend on it.

use std::path::Path;

use crate::config::{self, Config, Loaded};
use crate::data::{self, PreparedData};
use crate::error::Error;

/// The experiment file read, its data prepared, and both checked together.
/// The returned config names the task it inferred.
pub fn load(file: &Path, assignments: &[String]) -> Result<(Config, PreparedData), Error> {
    let loaded = config::load(file, assignments)?;
    let data = data::prepare(&loaded.config).map_err(|error| data_error(&loaded, error))?;
    let config = checked(loaded, &DataFacts::of(&data))?;
    Ok((config, data))
}

/// What checking a config against its data needs to know of the data, and
/// what a run's id takes from it: small enough to keep for every distinct
/// data set of a sweep.
#[derive(Debug, Clone)]
pub struct DataFacts {
    pub task: config::Task,
    pub classes: usize,
    pub inputs: usize,
    /// The inputs that are numbers (not a text column's one-hot inputs):
    /// what `plots.slice` may name.
    pub numeric_inputs: Vec<String>,
    pub content_hash: String,
}

impl DataFacts {
    pub fn of(data: &PreparedData) -> DataFacts {
        DataFacts {
            task: data.task,
            classes: data.classes.len(),
            inputs: data.inputs.len(),
            numeric_inputs: data::numeric_inputs::numeric_inputs(data)
                .into_iter()
                .map(|i| data.inputs[i].clone())
                .collect(),
            content_hash: data.content_hash.clone(),
        }
    }
}

/// A data problem, pointed into the experiment file too when it is about
/// one of its keys.
pub fn data_error(loaded: &Loaded, error: data::DataError) -> Error {
    match error.config_key {
        Some(key) => Error::from(loaded.source.error(key, error.to_string())),
        None => Error::Data(error),
    }
}

/// The loaded config checked against its data; names the task it inferred.
pub fn checked(loaded: Loaded, data: &DataFacts) -> Result<Config, Error> {
    config::check_against_data(
        &loaded.config,
        &loaded.source,
        data.task,
        data.classes,
        data.inputs,
    )?;
    config::check_slice(&loaded.config.plots, &loaded.source, &data.numeric_inputs)?;
    let mut config = loaded.config;
    config.data.task = Some(data.task);
    Ok(config)
}

/// One line about the data, for the terminal.
pub fn describe(data: &PreparedData) -> String {
    let count = |e: &Option<data::Examples>| e.as_ref().map_or(0, data::Examples::len);
    format!(
        "{} task, {}, {} training / {} validation / {} test examples",
        task_name(data.task),
        crate::text::plural(data.inputs.len(), "input", "inputs"),
        data.train.len(),
        count(&data.validation),
        count(&data.test),
    )
}

pub fn task_name(task: config::Task) -> &'static str {
    match task {
        config::Task::Binary => "binary",
        config::Task::Multiclass => "multiclass",
        config::Task::Regression => "regression",
    }
}
