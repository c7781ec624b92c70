//! The learning rate of each epoch.

use crate::config::Schedule;
use crate::math;

/// The rate for `epoch` (1-based) of `epochs`, starting from `initial`.
pub fn learning_rate(schedule: Schedule, initial: f64, epoch: usize, epochs: usize) -> f64 {
    let done = epoch.saturating_sub(1) as f64;
    match schedule {
        Schedule::Constant => initial,
        Schedule::Step { every, factor } => {
            initial * math::pow(factor, ((epoch.saturating_sub(1)) / every) as f64)
        }
        Schedule::Exponential { factor } => initial * math::pow(factor, done),
        Schedule::Cosine { min_rate } => {
            // Half a cosine from `initial` at the first epoch towards
            // `min_rate`, which the epoch after the last would reach.
            let progress = done / epochs.max(1) as f64;
            min_rate
                + (initial - min_rate) * 0.5 * (1.0 + math::cos(std::f64::consts::PI * progress))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_never_changes() {
        assert_eq!(learning_rate(Schedule::Constant, 0.1, 50, 100), 0.1);
    }

    #[test]
    fn step_multiplies_every_n_epochs() {
        let s = Schedule::Step {
            every: 10,
            factor: 0.5,
        };
        assert_eq!(learning_rate(s, 0.8, 1, 100), 0.8);
        assert_eq!(learning_rate(s, 0.8, 10, 100), 0.8);
        assert_eq!(learning_rate(s, 0.8, 11, 100), 0.4);
        assert_eq!(learning_rate(s, 0.8, 21, 100), 0.2);
    }

    #[test]
    fn exponential_multiplies_every_epoch() {
        let s = Schedule::Exponential { factor: 0.9 };
        assert_eq!(learning_rate(s, 1.0, 1, 10), 1.0);
        assert!((learning_rate(s, 1.0, 3, 10) - 0.81).abs() < 1e-15);
    }

    #[test]
    fn cosine_falls_from_the_rate_towards_the_minimum() {
        let s = Schedule::Cosine { min_rate: 0.01 };
        assert_eq!(learning_rate(s, 0.1, 1, 10), 0.1);
        assert!((learning_rate(s, 0.1, 6, 10) - 0.055).abs() < 1e-12);
        let last = learning_rate(s, 0.1, 10, 10);
        assert!(last > 0.01 && last < 0.02, "{last}");
    }
}
