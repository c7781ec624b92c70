//! Scaling each input (and a regression target) to a comparable range.
//!
//! The statistics come from the training split only and are applied to every
//! split: validation and test must look like new data the model never saw.
//! Each value becomes (raw − shift) / scale.

use nalgebra::DMatrix;

use crate::config::Normalize;

/// A normalization whose numbers are not finite: the input (row) index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge(pub usize);

/// Shift and scale of each row (input) of `train` (inputs × examples).
///
/// Standard: mean and population standard deviation. MinMax: minimum and
/// range. A constant input gets scale 1, so it stays finite instead of
/// dividing by zero.
///
/// The matrix is read example by example (its memory order), but each
/// input's sums are still taken in example order, one addition at a time,
/// so the results are the same bits as summing each row on its own.
pub fn fit(kind: Normalize, train: &DMatrix<f64>) -> Result<(Vec<f64>, Vec<f64>), TooLarge> {
    let inputs = train.nrows();
    let n = train.ncols() as f64;
    let examples = || train.as_slice().chunks_exact(inputs.max(1));
    // What `Iterator::sum` starts from, so that sums of nothing agree too.
    let zero: f64 = std::iter::empty::<f64>().sum();
    let mut min = vec![f64::INFINITY; inputs];
    let mut max = vec![f64::NEG_INFINITY; inputs];
    let mut sum = vec![zero; inputs];
    for example in examples() {
        for (i, &x) in example.iter().enumerate() {
            min[i] = min[i].min(x);
            max[i] = max[i].max(x);
            sum[i] += x;
        }
    }
    let mean: Vec<f64> = sum.iter().map(|&s| s / n).collect();
    let mut squares = vec![zero; inputs];
    if kind == Normalize::Standard {
        for example in examples() {
            for (i, &x) in example.iter().enumerate() {
                squares[i] += (x - mean[i]) * (x - mean[i]);
            }
        }
    }
    let mut shift = Vec::with_capacity(inputs);
    let mut scale = Vec::with_capacity(inputs);
    for input in 0..inputs {
        let (min, max) = (min[input], max[input]);
        // Exactly constant, whatever rounding the statistics would show.
        let constant = train.ncols() == 0 || min == max;
        let (s, c) = match kind {
            Normalize::None => (0.0, 1.0),
            Normalize::Standard => {
                if constant {
                    (if train.ncols() == 0 { 0.0 } else { min }, 1.0)
                } else {
                    let variance = squares[input] / n;
                    let std = variance.sqrt();
                    (mean[input], if std > 0.0 { std } else { 1.0 })
                }
            }
            Normalize::MinMax => {
                if constant {
                    (if train.ncols() == 0 { 0.0 } else { min }, 1.0)
                } else {
                    (min, max - min)
                }
            }
        };
        if !s.is_finite() || !c.is_finite() {
            return Err(TooLarge(input));
        }
        shift.push(s);
        scale.push(c);
    }
    Ok((shift, scale))
}

