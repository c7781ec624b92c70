//! From a data source to training-ready matrices.
//!
//! The pipeline, in order: read a table (a CSV file or a built-in generator),
//! pick the features and the target, handle missing cells, infer the task,
//! split (seeded, stratified for classification), encode categories with the
//! training split's categories, normalize with the training split's statistics.

pub(crate) mod cell;
mod csv;
mod describe;
mod encode;
pub mod error;
mod generators;
mod input_names;
mod normalization;
pub mod numeric_inputs;
pub mod predict_checks;
pub mod predict_input;
mod raw_inputs;
mod reserved_names;
mod split;
mod table;
mod task;
mod view;
mod view_csv;

use nalgebra::DMatrix;

use crate::config::{Config, DataSource, Normalize, Task};

pub use error::DataError;
pub use raw_inputs::RawInputs;
pub use view::{DataView, SplitName, view};

use encode::Encoder;
use normalization::TooLarge;
use table::Values;

/// Everything training, evaluation and model.json need from the data.
#[derive(Debug, Clone)]
pub struct PreparedData {
    /// Names of the network's inputs after encoding, in order: a numeric column
    /// keeps its name; a categorical column `cp` becomes one input per
    /// training-split category, named `cp=<category>`.
    pub inputs: Vec<String>,
    /// The name of the target column.
    pub target: String,
    pub task: Task,
    /// Class labels in output order (classification); empty for regression.
    /// Binary: two labels, the second is the positive class (output 1).
    pub classes: Vec<String>,
    /// How raw features were mapped to inputs; stored in model.json and reused
    /// by `predict`.
    pub normalization: Normalization,
    /// One-hot categories of each categorical feature, from the training split.
    pub categories: Vec<CategoricalFeature>,
    pub train: Examples,
    pub validation: Option<Examples>,
    pub test: Option<Examples>,
    /// Hex digest of the data's content (the CSV file's bytes, or the
    /// generated table), part of the run id.
    pub content_hash: String,
}

/// One split's examples, one per column (nalgebra is column-major, so each
/// example's values are contiguous).
#[derive(Debug, Clone)]
pub struct Examples {
    /// inputs × examples, normalized.
    pub inputs: DMatrix<f64>,
    /// outputs × examples: binary 1 × n of 0/1; multiclass classes × n one-hot;
    /// regression 1 × n, normalized like a feature (see `Normalization::target`).
    pub targets: DMatrix<f64>,
    /// 1-based data row of each example (CSV: the row after the header; for
    /// generators the generated row), to write predictions.csv.
    pub rows: Vec<usize>,
    /// The raw target value of each example as it appeared (label text or
    /// number), for predictions.csv.
    pub raw_targets: Vec<String>,
    /// The feature cells as they were in the data, for predictions.csv:
    /// the test split's only (see `raw_inputs`), `None` for the others.
    pub raw_inputs: Option<RawInputs>,
}

