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
pub fn fit(kind: Normalize, train: &DMatrix<f64>) -> Result<(Vec<f64>, Vec<f64>), TooLarge> {
    let inputs = train.nrows();
    let n = train.ncols() as f64;
    let mut shift = Vec::with_capacity(inputs);
    let mut scale = Vec::with_capacity(inputs);
    for (input, row) in train.row_iter().enumerate() {
        let (min, max) = row
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                (lo.min(x), hi.max(x))
            });
        // Exactly constant, whatever rounding the statistics would show.
        let constant = row.ncols() == 0 || min == max;
        let (s, c) = match kind {
            Normalize::None => (0.0, 1.0),
            Normalize::Standard => {
                // Summed in example order, so the result is reproducible.
                let mean = row.iter().sum::<f64>() / n;
                if constant {
                    (if row.ncols() == 0 { 0.0 } else { min }, 1.0)
                } else {
                    let variance = row.iter().map(|&x| (x - mean) * (x - mean)).sum::<f64>() / n;
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

/// Normalizes `matrix` (inputs × examples) in place.
pub fn apply(matrix: &mut DMatrix<f64>, shift: &[f64], scale: &[f64]) -> Result<(), TooLarge> {
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
}
