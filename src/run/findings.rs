//! A run's findings: what a person should know about its result that its
//! status does not say. A run that learned nothing ends `completed` like a
//! good one; these say so in plain words, each with a stable code (for
//! scripts and summary.json) and one sentence with the numbers and a hint.
//!
//! The split judged is the validation split, or the training split where
//! there is none. The rules, and why their thresholds:
//! - `no_better_than_baseline`: classification: the accuracy is not above
//!   the baseline's by more than 2 binomial standard errors of the
//!   baseline's accuracy on that split, 2·√(p(1−p)/n), the width of chance
//!   on n examples; regression: the loss is not below the baseline's by
//!   more than 2 standard errors of the baseline's per-example losses.
//! - `constant_output`: every example gets the same class; for regression,
//!   outputs whose standard deviation is under 1% of the target's.
//! - `saturated`: in a hidden layer, more than half the sigmoid/tanh units
//!   beyond |z| > 5 on more than 90% of the examples, or more than half the
//!   relu units never positive (`nn::saturation`).
//! - `stalled`: the training loss moved less than 1% over the last half of
//!   training (at least 10 epochs) while above the baseline's training loss.
//! - `overfitting`: the validation loss ended more than 5% above its
//!   minimum, reached at least max(5, 20% of the epochs) epochs before the
//!   end, while the training loss fell since, and the validation metric
//!   got worse by more than its noise: the accuracy fell by more than 2
//!   binomial standard errors of the accuracy at that minimum, or the RMSE
//!   rose by more than 5%. A rise of the loss that costs nothing a person
//!   reads (iris and spiral end at the same accuracy as at their lowest
//!   validation loss; heart's sweep loses a few of 200 examples) is the
//!   noise of a small split, not a finding. Never where early stopping
//!   restored the best weights, which already undid it.
//!
//! A diverged or interrupted run gets none: its status already says what
//! happened, and its numbers may not be finite.

use crate::config::{Config, Task};
use crate::data::PreparedData;
use crate::nn::Float;
use crate::nn::saturation::saturation;
use crate::results::history::History;
use crate::results::summary::Finding;
use crate::text::number;
use crate::train::baseline::{Baseline, Rule};
use crate::train::metrics::{TaskMetrics, argmax};
use crate::train::{EpochRecord, Evaluator, Outcome, Status};

/// Standard errors a model must beat the baseline by.
const NOISE_STANDARD_ERRORS: f64 = 2.0;
/// Outputs spread under this share of the target's spread are constant.
const CONSTANT_SPREAD: f64 = 0.01;
/// More than this share of a layer's units stuck makes it saturated.
const STUCK_UNITS: f64 = 0.5;
/// A training loss that moved less than this (relative) has stalled.
const STALLED_CHANGE: f64 = 0.01;
/// A training loss this far (relative) above the constant's overshot.
const OVERSHOOT: f64 = 0.05;
/// Fewer epochs than this are too short to call stalled.
const STALLED_EPOCHS: usize = 10;
/// Validation loss this far (relative) above its minimum is overfitting.
const OVERFIT_RISE: f64 = 0.05;
/// The stretch of rising validation loss: this share of the epochs, …
const OVERFIT_SHARE: f64 = 0.2;
/// … and at least this many.
const OVERFIT_EPOCHS: usize = 5;

