//! From the raw file to a checked `Config`: defaults filled, every value and
//! every combination of values checked, each error located at its key.

use std::path::Path;

use super::raw::*;
use super::resolved::*;
use super::source::{ConfigError, Source};

/// Defaults, each with its reason.
pub mod defaults {
    /// Zero is as good a seed as any; written out in config.toml so a run
    /// always states the seed it used.
    pub const SEED: u64 = 0;
    pub const ROWS: u64 = 1000;
    /// Held-out fractions as in the founding example: enough validation to
    /// draw a curve, a test split for predictions.csv.
    pub const VALIDATION: f64 = 0.2;
    pub const TEST: f64 = 0.1;
    pub const EPOCHS: u64 = 100;
    /// The textbook's one example at a time.
    pub const BATCH_SIZE: u64 = 1;
    /// The usual values from the momentum and Adam papers.
    pub const MOMENTUM: f64 = 0.9;
    pub const BETA1: f64 = 0.9;
    pub const BETA2: f64 = 0.999;
    pub const EPSILON: f64 = 1e-8;
}

/// Limits that keep a config from asking for absurd amounts of work or memory
/// before anything is allocated.
pub mod limits {
    pub const NAME_LENGTH: usize = 64;
    pub const ROWS: u64 = 10_000_000;
    pub const UNITS: u64 = 100_000;
    pub const LAYERS: usize = 1_000;
    /// The weights of one layer, units × inputs; 10^8 f64 is 800 MB.
    pub const LAYER_WEIGHTS: u64 = 100_000_000;
    pub const EPOCHS: u64 = 10_000_000;
    pub const BATCH_SIZE: u64 = 10_000_000;
}

pub fn resolve(raw: RawConfig, base_dir: &Path, source: &Source) -> Result<Config, ConfigError> {
    let experiment = resolve_experiment(raw.experiment, source)?;
    let data = resolve_data(raw.data, base_dir, source)?;
    let model = resolve_model(raw.model, source)?;
    let training = resolve_training(raw.training, &model, data.task, source)?;
    if training.early_stopping.is_some() && data.split.validation == 0.0 {
        return Err(source.error(
            "training.early_stopping",
            "watches the validation loss, so it needs a validation split: set data.split.validation above 0",
        ));
    }
    let plots = super::plots::resolve_plots(raw.plots, training.epochs, source)?;
    Ok(Config {
        experiment,
        data,
        model,
        training,
        plots,
    })
}

fn required<T>(value: Option<T>, key: &str, what: &str, source: &Source) -> Result<T, ConfigError> {
    value.ok_or_else(|| source.error(key, format!("is required: {what}")))
}

fn resolve_experiment(
    raw: Option<RawExperiment>,
    source: &Source,
) -> Result<Experiment, ConfigError> {
    let raw = required(
        raw,
        "experiment",
        "an [experiment] table with at least `name = \"...\"`",
        source,
    )?;
    let name = required(
        raw.name,
        "experiment.name",
        "a name of letters, digits, '-' and '_', which names results/<name>/",
        source,
    )?;
    let name_ok = !name.is_empty()
        && name.len() <= limits::NAME_LENGTH
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !name.starts_with('-');
    if !name_ok {
        return Err(source.error(
            "experiment.name",
            format!(
                "`{name}` is not allowed: use 1 to {} letters, digits, '-' and '_' (not starting with '-'), \
                 since it names the folder results/<name>/",
                limits::NAME_LENGTH
            ),
        ));
    }
    Ok(Experiment {
        name,
        description: raw.description.unwrap_or_default(),
        seed: raw.seed.unwrap_or(defaults::SEED),
    })
}