impl Examples {
    pub fn len(&self) -> usize {
        self.inputs.ncols()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Normalization {
    pub kind: Normalize,
    /// Per input (same order as `PreparedData::inputs`): input = (raw − shift) / scale.
    /// With `Normalize::None`, shift 0 and scale 1.
    pub shift: Vec<f64>,
    pub scale: Vec<f64>,
    /// Regression only: the same mapping for the target, so the network learns
    /// a normalized target and metrics are reported in the target's own units.
    pub target: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoricalFeature {
    pub column: String,
    pub categories: Vec<String>,
}

/// Most categories one text column may have: one-hot encoding makes an
/// input of each, so a column of identifiers would make the data set
/// enormous (and is of no use to a network anyway).
pub const MAX_CATEGORIES: usize = 1_000;
/// Most encoded values (inputs × examples) a data set may have: 2·10⁹
/// f64 values are 16 GB.
pub const MAX_ENCODED_VALUES: u64 = 2_000_000_000;

/// Refuses, before the encoded matrices are allocated, a data set whose
/// one-hot encoding would not fit in memory.
fn check_encoded_size(table: &table::Table, encoder: &Encoder) -> Result<(), DataError> {
    for feature in &encoder.categories {
        if feature.categories.len() > MAX_CATEGORIES {
            return Err(DataError::new(
                table.origin.as_str(),
                format!(
                    "has {} different text values in the training split; text is one-hot encoded, one input \
                     per value, and at most {MAX_CATEGORIES} are allowed. Is it an identifier? Leave it out by \
                     listing the other columns in `features`",
                    feature.categories.len()
                ),
            )
            .in_column(feature.column.as_str())
            .about("data.features"));
        }
    }
    let values = encoder.inputs.len() as u64 * table.len() as u64;
    if values > MAX_ENCODED_VALUES {
        return Err(DataError::new(
            table.origin.as_str(),
            format!(
                "would encode to {} inputs × {} rows = {values} values (about {} GB); at most {MAX_ENCODED_VALUES} are allowed",
                encoder.inputs.len(),
                table.len(),
                values * 8 / 1_000_000_000
            ),
        )
        .about("data.features"));
    }
    Ok(())
}

/// The rows a run uses, before encoding: the table read or generated (rows
/// with empty cells dropped if the config says so), its target read, and
/// its rows divided into the splits. `prepare` encodes it for training;
/// `view` shows it as it is, so both see the same rows in the same splits.
struct Source {
    table: table::Table,
    content_hash: String,
    target: task::Target,
    split: split::Split,
}

/// Reads (or generates) the data a config describes, and splits it.
fn source(config: &Config) -> Result<Source, DataError> {
    let (table, content_hash) = match &config.data.source {
        DataSource::Csv {
            resolved_path,
            target,
            features,
            ..
        } => csv::read(
            resolved_path,
            target,
            features.as_deref(),
            config.data.missing,
        )?,
        DataSource::Generator { generator, rows } => {
            generators::generate(*generator, *rows, config.experiment.seed)?
        }
    };
    input_names::check_unique(&table)?;
    reserved_names::check(&table)?;
    let target = task::infer(&table, config.data.task, config.training.loss)?;
    let strata = target.strata().map(|s| (s, target.classes.len()));
    let split = split::split(
        table.len(),
        strata,
        config.data.split,
        config.experiment.seed,
    )
    .map_err(|message| DataError::new(table.origin.as_str(), message))?;
    Ok(Source {
        table,
        content_hash,
        target,
        split,
    })
}

/// Reads and prepares the data a config describes.
pub fn prepare(config: &Config) -> Result<PreparedData, DataError> {
    let Source {
        mut table,
        content_hash,
        target,
        split,
    } = source(config)?;

    // From here the table is taken apart as the examples are built, so that
    // the data set is never in memory twice.
    let encoder = Encoder::fit(&table, &split.train);
    check_encoded_size(&table, &encoder)?;
    let test_raw = RawInputs::of(&table, &split.test);
    let [train_inputs, validation_inputs, test_inputs] =
        encoder.encode(std::mem::take(&mut table.cells), &split);
    let mut raw_targets = table.take_raw_targets();
    // The target's values are in `target` now, as labels or numbers.
    table.target.values = Values::Number(Vec::new());
    let mut rows = std::mem::take(&mut table.rows);
    let mut examples = |inputs: DMatrix<f64>, indices: &[usize]| {
        let whole = indices.len() == rows.len() && indices.iter().enumerate().all(|(i, &r)| i == r);
        let (rows, raw_targets) = if whole {
            (std::mem::take(&mut rows), std::mem::take(&mut raw_targets))
        } else {
            (
                indices
                    .iter()
                    .map(|&i| rows.get(i).copied().unwrap_or(i + 1))
                    .collect(),
                indices
                    .iter()
                    .map(|&i| {
                        raw_targets
                            .get_mut(i)
                            .map(std::mem::take)
                            .unwrap_or_default()
                    })
                    .collect(),
            )
        };
        Examples {
            inputs,
            targets: encode::targets(&target, indices),
            rows,
            raw_targets,
            raw_inputs: None,
        }
    };
    let mut train = examples(train_inputs, &split.train);
    let mut held_out =
        |inputs, rows: &[usize]| Some(examples(inputs, rows)).filter(|e| !e.is_empty());
    let mut validation = held_out(validation_inputs, &split.validation);
    let mut test = held_out(test_inputs, &split.test);
    if let Some(test) = test.as_mut() {
        test.raw_inputs = Some(test_raw);
    }
    drop(split);

    // Statistics of the training split only, applied to every split.
    let kind = config.data.normalize;
    let too_large = |name: &str| {
        DataError::new(
            table.origin.as_str(),
            "the values are too large to normalize; rescale the column (other units, or a logarithm)",
        )
        .in_column(name)
    };
    let input_error =
        |TooLarge(input)| too_large(encoder.inputs.get(input).map_or("", String::as_str));
    let (shift, scale) = normalization::fit(kind, &train.inputs).map_err(input_error)?;
    let target_normalization = if target.task == Task::Regression && kind != Normalize::None {
        let (s, c) =
            normalization::fit(kind, &train.targets).map_err(|_| too_large(&table.target.name))?;
        Some((
            s.first().copied().unwrap_or(0.0),
            c.first().copied().unwrap_or(1.0),
        ))
    } else {
        None
    };
    for examples in [Some(&mut train), validation.as_mut(), test.as_mut()]
        .into_iter()
        .flatten()
    {
        normalization::apply(&mut examples.inputs, &shift, &scale).map_err(input_error)?;
        if let Some((s, c)) = target_normalization {
            normalization::apply(&mut examples.targets, &[s], &[c])
                .map_err(|_| too_large(&table.target.name))?;
        }
    }

    Ok(PreparedData {
        inputs: encoder.inputs.clone(),
        target: table.target.name.clone(),
        task: target.task,
        classes: target.classes.clone(),
        normalization: Normalization {
            kind,
            shift,
            scale,
            target: target_normalization,
        },
        categories: encoder.categories.clone(),
        train,
        validation,
        test,
        content_hash,
    })
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::config::{
        Activation, Data, Experiment, Generator, Init, Layer, Loss, Missing, Model, Optimizer,
        Precision, Schedule, Split, Training,
    };

    fn config(source: DataSource, loss: Loss) -> Config {
        Config {
            experiment: Experiment {
                name: "test".into(),
                description: String::new(),
                seed: 42,
            },
            data: Data {
                source,
                task: None,
                missing: Missing::Error,
                normalize: Normalize::Standard,
                split: Split {
                    validation: 0.2,
                    test: 0.1,
                },
            },
            model: Model {
                layers: vec![Layer {
                    units: 1,
                    activation: Activation::Sigmoid,
                }],
                init: Init::Xavier,
            },
            training: Training {
                epochs: 1,
                learning_rate: 0.1,
                batch_size: 1,
                loss,
                optimizer: Optimizer::Sgd,
                shuffle: true,
                precision: Precision::F64,
                l2: 0.0,
                schedule: Schedule::Constant,
                early_stopping: None,
                diagnostics: false,
            },
            plots: Default::default(),
        }
    }

    fn csv(path: &Path, target: &str) -> DataSource {
        DataSource::Csv {
            path: path.display().to_string(),
            resolved_path: path.to_path_buf(),
            target: target.into(),
            features: None,
        }
    }

    fn project_file(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join(name)
    }

    /// A CSV in a fresh temporary directory (kept alive by the returned guard).
    fn temp_csv(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.csv");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    fn prepared(config: &Config) -> PreparedData {
        match prepare(config) {
            Ok(data) => data,
            Err(error) => panic!("{error}"),
        }
    }

    fn all_rows(data: &PreparedData) -> Vec<usize> {
        let mut rows: Vec<usize> = [
            Some(&data.train),
            data.validation.as_ref(),
            data.test.as_ref(),
        ]
        .into_iter()
        .flatten()
        .flat_map(|e| e.rows.iter().copied())
        .collect();
        rows.sort_unstable();
        rows
    }

    #[test]
    fn iris_is_multiclass_with_stratified_splits() {
        let config = config(
            csv(&project_file("iris.csv"), "species"),
            Loss::CrossEntropy,
        );
        let data = prepared(&config);
        assert_eq!(data.task, Task::Multiclass);
        assert_eq!(data.classes, ["setosa", "versicolor", "virginica"]);
        assert_eq!(data.inputs.len(), 4);
        assert_eq!(data.target, "species");
        assert_eq!(all_rows(&data), (1..=150).collect::<Vec<_>>());
        let validation = data.validation.as_ref().unwrap();
        let test = data.test.as_ref().unwrap();
        assert_eq!(
            (data.train.len(), validation.len(), test.len()),
            (105, 30, 15)
        );
        // 50 of each species: the splits hold them in equal numbers.
        for examples in [&data.train, validation, test] {
            let per_class: Vec<f64> = examples.targets.row_iter().map(|r| r.sum()).collect();
            assert!(
                per_class.iter().all(|&c| c == per_class[0]),
                "{per_class:?}"
            );
            assert!(examples.rows.windows(2).all(|w| w[0] < w[1]));
        }
        assert_eq!(data.content_hash.len(), 64);
    }

    #[test]
    fn the_cleveland_file_drops_rows_with_empty_cells_and_encodes_categories() {
        let mut config = config(
            csv(&project_file("heart-disease-cleveland.csv"), "disease"),
            Loss::BinaryCrossEntropy,
        );
        let error = prepare(&config).unwrap_err().to_string();
        assert!(
            error.ends_with("row 88 (line 89), column `thal`: the cell is empty (a missing value); fill it in, or set `missing = \"drop\"` in [data] to leave out rows with empty cells"),
            "{error}"
        );
        config.data.missing = Missing::Drop;
        let data = prepared(&config);
        assert_eq!(data.task, Task::Binary);
        assert_eq!(data.classes, ["0", "1"]);
        assert_eq!(all_rows(&data).len(), 304 - 7);
        assert!(data.inputs.contains(&"sex=Male".to_string()));
        assert!(data.inputs.contains(&"fbs".to_string()));
        let cp = data.categories.iter().find(|c| c.column == "cp").unwrap();
        assert_eq!(
            cp.categories,
            [
                "asymptomatic",
                "atypical angina",
                "non-anginal",
                "typical angina"
            ]
        );
        assert_eq!(data.inputs.len(), data.normalization.shift.len());
    }

    #[test]
    fn without_held_out_splits_examples_stay_in_file_order() {
        let (_dir, path) = temp_csv("x,y\n5,1\n3,0\n9,1\n1,0\n7,1\n");
        let mut config = config(csv(&path, "y"), Loss::Mse);
        config.data.split = Split {
            validation: 0.0,
            test: 0.0,
        };
        config.data.normalize = Normalize::None;
        let data = prepared(&config);
        assert_eq!(data.train.rows, [1, 2, 3, 4, 5]);
        assert_eq!(data.train.inputs.as_slice(), [5.0, 3.0, 9.0, 1.0, 7.0]);
        assert_eq!(data.train.targets.as_slice(), [1.0, 0.0, 1.0, 0.0, 1.0]);
        assert!(data.validation.is_none() && data.test.is_none());
    }

    #[test]
    fn normalization_statistics_come_from_the_training_split_only() {
        let text: String = std::iter::once("x,y\n".to_string())
            .chain((1..=40).map(|i| format!("{},{}\n", i * i, f64::from(i) * 0.5)))
            .collect();
        let (_dir, path) = temp_csv(&text);
        for kind in [Normalize::Standard, Normalize::MinMax] {
            let mut config = config(csv(&path, "y"), Loss::Mse);
            config.data.normalize = kind;
            let data = prepared(&config);
            assert_eq!(data.task, Task::Regression);
            let raw: Vec<f64> = data.train.rows.iter().map(|&r| (r * r) as f64).collect();
            let n = raw.len() as f64;
            let (shift, scale) = match kind {
                Normalize::Standard => {
                    let mean = raw.iter().sum::<f64>() / n;
                    let var = raw.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
                    (mean, var.sqrt())
                }
                _ => {
                    let min = raw.iter().copied().fold(f64::INFINITY, f64::min);
                    let max = raw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    (min, max - min)
                }
            };
            assert!((data.normalization.shift[0] - shift).abs() < 1e-9);
            assert!((data.normalization.scale[0] - scale).abs() < 1e-9);
            // Held-out examples use the training statistics.
            let test = data.test.as_ref().unwrap();
            let row = test.rows[0];
            let expected = ((row * row) as f64 - shift) / scale;
            assert!((test.inputs[(0, 0)] - expected).abs() < 1e-9);
            // The regression target is normalized likewise, its raw text kept.
            let (t_shift, t_scale) = data.normalization.target.unwrap();
            let raw_target = row as f64 * 0.5;
            assert!((test.targets[(0, 0)] - (raw_target - t_shift) / t_scale).abs() < 1e-9);
            assert_eq!(test.raw_targets[0], raw_target.to_string());
        }
    }

    #[test]
    fn regression_without_normalization_leaves_the_target_alone() {
        let (_dir, path) = temp_csv("x,y\n1,0.5\n2,1.5\n3,2.5\n4,3.5\n");
        let mut config = config(csv(&path, "y"), Loss::Mse);
        config.data.normalize = Normalize::None;
        config.data.split = Split {
            validation: 0.0,
            test: 0.0,
        };
        let data = prepared(&config);
        assert_eq!(data.normalization.target, None);
        assert_eq!(data.train.targets.as_slice(), [0.5, 1.5, 2.5, 3.5]);
        assert_eq!(data.normalization.shift, [0.0]);
        assert_eq!(data.normalization.scale, [1.0]);
    }

    #[test]
    fn categories_unseen_in_training_encode_as_zeros() {
        // Every colour but `rare` appears many times; `rare` only once.
        let mut text = "colour,flag,y\n".to_string();
        for i in 0..30 {
            let colour = ["red", "green", "blue"][i % 3];
            text.push_str(&format!(
                "{colour},{},{}\n",
                if i % 2 == 0 { "TRUE" } else { "false" },
                i % 2
            ));
        }
        text.push_str("rare,TRUE,1\n");
        let (_dir, path) = temp_csv(&text);
        let mut config = config(csv(&path, "y"), Loss::BinaryCrossEntropy);
        config.data.normalize = Normalize::None;
        let mut held_out_seen = false;
        for seed in 0..20 {
            config.experiment.seed = seed;
            let data = prepared(&config);
            let colours = &data.categories[0];
            let in_train = data.train.rows.contains(&31);
            assert_eq!(colours.categories.contains(&"rare".to_string()), in_train);
            assert_eq!(data.inputs.last().map(String::as_str), Some("flag"));
            if in_train {
                continue;
            }
            held_out_seen = true;
            assert_eq!(
                data.inputs,
                ["colour=blue", "colour=green", "colour=red", "flag"]
            );
            let (examples, at) = [data.validation.as_ref(), data.test.as_ref()]
                .into_iter()
                .flatten()
                .find_map(|e| e.rows.iter().position(|&r| r == 31).map(|at| (e, at)))
                .unwrap();
            let column: Vec<f64> = examples.inputs.column(at).iter().copied().collect();
            assert_eq!(column, [0.0, 0.0, 0.0, 1.0], "no colour, flag TRUE");
        }
        assert!(held_out_seen, "some seed should hold out the rare row");
    }

    #[test]
    fn generated_data_is_reproducible_and_goes_through_the_same_pipeline() {
        let heart = config(
            DataSource::Generator {
                generator: Generator::Heart,
                rows: 300,
            },
            Loss::BinaryCrossEntropy,
        );
        let a = prepared(&heart);
        let b = prepared(&heart);
        assert_eq!(a.content_hash, b.content_hash);
        assert_eq!(a.train.inputs, b.train.inputs);
        assert_eq!(a.train.rows, b.train.rows);
        assert_eq!(a.task, Task::Binary);
        assert_eq!(a.inputs, ["height_cm", "weight_kg", "age_years"]);
        assert_eq!(a.target, "heart_attack_before_40");
        assert_eq!(all_rows(&a), (1..=300).collect::<Vec<_>>());

        let spiral = config(
            DataSource::Generator {
                generator: Generator::Spiral,
                rows: 90,
            },
            Loss::CrossEntropy,
        );
        let data = prepared(&spiral);
        assert_eq!(data.task, Task::Multiclass);
        assert_eq!(data.classes, ["arm_1", "arm_2", "arm_3"]);

        let sine = config(
            DataSource::Generator {
                generator: Generator::Sine,
                rows: 50,
            },
            Loss::Mse,
        );
        let data = prepared(&sine);
        assert_eq!(data.task, Task::Regression);
        assert!(data.normalization.target.is_some());
    }

    #[test]
    fn the_test_split_keeps_its_feature_cells_as_the_data_had_them() {
        let heart = config(
            DataSource::Generator {
                generator: Generator::Heart,
                rows: 300,
            },
            Loss::BinaryCrossEntropy,
        );
        let data = prepared(&heart);
        assert!(data.train.raw_inputs.is_none());
        assert!(data.validation.as_ref().unwrap().raw_inputs.is_none());
        let test = data.test.as_ref().unwrap();
        let raw = test.raw_inputs.as_ref().unwrap();
        assert_eq!(
            raw.names().collect::<Vec<_>>(),
            ["height_cm", "weight_kg", "age_years"]
        );
        // The generated table as CSV: its row r is line r (after the header).
        let (table, _) =
            generators::generate(Generator::Heart, 300, heart.experiment.seed).unwrap();
        let csv = table.canonical_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(test.len(), 30);
        for (example, &row) in test.rows.iter().enumerate() {
            let cells: Vec<String> = raw.row(example).collect();
            let source: Vec<&str> = lines[row].split(',').take(3).collect();
            assert_eq!(cells, source, "row {row}");
        }
    }

    #[test]
    fn too_few_rows_to_split_is_an_error_naming_the_source() {
        let (_dir, path) = temp_csv("x,y\n1,a\n2,b\n");
        let config = config(csv(&path, "y"), Loss::Mse);
        let error = prepare(&config).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("{}: there are only 2 examples", path.display())),
            "{error}"
        );
    }

    #[test]
    fn values_too_large_to_normalize_are_an_error_naming_the_column() {
        let (_dir, path) = temp_csv("x,y\n1e308,0\n-1e308,1\n1,0\n2,1\n");
        let mut config = config(csv(&path, "y"), Loss::Mse);
        config.data.split = Split {
            validation: 0.0,
            test: 0.0,
        };
        config.data.normalize = Normalize::MinMax;
        let error = prepare(&config).unwrap_err().to_string();
        assert!(
            error.contains("column `x`: the values are too large to normalize"),
            "{error}"
        );
    }
}