/// Normalizes `matrix` (inputs × examples) in place. A value that is not
/// finite afterwards is an error naming the first such input.
pub fn apply(matrix: &mut DMatrix<f64>, shift: &[f64], scale: &[f64]) -> Result<(), TooLarge> {
    let inputs = matrix.nrows();
    if inputs == 0 {
        return Ok(());
    }
    let shift: Vec<f64> = (0..inputs)
        .map(|i| shift.get(i).copied().unwrap_or(0.0))
        .collect();
    let scale: Vec<f64> = (0..inputs)
        .map(|i| scale.get(i).copied().unwrap_or(1.0))
        .collect();
    let mut first_bad = usize::MAX;
    for example in matrix.as_mut_slice().chunks_exact_mut(inputs) {
        for (i, ((x, &s), &c)) in example.iter_mut().zip(&shift).zip(&scale).enumerate() {
            *x = (*x - s) / c;
            if !x.is_finite() {
                first_bad = first_bad.min(i);
            }
        }
    }
    if first_bad == usize::MAX {
        Ok(())
    } else {
        Err(TooLarge(first_bad))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows: usize, values: &[f64]) -> DMatrix<f64> {
        DMatrix::from_row_slice(rows, values.len() / rows, values)
    }

    #[test]
    fn standard_uses_mean_and_population_std() {
        let train = matrix(2, &[1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 5.0, 5.0]);
        let (shift, scale) = fit(Normalize::Standard, &train).unwrap();
        assert_eq!(shift, [2.5, 5.0]);
        assert!((scale[0] - 1.25f64.sqrt()).abs() < 1e-15);
        assert_eq!(scale[1], 1.0);
    }

    #[test]
    fn minmax_uses_minimum_and_range() {
        let train = matrix(2, &[2.0, 6.0, 4.0, 0.1, 0.1, 0.1]);
        let (shift, scale) = fit(Normalize::MinMax, &train).unwrap();
        assert_eq!(shift, [2.0, 0.1]);
        assert_eq!(scale, [4.0, 1.0]);
    }

    #[test]
    fn none_is_the_identity() {
        let mut train = matrix(1, &[2.0, 7.0]);
        let (shift, scale) = fit(Normalize::None, &train).unwrap();
        assert_eq!((shift.clone(), scale.clone()), (vec![0.0], vec![1.0]));
        apply(&mut train, &shift, &scale).unwrap();
        assert_eq!(train.as_slice(), [2.0, 7.0]);
    }

    #[test]
    fn a_constant_input_that_sums_inexactly_still_gets_scale_one() {
        let train = matrix(1, &[0.1; 7]);
        let (shift, scale) = fit(Normalize::Standard, &train).unwrap();
        assert_eq!((shift, scale), (vec![0.1], vec![1.0]));
    }

    #[test]
    fn values_too_large_to_normalize_are_reported() {
        let train = matrix(2, &[1.0, 2.0, 1e308, -1e308]);
        assert_eq!(fit(Normalize::MinMax, &train), Err(TooLarge(1)));
        let mut held_out = matrix(1, &[1e308]);
        assert_eq!(apply(&mut held_out, &[-1e308], &[0.5]), Err(TooLarge(0)));
    }

    /// The row-by-row definitions, as they were first written.
    fn fit_by_rows(
        kind: Normalize,
        train: &DMatrix<f64>,
    ) -> Result<(Vec<f64>, Vec<f64>), TooLarge> {
        let n = train.ncols() as f64;
        let mut shift = Vec::new();
        let mut scale = Vec::new();
        for (input, row) in train.row_iter().enumerate() {
            let (min, max) = row
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                    (lo.min(x), hi.max(x))
                });
            let constant = row.ncols() == 0 || min == max;
            let (s, c) = match kind {
                Normalize::None => (0.0, 1.0),
                Normalize::Standard => {
                    let mean = row.iter().sum::<f64>() / n;
                    if constant {
                        (if row.ncols() == 0 { 0.0 } else { min }, 1.0)
                    } else {
                        let variance =
                            row.iter().map(|&x| (x - mean) * (x - mean)).sum::<f64>() / n;
                        let std = variance.sqrt();
                        (mean, if std > 0.0 { std } else { 1.0 })
                    }
                }
                Normalize::MinMax => {
                    if constant {
                        (if row.ncols() == 0 { 0.0 } else { min }, 1.0)
                    } else {
                        (min, max - min)
                    }
                }
            };
            if !s.is_finite() || !c.is_finite() {
                return Err(TooLarge(input));
            }
            shift.push(s);
            scale.push(c);
        }
        Ok((shift, scale))
    }

    fn apply_by_rows(
        matrix: &mut DMatrix<f64>,
        shift: &[f64],
        scale: &[f64],
    ) -> Result<(), TooLarge> {
        for (input, mut row) in matrix.row_iter_mut().enumerate() {
            let s = shift.get(input).copied().unwrap_or(0.0);
            let c = scale.get(input).copied().unwrap_or(1.0);
            for x in row.iter_mut() {
                *x = (*x - s) / c;
                if !x.is_finite() {
                    return Err(TooLarge(input));
                }
            }
        }
        Ok(())
    }

    fn same_bits(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
    }

    #[test]
    fn example_by_example_gives_the_bits_of_row_by_row() {
        let mut random = crate::rng::stream(5, crate::rng::Stream::Generator);
        for (inputs, examples) in [(1, 1), (3, 0), (4, 7), (17, 300), (100, 1000)] {
            let mut values: Vec<f64> = (0..inputs * examples)
                .map(|i| match i % 11 {
                    0 => 0.0,
                    1 => -0.0,
                    2 => 1e300,
                    _ => random.normal() * 1e3 + 0.1,
                })
                .collect();
            // One constant input, one of signed zeros, one of 0.1s.
            for (k, value) in [(0, 2.5), (1, -0.0), (2, 0.1)] {
                if k < inputs {
                    for e in 0..examples {
                        values[e * inputs + k] = value;
                    }
                }
            }
            let train = DMatrix::from_vec(inputs, examples, values);
            for kind in [Normalize::None, Normalize::Standard, Normalize::MinMax] {
                let ours = fit(kind, &train);
                let theirs = fit_by_rows(kind, &train);
                match (&ours, &theirs) {
                    (Ok((s1, c1)), Ok((s2, c2))) => {
                        assert!(
                            same_bits(s1, s2) && same_bits(c1, c2),
                            "{inputs}×{examples} {kind:?}"
                        );
                    }
                    _ => assert_eq!(ours, theirs),
                }
                let shift: Vec<f64> = (0..inputs).map(|i| i as f64 * 0.3 - 1.0).collect();
                let scale: Vec<f64> = (0..inputs).map(|i| 1.0 / (i as f64 + 0.7)).collect();
                let (mut a, mut b) = (train.clone(), train.clone());
                let ours = apply(&mut a, &shift, &scale);
                let theirs = apply_by_rows(&mut b, &shift, &scale);
                assert_eq!(ours, theirs);
                if ours.is_ok() {
                    assert!(same_bits(a.as_slice(), b.as_slice()));
                }
            }
        }
    }
}
