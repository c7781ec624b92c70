//! Backpropagation checked against central finite differences.
//!
//! For every weight and bias w, with L the mean loss over a few examples:
//!
//! ```text
//! numeric  = (L(w + h) − L(w − h)) / 2h          h = 1e-6, in f64
//! error    = |analytic − numeric| / max(|analytic| + |numeric|, floor)
//! ```
//!
//! Two things make a correct backward pass look wrong, and both are handled
//! here rather than by loosening the tolerance:
//! - relu and leaky_relu have a kink at 0. Where nudging w by ±h moves some
//!   unit's weighted sum across 0, the finite difference straddles two slopes
//!   and means nothing; such a parameter is skipped (and counted).
//! - Rounding. L carries an error of a few ulps, which the division by 2h
//!   magnifies to about ε·|L|/h (2e-10 for a loss of 1). A derivative that
//!   small is noise to a finite difference, so errors are measured relative
//!   to at least `floor` = NOISE_MARGIN·ε·|L|/h, where that noise is 1e-5
//!   of it and cannot reach the tolerance of 1e-4: below the floor the check
//!   is in effect absolute, |analytic − numeric| ≤ 1e-4 × floor.

use nalgebra::DMatrix;

use super::fast::{backpropagate, forward};
use super::loss;
use super::network::{Gradients, Network, Workspace};
use super::vocabulary::{Activation, Loss};

/// The finite-difference step.
pub const STEP: f64 = 1e-6;
/// The largest relative error that passes.
pub const TOLERANCE: f64 = 1e-4;
/// How far above the rounding noise ε·|L|/h the floor is set (see above).
pub const NOISE_MARGIN: f64 = 1e5;
/// Parameters checked per weight matrix or bias vector; a larger one is
/// sampled evenly, since each parameter costs two forward passes.
pub const MOST_PER_PART: usize = 2_000;
/// Parameters of largest error kept per weight matrix or bias vector, the
/// evidence `gradcheck` prints beside each layer's largest error.
pub const LARGEST: usize = 3;

/// Backpropagation's gradients of the mean loss of `inputs` (one example
/// per column) against `targets`.
pub fn analytic_gradients(
    network: &Network<f64>,
    inputs: &DMatrix<f64>,
    targets: &DMatrix<f64>,
    loss: Loss,
) -> Gradients<f64> {
    let n = inputs.ncols();
    let mut ws = Workspace::new(network, n);
    ws.load_batch(inputs, targets, &(0..n).collect::<Vec<_>>());
    let mut gradients = Gradients::zeros_like(network);
    backpropagate(network, &mut ws, loss, n, &mut gradients);
    gradients
}

/// The mean loss of the `n` examples loaded in `ws`.
pub fn mean_loss(network: &Network<f64>, ws: &mut Workspace<f64>, loss: Loss, n: usize) -> f64 {
    forward(network, ws, n);
    let last = network.layers.len() - 1;
    let units = network.outputs();
    loss::losses(
        loss,
        units,
        &ws.weighted_sums[last].as_slice()[..units * n],
        &ws.outputs[last].as_slice()[..units * n],
        &ws.target.as_slice()[..units * n],
        &mut ws.losses[..n],
    );
    // Summed in example order, as everywhere else.
    ws.losses[..n].iter().sum::<f64>() / n as f64
}

pub fn relative_error(analytic: f64, numeric: f64, floor: f64) -> f64 {
    (analytic - numeric).abs() / (analytic.abs() + numeric.abs()).max(floor)
}

/// The floor of the relative error for a mean loss of `loss`; never zero,
/// so that a perfectly fitted batch still divides by something.
pub fn floor(loss: f64) -> f64 {
    (NOISE_MARGIN * f64::EPSILON * loss.abs() / STEP).max(1e-12)
}

/// The worst disagreement in one weight matrix or bias vector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Worst {
    pub error: f64,
    /// 0-based (row, column) of the weight; (unit, 0) for a bias.
    pub at: (usize, usize),
    pub analytic: f64,
    pub numeric: f64,
}

/// One weight matrix or bias vector, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// `None` when nothing could be checked.
    pub worst: Option<Worst>,
    /// The `LARGEST` parameters of largest error, the worst first (fewer
    /// when fewer were checked); ties keep the order checked.
    pub largest: Vec<Worst>,
    pub checked: usize,
    /// Left out because a ±h nudge crossed a relu kink.
    pub skipped: usize,
    /// Parameters in the part (more than checked + skipped when sampled).
    pub total: usize,
}

impl Part {
    pub fn error(&self) -> f64 {
        self.worst.map_or(0.0, |w| w.error)
    }

    pub fn failed(&self) -> bool {
        fails(self.error())
    }
}

/// Whether a relative error is beyond the tolerance; NaN (a non-finite
/// derivative on either side) is.
pub fn fails(error: f64) -> bool {
    error.is_nan() || error > TOLERANCE
}

/// Whether `error` is worse than `than`, counting NaN as the worst of all.
fn worse(error: f64, than: f64) -> bool {
    !than.is_nan() && (error.is_nan() || error > than)
}

