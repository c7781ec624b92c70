//! The fast path against the textbook's (`reference.rs`): for every hidden
//! activation, every output activation with each loss it accepts, and every
//! optimizer with and without l2, on networks narrow enough for the
//! register paths and wide enough for the general loops and the matrix
//! kernel, with batches of one and more, a few training steps taken the way
//! `train/trainer.rs` takes them (the fused sgd step included) land on the weights
//! the reference computes one example at a time.
//!
//! Which comparisons are exact, and why the others cannot be:
//! - With a batch of one, the losses and the gradients are the same bits.
//!   Both paths sum each product 0 + w₀x₀ + w₁x₁ + … in the same order,
//!   then add the bias; the activations, losses and their derivatives are
//!   the same formulas; and a batch of one scales by 1/1.
//!   The exceptions are whatever takes eˣ (sigmoid, softmax and the
//!   cross-entropies): the fast path's own exponential (after Cephes) and
//!   libm's agree within two units in the last place, not to the bit; and
//!   the cross-entropy, which the fast path takes from the softmax's sum
//!   instead of a fresh log-sum-exp.
//! - With larger batches, the fast path scales each example's δ by 1/n
//!   before summing over the batch (in blocks, through the matrix kernel),
//!   where the reference averages whole gradients: the same mean, rounded
//!   differently.
//! - After an update: sgd is rounded once in the fast path (w − rate·g as
//!   one fused multiply-add, so that the fused step in the backward pass and
//!   the separate one agree), twice in the reference's w − rate·g.
//!   Momentum and Adam are written in the same order on both sides.
//!
//! Everything else is held to 1e-12 relative (see `close`).

use nalgebra::{DMatrix, DVector};

use super::combinations::{HIDDEN, OUTPUTS};
use super::reference::{self, Update};
use super::vocabulary::{Activation, Init, Layer, Loss, Optimizer as Kind};
use super::*;
use crate::rng::{Stream, stream};

fn optimizers() -> [(Kind, f64); 6] {
    let momentum = Kind::Momentum { momentum: 0.9 };
    let adam = Kind::Adam {
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
    };
    [
        (Kind::Sgd, 0.0),
        (Kind::Sgd, 1e-3),
        (momentum, 0.0),
        (momentum, 1e-3),
        (adam, 0.0),
        (adam, 1e-3),
    ]
}

/// (inputs, hidden layers' units, batch): 1 and 8 units take the register
/// paths for one example, 9 the general loops; the last shapes are large
/// enough for the matrix kernel.
const SHAPES: [(usize, &[usize], usize); 8] = [
    (3, &[4], 1),
    (3, &[4], 5),
    (2, &[1, 8], 1),
    (2, &[9, 3], 1),
    (2, &[9, 3], 2),
    (4, &[8, 9], 7),
    (10, &[64], 16),
    (12, &[40, 30], 33),
];

const STEPS: usize = 3;
const RATE: f64 = 0.05;

/// |a − b| within 1e-12 of the larger, or of 1 for numbers below 1: a
/// weight near zero is the difference of two larger numbers, and carries
/// their rounding, not its own.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

struct Case {
    hidden: Activation,
    output: Activation,
    loss: Loss,
    optimizer: Kind,
    l2: f64,
    inputs: usize,
    units: &'static [usize],
    n: usize,
}

impl Case {
    fn name(&self) -> String {
        format!(
            "{:?} hidden {:?}, {:?} out, {:?}, {:?} l2 {}, batch {}",
            self.units, self.hidden, self.output, self.loss, self.optimizer, self.l2, self.n
        )
    }

    fn outputs(&self) -> usize {
        match (self.output, self.loss) {
            (Activation::Softmax, _) => 3,
            (_, Loss::BinaryCrossEntropy) => 1,
            _ => 2,
        }
    }