fn resolve_data(
    raw: Option<RawData>,
    base_dir: &Path,
    source: &Source,
) -> Result<Data, ConfigError> {
    let raw = required(
        raw,
        "data",
        "a [data] table with `generator = \"heart\"` or `path = \"file.csv\"` and `target = \"column\"`",
        source,
    )?;
    let data_source = match (raw.generator, raw.path) {
        (Some(_), Some(_)) => {
            return Err(source.error(
                "data.path",
                "`generator` and `path` are both given: use one, a built-in generator or a CSV file",
            ));
        }
        (None, None) => {
            return Err(source.error(
                "data",
                "needs a source: `generator = \"heart\"` (heart, xor, circles, spiral, sine) \
                 or `path = \"file.csv\"` with `target = \"column\"`",
            ));
        }
        (Some(generator), None) => {
            if raw.target.is_some() {
                return Err(source.error(
                    "data.target",
                    "is for CSV files only: a generator defines its own target",
                ));
            }
            if raw.features.is_some() {
                return Err(source.error(
                    "data.features",
                    "is for CSV files only: a generator defines its own features",
                ));
            }
            let rows = raw.rows.unwrap_or(defaults::ROWS);
            if !(4..=limits::ROWS).contains(&rows) {
                return Err(source.error(
                    "data.rows",
                    format!("must be from 4 to {}, got {rows}", limits::ROWS),
                ));
            }
            DataSource::Generator {
                generator,
                rows: rows as usize,
            }
        }
        (None, Some(path)) => {
            if raw.rows.is_some() {
                return Err(source.error(
                    "data.rows",
                    "is for generators only: a CSV file has the rows it has",
                ));
            }
            if path.trim().is_empty() {
                return Err(source.error(
                    "data.path",
                    "is empty: name a CSV file, relative to the experiment file",
                ));
            }
            let target = required(
                raw.target,
                "data.target",
                "the name of the CSV column to predict",
                source,
            )?;
            if let Some(features) = &raw.features {
                if features.is_empty() {
                    return Err(source.error(
                        "data.features",
                        "is empty: list at least one column, or leave the key out to use every column but the target",
                    ));
                }
                for (i, feature) in features.iter().enumerate() {
                    if feature == &target {
                        return Err(source.error(
                            &format!("data.features.{i}"),
                            format!("`{feature}` is the target; it cannot also be a feature"),
                        ));
                    }
                    if features[..i].contains(feature) {
                        return Err(source.error(
                            &format!("data.features.{i}"),
                            format!("`{feature}` is listed twice"),
                        ));
                    }
                }
            }
            DataSource::Csv {
                resolved_path: base_dir.join(&path),
                path,
                target,
                features: raw.features,
            }
        }
    };
    let split = raw.split.unwrap_or_default();
    let validation = split.validation.unwrap_or(defaults::VALIDATION);
    let test = split.test.unwrap_or(defaults::TEST);
    for (key, fraction) in [
        ("data.split.validation", validation),
        ("data.split.test", test),
    ] {
        if !(0.0..1.0).contains(&fraction) {
            return Err(source.error(
                key,
                format!(
                    "must be a fraction from 0 up to (not including) 1, got {}",
                    crate::text::exact(fraction)
                ),
            ));
        }
    }
    if validation + test >= 1.0 {
        return Err(source.error(
            "data.split",
            format!(
                "validation ({}) + test ({}) must be less than 1, \
                 so that examples are left for training",
                crate::text::exact(validation),
                crate::text::exact(test)
            ),
        ));
    }
    Ok(Data {
        source: data_source,
        task: raw.task,
        missing: raw.missing.unwrap_or(Missing::Error),
        normalize: raw.normalize.unwrap_or(Normalize::Standard),
        split: Split { validation, test },
    })
}

