//! `synapse export RUN_DIR [--out FILE.onnx]`: a run's model as one ONNX
//! file (see `crate::export`). This file handles the arguments: which run,
//! where the file goes, and what to say about it.

use std::io;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::cli::ExportArgs;
use crate::config::Precision;
use crate::error::Error;
use crate::export;
use crate::nn::Float;
use crate::predict::RunSettings;
use crate::results::atomic;
use crate::results::model_file::{self, ModelFile};
use crate::results::output_guard::Output;
use crate::text::printable;

pub fn export(args: &ExportArgs) -> Result<(), Error> {
    // model.json is read in the precision it was trained in, which
    // config.toml names, as predict reads it.
    let settings = RunSettings::read(&args.run_dir)?;
    match settings.precision {
        Precision::F64 => export_in::<f64>(args, &settings),
        Precision::F32 => export_in::<f32>(args, &settings),
    }
}

fn export_in<T: Float + DeserializeOwned>(
    args: &ExportArgs,
    settings: &RunSettings,
) -> Result<(), Error> {
    let out = match &args.out {
        Some(out) => out.clone(),
        None => default_out(&args.run_dir)?,
    };
    // Never onto a result file, nor into a run or sweep directory (the
    // default lands in the current directory, which may be one), nor onto
    // the data the run trained on.
    let mut reads = vec![(args.run_dir.as_path(), "the run directory")];
    reads.extend(
        settings
            .data
            .as_deref()
            .map(|d| (d, "the data the run trained on")),
    );
    Output {
        option: match args.out {
            Some(_) => "--out",
            None => "the default --out",
        },
        named: &out,
        files: vec![out.clone()],
        reads,
        creates_folders: false,
    }
    .check()?;
    let model_path = args.run_dir.join("model.json");
    let invalid = |message: String| Error::Model {
        path: model_path.clone(),
        message,
    };
    let model: ModelFile<T> = model_file::read(&model_path).map_err(invalid)?;
    // The same checks as predict: a model it would refuse is not exported.
    model.network().map_err(invalid)?;
    let bytes = export::bytes(&model);
    atomic::write(&out, &bytes).map_err(|source| unwritable(&out, source))?;
    eprintln!(
        "wrote {} ({} bytes): ONNX opset {}, {}; input `{}` [N, {}] of raw values in \
         model.json's input order, output `{}` [N, {}]",
        printable(&out.display().to_string()),
        bytes.len(),
        export::OPSET,
        export::Element::of::<T>().name(),
        export::INPUT,
        model.inputs.len(),
        export::output_name(model.task),
        model.layers.last().map_or(0, |l| l.units),
    );
    Ok(())
}

/// `<experiment>-<run-id>.onnx` in the current directory, from the run
/// directory's place in the results tree (results/<experiment>/<run-id>).
fn default_out(run_dir: &Path) -> Result<PathBuf, Error> {
    let missing = || Error::Model {
        path: run_dir.join("model.json"),
        message: "not found: there is no such run directory".to_string(),
    };
    let dir = std::fs::canonicalize(run_dir).map_err(|_| missing())?;
    let name = |path: Option<&Path>| {
        path.and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
    };
    match (name(dir.parent()), name(Some(&dir))) {
        (Some(experiment), Some(run)) => Ok(PathBuf::from(format!("{experiment}-{run}.onnx"))),
        _ => Err(Error::Usage(format!(
            "{} has no <experiment>/<run-id> name to name the file after; give one with --out",
            printable(&run_dir.display().to_string())
        ))),
    }
}

/// A file that cannot be created where the user asked (no permission, a
/// read-only file system) is a usage error, as a folder that does not
/// exist is; other failures (a full disk) are I/O errors.
fn unwritable(out: &Path, source: io::Error) -> Error {
    match source.kind() {
        io::ErrorKind::PermissionDenied
        | io::ErrorKind::ReadOnlyFilesystem
        | io::ErrorKind::NotFound => Error::Usage(format!(
            "--out {}: cannot write there ({source}); name a file in a folder you can write to",
            printable(&out.display().to_string())
        )),
        _ => Error::Io {
            path: out.to_path_buf(),
            source,
        },
    }
}
