//! Losses of one example: the value and its derivative side by side.
//!
//! With output ŷ and target y (one column each):
//! - mse: the mean over the outputs of (y − ŷ)²
//! - binary_cross_entropy: −[y ln ŷ + (1 − y) ln(1 − ŷ)], ŷ a sigmoid
//! - cross_entropy: −ln ŷ_true, ŷ a softmax
//!
//! The two cross-entropies are computed from the weighted sums z rather than
//! from ŷ (ln ŷ is −inf once a sigmoid saturates), and their derivative with
//! respect to z is the famous ŷ − y, which skips the activation's derivative.
//! The softmax's cross-entropy takes ŷ as well, for the sum under its
//! logarithm, which the softmax has already worked out.

use super::activation;
use super::float::Float;
use super::vocabulary::{Activation, Loss};

/// Writes each example's loss into `losses` (one per column), and
/// `scale` × ∂loss/∂z of the output layer into `derivative`.
///
/// `scale` is 1/batch so that the gradients that follow are the batch mean.
#[allow(clippy::too_many_arguments)]
pub fn loss_and_derivative<T: Float>(
    loss: Loss,
    activation: Activation,
    units: usize,
    weighted_sum: &[T],
    output: &[T],
    target: &[T],
    scale: T,
    losses: &mut [T],
    derivative: &mut [T],
) {
    self::losses(loss, units, weighted_sum, output, target, losses);
    match loss {
        Loss::Mse => {
            // ∂/∂ŷ of mean (ŷ − y)², then back through the activation.
            let two = T::of(2.0 / units as f64) * scale;
            for ((d, &a), &y) in derivative.iter_mut().zip(output).zip(target) {
                *d = two * (a - y);
            }
            activation::backward(activation, units, weighted_sum, output, derivative);
        }
        Loss::BinaryCrossEntropy | Loss::CrossEntropy => {
            for ((d, &a), &y) in derivative.iter_mut().zip(output).zip(target) {
                *d = (a - y) * scale;
            }
        }
    }
}

/// The loss of each example without derivatives, for evaluation. `output`
/// must be the output activation of `weighted_sum` as `activation::forward`
/// computes it: the softmax's cross-entropy takes the softmax's sum from it.
pub fn losses<T: Float>(
    loss: Loss,
    units: usize,
    weighted_sum: &[T],
    output: &[T],
    target: &[T],
    losses: &mut [T],
) {
    let columns = weighted_sum
        .chunks_exact(units)
        .zip(output.chunks_exact(units))
        .zip(target.chunks_exact(units))
        .zip(losses.iter_mut());
    // One choice of loss for the whole block, not one per example.
    match loss {
        Loss::Mse => {
            for (((_, a), y), l) in columns {
                *l = mean_squared_error(a, y);
            }
        }
        Loss::BinaryCrossEntropy => {
            for (((z, _), y), l) in columns {
                *l = binary_cross_entropy(z, y);
            }
        }
        Loss::CrossEntropy => {
            for (((z, a), y), l) in columns {
                *l = cross_entropy(z, a, y);
            }
        }
    }
}

/// The mean over the outputs of (ŷ − y)².
#[inline]
fn mean_squared_error<T: Float>(a: &[T], y: &[T]) -> T {
    let sum = a
        .iter()
        .zip(y)
        .fold(T::zero(), |s, (&ai, &yi)| s + (ai - yi) * (ai - yi));
    sum / T::of(a.len() as f64)
}

/// −[y ln σ(z) + (1 − y) ln(1 − σ(z))], from z: max(z, 0) − y·z + ln(1 + e^−|z|).
#[inline]
fn binary_cross_entropy<T: Float>(z: &[T], y: &[T]) -> T {
    z.iter().zip(y).fold(T::zero(), |s, (&zi, &yi)| {
        s + zi.max(T::zero()) - yi * zi + (-zi.abs()).exponential().natural_log_1p()
    })
}

/// Σ y·(ln Σ e^z − z), with ŷ = softmax(z).
#[inline]
fn cross_entropy<T: Float>(z: &[T], a: &[T], y: &[T]) -> T {
    // ln Σ e^(z − max) is −ln ŷ at the largest z: the softmax divided e⁰ = 1
    // there by that very sum, so the exponentials need not be taken again.
    let (top, max) = z.iter().enumerate().fold(
        (0, z[0]),
        |best, (i, &zi)| {
            if zi > best.1 { (i, zi) } else { best }
        },
    );
    let log_sum_exp = max - a[top].natural_log();
    z.iter()
        .zip(y)
        .fold(T::zero(), |s, (&zi, &yi)| s + yi * (log_sum_exp - zi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math;

    /// The cross-entropy that reuses the softmax's sum agrees with the
    /// textbook's log-sum-exp, taken afresh, for logits near and far apart.
    #[test]
    fn cross_entropy_from_the_softmax_matches_log_sum_exp() {
        let units = 5;
        for case in 0..200 {
            let spread = [0.1, 1.0, 10.0, 60.0][case % 4];
            let z: Vec<f64> = (0..units)
                .map(|i| (((case * 7 + i * 13) % 17) as f64 - 8.0) / 8.0 * spread)
                .collect();
            let mut a = vec![0.0; units];
            activation::forward(
                Activation::Softmax,
                units,
                &vec![0.0; units],
                &mut z.clone(),
                &mut a,
            );
            let class = case % units;
            let y: Vec<f64> = (0..units).map(|i| f64::from(i == class)).collect();
            let mut loss = [0.0];
            losses(Loss::CrossEntropy, units, &z, &a, &y, &mut loss);

            let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let log_sum_exp = max + math::ln(z.iter().map(|&zi| math::exp(zi - max)).sum::<f64>());
            let expected = log_sum_exp - z[class];
            assert!(
                (loss[0] - expected).abs() <= 1e-12 * expected.abs().max(1.0),
                "case {case}: {} against {expected}",
                loss[0]
            );
        }
    }
}