    fn network(&self, seed: u64) -> Network<f64> {
        let mut layers: Vec<Layer> = self
            .units
            .iter()
            .map(|&units| Layer {
                units,
                activation: self.hidden,
            })
            .collect();
        layers.push(Layer {
            units: self.outputs(),
            activation: self.output,
        });
        let mut random = stream(seed, Stream::Init);
        let mut network = init::initialize(&layers, self.inputs, Init::Xavier, &mut random);
        // Non-zero biases, so that their gradients count too.
        for layer in &mut network.layers {
            layer
                .biases
                .iter_mut()
                .for_each(|b| *b = random.uniform_in(-0.5, 0.5));
        }
        network
    }

    /// A batch: inputs and targets of the kind the loss expects, one example
    /// per column.
    fn batch(&self, seed: u64) -> (DMatrix<f64>, DMatrix<f64>) {
        let mut random = stream(seed, Stream::Shuffle);
        let outputs = self.outputs();
        let inputs = DMatrix::from_fn(self.inputs, self.n, |_, _| random.uniform_in(-2.0, 2.0));
        let targets = DMatrix::from_fn(outputs, self.n, |i, j| match self.loss {
            Loss::Mse => random.uniform_in(-1.0, 1.0),
            Loss::BinaryCrossEntropy => f64::from((j + seed as usize).is_multiple_of(2)),
            Loss::CrossEntropy => f64::from((j + seed as usize) % outputs == i),
        });
        (inputs, targets)
    }
}

/// `STEPS` updates on one batch the way `Trainer::train_epoch` takes them:
/// the fused sgd step when the optimizer allows it, else the gradients then
/// the optimizer's step. Returns the losses and gradients of the first step
/// (none when fused: they are never stored) and the network after the last.
fn fast(case: &Case, network: &Network<f64>, batch: &(DMatrix<f64>, DMatrix<f64>)) -> Trained {
    let n = case.n;
    let mut network = network.clone();
    let mut optimizer = Optimizer::new(case.optimizer, case.l2, &network);
    let mut ws = Workspace::new(&network, n);
    let mut gradients = Gradients::zeros_like(&network);
    let columns: Vec<usize> = (0..n).collect();
    let mut first = None;
    let mut losses = Vec::new();
    for step in 0..STEPS {
        ws.load_batch(&batch.0, &batch.1, &columns);
        let descend = optimizer.descends_in_backward();
        if descend {
            forward_and_loss(&network, &mut ws, case.loss, n);
            backward_descend(&mut network, &mut ws, n, RATE, &mut gradients);
            optimizer.stepped();
        } else {
            backpropagate(&network, &mut ws, case.loss, n, &mut gradients);
            if step == 0 {
                first = Some(gradients.clone());
            }
            optimizer.step(&mut network, &mut gradients, RATE);
        }
        if step == 0 {
            losses = ws.losses[..n].to_vec();
        }
    }
    Trained {
        losses,
        gradients: first,
        network,
    }
}

struct Trained {
    losses: Vec<f64>,
    gradients: Option<Gradients<f64>>,
    network: Network<f64>,
}

/// The same steps, one example at a time, by the textbook.
fn textbook(case: &Case, network: &Network<f64>, batch: &(DMatrix<f64>, DMatrix<f64>)) -> Trained {
    let examples: Vec<(DVector<f64>, DVector<f64>)> = (0..case.n)
        .map(|j| {
            (
                batch.0.column(j).into_owned(),
                batch.1.column(j).into_owned(),
            )
        })
        .collect();
    let mut network = network.clone();
    let mut update = Update::new(case.optimizer, case.l2, &network);
    let mut first = None;
    let mut losses = Vec::new();
    for step in 0..STEPS {
        let (l, gradients) = reference::batch_gradients(&network, case.loss, &examples);
        if step == 0 {
            first = Some(gradients.clone());
            losses = l;
        }
        update.apply(&mut network, &gradients, RATE);
    }
    Trained {
        losses,
        gradients: first,
        network,
    }
}

fn parameters(network: &Network<f64>) -> Vec<f64> {
    network
        .layers
        .iter()
        .flat_map(|l| l.weights.iter().chain(l.biases.iter()).copied())
        .collect()
}

