//! Activations: each one's value and derivative side by side.
//!
//! Matrices are column-major with one example per column, so a column of
//! `units` values is one example's layer output (softmax works per column).

use super::float::Float;
use super::vocabulary::Activation;

/// The slope of leaky_relu below zero.
pub const LEAKY_SLOPE: f64 = 0.01;

/// weighted_sum += biases (added to every example's column), then
/// output = f(weighted_sum), for a `units × examples` block: one pass, so
/// that each column is still in the first-level cache for the second step.
pub fn forward<T: Float>(
    activation: Activation,
    units: usize,
    biases: &[T],
    weighted_sum: &mut [T],
    output: &mut [T],
) {
    debug_assert_eq!(weighted_sum.len(), output.len());
    debug_assert_eq!(biases.len(), units);
    let one = T::one();
    let zero = T::zero();
    match activation {
        Activation::Identity => each(units, biases, weighted_sum, output, |z| z),
        Activation::Sigmoid => each(units, biases, weighted_sum, output, sigmoid),
        Activation::Tanh => each(units, biases, weighted_sum, output, |z| {
            z.hyperbolic_tangent()
        }),
        Activation::Relu => each(units, biases, weighted_sum, output, relu),
        Activation::LeakyRelu => each(units, biases, weighted_sum, output, leaky_relu),
        Activation::Softmax => {
            // Three passes, so that the exponentials, the costly part, run
            // over the whole block at once rather than a few at a time.
            let columns = output
                .chunks_exact_mut(units)
                .zip(weighted_sum.chunks_exact_mut(units));
            for (a, z) in columns {
                for (zi, &b) in z.iter_mut().zip(biases) {
                    *zi += b;
                }
                // Subtracting the largest sum keeps exp() from overflowing.
                let max = z.iter().copied().fold(z[0], T::max);
                for (ai, &zi) in a.iter_mut().zip(z.iter()) {
                    *ai = zi - max;
                }
            }
            for ai in output.iter_mut() {
                *ai = ai.exponential();
            }
            for a in output.chunks_exact_mut(units) {
                let total = a.iter().fold(zero, |s, &ai| s + ai);
                let inverse = one / total;
                a.iter_mut().for_each(|ai| *ai *= inverse);
            }
        }
    }
}

/// z += b, a = f(z), column by column, in one loop that the compiler can
/// turn into vector instructions for each activation.
#[inline(always)]
fn each<T: Float>(units: usize, biases: &[T], z: &mut [T], a: &mut [T], f: impl Fn(T) -> T) {
    for (z, a) in z.chunks_exact_mut(units).zip(a.chunks_exact_mut(units)) {
        for ((zi, ai), &b) in z.iter_mut().zip(a.iter_mut()).zip(biases) {
            *zi += b;
            *ai = f(*zi);
        }
    }
}

/// a = f(z) for one example's `R` weighted sums (biases already added),
/// as arrays: for layers of up to eight units, where the width known when
/// compiling turns each loop into a few vector instructions. The same
/// operations in the same order as `forward`, so the same bits.
#[inline(always)]
pub fn forward_fixed<T: Float, const R: usize>(activation: Activation, z: &[T; R]) -> [T; R] {
    let mut a = *z;
    match activation {
        Activation::Identity => {}
        Activation::Sigmoid => a.iter_mut().for_each(|v| *v = sigmoid(*v)),
        Activation::Tanh => a.iter_mut().for_each(|v| *v = v.hyperbolic_tangent()),
        Activation::Relu => a.iter_mut().for_each(|v| *v = relu(*v)),
        Activation::LeakyRelu => a.iter_mut().for_each(|v| *v = leaky_relu(*v)),
        Activation::Softmax => {
            let max = z.iter().copied().fold(z[0], T::max);
            a.iter_mut().for_each(|v| *v = (*v - max).exponential());
            let total = a.iter().fold(T::zero(), |s, &v| s + v);
            let inverse = T::one() / total;
            a.iter_mut().for_each(|v| *v *= inverse);
        }
    }
    a
}

#[inline(always)]
fn relu<T: Float>(z: T) -> T {
    if z > T::zero() { z } else { T::zero() }
}

#[inline(always)]
fn leaky_relu<T: Float>(z: T) -> T {
    if z > T::zero() {
        z
    } else {
        T::of(LEAKY_SLOPE) * z
    }
}

/// The logistic function, written so that eˣ never overflows and without a
/// branch, so that loops over it vectorize.
#[inline]
pub fn sigmoid<T: Float>(z: T) -> T {
    let one = T::one();
    // e = e^(−|z|) ∈ (0, 1]; σ(z) = 1/(1+e) for z ≥ 0 and e/(1+e) below:
    // one division either way, with its numerator chosen while e is taken.
    let e = (-z.abs()).exponential();
    let numerator = if z >= T::zero() { one } else { e };
    numerator / (one + e)
}

/// ∂loss/∂weighted_sum from ∂loss/∂output, in place: `derivative` holds
/// ∂loss/∂output on entry and ∂loss/∂weighted_sum on return.
pub fn backward<T: Float>(
    activation: Activation,
    units: usize,
    weighted_sum: &[T],
    output: &[T],
    derivative: &mut [T],
) {
    let one = T::one();
    let zero = T::zero();
    let slope = T::of(LEAKY_SLOPE);
    match activation {
        Activation::Identity => {}
        Activation::Sigmoid => {
            for (d, &a) in derivative.iter_mut().zip(output) {
                *d *= a * (one - a);
            }
        }
        Activation::Tanh => {
            for (d, &a) in derivative.iter_mut().zip(output) {
                *d *= one - a * a;
            }
        }
        // Branch-free selects, so the loops vectorize.
        Activation::Relu => {
            for (d, &z) in derivative.iter_mut().zip(weighted_sum) {
                *d = if z > zero { *d } else { zero };
            }
        }
        Activation::LeakyRelu => {
            for (d, &z) in derivative.iter_mut().zip(weighted_sum) {
                *d *= if z > zero { one } else { slope };
            }
        }
        Activation::Softmax => {
            // The softmax Jacobian times a vector g: a ⊙ (g − (g·a)).
            for (d, a) in derivative.chunks_mut(units).zip(output.chunks(units)) {
                let dot = d.iter().zip(a).fold(zero, |s, (&g, &ai)| s + g * ai);
                for (g, &ai) in d.iter_mut().zip(a) {
                    *g = ai * (*g - dot);
                }
            }
        }
    }
}
