//! What `run` and `check` share: a config checked against its data.

use std::path::Path;

use crate::config::{self, Config};
use crate::data::{self, PreparedData};
use crate::error::Error;

/// The experiment file read, its data prepared, and both checked together.
/// The returned config names the task it inferred.
pub fn load(file: &Path, assignments: &[String]) -> Result<(Config, PreparedData), Error> {
    let loaded = config::load(file, assignments)?;
    let data = data::prepare(&loaded.config).map_err(|error| match error.config_key {
        // Point into the experiment file too, at the key the problem is about.
        Some(key) => Error::from(loaded.source.error(key, error.to_string())),
        None => Error::Data(error),
    })?;
    config::check_against_data(
        &loaded.config,
        &loaded.source,
        data.task,
        data.classes.len(),
        data.inputs.len(),
    )?;
    let mut config = loaded.config;
    config.data.task = Some(data.task);
    Ok((config, data))
}

/// One line about the data, for the terminal.
pub fn describe(data: &PreparedData) -> String {
    let count = |e: &Option<data::Examples>| e.as_ref().map_or(0, data::Examples::len);
    format!(
        "{} task, {} inputs, {} training / {} validation / {} test examples",
        task_name(data.task),
        data.inputs.len(),
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