fn flat(gradients: &Gradients<f64>) -> Vec<f64> {
    gradients
        .weights
        .iter()
        .zip(&gradients.biases)
        .flat_map(|(w, b)| w.iter().chain(b.iter()).copied())
        .collect()
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (inputs, units, n) in SHAPES {
        for hidden in HIDDEN {
            for (output, loss) in OUTPUTS {
                for (optimizer, l2) in optimizers() {
                    cases.push(Case {
                        hidden,
                        output,
                        loss,
                        optimizer,
                        l2,
                        inputs,
                        units,
                        n,
                    });
                }
            }
        }
    }
    cases
}

/// Whether the two paths take the same operations in the same order, so
/// that the losses, the gradients and (for momentum and Adam) the weights
/// after the updates must be the same bits. See the module's introduction;
/// and a layer of 8 units or more above the first has its Wᵀ·δ summed in
/// eight lanes by the fast path, then the lanes pairwise.
fn same_order(case: &Case) -> bool {
    let no_exponential = |a| !matches!(a, Activation::Sigmoid | Activation::Softmax);
    case.n == 1
        && no_exponential(case.hidden)
        && no_exponential(case.output)
        && case.units[1..].iter().all(|&units| units < 8)
}

/// (what, fast path, reference) for every number the two compute.
fn compared(fast: &Trained, textbook: &Trained) -> Vec<(&'static str, f64, f64)> {
    let mut pairs: Vec<_> = fast
        .losses
        .iter()
        .zip(&textbook.losses)
        .map(|(&a, &b)| ("loss", a, b))
        .collect();
    assert_eq!(fast.losses.len(), textbook.losses.len());
    if let (Some(f), Some(t)) = (&fast.gradients, &textbook.gradients) {
        pairs.extend(
            flat(f)
                .into_iter()
                .zip(flat(t))
                .map(|(a, b)| ("gradient", a, b)),
        );
    }
    pairs.extend(
        parameters(&fast.network)
            .into_iter()
            .zip(parameters(&textbook.network))
            .map(|(a, b)| ("weight after the updates", a, b)),
    );
    pairs
}

#[test]
fn training_steps_match_the_textbook_for_every_activation_loss_and_optimizer() {
    let (mut exact, mut stuck) = (0, 0);
    for (seed, case) in cases().iter().enumerate() {
        let network = case.network(seed as u64);
        let batch = case.batch(seed as u64);
        let fast = fast(case, &network, &batch);
        let textbook = textbook(case, &network, &batch);
        let name = case.name();
        // The non-fused paths keep their first gradients to compare; the
        // fused one never stores them, and is compared by its weights.
        let fused = case.optimizer == Kind::Sgd && case.l2 == 0.0;
        assert_eq!(fast.gradients.is_none(), fused, "{name}");
        if parameters(&fast.network) == parameters(&network) {
            // A relu output below zero for every example passes no gradient.
            assert_eq!(case.output, Activation::Relu, "{name}: no step");
            stuck += 1;
        }
        let bits = same_order(case);
        for (what, a, b) in compared(&fast, &textbook) {
            assert!(a.is_finite(), "{name}: {what} {a}");
            let sgd_weight = case.optimizer == Kind::Sgd && what == "weight after the updates";
            if bits && !sgd_weight {
                assert_eq!(
                    a.to_bits(),
                    b.to_bits(),
                    "{name}: {what} {a:e} against {b:e}"
                );
            } else {
                assert!(close(a, b), "{name}: {what} {a:e} against {b:e}");
            }
        }
        exact += usize::from(bits);
    }
    let total = cases().len();
    // The cases that must agree to the bit are not a handful, and the
    // networks that never moved are rare.
    assert!(
        exact * 20 > total,
        "{exact} of {total} cases compared bit for bit"
    );
    assert!(stuck * 50 < total, "{stuck} of {total} cases never moved");
    eprintln!("{exact} of {total} cases compared bit for bit; {stuck} stuck");
}
