//! The baseline of a run: what a model that ignores its inputs scores, so
//! that a person (and the findings) can tell a run that learned from one
//! that did not.
//!
//! It is computed from the training split alone and evaluated on every
//! split. Classification predicts the training class frequencies for every
//! example: their argmax is the majority class (its accuracy is the
//! baseline accuracy), and their loss is the best loss a constant output
//! can reach under cross-entropy. Regression predicts the training mean of
//! the target. Losses go through `nn::loss`, the code training uses, and
//! metrics through `metrics::Tally`, so the baseline's numbers are in the
//! units of metrics.csv (loss on the normalized target, RMSE and MAE in the
//! target's own units).

use crate::config::{Loss, Task};
use crate::data::{Examples, PreparedData};
use crate::math;
use crate::nn::loss;
use crate::train::metrics::{Summary, Tally, argmax};

/// How far from 0 and 1 a training frequency is kept, so that a class that
/// the training split lacks costs a large but finite loss (JSON has no
/// infinity) instead of an infinite one.
const SMALLEST_FREQUENCY: f64 = 1e-12;

/// The constant prediction and what it scores on each split.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub rule: Rule,
    pub train: Scored,
    pub validation: Option<Scored>,
    pub test: Option<Scored>,
}

/// The baseline on one split.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub summary: Summary,
    /// The standard error of its mean loss: the sample standard deviation
    /// of the per-example losses over √n (0 for fewer than two examples),
    /// the noise a model's loss must beat it by.
    pub loss_standard_error: f64,
    pub examples: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// Always the training split's most frequent class, as the data spells it.
    Majority { class: String },
    /// Always the training mean, in the target's own units.
    Mean { mean: f64 },
}

/// The baseline of `data` under the run's loss.
pub fn baseline(data: &PreparedData, loss: Loss) -> Baseline {
    let (output, rule) = constant_output(data);
    let on = |examples: &Examples| evaluate(&output, examples, loss, data);
    Baseline {
        rule,
        train: on(&data.train),
        validation: data.validation.as_ref().map(on),
        test: data.test.as_ref().map(on),
    }
}

/// The output the network would give for every example (as the network
/// gives it: probabilities, or the normalized target), and its rule.
fn constant_output(data: &PreparedData) -> (Vec<f64>, Rule) {
    let targets = &data.train.targets;
    let n = targets.ncols().max(1) as f64;
    let means: Vec<f64> = targets.row_iter().map(|row| row.sum() / n).collect();
    match data.task {
        Task::Regression => {
            let mean = means.first().copied().unwrap_or(0.0);
            let (shift, scale) = data.normalization.target.unwrap_or((0.0, 1.0));
            (
                means,
                Rule::Mean {
                    mean: mean * scale + shift,
                },
            )
        }
        Task::Binary | Task::Multiclass => {
            let frequencies: Vec<f64> = means
                .iter()
                .map(|&p| p.clamp(SMALLEST_FREQUENCY, 1.0 - SMALLEST_FREQUENCY))
                .collect();
            // The class the frequencies predict, as Tally reads an output.
            let index = match data.task {
                Task::Binary => usize::from(frequencies.first().is_some_and(|&p| p >= 0.5)),
                _ => argmax(&frequencies),
            };
            let class = data.classes.get(index).cloned().unwrap_or_default();
            (frequencies, Rule::Majority { class })
        }
    }
}

/// Loss and metrics of `output` given for every example of `examples`.
fn evaluate(output: &[f64], examples: &Examples, loss: Loss, data: &PreparedData) -> Scored {
    let units = output.len();
    // The weighted sums whose output activation gives `output`: the logit
    // of a sigmoid, the logarithms for a softmax (up to a constant, which
    // the softmax ignores). mse reads only the output.
    let weighted_sum: Vec<f64> = match (data.task, loss) {
        (Task::Binary, _) => output
            .iter()
            .map(|&p| math::ln(p) - math::ln(1.0 - p))
            .collect(),
        (Task::Multiclass, _) => output.iter().map(|&p| math::ln(p)).collect(),
        (Task::Regression, _) => output.to_vec(),
    };
    let mut tally = Tally::new(data.task, data.normalization.target);
    let mut value = [0.0];
    let mut values = Vec::with_capacity(examples.len());
    for target in examples.targets.column_iter() {
        let target = target.as_slice();
        loss::losses(loss, units, &weighted_sum, output, target, &mut value);
        tally.add(value[0], output, target);
        values.push(value[0]);
    }
    let summary = tally.summary();
    let n = values.len();
    let loss_standard_error = if n < 2 {
        0.0
    } else {
        let variance = values
            .iter()
            .map(|v| (v - summary.loss) * (v - summary.loss))
            .sum::<f64>()
            / (n - 1) as f64;
        (variance / n as f64).sqrt()
    };
    Scored {
        summary,
        loss_standard_error,
        examples: n,
    }
}

#[cfg(test)]
mod tests {
    use nalgebra::DMatrix;

    use super::*;
    use crate::config::Normalize;
    use crate::data::Normalization;
    use crate::train::metrics::TaskMetrics;

