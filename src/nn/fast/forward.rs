//! The forward pass of a batch, and the loss of each example with the
//! derivative the backward pass starts from.

use super::matmul::{Operand, Store, by_width, fixed, gemm_then, matvec, matvec_array};
use crate::nn::activation;
use crate::nn::float::Float;
use crate::nn::loss;
use crate::nn::network::{Dense, Network, Workspace};
use crate::nn::team::SharedColumns;
use crate::nn::vocabulary::Loss;

/// Forward pass of the first `n` examples loaded in `ws`.
// Inlined into the training step: once this moved out of network.rs,
// the heart epoch took 1.5% longer without it (measured).
#[inline]
pub fn forward<T: Float>(network: &Network<T>, ws: &mut Workspace<T>, n: usize) {
    for (l, layer) in network.layers.iter().enumerate() {
        let units = layer.units();
        let (previous_outputs, outputs) = ws.outputs.split_at_mut(l);
        let input = match previous_outputs.last() {
            Some(a) => &a.as_slice()[..layer.inputs() * n],
            None => &ws.input.as_slice()[..layer.inputs() * n],
        };
        // z = weights · input + biases, a = activation(z)
        let z = &mut ws.weighted_sums[l].as_mut_slice()[..units * n];
        let a = &mut outputs[0].as_mut_slice()[..units * n];
        if n == 1 {
            // One example: `matvec` and its kin, called directly; through
            // `gemm`'s checks the heart epoch took 11% longer.
            forward_one(layer, input, z, a);
        } else {
            // The bias and activation of a block of examples right after
            // its product, by the thread that computed it.
            let a = SharedColumns::new(a, units, n);
            let biases = layer.biases.as_slice();
            let then = |from: usize, z: &mut [T]| {
                // SAFETY: `gemm_then` passes each column once.
                let a = unsafe { a.columns(from, z.len() / units) };
                activation::forward(layer.activation, units, biases, z, a);
            };
            gemm_then(
                Operand::new(layer.weights.as_slice(), units, layer.inputs()),
                Operand::new(input, layer.inputs(), n),
                z,
                units,
                n,
                Store::Set,
                Some(&then),
            );
        }
    }
}

/// One example through `layer`: z = weights · input + biases, a = f(z).
fn forward_one<T: Float>(layer: &Dense<T>, input: &[T], z: &mut [T], a: &mut [T]) {
    by_width!(
        z.len(),
        forward_one_fixed,
        forward_one_general,
        (layer, input, z, a)
    );
}

/// Layers of up to eight units: the sums stay in registers from the
/// product through the bias to the activation. As two calls, with the sums
/// stored and loaded again between them, the heart epoch took 8% longer
/// (measured): the next layer cannot start before this one's activation.
fn forward_one_fixed<T: Float, const R: usize>(
    layer: &Dense<T>,
    input: &[T],
    z: &mut [T],
    a: &mut [T],
) {
    let mut sums = matvec_array::<T, R>(layer.weights.as_slice(), input);
    let biases: [T; R] = fixed(layer.biases.as_slice());
    for (sum, bias) in sums.iter_mut().zip(biases) {
        *sum += bias;
    }
    z[..R].copy_from_slice(&sums);
    a[..R].copy_from_slice(&activation::forward_fixed(layer.activation, &sums));
}

fn forward_one_general<T: Float>(layer: &Dense<T>, input: &[T], z: &mut [T], a: &mut [T]) {
    matvec(layer.weights.as_slice(), input, z);
    activation::forward(
        layer.activation,
        layer.units(),
        layer.biases.as_slice(),
        z,
        a,
    );
}

/// Forward, then the loss of each example (`ws.losses`) and ∂loss/∂z of the
/// output layer for the batch mean (the last `ws.derivatives`).
#[inline]
pub fn forward_and_loss<T: Float>(
    network: &Network<T>,
    ws: &mut Workspace<T>,
    loss: Loss,
    n: usize,
) {
    forward(network, ws, n);
    let last = network.layers.len() - 1;
    let units = network.outputs();
    loss::loss_and_derivative(
        loss,
        network.output_activation(),
        units,
        &ws.weighted_sums[last].as_slice()[..units * n],
        &ws.outputs[last].as_slice()[..units * n],
        &ws.target.as_slice()[..units * n],
        T::of(1.0 / n as f64),
        &mut ws.losses[..n],
        &mut ws.derivatives[last].as_mut_slice()[..units * n],
    );
}

#[cfg(test)]
mod tests {
    use nalgebra::DMatrix;

    use super::*;
    use crate::nn::combinations::ALL as ACTIVATIONS;
    use crate::nn::init;
    use crate::nn::vocabulary::{Init, Layer};
    use crate::rng::{Stream, stream};

    /// A batch of one takes `forward_one` (product, bias and activation in
    /// registers, for layers of up to eight units); a batch of two the
    /// general path (product, then the activation over the block). The same
    /// example must come out of both with the same bits, in every layer.
    #[test]
    fn one_example_forward_matches_the_batch_path_bit_for_bit() {
        for activation in ACTIVATIONS {
            for units in 1..=9 {
                let layers = [Layer { units, activation }, Layer { units, activation }];
                let mut random = stream(units as u64, Stream::Init);
                let mut network: Network<f32> =
                    init::initialize(&layers, 3, Init::Xavier, &mut random);
                for layer in &mut network.layers {
                    for b in layer.biases.iter_mut() {
                        *b = random.uniform_in(-1.0, 1.0) as f32;
                    }
                }
                // Large inputs too, so that sigmoid and softmax saturate.
                let example = [random.uniform_in(-3.0, 3.0), 0.0, 40.0 * random.normal()];
                let inputs = DMatrix::from_fn(3, 2, |i, _| example[i]);
                let targets = DMatrix::zeros(units, 2);

                let mut one = Workspace::new(&network, 1);
                one.load_batch(&inputs, &targets, &[0]);
                forward(&network, &mut one, 1);
                let mut two = Workspace::new(&network, 2);
                two.load_batch(&inputs, &targets, &[0, 1]);
                forward(&network, &mut two, 2);

                for l in 0..layers.len() {
                    for (what, a, b) in [
                        ("z", &one.weighted_sums[l], &two.weighted_sums[l]),
                        ("a", &one.outputs[l], &two.outputs[l]),
                    ] {
                        let single = a.as_slice()[..units].iter().map(|v| v.to_bits());
                        let batch = b.as_slice()[..units].iter().map(|v| v.to_bits());
                        assert!(
                            single.eq(batch),
                            "{activation:?}, {units} units, layer {l}, {what}: {:?} against {:?}",
                            &a.as_slice()[..units],
                            &b.as_slice()[..units]
                        );
                    }
                }
            }
        }
    }
}
