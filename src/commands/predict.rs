//! `synapse predict`: a trained model applied to new rows.
//!
//! The rows are encoded with the categories and normalized with the
//! statistics stored in model.json, and go forward through the network in
//! the run's own precision and in the run's own chunks (`train::Evaluator`),
//! so the test split's rows give predictions.csv's numbers bit for bit.

use std::path::{Path, PathBuf};

use nalgebra::DMatrix;
use serde::de::DeserializeOwned;

use crate::cli::PredictArgs;
use crate::commands::stdout;
use crate::config::{Loss, Precision, Task};
use crate::data::error::RowPosition;
use crate::data::predict_input::{self, Encoding, NewRows};
use crate::data::{CategoricalFeature, DataError};
use crate::error::Error;
use crate::nn::Float;
use crate::results::model_file::{self, ModelFile};
use crate::results::output_guard::Output;
use crate::results::read_error::{ReadError, read_text};
use crate::results::{atomic, config_toml};
use crate::train::Evaluator;
use crate::train::metrics::{Summary, TaskMetrics, argmax};

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

/// The data must not hold a column that predict adds to its output: two
/// columns of one name would make the output ambiguous to read back.
fn check_columns(data: &Path, encoding: &Encoding, header: &[String]) -> Result<(), DataError> {
    let Some(taken) = added_columns(encoding)
        .into_iter()
        .find(|name| header.contains(name))
    else {
        return Ok(());
    };
    let needed = taken == encoding.target
        || encoding.inputs.contains(&taken)
        || encoding.categories.iter().any(|c| c.column == taken);
    let message = if needed {
        format!(
            "the model was trained on a column named `{taken}`, a name predict gives \
             its own output column, so its predictions cannot be written beside the \
             data; rename that column in the training data and train again"
        )
    } else {
        format!(
            "the file already has a column `{taken}`, which predict adds to its output; \
             rename or remove it (the output of predict, given back, needs its \
             prediction columns removed)"
        )
    };
    Err(DataError::new(data.display().to_string(), message))
}

/// A row whose output is not a finite number: its inputs lie so far outside
/// what the model was trained on that the sums overflow. Written out, the
/// prediction would be NaN or inf in a file that looks fine.
fn not_finite(data: &Path, rows: &NewRows, example: usize) -> DataError {
    let position = RowPosition {
        row: rows.examples.rows[example],
        line: rows.records[example]
            .position()
            .and_then(|p| usize::try_from(p.line()).ok()),
    };
    DataError::new(
        data.display().to_string(),
        "the model's output for this row is not a finite number: its inputs, normalized \
         as in training, are too far outside the training data for the model's weights \
         (the sums overflow); nothing was written",
    )
    .at(position)
}

/// What predict needs from the run's config.toml: the precision to compute
/// in, and the loss to report.
pub(crate) struct RunSettings {
    pub(crate) precision: Precision,
    /// `None` when the run directory has no config.toml.
    loss: Option<Loss>,
    /// The CSV file the run trained on; `None` for generated data or
    /// without a config.toml.
    pub(crate) data: Option<PathBuf>,
}

impl RunSettings {
    pub(crate) fn read(dir: &Path) -> Result<RunSettings, Error> {
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

fn encoding<T>(model: &ModelFile<T>) -> Encoding {
    Encoding {
        inputs: model.inputs.clone(),
        categories: model
            .categories
            .iter()
            .map(|c| CategoricalFeature {
                column: c.column.clone(),
                categories: c.categories.clone(),
            })
            .collect(),
        shift: model.normalization.shift.clone(),
        scale: model.normalization.scale.clone(),
        target: model.target.clone(),
        task: model.task,
        classes: model.classes.clone(),
        target_normalization: model.normalization.target.map(|t| (t.shift, t.scale)),
    }
}

/// The input rows as written, then `prediction` and, for classification,
/// `probability_<class>`, formatted as predictions.csv formats them.
/// The columns predict adds after those of the data: `prediction`, and for
/// classification `probability_<class>` for each class.
fn added_columns(encoding: &Encoding) -> Vec<String> {
    let mut names = vec!["prediction".to_string()];
    if encoding.task != Task::Regression {
        names.extend(encoding.classes.iter().map(|c| format!("probability_{c}")));
    }
    names
}

fn render(rows: &NewRows, encoding: &Encoding, outputs: &DMatrix<f64>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = csv::ByteRecord::new();
    for name in &rows.header {
        header.push_field(name.as_bytes());
    }
    for name in added_columns(encoding) {
        header.push_field(name.as_bytes());
    }
    let mut lines = vec![header];
    for (record, output) in rows.records.iter().zip(outputs.column_iter()) {
        let mut line = record.clone();
        let class = |index: usize| encoding.classes.get(index).map_or("", String::as_str);
        match encoding.task {
            Task::Binary => {
                let p = output[0];
                line.push_field(class(usize::from(p >= 0.5)).as_bytes());
                line.push_field(format!("{:?}", 1.0 - p).as_bytes());
                line.push_field(format!("{p:?}").as_bytes());
            }
            Task::Multiclass => {
                line.push_field(class(argmax(output.as_slice())).as_bytes());
                for p in output.iter() {
                    line.push_field(format!("{p:?}").as_bytes());
                }
            }
            Task::Regression => {
                let (shift, scale) = encoding.target_normalization.unwrap_or((0.0, 1.0));
                line.push_field(format!("{:?}", output[0] * scale + shift).as_bytes());
            }
        }
        lines.push(line);
    }
    for line in &lines {
        // Every line has the header's length, and memory does not fail.
        writer
            .write_byte_record(line)
            .expect("an in-memory CSV of equal-length records");
    }
    writer.into_inner().unwrap_or_default()
}

fn metrics_line(
    data: &Path,
    encoding: &Encoding,
    loss: Option<Loss>,
    rows: &NewRows,
    summary: &Summary,
) -> String {
    // As compare and the report show numbers: an error of 1e300 is not
    // written out in 300 digits.
    let number = crate::text::number;
    let mut parts = Vec::new();
    if let Some(loss) = loss {
        parts.push(format!("loss {} ({})", number(summary.loss), loss.name()));
    }
    match summary.task {
        TaskMetrics::Accuracy(accuracy) => parts.push(format!("accuracy {}", number(accuracy))),
        TaskMetrics::Regression { rmse, mae } => {
            parts.push(format!("rmse {}", number(rmse)));
            parts.push(format!("mae {}", number(mae)));
        }
    }
    let count = rows.examples.len();
    format!(
        "{}: {count} {} with a known `{}`: {}",
        data.display(),
        if count == 1 { "row" } else { "rows" },
        // Quoted from model.json.
        crate::text::printable(&encoding.target),
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_predictions_are_formatted_as_in_predictions_csv() {
        let model = model_file::example();
        let encoding = encoding(&model);
        let mut record = csv::ByteRecord::new();
        record.push_field(b"1");
        record.push_field(b" 2");
        let rows = NewRows {
            header: vec!["x".into(), "y".into()],
            records: vec![record],
            examples: crate::data::Examples {
                inputs: DMatrix::zeros(2, 1),
                targets: DMatrix::zeros(1, 1),
                rows: vec![1],
                raw_targets: vec![String::new()],
            },
            has_target: false,
        };
        let csv = render(&rows, &encoding, &DMatrix::from_column_slice(1, 1, &[0.75]));
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "x,y,prediction,probability_no,probability_yes\n1, 2,yes,0.25,0.75\n"
        );
    }
}
