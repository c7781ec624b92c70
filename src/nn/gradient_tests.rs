//! Backpropagation against central finite differences, for every allowed
//! pairing of output activation and loss, behind every hidden activation.

use nalgebra::DMatrix;

use super::combinations::{HIDDEN, OUTPUTS};
use super::vocabulary::{Activation, Init, Layer, Loss};
use super::*;
use crate::rng::{Stream, stream};

const STEP: f64 = 1e-6;
const TOLERANCE: f64 = 1e-4;

use super::gradcheck::mean_loss;

/// The analytic gradients of the batch's mean loss.
fn analytic(
    network: &Network<f64>,
    ws: &mut Workspace<f64>,
    loss: Loss,
    n: usize,
) -> Gradients<f64> {
    let mut gradients = Gradients::zeros_like(network);
    backpropagate(network, ws, loss, n, &mut gradients);
    gradients
}

/// |a − b| relative to their size, or, for derivatives smaller than 1e-5,
/// absolute in units of 1e-5. A central difference of step 1e-6 carries the
/// rounding of two losses divided by the step, about 1e-10 for losses near
/// one: relative to a derivative of 1e-7 (an output leaky_relu below its
/// kink scales every derivative by 0.01) that alone is over 1e-4.
fn relative_error(a: f64, b: f64) -> f64 {
    (a - b).abs() / (a.abs() + b.abs()).max(1e-5)
}

/// The largest relative error over every weight and bias.
fn largest_error(hidden: Activation, output: Activation, loss: Loss, seed: u64, n: usize) -> f64 {
    let outputs = if output == Activation::Softmax { 3 } else { 1 };
    let layers = [
        Layer {
            units: 4,
            activation: hidden,
        },
        Layer {
            units: 3,
            activation: hidden,
        },
        Layer {
            units: outputs,
            activation: output,
        },
    ];
    let mut random = stream(seed, Stream::Init);
    let mut network: Network<f64> = init::initialize(&layers, 3, Init::Xavier, &mut random);
    // Non-zero biases, so that the bias gradients are exercised too.
    for layer in &mut network.layers {
        layer
            .biases
            .iter_mut()
            .for_each(|b| *b = random.uniform_in(-0.5, 0.5));
    }
    let inputs = DMatrix::from_fn(3, n, |_, _| random.uniform_in(-2.0, 2.0));
    let targets = DMatrix::from_fn(outputs, n, |i, j| match loss {
        Loss::CrossEntropy => f64::from(i == j % outputs),
        Loss::BinaryCrossEntropy => f64::from(j % 2 == 0),
        Loss::Mse => random.uniform_in(0.0, 1.0),
    });
    let mut ws = Workspace::new(&network, n);
    ws.load_batch(&inputs, &targets, &(0..n).collect::<Vec<_>>());
    let gradients = analytic(&network, &mut ws, loss, n);

    let mut worst: f64 = 0.0;
    for l in 0..network.layers.len() {
        let count = network.layers[l].weights.len() + network.layers[l].biases.len();
        for p in 0..count {
            let weights_len = network.layers[l].weights.len();
            fn value(net: &mut Network<f64>, l: usize, p: usize, weights_len: usize) -> &mut f64 {
                if p < weights_len {
                    &mut net.layers[l].weights.as_mut_slice()[p]
                } else {
                    &mut net.layers[l].biases.as_mut_slice()[p - weights_len]
                }
            }
            let original = *value(&mut network, l, p, weights_len);
            *value(&mut network, l, p, weights_len) = original + STEP;
            let plus = mean_loss(&network, &mut ws, loss, n);
            *value(&mut network, l, p, weights_len) = original - STEP;
            let minus = mean_loss(&network, &mut ws, loss, n);
            *value(&mut network, l, p, weights_len) = original;
            let numeric = (plus - minus) / (2.0 * STEP);
            let exact = if p < weights_len {
                gradients.weights[l].as_slice()[p]
            } else {
                gradients.biases[l].as_slice()[p - weights_len]
            };
            worst = worst.max(relative_error(exact, numeric));
        }
    }
    worst
}

#[test]
fn backpropagation_matches_finite_differences_for_every_activation_and_loss() {
    let mut failures = Vec::new();
    for hidden in HIDDEN {
        for (output, loss) in OUTPUTS {
            for seed in 1..=3 {
                // A batch of four, and one example at a time, which takes
                // the unrolled one-example products.
                for n in [4, 1] {
                    let error = largest_error(hidden, output, loss, seed, n);
                    if error > TOLERANCE {
                        failures.push(format!(
                            "{hidden:?} → {output:?} with {loss:?} (seed {seed}, batch {n}): \
                             {error:e}"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "gradients disagree:\n{}",
        failures.join("\n")
    );
}

#[test]
fn a_wrong_derivative_is_caught() {
    // The check itself must be able to fail: break one gradient on purpose.
    let layers = [
        Layer {
            units: 2,
            activation: Activation::Sigmoid,
        },
        Layer {
            units: 1,
            activation: Activation::Sigmoid,
        },
    ];
    let mut random = stream(9, Stream::Init);
    let network: Network<f64> = init::initialize(&layers, 2, Init::Xavier, &mut random);
    let inputs = DMatrix::from_column_slice(2, 1, &[0.3, -0.7]);
    let targets = DMatrix::from_column_slice(1, 1, &[1.0]);
    let mut ws = Workspace::new(&network, 1);
    ws.load_batch(&inputs, &targets, &[0]);
    let mut gradients = analytic(&network, &mut ws, Loss::Mse, 1);
    gradients.weights[0][(0, 0)] *= 1.01;

    let mut probe = network.clone();
    probe.layers[0].weights[(0, 0)] += STEP;
    let plus = mean_loss(&probe, &mut ws, Loss::Mse, 1);
    probe.layers[0].weights[(0, 0)] -= 2.0 * STEP;
    let minus = mean_loss(&probe, &mut ws, Loss::Mse, 1);
    let numeric = (plus - minus) / (2.0 * STEP);
    assert!(relative_error(gradients.weights[0][(0, 0)], numeric) > TOLERANCE);
}

#[test]
fn cross_entropy_stays_finite_for_saturated_outputs() {
    let mut z = [800.0, -800.0, 0.0];
    let mut a = [0.0; 3];
    activation::forward(Activation::Softmax, 3, &[0.0; 3], &mut z, &mut a);
    let mut l = [0.0f64];
    loss::losses(Loss::CrossEntropy, 3, &z, &a, &[0.0, 1.0, 0.0], &mut l);
    assert!((l[0] - 1600.0).abs() < 1e-9, "{}", l[0]);
    let mut zb = [-1000.0];
    let mut ab = [0.0];
    activation::forward(Activation::Sigmoid, 1, &[0.0], &mut zb, &mut ab);
    loss::losses(Loss::BinaryCrossEntropy, 1, &zb, &ab, &[1.0], &mut l);
    assert!((l[0] - 1000.0).abs() < 1e-9, "{}", l[0]);
}