fn resolve_model(raw: Option<RawModel>, source: &Source) -> Result<Model, ConfigError> {
    let raw = required(
        raw,
        "model",
        "a [model] table with `layers = [{ units = 8, activation = \"sigmoid\" }, ...]`",
        source,
    )?;
    let raw_layers = required(
        raw.layers,
        "model.layers",
        "the hidden layers, then the output layer, as `[{ units = 8, activation = \"sigmoid\" }, ...]`",
        source,
    )?;
    if raw_layers.is_empty() {
        return Err(source.error(
            "model.layers",
            "is empty: give at least the output layer, for example [{ units = 1, activation = \"sigmoid\" }]",
        ));
    }
    if raw_layers.len() > limits::LAYERS {
        return Err(source.error(
            "model.layers",
            format!(
                "has {} layers; at most {} are allowed",
                raw_layers.len(),
                limits::LAYERS
            ),
        ));
    }
    let last = raw_layers.len() - 1;
    let mut layers = Vec::with_capacity(raw_layers.len());
    for (i, layer) in raw_layers.into_iter().enumerate() {
        let units = required(
            layer.units,
            &format!("model.layers.{i}.units"),
            "the number of units, at least 1",
            source,
        )?;
        if !(1..=limits::UNITS).contains(&units) {
            return Err(source.error(
                &format!("model.layers.{i}.units"),
                format!("must be from 1 to {}, got {units}", limits::UNITS),
            ));
        }
        let activation = required(
            layer.activation,
            &format!("model.layers.{i}.activation"),
            "one of identity, sigmoid, tanh, relu, leaky_relu, softmax (output layer only)",
            source,
        )?;
        if activation == Activation::Softmax && i != last {
            return Err(source.error(
                &format!("model.layers.{i}.activation"),
                "softmax is for the output layer only; use sigmoid, tanh, relu, leaky_relu or identity in hidden layers",
            ));
        }
        if activation == Activation::Softmax && units < 2 {
            return Err(source.error(
                &format!("model.layers.{i}.units"),
                "a softmax output needs at least 2 units (one per class); for two classes use 1 sigmoid unit",
            ));
        }
        layers.push(Layer {
            units: units as usize,
            activation,
        });
    }
    // Adjacent layers' product bounds each weight matrix (the first layer's
    // inputs are known only after the data is read; `check_against_data`).
    for i in 1..layers.len() {
        let weights = layers[i].units as u64 * layers[i - 1].units as u64;
        if weights > limits::LAYER_WEIGHTS {
            return Err(source.error(
                &format!("model.layers.{i}.units"),
                format!(
                    "this layer would have {weights} weights ({} × {}), about {} MB; at most {} are allowed",
                    layers[i].units,
                    layers[i - 1].units,
                    weights * 8 / 1_000_000,
                    limits::LAYER_WEIGHTS
                ),
            ));
        }
    }
    Ok(Model {
        layers,
        init: raw.init.unwrap_or(Init::Xavier),
    })
}

fn finite_in(
    value: f64,
    key: &str,
    allowed: impl Fn(f64) -> bool,
    what: &str,
    source: &Source,
) -> Result<f64, ConfigError> {
    if value.is_finite() && allowed(value) {
        Ok(value)
    } else {
        Err(source.error(
            key,
            format!("must be {what}, got {}", crate::text::exact(value)),
        ))
    }
}

