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
use crate::config::{Activation, Loss};

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

/// The loss of each example without derivatives, for evaluation.
pub fn losses<T: Float>(
    loss: Loss,
    units: usize,
    weighted_sum: &[T],
    output: &[T],
    target: &[T],
    losses: &mut [T],
) {
    let columns = weighted_sum
        .chunks(units)
        .zip(output.chunks(units))
        .zip(target.chunks(units))
        .zip(losses.iter_mut());
    for (((z, a), y), l) in columns {
        *l =
            match loss {
                Loss::Mse => {
                    let sum = a
                        .iter()
                        .zip(y)
                        .fold(T::zero(), |s, (&ai, &yi)| s + (ai - yi) * (ai - yi));
                    sum / T::of(units as f64)
                }
                Loss::BinaryCrossEntropy => z.iter().zip(y).fold(T::zero(), |s, (&zi, &yi)| {
                    s + zi.max(T::zero()) - yi * zi + (-zi.abs()).exponential().ln_1p()
                }),
                Loss::CrossEntropy => {
                    // ln Σ e^(z − max) is −ln ŷ at the largest z: the softmax
                    // divided e⁰ = 1 there by that very sum, so the exponentials
                    // need not be taken a second time.
                    let (top, max) = z.iter().enumerate().fold((0, z[0]), |best, (i, &zi)| {
                        if zi > best.1 { (i, zi) } else { best }
                    });
                    let log_sum_exp = max - a[top].ln();
                    z.iter()
                        .zip(y)
                        .fold(T::zero(), |s, (&zi, &yi)| s + yi * (log_sum_exp - zi))
                }
            };
    }
}
