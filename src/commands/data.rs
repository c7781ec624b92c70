//! `synapse data`: the data a run would use, described on standard output
//! and, with --out, written as CSV with each row's split
//! (`crate::data::view` says which rows, `view_csv` how they are written).
//! No results directory, no run: nothing else is written.
//!
//! The config is not checked against the data (its output layer against
//! the classes): looking at the data is how one finds out what the model
//! should be.

use std::path::Path;

use crate::cli::DataArgs;
use crate::config::{self, DataSource};
use crate::data;
use crate::error::Error;
use crate::experiment::data_error;
use crate::results::atomic;
use crate::results::output_guard::Output;
use crate::stdout;

pub fn data(args: &DataArgs) -> Result<(), Error> {
    let loaded = config::load(&args.file, &args.set)?;
    let data_file = match &loaded.config.data.source {
        DataSource::Csv { resolved_path, .. } => Some(resolved_path.clone()),
        DataSource::Generator { .. } => None,
    };
    if let Some(out) = &args.out {
        check_out(out, &args.file, data_file.as_deref())?;
    }
    let view = data::view(&loaded.config).map_err(|error| data_error(&loaded, error))?;
    if let Some(out) = &args.out {
        let csv = view.csv()?;
        atomic::write(out, csv.as_bytes()).map_err(Error::io(out))?;
        eprintln!(
            "wrote {} to {}",
            crate::text::plural(view.len(), "row", "rows"),
            out.display()
        );
    }
    stdout::write(view.describe().as_bytes())
}

/// `--out` goes through the shared guard: a file in an existing folder, not
/// a run's or sweep's, and not the experiment's own files.
fn check_out(out: &Path, experiment: &Path, data_file: Option<&Path>) -> Result<(), Error> {
    let mut reads = vec![(experiment, "the experiment file")];
    reads.extend(data_file.map(|d| (d, "the experiment's data file")));
    Output {
        option: "--out",
        named: out,
        files: vec![out.to_path_buf()],
        reads,
        creates_folders: false,
    }
    .check()
    .map_err(Error::from)
}
