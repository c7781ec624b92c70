//! Backpropagation against central finite differences, for every allowed
//! pairing of output activation and loss, behind every hidden activation:
//! the fast path's gradients and the textbook's (`reference.rs`), both
//! judged by the production checker (`gradcheck.rs`, what `synapse
//! gradcheck` runs), with its step, its rounding floor, its relu-kink rule
//! and its tolerance, so that there is one definition of "the gradient is
//! right", not a second one here with its own tolerance.

use nalgebra::{DMatrix, DVector};

use super::combinations::{HIDDEN, OUTPUTS};
use super::gradcheck::{self, Report};
use super::reference;
use super::vocabulary::{Activation, Init, Layer, Loss};
use super::*;
use crate::rng::{Stream, stream};

/// A network of two `hidden` layers and an `output` layer, with non-zero
/// biases (so that the bias gradients are exercised too), and a batch of `n`
/// examples of the kind `loss` expects.
fn problem(
    hidden: Activation,
    output: Activation,
    loss: Loss,
    seed: u64,
    n: usize,
) -> (Network<f64>, DMatrix<f64>, DMatrix<f64>) {
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
    (network, inputs, targets)
}

/// The textbook's gradients of the batch's mean loss, one example per
/// column of `inputs` and `targets`.
fn textbook_gradients(
    network: &Network<f64>,
    inputs: &DMatrix<f64>,
    targets: &DMatrix<f64>,
    loss: Loss,
) -> Gradients<f64> {
    let examples: Vec<(DVector<f64>, DVector<f64>)> = (0..inputs.ncols())
        .map(|j| {
            (
                inputs.column(j).into_owned(),
                targets.column(j).into_owned(),
            )
        })
        .collect();
    reference::batch_gradients(network, loss, &examples).1
}

/// What is wrong with a report: a part beyond the tolerance, or a part
/// whose parameters were all skipped (a check that checked nothing).
fn problems(report: &Report) -> Vec<String> {
    let mut problems = Vec::new();
    for (l, layer) in report.layers.iter().enumerate() {
        for (what, part) in [("weights", &layer.weights), ("biases", &layer.biases)] {
            assert_eq!(part.total, part.checked + part.skipped, "{part:?}");
            if part.failed() {
                problems.push(format!("layer {} {what}: {:?}", l + 1, part.worst));
            }
            if part.checked == 0 {
                problems.push(format!("layer {} {what}: none checked", l + 1));
            }
        }
    }
    problems
}

#[test]
fn backpropagation_matches_finite_differences_for_every_activation_and_loss() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for hidden in HIDDEN {
        for (output, loss) in OUTPUTS {
            for seed in 1..=3 {
                // A batch of four, and one example at a time, which takes
                // the unrolled one-example products.
                for n in [4, 1] {
                    let (network, inputs, targets) = problem(hidden, output, loss, seed, n);
                    let paths = [
                        (
                            "fast",
                            gradcheck::analytic_gradients(&network, &inputs, &targets, loss),
                        ),
                        (
                            "textbook",
                            textbook_gradients(&network, &inputs, &targets, loss),
                        ),
                    ];
                    for (path, analytic) in paths {
                        let report = gradcheck::check(&network, &inputs, &targets, loss, &analytic);
                        checked += report
                            .layers
                            .iter()
                            .map(|l| l.weights.checked + l.biases.checked)
                            .sum::<usize>();
                        for problem in problems(&report) {
                            failures.push(format!(
                                "{path}: {hidden:?} → {output:?} with {loss:?} \
                                 (seed {seed}, batch {n}): {problem}"
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "gradients disagree with finite differences:\n{}",
        failures.join("\n")
    );
    // 5 hidden × 8 outputs × 3 seeds × 2 batches × 2 paths, each of 35 or
    // more parameters: nearly all of them checked, few skipped at a kink.
    assert!(
        checked > 5 * 8 * 3 * 2 * 2 * 30,
        "{checked} parameters checked"
    );
}

#[test]
fn a_wrong_derivative_is_caught() {
    // The check itself must be able to fail: break one gradient on purpose,
    // by 1%, in each layer in turn, and on each path.
    let (network, inputs, targets) =
        problem(Activation::Tanh, Activation::Sigmoid, Loss::Mse, 9, 4);
    for l in 0..network.layers.len() {
        for mut analytic in [
            gradcheck::analytic_gradients(&network, &inputs, &targets, Loss::Mse),
            textbook_gradients(&network, &inputs, &targets, Loss::Mse),
        ] {
            assert!(
                problems(&gradcheck::check(
                    &network,
                    &inputs,
                    &targets,
                    Loss::Mse,
                    &analytic
                ))
                .is_empty()
            );
            analytic.weights[l][(0, 0)] *= 1.01;
            let report = gradcheck::check(&network, &inputs, &targets, Loss::Mse, &analytic);
            let broken = &report.layers[l].weights;
            assert!(broken.failed(), "layer {l}: {broken:?}");
            assert_eq!(broken.worst.map(|w| w.at), Some((0, 0)), "layer {l}");
        }
    }
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
