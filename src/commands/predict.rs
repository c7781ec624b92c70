//! `synapse predict`: a trained model applied to new rows (`crate::predict`
//! says how): reading the run's settings and model, the guard for --out,
//! and where the predictions and the metrics line go.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::cli::PredictArgs;
use crate::config::{Loss, Precision};
use crate::data::predict_checks::{check_columns, not_finite};
use crate::data::predict_input;
use crate::error::Error;
use crate::nn::Float;
use crate::predict::{RunSettings, classification_text, encoding, metrics_line, render};
use crate::results::atomic;
use crate::results::model_file::{self, ModelFile};
use crate::results::output_guard::Output;
use crate::stdout;
use crate::train::Evaluator;

pub fn predict(args: &PredictArgs) -> Result<(), Error> {
    let settings = RunSettings::read(&args.run_dir)?;
    match settings.precision {
        Precision::F64 => predict_in::<f64>(args, &settings),
        Precision::F32 => predict_in::<f32>(args, &settings),
    }
}

fn predict_in<T: Float + DeserializeOwned>(
    args: &PredictArgs,
    settings: &RunSettings,
) -> Result<(), Error> {
    if let Some(out) = &args.out {
        check_out(out, &args.run_dir, &args.data, settings.data.as_deref())?;
    }
    let model_path = args.run_dir.join("model.json");
    let invalid = |message: String| Error::Model {
        path: model_path.clone(),
        message,
    };
    let model: ModelFile<T> = model_file::read(&model_path).map_err(invalid)?;
    let network = model.network().map_err(invalid)?;
    let encoding = encoding(&model);
    let rows = predict_input::read(&args.data, &encoding)?;
    check_columns(&args.data, &encoding, &rows.header)?;

    let mut evaluator = Evaluator::new(&network);
    // Without the run's loss the loss column of the summary means nothing
    // and is not shown; the outputs do not depend on it.
    let loss = settings.loss.unwrap_or(Loss::Mse);
    let (summary, outputs) = evaluator.outputs(
        &network,
        &rows.examples,
        loss,
        encoding.task,
        encoding.target_normalization,
    );
    if let Some(example) =
        (0..outputs.ncols()).find(|&j| outputs.column(j).iter().any(|v| !v.is_finite()))
    {
        return Err(not_finite(&args.data, &rows, example).into());
    }
    let csv = render(&rows, &encoding, &outputs);

    match &args.out {
        Some(path) => {
            atomic::write(path, &csv).map_err(Error::io(path))?;
            eprintln!(
                "wrote {} predictions to {}",
                rows.examples.len(),
                path.display()
            );
        }
        None => stdout::write(&csv)?,
    }
    if rows.has_target {
        eprintln!(
            "{}",
            metrics_line(&args.data, &encoding, settings.loss, &rows, &summary)
        );
        eprint!(
            "{}",
            classification_text(&args.data, &encoding, &rows, &outputs)
        );
    }
    Ok(())
}

/// `--out` goes through the shared guard: it must name a file in an
/// existing folder, and not one whose loss would be a result: the data being
/// predicted, a file of the run directory (its model.json, its
/// predictions.csv), or the data the run trained on.
fn check_out(
    out: &Path,
    run_dir: &Path,
    data: &Path,
    trained_on: Option<&Path>,
) -> Result<(), Error> {
    let mut reads = vec![
        (data, "the data being predicted"),
        (run_dir, "the run directory"),
    ];
    reads.extend(trained_on.map(|d| (d, "the data the run trained on")));
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