fn resolve_training(
    raw: Option<RawTraining>,
    model: &Model,
    task: Option<Task>,
    source: &Source,
) -> Result<Training, ConfigError> {
    let raw = required(
        raw,
        "training",
        "a [training] table with at least `learning_rate`",
        source,
    )?;
    let epochs = raw.epochs.unwrap_or(defaults::EPOCHS);
    if epochs > limits::EPOCHS {
        return Err(source.error(
            "training.epochs",
            format!("must be at most {}, got {epochs}", limits::EPOCHS),
        ));
    }
    let learning_rate = required(
        raw.learning_rate,
        "training.learning_rate",
        "a positive number such as 0.1",
        source,
    )?;
    let learning_rate = finite_in(
        learning_rate,
        "training.learning_rate",
        |v| v > 0.0,
        "a positive number such as 0.1",
        source,
    )?;
    let batch_size = raw.batch_size.unwrap_or(defaults::BATCH_SIZE);
    if !(1..=limits::BATCH_SIZE).contains(&batch_size) {
        return Err(source.error(
            "training.batch_size",
            format!(
                "must be from 1 (one example at a time) to {}, got {batch_size}",
                limits::BATCH_SIZE
            ),
        ));
    }
    let loss = raw.loss.unwrap_or(Loss::Mse);
    check_loss_against_output(loss, model, source)?;
    check_loss_against_task(loss, task, source)?;

    let kind = raw.optimizer.unwrap_or(OptimizerKind::Sgd);
    let only_for = |key: &str, value: Option<f64>, optimizer: &str, used_by: OptimizerKind| {
        if value.is_some() && kind != used_by {
            Err(source.error(
                key,
                format!(
                    "is a parameter of optimizer = \"{optimizer}\", not of the configured optimizer"
                ),
            ))
        } else {
            Ok(())
        }
    };
    only_for(
        "training.momentum",
        raw.momentum,
        "momentum",
        OptimizerKind::Momentum,
    )?;
    only_for("training.beta1", raw.beta1, "adam", OptimizerKind::Adam)?;
    only_for("training.beta2", raw.beta2, "adam", OptimizerKind::Adam)?;
    only_for("training.epsilon", raw.epsilon, "adam", OptimizerKind::Adam)?;
    let unit_interval = |v: f64| (0.0..1.0).contains(&v);
    let optimizer = match kind {
        OptimizerKind::Sgd => Optimizer::Sgd,
        OptimizerKind::Momentum => Optimizer::Momentum {
            momentum: finite_in(
                raw.momentum.unwrap_or(defaults::MOMENTUM),
                "training.momentum",
                unit_interval,
                "from 0 up to (not including) 1",
                source,
            )?,
        },
        OptimizerKind::Adam => Optimizer::Adam {
            beta1: finite_in(
                raw.beta1.unwrap_or(defaults::BETA1),
                "training.beta1",
                unit_interval,
                "from 0 up to (not including) 1",
                source,
            )?,
            beta2: finite_in(
                raw.beta2.unwrap_or(defaults::BETA2),
                "training.beta2",
                unit_interval,
                "from 0 up to (not including) 1",
                source,
            )?,
            epsilon: finite_in(
                raw.epsilon.unwrap_or(defaults::EPSILON),
                "training.epsilon",
                |v| v > 0.0,
                "a small positive number such as 1e-8",
                source,
            )?,
        },
    };
    let l2 = finite_in(
        raw.l2.unwrap_or(0.0),
        "training.l2",
        |v| v >= 0.0,
        "zero or a positive number",
        source,
    )?;
    let schedule = resolve_schedule(raw.schedule, learning_rate, source)?;
    let early_stopping = match raw.early_stopping {
        None => None,
        Some(raw) => {
            let patience = required(
                raw.patience,
                "training.early_stopping.patience",
                "how many epochs without improvement to wait, at least 1",
                source,
            )?;
            if patience == 0 || patience > limits::EPOCHS {
                return Err(source.error(
                    "training.early_stopping.patience",
                    format!("must be from 1 to {}, got {patience}", limits::EPOCHS),
                ));
            }
            Some(EarlyStopping {
                patience: patience as usize,
                min_delta: finite_in(
                    raw.min_delta.unwrap_or(0.0),
                    "training.early_stopping.min_delta",
                    |v| v >= 0.0,
                    "zero or a positive number",
                    source,
                )?,
                restore_best: raw.restore_best.unwrap_or(true),
            })
        }
    };
    Ok(Training {
        epochs: epochs as usize,
        learning_rate,
        batch_size: batch_size as usize,
        loss,
        optimizer,
        shuffle: raw.shuffle.unwrap_or(true),
        precision: raw.precision.unwrap_or(Precision::F64),
        l2,
        schedule,
        early_stopping,
        diagnostics: raw.diagnostics.unwrap_or(false),
    })
}