/// The findings of a finished run, in the order of the rules above.
pub(super) fn findings<T: Float>(
    config: &Config,
    data: &PreparedData,
    outcome: &Outcome<T>,
    history: &History,
    middle: Option<&EpochRecord>,
    baseline: &Baseline,
) -> Vec<Finding> {
    if matches!(outcome.status, Status::Diverged | Status::Interrupted)
        || outcome.divergence.is_some()
        || !outcome.network.is_finite()
    {
        return Vec::new();
    }
    let (split, examples, base) = match (&data.validation, &baseline.validation) {
        (Some(v), Some(b)) if !v.is_empty() => ("validation", v, b),
        _ => ("training", &data.train, &baseline.train),
    };
    if examples.is_empty() {
        return Vec::new();
    }
    let mut evaluator = Evaluator::new(&outcome.network);
    let (model, outputs) = evaluator.outputs(
        &outcome.network,
        examples,
        config.training.loss,
        data.task,
        data.normalization.target,
    );
    if !model.loss.is_finite() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut add = |code: &str, message: String| {
        found.push(Finding {
            code: code.to_string(),
            message,
        })
    };
    let n = base.examples;

    // no_better_than_baseline
    match (&baseline.rule, model.task, base.summary.task) {
        (Rule::Majority { class }, TaskMetrics::Accuracy(a), TaskMetrics::Accuracy(p)) => {
            let noise = NOISE_STANDARD_ERRORS * (p * (1.0 - p) / n as f64).sqrt();
            if a <= p + noise {
                add(
                    "no_better_than_baseline",
                    format!(
                        "{split} accuracy {} is no better than always \"{class}\" {} \
                         (chance alone spans ±{} on {n} examples): the network has not \
                         learned from its inputs; check the learning rate and the epochs",
                        number(a),
                        number(p),
                        number(noise)
                    ),
                );
            }
        }
        (
            Rule::Mean { mean },
            TaskMetrics::Regression { rmse, .. },
            TaskMetrics::Regression {
                rmse: base_rmse, ..
            },
        ) => {
            let noise = NOISE_STANDARD_ERRORS * base.loss_standard_error;
            if model.loss >= base.summary.loss - noise {
                add(
                    "no_better_than_baseline",
                    format!(
                        "{split} rmse {} is no better than always predicting the mean {} \
                         (rmse {}; loss {} against {}, noise ±{}): the network has not \
                         learned from its inputs; check the learning rate and the epochs",
                        number(rmse),
                        number(*mean),
                        number(base_rmse),
                        number(model.loss),
                        number(base.summary.loss),
                        number(noise)
                    ),
                );
            }
        }
        _ => {}
    }

    // constant_output. Its hint depends on which way the rate is off: a
    // rate too large overshoots (units saturate or die, or the training
    // loss ends above the constant's), one too small leaves the network
    // near where it started, at about the constant's loss.
    let lr = number(config.training.learning_rate);
    let layers = saturation(&outcome.network, &examples.inputs);
    let overshot = layers
        .iter()
        .any(|l| l.saturated > STUCK_UNITS || l.dead > STUCK_UNITS)
        || history
            .last()
            .is_some_and(|last| last.train.loss > (1.0 + OVERSHOOT) * baseline.train.summary.loss);
    // A run stuck where a too-large step threw it needs a smaller rate; one
    // that crawls, a larger one.
    let stalled_hint = if overshot {
        format!("a smaller learning rate (this run's is {lr}) or another init may free it")
    } else {
        format!("a larger learning rate (this run's is {lr}) or another init may move it")
    };
    let hint = if overshot {
        format!("a smaller learning rate (this run's is {lr}) or another init usually helps")
    } else {
        format!("a larger learning rate (this run's is {lr}) or more epochs usually helps")
    };
    match data.task {
        Task::Binary | Task::Multiclass => {
            let class_of = |column: usize| {
                let output: Vec<f64> = outputs.column(column).iter().copied().collect();
                match data.task {
                    Task::Binary => usize::from(output.first().is_some_and(|&o| o >= 0.5)),
                    _ => argmax(&output),
                }
            };
            let first = class_of(0);
            if (1..outputs.ncols()).all(|c| class_of(c) == first) {
                let name = data.classes.get(first).map_or("?", String::as_str);
                add(
                    "constant_output",
                    format!(
                        "every {split} example gets the same class, \"{name}\": the network \
                         ignores its inputs; {hint}"
                    ),
                );
            }
        }
        Task::Regression => {
            let spread = standard_deviation(outputs.row(0).iter().copied());
            let target = standard_deviation(examples.targets.row(0).iter().copied());
            if spread < CONSTANT_SPREAD * target {
                add(
                    "constant_output",
                    format!(
                        "the {split} outputs barely vary (their spread is {}% of the \
                         target's): the network ignores its inputs; {hint}",
                        number(100.0 * spread / target)
                    ),
                );
            }
        }
    }

    // saturated
    for (index, layer) in layers.iter().enumerate() {
        let (share, what) = if layer.saturated > STUCK_UNITS {
            (
                layer.saturated,
                "saturated (|z| > 5 on over 90% of the examples)",
            )
        } else if layer.dead > STUCK_UNITS {
            (layer.dead, "dead (never positive)")
        } else {
            continue;
        };
        add(
            "saturated",
            format!(
                "hidden layer {} (model.layers.{index}): {}% of its {} {} units are {what} \
                 on the {split} split, \
                 so they barely learn; a smaller learning rate (this run's is {lr}) or \
                 another init usually helps",
                index + 1,
                number(100.0 * share),
                layer.units,
                layer.activation.name()
            ),
        );
        break;
    }

    // stalled
    let epochs = history.len();
    if epochs >= STALLED_EPOCHS
        && let (Some(middle), Some(last)) = (middle, history.last())
    {
        let (middle, last) = (middle.train.loss, last.train.loss);
        let change = (last - middle).abs() / middle.abs();
        let floor = baseline.train.summary.loss;
        if change < STALLED_CHANGE && last > floor {
            add(
                "stalled",
                format!(
                    "the training loss moved {}% over the last {} epochs ({} to {}) and is \
                     still above the baseline's {}: training has stalled; {}",
                    number(100.0 * change),
                    epochs - epochs / 2,
                    number(middle),
                    number(last),
                    number(floor),
                    stalled_hint
                ),
            );
        }
    }

    // overfitting
    if outcome.restored_epoch.is_none()
        && let Some(finding) = overfitting(history, n)
    {
        add("overfitting", finding);
    }
    found
}

/// The epoch whose training loss `stalled` compares the last one with: the
/// middle of a run of `epochs` epochs. The caller reads that one row back
/// from metrics.csv, so that a run holds no more than a few epochs in memory.
pub(super) fn middle_epoch(epochs: usize) -> usize {
    epochs / 2
}

