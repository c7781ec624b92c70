//! What a run keeps of its epochs while it trains: the count, the last
//! and the best record (for summary.json and the closing line), and the
//! thinned curves its plot draws (losses, and the task's metric: accuracy,
//! or RMSE in the target's units). Its size does not grow with the number
//! of epochs; the rows themselves go to metrics.csv as they come.

use super::thin::{MAX_PLOT_POINTS, Thinner};
use crate::train::EpochRecord;
use crate::train::metrics::TaskMetrics;

#[derive(Debug, Clone, PartialEq)]
pub struct History {
    epochs: usize,
    last: Option<EpochRecord>,
    best: Option<EpochRecord>,
    pub train_cost: Thinner,
    pub train_loss: Thinner,
    pub validation_loss: Thinner,
    /// Accuracy, or RMSE for regression (see [`History::metric_name`]).
    pub train_metric: Thinner,
    pub validation_metric: Thinner,
    metric_name: Option<&'static str>,
}

impl Default for History {
    fn default() -> Self {
        History {
            epochs: 0,
            last: None,
            best: None,
            train_cost: Thinner::new(MAX_PLOT_POINTS),
            train_loss: Thinner::new(MAX_PLOT_POINTS),
            validation_loss: Thinner::new(MAX_PLOT_POINTS),
            train_metric: Thinner::new(MAX_PLOT_POINTS),
            validation_metric: Thinner::new(MAX_PLOT_POINTS),
            metric_name: None,
        }
    }
}

impl History {
    /// An epoch's record (epoch 0's, as `initial`, only starts the curves).
    pub fn push(&mut self, record: &EpochRecord) {
        self.curves(record);
        if record.epoch == 0 {
            return;
        }
        self.epochs += 1;
        // The first epoch of the lowest validation loss (training loss
        // without a validation split).
        let by = |r: &EpochRecord| r.validation.map_or(r.train.loss, |v| v.loss);
        match &self.best {
            Some(best) if by(best) <= by(record) => {}
            _ => self.best = Some(record.clone()),
        }
        self.last = Some(record.clone());
    }

    /// The evaluation of the initial weights (epoch 0), before any update:
    /// a point of the curves, not an epoch run, so it counts neither in
    /// [`History::len`] nor as the best or last epoch.
    pub fn initial(&mut self, record: &EpochRecord) {
        self.curves(record);
    }

    fn curves(&mut self, record: &EpochRecord) {
        let x = record.epoch as f64;
        self.train_cost.push((x, record.train.cost));
        self.train_loss.push((x, record.train.loss));
        self.train_metric.push((x, metric(&record.train.task)));
        if let Some(validation) = &record.validation {
            self.validation_loss.push((x, validation.loss));
            self.validation_metric.push((x, metric(&validation.task)));
        }
        self.metric_name = Some(match record.train.task {
            TaskMetrics::Accuracy(_) => "accuracy",
            TaskMetrics::Regression { .. } => "rmse",
        });
    }

    /// What the metric curves hold, as metrics.csv names it: "accuracy" or
    /// "rmse"; None before the first record.
    pub fn metric_name(&self) -> Option<&'static str> {
        self.metric_name
    }

    /// The number of epochs recorded.
    pub fn len(&self) -> usize {
        self.epochs
    }

    pub fn is_empty(&self) -> bool {
        self.epochs == 0
    }

    pub fn last(&self) -> Option<&EpochRecord> {
        self.last.as_ref()
    }

    pub fn best(&self) -> Option<&EpochRecord> {
        self.best.as_ref()
    }
}

/// The one number of a split's task metrics that the plot draws.
fn metric(task: &TaskMetrics) -> f64 {
    match *task {
        TaskMetrics::Accuracy(accuracy) => accuracy,
        TaskMetrics::Regression { rmse, .. } => rmse,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::metrics::{Summary, TaskMetrics};

    fn record(epoch: usize, loss: f64) -> EpochRecord {
        let summary = Summary {
            cost: loss * 4.0,
            loss,
            task: TaskMetrics::Accuracy(0.5),
        };
        EpochRecord {
            epoch,
            learning_rate: 0.1,
            train: summary,
            validation: Some(summary),
        }
    }

    #[test]
    fn keeps_the_first_best_and_the_last_without_growing() {
        let mut history = History::default();
        let mut size_after_many = None;
        for epoch in 1..=200_000 {
            let loss = 1.0 + ((epoch * 7919) % 1000) as f64 / 1000.0;
            history.push(&record(epoch, if epoch == 777 { 0.5 } else { loss }));
            if epoch == 100_000 {
                size_after_many = Some(history.train_loss.points().len());
            }
        }
        assert_eq!(history.len(), 200_000);
        assert_eq!(history.best().map(|r| r.epoch), Some(777));
        assert_eq!(history.last().map(|r| r.epoch), Some(200_000));
        for curve in [
            &history.train_cost,
            &history.train_loss,
            &history.validation_loss,
            &history.train_metric,
            &history.validation_metric,
        ] {
            assert!(curve.points().len() <= MAX_PLOT_POINTS + 3);
        }
        assert!(size_after_many.is_some_and(|n| n <= MAX_PLOT_POINTS + 3));
        assert!(history.train_loss.points().contains(&(777.0, 0.5)));
    }

    #[test]
    fn the_initial_evaluation_is_a_point_not_an_epoch() {
        let mut history = History::default();
        history.initial(&record(0, 0.1));
        for epoch in 1..=3 {
            history.push(&record(epoch, 1.0 + epoch as f64));
        }
        assert_eq!(history.len(), 3);
        // Its loss is the lowest, yet it cannot be the best epoch.
        assert_eq!(history.best().map(|r| r.epoch), Some(1));
        assert_eq!(history.train_loss.points().first(), Some(&(0.0, 0.1)));
        assert_eq!(
            history.validation_metric.points(),
            [(0.0, 0.5), (1.0, 0.5), (2.0, 0.5), (3.0, 0.5)]
        );
        assert_eq!(history.metric_name(), Some("accuracy"));
    }

    #[test]
    fn epoch_0_starts_the_curves_but_is_never_counted_best_or_last() {
        let mut history = History::default();
        // The initial weights better than every epoch after them.
        history.initial(&record(0, 0.1));
        assert_eq!(
            (history.len(), history.best(), history.last()),
            (0, None, None)
        );
        history.push(&record(1, 2.0));
        history.push(&record(2, 3.0));
        assert_eq!(history.len(), 2);
        assert_eq!(history.best().map(|r| r.epoch), Some(1));
        assert_eq!(history.last().map(|r| r.epoch), Some(2));
        assert_eq!(
            history.train_loss.points(),
            [(0.0, 0.1), (1.0, 2.0), (2.0, 3.0)]
        );
        assert_eq!(history.validation_loss.points()[0], (0.0, 0.1));
        assert_eq!(history.train_cost.points()[0], (0.0, 0.4));
    }
}