/// A task named in the file must suit the loss; the data is not needed to tell.
fn check_loss_against_task(
    loss: Loss,
    task: Option<Task>,
    source: &Source,
) -> Result<(), ConfigError> {
    let problem = match (task, loss) {
        (Some(Task::Regression), Loss::BinaryCrossEntropy | Loss::CrossEntropy) => {
            "task = \"regression\" needs loss = \"mse\"; the cross-entropies compare class probabilities"
        }
        (Some(Task::Binary), Loss::CrossEntropy) => {
            "task = \"binary\" has one sigmoid output, but cross_entropy needs a softmax output of one unit per class; \
             use loss = \"binary_cross_entropy\" (or \"mse\"), or task = \"multiclass\""
        }
        (Some(Task::Multiclass), Loss::BinaryCrossEntropy) => {
            "task = \"multiclass\" has one output per class; use loss = \"cross_entropy\" with a softmax output layer"
        }
        _ => return Ok(()),
    };
    Err(source.error("training.loss", problem))
}

/// The loss must make sense of the output layer's activation.
fn check_loss_against_output(
    loss: Loss,
    model: &Model,
    source: &Source,
) -> Result<(), ConfigError> {
    let last = model.layers.len() - 1;
    let output = model.layers[last];
    let key = format!("model.layers.{last}.activation");
    match loss {
        Loss::BinaryCrossEntropy if output.activation != Activation::Sigmoid || output.units != 1 => {
            Err(source.error(
                &key,
                "loss = \"binary_cross_entropy\" needs an output layer of 1 sigmoid unit (a probability); \
                 for more classes use softmax with loss = \"cross_entropy\"",
            ))
        }
        Loss::CrossEntropy if output.activation != Activation::Softmax => Err(source.error(
            &key,
            "loss = \"cross_entropy\" needs a softmax output layer with one unit per class",
        )),
        _ => Ok(()),
    }
}

fn resolve_schedule(
    raw: Option<RawSchedule>,
    learning_rate: f64,
    source: &Source,
) -> Result<Schedule, ConfigError> {
    let Some(raw) = raw else {
        return Ok(Schedule::Constant);
    };
    let kind = raw.kind.unwrap_or(ScheduleKind::Constant);
    let unused = |key: &str, present: bool, kinds: &str| {
        if present {
            Err(source.error(
                &format!("training.schedule.{key}"),
                format!("is used only by schedule kind {kinds}"),
            ))
        } else {
            Ok(())
        }
    };
    let factor = |source: &Source| {
        let value = required(
            raw.factor,
            "training.schedule.factor",
            "the multiplier of the rate, between 0 and 1",
            source,
        )?;
        finite_in(
            value,
            "training.schedule.factor",
            |v| v > 0.0 && v <= 1.0,
            "a multiplier greater than 0 and at most 1",
            source,
        )
    };
    match kind {
        ScheduleKind::Constant => {
            unused("every", raw.every.is_some(), "\"step\"")?;
            unused(
                "factor",
                raw.factor.is_some(),
                "\"step\" or \"exponential\"",
            )?;
            unused("min_rate", raw.min_rate.is_some(), "\"cosine\"")?;
            Ok(Schedule::Constant)
        }
        ScheduleKind::Step => {
            unused("min_rate", raw.min_rate.is_some(), "\"cosine\"")?;
            let every = required(
                raw.every,
                "training.schedule.every",
                "how many epochs between steps, at least 1",
                source,
            )?;
            if every == 0 || every > limits::EPOCHS {
                return Err(source.error(
                    "training.schedule.every",
                    format!("must be from 1 to {}, got {every}", limits::EPOCHS),
                ));
            }
            Ok(Schedule::Step {
                every: every as usize,
                factor: factor(source)?,
            })
        }
        ScheduleKind::Exponential => {
            unused("every", raw.every.is_some(), "\"step\"")?;
            unused("min_rate", raw.min_rate.is_some(), "\"cosine\"")?;
            Ok(Schedule::Exponential {
                factor: factor(source)?,
            })
        }
        ScheduleKind::Cosine => {
            unused("every", raw.every.is_some(), "\"step\"")?;
            unused(
                "factor",
                raw.factor.is_some(),
                "\"step\" or \"exponential\"",
            )?;
            let min_rate = finite_in(
                raw.min_rate.unwrap_or(0.0),
                "training.schedule.min_rate",
                |v| v >= 0.0 && v <= learning_rate,
                "from 0 to the learning rate",
                source,
            )?;
            Ok(Schedule::Cosine { min_rate })
        }
    }
}

