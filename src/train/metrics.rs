//! How good the outputs are: the per-task metrics of metrics.csv.

use crate::config::Task;
use crate::nn::Float;

/// Accumulates metrics one example at a time, in example order.
#[derive(Debug, Clone)]
pub struct Tally {
    task: Task,
    /// Regression: target = normalized × scale + shift, so an error in the
    /// target's own units is the normalized error × scale.
    target_scale: f64,
    count: usize,
    loss_sum: f64,
    correct: usize,
    squared_error: f64,
    absolute_error: f64,
}

/// The metrics of a set of examples.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    /// The sum of the examples' losses: the textbook's cost.
    pub cost: f64,
    /// The mean loss per example.
    pub loss: f64,
    pub task: TaskMetrics,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TaskMetrics {
    Accuracy(f64),
    Regression { rmse: f64, mae: f64 },
}

impl Tally {
    pub fn new(task: Task, target_normalization: Option<(f64, f64)>) -> Self {
        let target_scale = target_normalization.map_or(1.0, |(_, scale)| scale);
        Tally {
            task,
            target_scale,
            count: 0,
            loss_sum: 0.0,
            correct: 0,
            squared_error: 0.0,
            absolute_error: 0.0,
        }
    }

    /// One example: its loss, the network's output and the target (both as
    /// the network sees them: probabilities, one-hot, or normalized values),
    /// in the network's float type or the data's.
    pub fn add<O: Float, Y: Float>(&mut self, loss: f64, output: &[O], target: &[Y]) {
        self.count += 1;
        self.loss_sum += loss;
        match self.task {
            Task::Binary => {
                let (o, t) = (first(output), first(target));
                if (o >= 0.5) == (t >= 0.5) {
                    self.correct += 1;
                }
            }
            Task::Multiclass => {
                if argmax(output) == argmax(target) {
                    self.correct += 1;
                }
            }
            Task::Regression => {
                let error = (first(output) - first(target)) * self.target_scale;
                self.squared_error += error * error;
                self.absolute_error += error.abs();
            }
        }
    }

    pub fn summary(&self) -> Summary {
        let n = self.count.max(1) as f64;
        Summary {
            cost: self.loss_sum,
            loss: self.loss_sum / n,
            task: match self.task {
                Task::Binary | Task::Multiclass => TaskMetrics::Accuracy(self.correct as f64 / n),
                Task::Regression => TaskMetrics::Regression {
                    rmse: (self.squared_error / n).sqrt(),
                    mae: self.absolute_error / n,
                },
            },
        }
    }
}

fn first<T: Float>(values: &[T]) -> f64 {
    values.first().map_or(f64::NAN, |v| v.as_f64())
}

/// The position of the largest value; the first one on ties, and 0 when
/// none is larger than −∞ (all NaN, say).
pub fn argmax<T: Float>(values: &[T]) -> usize {
    let mut best = (0, T::of(f64::NEG_INFINITY));
    for (i, &v) in values.iter().enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_accuracy_thresholds_at_one_half() {
        let mut t = Tally::new(Task::Binary, None);
        t.add(0.1, &[0.7], &[1.0]);
        t.add(0.2, &[0.4], &[1.0]);
        t.add(0.3, &[0.2], &[0.0]);
        t.add(0.4, &[0.5], &[0.0]);
        let s = t.summary();
        assert_eq!(s.task, TaskMetrics::Accuracy(0.5));
        assert!((s.cost - 1.0).abs() < 1e-12);
        assert!((s.loss - 0.25).abs() < 1e-12);
    }

    #[test]
    fn multiclass_accuracy_takes_the_largest_output() {
        let mut t = Tally::new(Task::Multiclass, None);
        t.add(0.0, &[0.1, 0.7, 0.2], &[0.0, 1.0, 0.0]);
        t.add(0.0, &[0.5, 0.3, 0.2], &[0.0, 0.0, 1.0]);
        assert_eq!(t.summary().task, TaskMetrics::Accuracy(0.5));
    }

    #[test]
    fn outputs_in_f32_and_targets_in_f64_are_compared_as_numbers() {
        let mut t = Tally::new(Task::Multiclass, None);
        t.add(0.0, &[0.1f32, 0.7, 0.2], &[0.0f64, 1.0, 0.0]);
        t.add(0.0, &[0.6f32, 0.3, 0.1], &[0.0f64, 0.0, 1.0]);
        assert_eq!(t.summary().task, TaskMetrics::Accuracy(0.5));
        let mut t = Tally::new(Task::Regression, None);
        t.add(0.0, &[0.25f32], &[0.5f64]);
        let TaskMetrics::Regression { mae, .. } = t.summary().task else {
            panic!("regression")
        };
        assert_eq!(mae, 0.25);
    }

    #[test]
    fn regression_errors_are_in_the_targets_units() {
        let mut t = Tally::new(Task::Regression, Some((100.0, 10.0)));
        t.add(0.0, &[0.5], &[0.0]);
        t.add(0.0, &[-0.1], &[0.1]);
        let TaskMetrics::Regression { rmse, mae } = t.summary().task else {
            panic!("regression")
        };
        assert!((mae - 3.5).abs() < 1e-12, "{mae}");
        assert!((rmse - (14.5f64).sqrt()).abs() < 1e-12, "{rmse}");
    }
}
