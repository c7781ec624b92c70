//! The one mean, standard deviation and mean curve of the program: a sweep
//! point's seeds and a compared entry's runs are summarised by the same
//! rule, so the two commands cannot disagree about the same runs.
//!
//! The rule: the sample standard deviation (n − 1 in the denominator), which
//! one value does not have. It is `None` then, not 0: a single run says
//! nothing about the noise between seeds, and a `± 0` would claim it does.
//!
//! Whether two such sets of runs differ is `t_test`'s: the same answer for
//! compare's verdict and the sweep's `≈ best`.

pub mod t_test;

use std::collections::BTreeMap;

/// Mean, sample standard deviation and count of some values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub mean: f64,
    /// With n − 1 in the denominator; None for a single value.
    pub std: Option<f64>,
    pub n: usize,
}

/// The values' statistics; None for no values.
pub fn stats(values: &[f64]) -> Option<Stats> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let std = (n > 1).then(|| {
        let squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        (squares / (n - 1) as f64).sqrt()
    });
    Some(Stats { mean, std, n })
}

/// Curves of (epoch, value), one per run, as one: at each epoch any run
/// reached, the statistics over the runs that reached it. Epochs are whole
/// numbers in metrics.csv; a non-finite one is left out.
pub fn mean_curve<'a>(curves: impl IntoIterator<Item = &'a [(f64, f64)]>) -> Vec<(f64, Stats)> {
    let mut by_epoch: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for curve in curves {
        for &(epoch, value) in curve {
            if epoch.is_finite() {
                by_epoch
                    .entry(epoch.round() as i64)
                    .or_default()
                    .push(value);
            }
        }
    }
    by_epoch
        .iter()
        .filter_map(|(&epoch, values)| Some((epoch as f64, stats(values)?)))
        .collect()
}

/// A mean curve's ± one standard deviation band, (epoch, low, high) at the
/// epochs that two or more runs reached; None where no epoch has two.
pub fn band(curve: &[(f64, Stats)]) -> Option<Vec<(f64, f64, f64)>> {
    let band: Vec<(f64, f64, f64)> = curve
        .iter()
        .filter_map(|(x, s)| s.std.map(|std| (*x, s.mean - std, s.mean + std)))
        .collect();
    (!band.is_empty()).then_some(band)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_use_the_sample_standard_deviation() {
        let s = stats(&[1.0, 3.0]).expect("two values");
        assert_eq!(s.mean, 2.0);
        assert_eq!(s.std, Some(2f64.sqrt()));
        let s = stats(&[1.0, 2.0, 3.0]).expect("values");
        assert_eq!((s.mean, s.std, s.n), (2.0, Some(1.0), 3));
    }

    #[test]
    fn one_value_has_a_mean_and_no_standard_deviation() {
        assert_eq!(
            stats(&[5.0]),
            Some(Stats {
                mean: 5.0,
                std: None,
                n: 1
            })
        );
        assert_eq!(stats(&[]), None);
    }

    #[test]
    fn the_mean_curve_counts_at_each_epoch_the_runs_that_reached_it() {
        let long = [(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)];
        let short = [(1.0, 3.0), (2.0, 4.0), (f64::NAN, 9.0)];
        let curve = mean_curve([&long[..], &short[..]]);
        let means: Vec<(f64, f64, usize)> = curve.iter().map(|(x, s)| (*x, s.mean, s.n)).collect();
        assert_eq!(means, [(1.0, 2.0, 2), (2.0, 3.0, 2), (3.0, 3.0, 1)]);
        let root2 = 2f64.sqrt();
        assert_eq!(
            band(&curve),
            Some(vec![
                (1.0, 2.0 - root2, 2.0 + root2),
                (2.0, 3.0 - root2, 3.0 + root2)
            ])
        );
        assert_eq!(band(&mean_curve([&long[..]])), None);
    }
}
