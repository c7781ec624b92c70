//! Early stopping on the validation loss: stop when it has not improved by
//! more than `min_delta` for `patience` epochs.

use crate::config;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EarlyStopping {
    config: config::EarlyStopping,
    best: Option<(usize, f64)>,
    since_best: usize,
}

/// What one epoch's validation loss means for the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The best epoch so far: keep its weights.
    Improved,
    /// Not better; keep waiting.
    Wait,
    /// `patience` epochs without improvement: stop.
    Stop,
}

impl EarlyStopping {
    pub fn new(config: config::EarlyStopping) -> Self {
        EarlyStopping {
            config,
            best: None,
            since_best: 0,
        }
    }

    pub fn observe(&mut self, epoch: usize, validation_loss: f64) -> Verdict {
        let improved = self
            .best
            .is_none_or(|(_, best)| validation_loss < best - self.config.min_delta);
        if improved {
            self.best = Some((epoch, validation_loss));
            self.since_best = 0;
            Verdict::Improved
        } else {
            self.since_best += 1;
            if self.since_best >= self.config.patience {
                Verdict::Stop
            } else {
                Verdict::Wait
            }
        }
    }

    /// The epoch with the lowest validation loss so far.
    pub fn best_epoch(&self) -> Option<usize> {
        self.best.map(|(epoch, _)| epoch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stopping(patience: usize, min_delta: f64) -> EarlyStopping {
        EarlyStopping::new(config::EarlyStopping {
            patience,
            min_delta,
            restore_best: true,
        })
    }

    /// Feeds losses epoch by epoch; returns the epoch it stopped at.
    fn stop_epoch(stopper: &mut EarlyStopping, losses: &[f64]) -> Option<usize> {
        losses
            .iter()
            .enumerate()
            .find(|(i, loss)| stopper.observe(i + 1, **loss) == Verdict::Stop)
            .map(|(i, _)| i + 1)
    }

    #[test]
    fn stops_after_patience_epochs_without_improvement() {
        let mut s = stopping(3, 0.0);
        let at = stop_epoch(&mut s, &[1.0, 0.8, 0.7, 0.71, 0.72, 0.73, 0.5]);
        assert_eq!(at, Some(6));
        assert_eq!(s.best_epoch(), Some(3));
    }

    #[test]
    fn improvements_smaller_than_min_delta_do_not_count() {
        let mut s = stopping(2, 0.05);
        let at = stop_epoch(&mut s, &[1.0, 0.97, 0.96, 0.5]);
        assert_eq!(at, Some(3));
        assert_eq!(s.best_epoch(), Some(1));
    }

    #[test]
    fn keeps_going_while_it_improves() {
        let mut s = stopping(1, 0.0);
        assert_eq!(stop_epoch(&mut s, &[5.0, 4.0, 3.0, 2.0]), None);
        assert_eq!(s.best_epoch(), Some(4));
    }
}
