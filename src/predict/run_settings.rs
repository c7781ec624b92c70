//! What `predict` and `export` need from a run's config.toml: the precision
//! to compute in, the loss to report and the data the run trained on.
//!
//! It is read as compare reads config.toml (`results::config_toml`), and it
//! lives here rather than in `results` because a run directory without
//! model.json, or with a config.toml that cannot be read, is refused as the
//! program's error (`Error::Model`), which `results` does not know.

use std::path::{Path, PathBuf};

use crate::config::{Loss, Precision};
use crate::error::Error;
use crate::results::config_toml;
use crate::results::read_error::{ReadError, read_text};

/// What predict needs from the run's config.toml: the precision to compute
/// in, and the loss to report.
pub struct RunSettings {
    pub precision: Precision,
    /// `None` when the run directory has no config.toml.
    pub loss: Option<Loss>,
    /// The CSV file the run trained on; `None` for generated data or
    /// without a config.toml.
    pub data: Option<PathBuf>,
}

impl RunSettings {
    pub fn read(dir: &Path) -> Result<RunSettings, Error> {
        let path = dir.join("config.toml");
        let model = dir.join("model.json");
        if !model.exists() {
            let why = if dir.is_dir() {
                "not found; is this a run directory (results/<experiment>/<run-id>)?"
            } else {
                "not found: there is no such run directory"
            };
            return Err(Error::Model {
                path: model,
                message: why.to_string(),
            });
        }
        // Read as compare reads it: a file that is not UTF-8 is refused
        // naming it, like one that is not TOML.
        let text = match read_text(&path, "a run directory's config.toml") {
            Ok(text) => text,
            // A model.json on its own is still usable: it was most likely
            // trained in f64, the default.
            Err(ReadError::Missing { .. }) => {
                eprintln!(
                    "note: {} is missing; computing in f64 and reporting no loss",
                    path.display()
                );
                return Ok(RunSettings {
                    precision: Precision::F64,
                    loss: None,
                    data: None,
                });
            }
            Err(error) => return Err(error.into()),
        };
        let invalid = |message: String| Error::Model {
            path: path.clone(),
            message,
        };
        // Read as compare reads it: a broken file is named with its line.
        let table = config_toml::parse(&path, &text)?;
        let training = table.get("training");
        let key = |name: &str| training.and_then(|t| t.get(name)).cloned();
        let precision = match key("precision") {
            None => Precision::F64,
            Some(value) => value.try_into().map_err(|e: toml::de::Error| {
                invalid(format!("training.precision: {}", e.message()))
            })?,
        };
        let loss = match key("loss") {
            None => None,
            Some(value) => Some(value.try_into().map_err(|e: toml::de::Error| {
                invalid(format!("training.loss: {}", e.message()))
            })?),
        };
        Ok(RunSettings {
            precision,
            loss,
            data: config_toml::data_file(dir, &table),
        })
    }
}
