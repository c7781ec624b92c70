//! Plain gradient descent taken during the backward pass, and the rounding
//! of its step that `Optimizer::step` shares so that the two give the same
//! bits.

use super::backward::{bias_sum, delta_and_input, propagate, weight_product};
use super::matmul::{Store, adds_exactly};
use crate::nn::float::Float;
use crate::nn::network::{Gradients, Network, Workspace};

/// The backward pass and a step of plain gradient descent in one: each
/// weight moves by −rate × its derivative as soon as that is known, and a
/// layer's ∂loss/∂input is taken before its weights move. Where the product
/// can add −rate·δ·aᵀ to the weights itself, rounding w − rate·g once
/// (`matmul::adds_exactly`), the derivatives are never stored: writing them
/// and reading them back for the step was 3% of the digits epoch
/// (measured). Elsewhere they go through `gradients` first. Either way the
/// bits are those of `backward` and then an sgd `Optimizer::step`.
// Inlined into the training step: once this moved out of network.rs,
// the heart epoch took 1.5% longer without it (measured).
#[inline]
pub fn backward_descend<T: Float>(
    network: &mut Network<T>,
    ws: &mut Workspace<T>,
    n: usize,
    rate: T,
    gradients: &mut Gradients<T>,
) {
    let factor = -rate;
    for l in (0..network.layers.len()).rev() {
        if l > 0 {
            propagate(network, ws, l, n);
        }
        let layer = &mut network.layers[l];
        let (units, inputs) = (layer.units(), layer.inputs());
        let (delta, input) = delta_and_input(ws, l, n);
        let weights = layer.weights.as_mut_slice();
        if n == 1 || adds_exactly(units, inputs, n) {
            weight_product(delta, input, n, weights, Store::AddScaled(factor));
        } else {
            let gradient = gradients.weights[l].as_mut_slice();
            weight_product(delta, input, n, gradient, Store::Set);
            descend(weights, gradient, factor);
        }
        let biases = layer.biases.as_mut_slice();
        if n == 1 {
            // The sum of one column, 0 + δ, straight into the step: through
            // a buffer, the load of what was just stored stalled the heart
            // epoch by 3% (measured).
            for (b, &d) in biases.iter_mut().zip(delta) {
                *b = factor.mul_add(T::zero() + d, *b);
            }
        } else {
            let sums = gradients.biases[l].as_mut_slice();
            bias_sum(delta, sums);
            descend(biases, sums, factor);
        }
    }
}

/// values ← values + factor·gradient (factor = −rate), each rounded once:
/// the sgd step, here and in `Optimizer::step`, which otherwise takes it
/// straight from the product; the two give the same bits.
pub fn descend<T: Float>(values: &mut [T], gradient: &[T], factor: T) {
    for (w, &g) in values.iter_mut().zip(gradient) {
        *w = factor.mul_add(g, *w);
    }
}

#[cfg(test)]
mod tests {
    use nalgebra::DMatrix;

    use super::*;
    use crate::nn::fast::{backpropagate, forward_and_loss};
    use crate::nn::init;
    use crate::nn::vocabulary::{Activation, Init, Layer};
    use crate::rng::{Stream, stream};

    /// `backward_descend` moves every weight and bias to the very bits that
    /// `backward` and then an sgd `Optimizer::step` give: for one example,
    /// for batches small enough for plain loops, for products the kernel's
    /// general path adds itself, and for the shapes where the kernel takes
    /// other paths (one output unit, one input, a batch of 2, a batch
    /// deeper than 512), where the derivatives go through a buffer.
    fn descending_matches_gradients_then_a_step<T: Float>() {
        use crate::nn::Optimizer;
        use crate::nn::vocabulary::{Loss, Optimizer as Kind};
        // (inputs, hidden units, outputs, batch)
        let cases = [
            (6, 3, 2, 1),
            (6, 8, 2, 1),
            (6, 12, 2, 1),
            (6, 5, 2, 4),
            (6, 40, 2, 16),
            (10, 64, 1, 128),
            (10, 300, 1, 32),
            (1, 64, 3, 128),
            (1, 300, 3, 32),
            (64, 64, 10, 2),
            (12, 10, 20, 64),
            (20, 40, 30, 600),
        ];
        for (inputs, units, outputs, n) in cases {
            let layers = [
                Layer {
                    units,
                    activation: Activation::Sigmoid,
                },
                Layer {
                    units,
                    activation: Activation::Relu,
                },
                Layer {
                    units: outputs,
                    activation: Activation::Identity,
                },
            ];
            let mut random = stream(units as u64, Stream::Init);
            let network: Network<T> = init::initialize(&layers, inputs, Init::Xavier, &mut random);
            let data = DMatrix::from_fn(inputs, n, |_, _| random.uniform_in(-2.0, 2.0));
            let targets = DMatrix::from_fn(outputs, n, |_, _| random.uniform_in(-1.0, 1.0));
            let columns: Vec<usize> = (0..n).collect();
            let rate = 0.1;

            let mut stepped = network.clone();
            let mut ws = Workspace::new(&stepped, n);
            ws.load_batch(&data, &targets, &columns);
            let mut gradients = Gradients::zeros_like(&stepped);
            backpropagate(&stepped, &mut ws, Loss::Mse, n, &mut gradients);
            let mut optimizer = Optimizer::new(Kind::Sgd, 0.0, &stepped);
            optimizer.step(&mut stepped, &mut gradients, rate);

            let mut descended = network.clone();
            let mut ws = Workspace::new(&descended, n);
            ws.load_batch(&data, &targets, &columns);
            forward_and_loss(&descended, &mut ws, Loss::Mse, n);
            let mut scratch = Gradients::zeros_like(&descended);
            backward_descend(&mut descended, &mut ws, n, T::of(rate), &mut scratch);

            let bits = |net: &Network<T>| -> Vec<u64> {
                net.layers
                    .iter()
                    .flat_map(|l| l.weights.iter().chain(l.biases.iter()))
                    .map(|v| v.as_f64().to_bits())
                    .collect()
            };
            let case = format!("{inputs}-{units}-{units}-{outputs}, batch {n}");
            let (stepped, descended) = (bits(&stepped), bits(&descended));
            assert_ne!(stepped, bits(&network), "{case}: no step");
            let differ = stepped
                .iter()
                .zip(&descended)
                .filter(|(a, b)| a != b)
                .count();
            assert_eq!(differ, 0, "{case}: parameters differ");
        }
    }

    #[test]
    fn descending_in_the_backward_pass_matches_gradients_then_a_step() {
        descending_matches_gradients_then_a_step::<f32>();
        descending_matches_gradients_then_a_step::<f64>();
    }
}