/// The whole check.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub layers: Vec<LayerReport>,
    /// The mean loss of the unnudged network.
    pub loss: f64,
    pub floor: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LayerReport {
    pub weights: Part,
    pub biases: Part,
}

impl LayerReport {
    pub fn error(&self) -> f64 {
        let (weights, biases) = (self.weights.error(), self.biases.error());
        if worse(biases, weights) {
            biases
        } else {
            weights
        }
    }

    pub fn failed(&self) -> bool {
        self.weights.failed() || self.biases.failed()
    }

    /// The layer's `LARGEST` parameters of largest error, weights and
    /// biases together, the worst first, each with whether it is a bias.
    pub fn largest(&self) -> Vec<(Worst, bool)> {
        let mut all: Vec<(Worst, bool)> = Vec::new();
        for (part, bias) in [(&self.weights, false), (&self.biases, true)] {
            for &w in &part.largest {
                keep_largest(&mut all, (w, bias), |(w, _)| w.error);
            }
        }
        all
    }
}

/// Inserts `item` into `list` (the worst first, at most `LARGEST` long)
/// where its error puts it; an error equal to one kept goes after it.
fn keep_largest<T>(list: &mut Vec<T>, item: T, error: impl Fn(&T) -> f64) {
    let at = list
        .iter()
        .position(|kept| worse(error(&item), error(kept)))
        .unwrap_or(list.len());
    if at < LARGEST {
        list.insert(at, item);
        list.truncate(LARGEST);
    }
}

/// Compares `analytic` (the derivative of the mean loss over the examples of
/// `inputs`/`targets`, one per column) with central differences, layer by
/// layer. The analytic gradients are an argument so that a test can hand in
/// a deliberately wrong one.
pub fn check(
    network: &Network<f64>,
    inputs: &DMatrix<f64>,
    targets: &DMatrix<f64>,
    loss: Loss,
    analytic: &Gradients<f64>,
) -> Report {
    let n = inputs.ncols();
    let mut ws = Workspace::new(network, n);
    ws.load_batch(inputs, targets, &(0..n).collect::<Vec<_>>());
    let base = mean_loss(network, &mut ws, loss, n);
    let mut checker = Checker {
        kinks: kink_pattern(network, &ws, n),
        probe: network.clone(),
        ws,
        loss,
        n,
        floor: floor(base),
    };
    let layers = (0..network.layers.len())
        .map(|l| LayerReport {
            weights: checker.part(l, false, analytic.weights[l].as_slice()),
            biases: checker.part(l, true, analytic.biases[l].as_slice()),
        })
        .collect();
    Report {
        layers,
        loss: base,
        floor: checker.floor,
    }
}

/// A copy of the network to nudge, and what the unnudged one looked like.
struct Checker {
    probe: Network<f64>,
    ws: Workspace<f64>,
    kinks: Vec<bool>,
    loss: Loss,
    n: usize,
    floor: f64,
}

impl Checker {
    /// Layer `l`'s weights (column-major, as `analytic`) or biases.
    fn part(&mut self, l: usize, bias: bool, analytic: &[f64]) -> Part {
        let units = self.probe.layers[l].units();
        let mut part = Part {
            worst: None,
            largest: Vec::new(),
            checked: 0,
            skipped: 0,
            total: analytic.len(),
        };
        for p in sample(analytic.len()) {
            let original = self.values(l, bias)[p];
            let plus = self.nudged(l, bias, p, original + STEP);
            let minus = self.nudged(l, bias, p, original - STEP);
            self.values(l, bias)[p] = original;
            let (Some(plus), Some(minus)) = (plus, minus) else {
                part.skipped += 1;
                continue;
            };
            let numeric = (plus - minus) / (2.0 * STEP);
            let error = relative_error(analytic[p], numeric, self.floor);
            part.checked += 1;
            let this = Worst {
                error,
                at: if bias { (p, 0) } else { (p % units, p / units) },
                analytic: analytic[p],
                numeric,
            };
            if part.worst.is_none_or(|w| worse(error, w.error)) {
                part.worst = Some(this);
            }
            keep_largest(&mut part.largest, this, |w| w.error);
        }
        part
    }

    fn values(&mut self, l: usize, bias: bool) -> &mut [f64] {
        let layer = &mut self.probe.layers[l];
        if bias {
            layer.biases.as_mut_slice()
        } else {
            layer.weights.as_mut_slice()
        }
    }

    /// The mean loss with parameter `p` set to `value`, or `None` when that
    /// moved a relu unit across its kink.
    fn nudged(&mut self, l: usize, bias: bool, p: usize, value: f64) -> Option<f64> {
        self.values(l, bias)[p] = value;
        let loss = mean_loss(&self.probe, &mut self.ws, self.loss, self.n);
        (kink_pattern(&self.probe, &self.ws, self.n) == self.kinks).then_some(loss)
    }
}