/// The resolved config as the raw mirror with every key present, to write
/// config.toml and print `synapse check`.
pub fn to_raw(config: &Config) -> RawConfig {
    let (generator, path, target, features, rows) = match &config.data.source {
        DataSource::Generator { generator, rows } => {
            (Some(*generator), None, None, None, Some(*rows as u64))
        }
        DataSource::Csv {
            path,
            target,
            features,
            ..
        } => (
            None,
            Some(path.clone()),
            Some(target.clone()),
            features.clone(),
            None,
        ),
    };
    let t = &config.training;
    let (optimizer, momentum, beta1, beta2, epsilon) = match t.optimizer {
        Optimizer::Sgd => (OptimizerKind::Sgd, None, None, None, None),
        Optimizer::Momentum { momentum } => {
            (OptimizerKind::Momentum, Some(momentum), None, None, None)
        }
        Optimizer::Adam {
            beta1,
            beta2,
            epsilon,
        } => (
            OptimizerKind::Adam,
            None,
            Some(beta1),
            Some(beta2),
            Some(epsilon),
        ),
    };
    let schedule = match t.schedule {
        Schedule::Constant => RawSchedule {
            kind: Some(ScheduleKind::Constant),
            ..RawSchedule::default()
        },
        Schedule::Step { every, factor } => RawSchedule {
            kind: Some(ScheduleKind::Step),
            every: Some(every as u64),
            factor: Some(factor),
            min_rate: None,
        },
        Schedule::Exponential { factor } => RawSchedule {
            kind: Some(ScheduleKind::Exponential),
            factor: Some(factor),
            ..RawSchedule::default()
        },
        Schedule::Cosine { min_rate } => RawSchedule {
            kind: Some(ScheduleKind::Cosine),
            min_rate: Some(min_rate),
            ..RawSchedule::default()
        },
    };
    RawConfig {
        experiment: Some(RawExperiment {
            name: Some(config.experiment.name.clone()),
            description: Some(config.experiment.description.clone()),
            seed: Some(config.experiment.seed),
        }),
        data: Some(RawData {
            generator,
            path,
            target,
            features,
            task: config.data.task,
            missing: Some(config.data.missing),
            rows,
            normalize: Some(config.data.normalize),
            split: Some(RawSplit {
                validation: Some(config.data.split.validation),
                test: Some(config.data.split.test),
            }),
        }),
        model: Some(RawModel {
            layers: Some(
                config
                    .model
                    .layers
                    .iter()
                    .map(|l| RawLayer {
                        units: Some(l.units as u64),
                        activation: Some(l.activation),
                    })
                    .collect(),
            ),
            init: Some(config.model.init),
        }),
        training: Some(RawTraining {
            epochs: Some(t.epochs as u64),
            learning_rate: Some(t.learning_rate),
            batch_size: Some(t.batch_size as u64),
            loss: Some(t.loss),
            optimizer: Some(optimizer),
            momentum,
            beta1,
            beta2,
            epsilon,
            shuffle: Some(t.shuffle),
            precision: Some(t.precision),
            l2: Some(t.l2),
            schedule: Some(schedule),
            early_stopping: t.early_stopping.map(|e| RawEarlyStopping {
                patience: Some(e.patience as u64),
                min_delta: Some(e.min_delta),
                restore_best: Some(e.restore_best),
            }),
            // Off is the default and left out, so that every run id of a
            // config without diagnostics stays what it was.
            diagnostics: t.diagnostics.then_some(true),
        }),
        plots: super::plots::to_raw_plots(&config.plots),
    }
}