    fn examples(targets: DMatrix<f64>) -> Examples {
        let n = targets.ncols();
        Examples {
            inputs: DMatrix::zeros(1, n),
            targets,
            rows: (1..=n).collect(),
            raw_targets: vec![String::new(); n],
            raw_inputs: None,
        }
    }

    fn data(
        task: Task,
        classes: &[&str],
        train: DMatrix<f64>,
        validation: DMatrix<f64>,
    ) -> PreparedData {
        PreparedData {
            inputs: vec!["x".to_string()],
            target: "y".to_string(),
            task,
            classes: classes.iter().map(|c| c.to_string()).collect(),
            normalization: Normalization {
                kind: Normalize::None,
                shift: vec![0.0],
                scale: vec![1.0],
                target: (task == Task::Regression).then_some((10.0, 2.0)),
            },
            categories: Vec::new(),
            train: examples(train),
            validation: Some(examples(validation)),
            test: None,
            content_hash: String::new(),
        }
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} against {b}");
    }

    #[test]
    fn binary_predicts_the_majority_and_its_frequency() {
        // Training: 3 "no" (0) and 1 "yes" (1): p(yes) = 0.25.
        let train = DMatrix::from_row_slice(1, 4, &[0.0, 0.0, 0.0, 1.0]);
        let validation = DMatrix::from_row_slice(1, 2, &[1.0, 0.0]);
        let data = data(Task::Binary, &["no", "yes"], train, validation);
        let b = baseline(&data, Loss::BinaryCrossEntropy);
        assert_eq!(
            b.rule,
            Rule::Majority {
                class: "no".to_string()
            }
        );
        assert_eq!(b.train.summary.task, TaskMetrics::Accuracy(0.75));
        let v = b.validation.expect("validation");
        assert_eq!(v.summary.task, TaskMetrics::Accuracy(0.5));
        // Training: −(3 ln 0.75 + ln 0.25) / 4; validation: −(ln 0.25 + ln 0.75) / 2.
        close(
            b.train.summary.loss,
            -(3.0 * math::ln(0.75) + math::ln(0.25)) / 4.0,
        );
        close(v.summary.loss, -(math::ln(0.25) + math::ln(0.75)) / 2.0);
        // mse on the frequency as the output: (0.25² · 3 + 0.75²) / 4.
        let b = baseline(&data, Loss::Mse);
        close(b.train.summary.loss, (3.0 * 0.0625 + 0.5625) / 4.0);
    }

    #[test]
    fn multiclass_predicts_the_most_frequent_class_and_the_frequencies() {
        // Training: b, b, c, a, b as one-hot columns of (a, b, c).
        #[rustfmt::skip]
        let train = DMatrix::from_column_slice(3, 5, &[
            0.0, 1.0, 0.0,
            0.0, 1.0, 0.0,
            0.0, 0.0, 1.0,
            1.0, 0.0, 0.0,
            0.0, 1.0, 0.0,
        ]);
        let validation = DMatrix::from_column_slice(3, 2, &[1.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
        let data = data(Task::Multiclass, &["a", "b", "c"], train, validation);
        let b = baseline(&data, Loss::CrossEntropy);
        assert_eq!(
            b.rule,
            Rule::Majority {
                class: "b".to_string()
            }
        );
        assert_eq!(b.train.summary.task, TaskMetrics::Accuracy(0.6));
        let v = b.validation.expect("validation");
        assert_eq!(v.summary.task, TaskMetrics::Accuracy(0.5));
        close(v.summary.loss, -(math::ln(0.2) + math::ln(0.6)) / 2.0);
    }

    #[test]
    fn regression_predicts_the_training_mean_in_the_targets_units() {
        // Normalized targets −1, 0, 1, 2 (mean 0.5); target = 2·normalized + 10.
        let train = DMatrix::from_row_slice(1, 4, &[-1.0, 0.0, 1.0, 2.0]);
        let validation = DMatrix::from_row_slice(1, 2, &[0.5, 1.5]);
        let data = data(Task::Regression, &[], train, validation);
        let b = baseline(&data, Loss::Mse);
        assert_eq!(b.rule, Rule::Mean { mean: 11.0 });
        // Errors 1.5, 0.5, 0.5, 1.5 (normalized): loss 1.25; in units ×2.
        close(b.train.summary.loss, 1.25);
        match b.train.summary.task {
            TaskMetrics::Regression { rmse, mae } => {
                close(rmse, 2.0 * 1.25f64.sqrt());
                close(mae, 2.0);
            }
            other => panic!("{other:?}"),
        }
        let v = b.validation.expect("validation");
        close(v.summary.loss, 0.5);
        // Per-example training losses 2.25, 0.25, 0.25, 2.25: sample
        // standard deviation √(4 · 1² / 3), over √4.
        close(b.train.loss_standard_error, (4.0f64 / 3.0).sqrt() / 2.0);
        // Validation errors 0 and 1 (normalized): rmse 2·√0.5, mae 2·0.5.
        match v.summary.task {
            TaskMetrics::Regression { rmse, mae } => {
                close(rmse, 2.0 * 0.5f64.sqrt());
                close(mae, 1.0);
            }
            other => panic!("{other:?}"),
        }
    }
}