/// Indices of the parameters to check: all of them, or an even spread.
fn sample(total: usize) -> impl Iterator<Item = usize> {
    let count = total.min(MOST_PER_PART);
    (0..count).map(move |k| k * total / count)
}

/// Which side of 0 each weighted sum of every relu or leaky_relu unit is on.
fn kink_pattern(network: &Network<f64>, ws: &Workspace<f64>, n: usize) -> Vec<bool> {
    network
        .layers
        .iter()
        .zip(&ws.weighted_sums)
        .filter(|(layer, _)| matches!(layer.activation, Activation::Relu | Activation::LeakyRelu))
        .flat_map(|(layer, z)| z.as_slice()[..layer.units() * n].iter().map(|&z| z > 0.0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::init;
    use crate::nn::vocabulary::{Init, Layer};
    use crate::rng::{Stream, stream};

    fn network(hidden: Activation, seed: u64) -> Network<f64> {
        let layers = [
            Layer {
                units: 4,
                activation: hidden,
            },
            Layer {
                units: 1,
                activation: Activation::Sigmoid,
            },
        ];
        init::initialize(&layers, 3, Init::Xavier, &mut stream(seed, Stream::Init))
    }

    fn examples(seed: u64) -> (DMatrix<f64>, DMatrix<f64>) {
        let mut random = stream(seed, Stream::Generator);
        let inputs = DMatrix::from_fn(3, 5, |_, _| random.uniform_in(-2.0, 2.0));
        let targets = DMatrix::from_fn(1, 5, |_, j| f64::from(j % 2 == 0));
        (inputs, targets)
    }

    #[test]
    fn backpropagation_passes_for_smooth_and_kinked_activations() {
        for hidden in [Activation::Tanh, Activation::Relu, Activation::LeakyRelu] {
            for loss in [Loss::Mse, Loss::BinaryCrossEntropy] {
                let network = network(hidden, 4);
                let (inputs, targets) = examples(4);
                let analytic = analytic_gradients(&network, &inputs, &targets, loss);
                let reports = check(&network, &inputs, &targets, loss, &analytic).layers;
                assert_eq!(reports.len(), 2);
                for report in &reports {
                    assert!(
                        report.error() < TOLERANCE,
                        "{hidden:?} {loss:?}: {report:?}"
                    );
                    assert_eq!(
                        report.weights.total,
                        report.weights.checked + report.weights.skipped
                    );
                }
                assert_eq!(reports[0].weights.total, 12);
                assert_eq!(reports[1].biases.total, 1);
            }
        }
    }

    #[test]
    fn a_deliberately_wrong_derivative_fails_and_is_located() {
        let network = network(Activation::Sigmoid, 9);
        let (inputs, targets) = examples(9);
        let mut analytic = analytic_gradients(&network, &inputs, &targets, Loss::Mse);
        // A 1% error in a single weight's derivative of the first layer.
        analytic.weights[0][(2, 1)] *= 1.01;
        let reports = check(&network, &inputs, &targets, Loss::Mse, &analytic).layers;
        let worst = reports[0].weights.worst.unwrap();
        assert!(worst.error > TOLERANCE, "{worst:?}");
        assert_eq!(worst.at, (2, 1));
        assert!(reports[1].error() < TOLERANCE);
        assert!(reports[0].biases.error() < TOLERANCE);
        // A wrong bias derivative is caught as well.
        let mut analytic = analytic_gradients(&network, &inputs, &targets, Loss::Mse);
        analytic.biases[1][0] += 1e-3;
        let reports = check(&network, &inputs, &targets, Loss::Mse, &analytic).layers;
        assert!(reports[1].biases.error() > TOLERANCE);
    }

    #[test]
    fn a_nudge_across_a_relu_kink_is_skipped_not_failed() {
        // Unit 1's weighted sum is exactly 0 for the only example: its slope
        // is 0 on one side and 1 on the other.
        let mut network = network(Activation::Relu, 1);
        network.layers[0].weights.row_mut(0).fill(0.0);
        let inputs = DMatrix::from_column_slice(3, 1, &[0.5, -1.0, 2.0]);
        let targets = DMatrix::from_column_slice(1, 1, &[1.0]);
        let analytic = analytic_gradients(&network, &inputs, &targets, Loss::Mse);
        let reports = check(&network, &inputs, &targets, Loss::Mse, &analytic).layers;
        assert!(reports[0].weights.skipped >= 3, "{:?}", reports[0]);
        assert!(reports[0].biases.skipped >= 1, "{:?}", reports[0]);
        assert!(reports.iter().all(|r| r.error() < TOLERANCE), "{reports:?}");
    }

    #[test]
    fn large_parts_are_sampled_evenly() {
        let picked: Vec<usize> = sample(10).collect();
        assert_eq!(picked, (0..10).collect::<Vec<_>>());
        let picked: Vec<usize> = sample(MOST_PER_PART * 3).collect();
        assert_eq!(picked.len(), MOST_PER_PART);
        assert_eq!(picked[1], 3);
        assert!(picked.windows(2).all(|w| w[0] < w[1]));
    }
}