/// The overfitting sentence, where the validation loss rose over the last
/// stretch of epochs while the training loss fell. The run's best epoch
/// (the first of its lowest validation loss) and its last are all it reads.
fn overfitting(history: &History, examples: usize) -> Option<String> {
    let epochs = history.len();
    let stretch = OVERFIT_EPOCHS.max((OVERFIT_SHARE * epochs as f64).ceil() as usize);
    let (best, last) = (history.best()?, history.last()?);
    let (lowest, now) = (best.validation?, last.validation?);
    if epochs <= stretch {
        return None;
    }
    let rose = now.loss > (1.0 + OVERFIT_RISE) * lowest.loss;
    let fell = last.train.loss < best.train.loss;
    let worse = match (lowest.task, now.task) {
        (TaskMetrics::Accuracy(then), TaskMetrics::Accuracy(now)) => {
            let noise =
                NOISE_STANDARD_ERRORS * (then * (1.0 - then) / examples.max(1) as f64).sqrt();
            now < then - noise
        }
        (TaskMetrics::Regression { rmse: then, .. }, TaskMetrics::Regression { rmse: now, .. }) => {
            now > (1.0 + OVERFIT_RISE) * then
        }
        _ => false,
    };
    (best.epoch + stretch <= last.epoch && rose && fell && worse).then(|| {
        format!(
            "the validation loss rose from {} at epoch {} to {} at epoch {} while the \
             training loss fell: the network is overfitting; early stopping \
             (training.early_stopping) or fewer epochs would keep the better weights",
            number(lowest.loss),
            best.epoch,
            number(now.loss),
            last.epoch
        )
    })
}

/// The population standard deviation (0 for no values).
fn standard_deviation(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let n = values.clone().count().max(1) as f64;
    let mean = values.clone().sum::<f64>() / n;
    (values.map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::train::metrics::Summary;

    /// A history of training and validation losses, the validation
    /// accuracy falling from 0.9 to 0.8 from the epoch `drop` (1-based) on:
    /// on 100 examples, by more than 2·√(0.9·0.1/100) = 0.06.
    fn history(train: &[f64], validation: Option<&[f64]>, drop: usize) -> History {
        let mut history = History::default();
        for (i, &t) in train.iter().enumerate() {
            let summary = |loss: f64, accuracy: f64| Summary {
                cost: loss,
                loss,
                task: TaskMetrics::Accuracy(accuracy),
            };
            let accuracy = if i + 1 >= drop { 0.8 } else { 0.9 };
            history.push(&EpochRecord {
                epoch: i + 1,
                learning_rate: 0.1,
                train: summary(t, 0.5),
                validation: validation.map(|v| summary(v[i], accuracy)),
            });
        }
        history
    }

    #[test]
    fn overfitting_needs_a_rise_over_the_stretch_while_training_falls() {
        let overfitting = |history: History| overfitting(&history, 100);
        // 10 epochs: the stretch is 5; minimum 1.0 at epoch 4, 1.2 at the end.
        let train = [5.0, 4.0, 3.0, 2.5, 2.0, 1.8, 1.6, 1.4, 1.2, 1.0];
        let rising = [3.0, 2.0, 1.5, 1.0, 1.05, 1.1, 1.1, 1.15, 1.2, 1.2];
        let message = overfitting(history(&train, Some(&rising), 8)).expect("overfitting");
        assert!(
            message.contains("from 1 at epoch 4 to 1.2 at epoch 10"),
            "{message}"
        );
        // The same rise at the same accuracy: noise, not overfitting.
        assert_eq!(overfitting(history(&train, Some(&rising), 11)), None);
        // Accuracy down by 0.1 on 25 examples is within 2·√(0.9·0.1/25) = 0.12.
        assert_eq!(
            super::overfitting(&history(&train, Some(&rising), 8), 25),
            None
        );
        // Up by only 4%: not overfitting.
        let flat = [3.0, 2.0, 1.5, 1.0, 1.0, 1.0, 1.0, 1.02, 1.03, 1.04];
        assert_eq!(overfitting(history(&train, Some(&flat), 8)), None);
        // The minimum 4 epochs before the end: too short a stretch.
        let late = [3.0, 2.0, 1.5, 1.4, 1.3, 1.0, 1.1, 1.2, 1.2, 1.2];
        assert_eq!(overfitting(history(&train, Some(&late), 8)), None);
        // Training loss rising too: not overfitting but something else.
        let worse = [1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5];
        assert_eq!(overfitting(history(&worse, Some(&rising), 8)), None);
        // No validation split: no overfitting to see.
        assert_eq!(overfitting(history(&train, None, 8)), None);
    }

    #[test]
    fn standard_deviation_is_the_population_ones() {
        assert_eq!(standard_deviation([1.0, 3.0].into_iter()), 1.0);
        assert_eq!(standard_deviation([2.0; 5].into_iter()), 0.0);
    }
}
