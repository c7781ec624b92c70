//! How many units of each hidden layer are stuck: a sigmoid or tanh unit
//! whose weighted sum is so large (|z| > 5) that its slope is nearly zero,
//! or a relu unit that is never positive, learns (almost) nothing. One
//! forward pass over a set of examples with given weights tells; the run's
//! findings read it. The training loop's diagnostics count the same things
//! from the weighted sums of its own forward passes (`UnitCounts`), and
//! classify the units by the same rule (`UnitCounts::shares`).

use nalgebra::DMatrix;

use super::fast::forward;
use super::float::Float;
use super::network::{Network, Workspace};
use super::vocabulary::Activation;

/// Beyond this |z| a sigmoid's slope is under 0.0067 and a tanh's under
/// 0.00018: the unit barely passes a gradient back.
pub const SATURATED_Z: f64 = 5.0;

/// A sigmoid or tanh unit counts as saturated when it is saturated on more
/// than this share of the examples.
pub const SATURATED_EXAMPLES: f64 = 0.9;

/// Examples per forward pass.
const CHUNK: usize = 256;

/// One hidden layer's stuck units, as shares of its units (0 to 1).
#[derive(Debug, Clone, PartialEq)]
pub struct LayerSaturation {
    pub activation: Activation,
    pub units: usize,
    /// sigmoid and tanh: the units with |z| > 5 on more than 90% of the examples.
    pub saturated: f64,
    /// relu: the units that are positive on no example.
    pub dead: f64,
}

/// What is counted of one layer's units over a set of examples, from their
/// weighted sums: enough to classify each unit, and no more, so that the
/// training loop can count while it trains (`train::diagnostics`) and a
/// forward pass after it (`saturation`) with the same code.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitCounts {
    /// Per unit: the examples with |z| > 5.
    pub saturated: Vec<u64>,
    /// Per unit: the examples with z > 0.
    pub positive: Vec<u64>,
    /// The examples counted.
    pub examples: u64,
    /// Which of the two counts the layer's activation gives a meaning to
    /// (`applies`): only those are kept, which halves the work of counting
    /// while training.
    counted: (bool, bool),
}

impl UnitCounts {
    pub fn new(units: usize, activation: Activation) -> Self {
        UnitCounts {
            saturated: vec![0; units],
            positive: vec![0; units],
            examples: 0,
            counted: applies(activation),
        }
    }

    /// Back to no examples, keeping the buffers.
    pub fn clear(&mut self) {
        self.saturated.fill(0);
        self.positive.fill(0);
        self.examples = 0;
    }

    /// Counts the examples of `z`, the layer's weighted sums with one
    /// example per column (units × examples, column-major).
    #[inline]
    pub fn add<T: Float>(&mut self, z: &[T]) {
        let units = self.saturated.len();
        if units == 0 {
            return;
        }
        // Compared in the network's own precision (5 is exact in both):
        // converting every z to f64 made a W1 epoch in f32 slower (measured).
        let (limit, zero) = (T::of(SATURATED_Z), T::zero());
        let examples = z.chunks_exact(units);
        self.examples += examples.len() as u64;
        match self.counted {
            (true, _) => {
                for example in examples {
                    for (&value, saturated) in example.iter().zip(&mut self.saturated) {
                        *saturated += u64::from(value > limit || value < -limit);
                    }
                }
            }
            (_, true) => {
                for example in examples {
                    for (&value, positive) in example.iter().zip(&mut self.positive) {
                        *positive += u64::from(value > zero);
                    }
                }
            }
            _ => {}
        }
    }

    /// The shares of stuck units of a layer of `activation`: the one rule
    /// that the `saturated` finding and the per-epoch diagnostics share.
    /// Only sigmoid and tanh saturate and only relu dies; the other share
    /// is 0.
    pub fn shares(&self, activation: Activation) -> LayerSaturation {
        let units = self.saturated.len();
        let share = |count: usize| count as f64 / units.max(1) as f64;
        let (mut stuck, mut dead) = (0.0, 0.0);
        match activation {
            Activation::Sigmoid | Activation::Tanh => {
                let limit = SATURATED_EXAMPLES * self.examples as f64;
                stuck = share(self.saturated.iter().filter(|&&c| c as f64 > limit).count());
            }
            Activation::Relu => {
                dead = share(self.positive.iter().filter(|&&c| c == 0).count());
            }
            _ => {}
        }
        LayerSaturation {
            activation,
            units,
            saturated: stuck,
            dead,
        }
    }
}

/// Whether a layer of `activation` can have saturated units (sigmoid,
/// tanh) and dead ones (relu): where not, a share would mean nothing.
pub fn applies(activation: Activation) -> (bool, bool) {
    (
        matches!(activation, Activation::Sigmoid | Activation::Tanh),
        activation == Activation::Relu,
    )
}

/// Per hidden layer (the output layer is not one), the shares of saturated
/// and of dead units of `network` over the examples `inputs` (one per
/// column, normalized as the network sees them).
pub fn saturation<T: Float>(network: &Network<T>, inputs: &DMatrix<f64>) -> Vec<LayerSaturation> {
    let hidden = network.layers.len().saturating_sub(1);
    let mut counts: Vec<UnitCounts> = network.layers[..hidden]
        .iter()
        .map(|l| UnitCounts::new(l.units(), l.activation))
        .collect();
    count(network, inputs, &mut counts);
    network.layers[..hidden]
        .iter()
        .zip(&counts)
        .map(|(layer, counts)| counts.shares(layer.activation))
        .collect()
}

/// Adds to `counts` (one per hidden layer, in order) the weighted sums of
/// one forward pass of `network` over `inputs`.
pub fn count<T: Float>(network: &Network<T>, inputs: &DMatrix<f64>, counts: &mut [UnitCounts]) {
    let n = inputs.ncols();
    let mut ws = Workspace::new(network, CHUNK);
    let targets = DMatrix::zeros(network.outputs(), n);
    let mut columns = Vec::with_capacity(CHUNK);
    for start in (0..n).step_by(CHUNK) {
        let chunk = (n - start).min(CHUNK);
        columns.clear();
        columns.extend(start..start + chunk);
        ws.load_batch(inputs, &targets, &columns);
        forward(network, &mut ws, chunk);
        for (layer, z) in counts.iter_mut().zip(&ws.weighted_sums) {
            layer.add(&z.as_slice()[..z.nrows() * chunk]);
        }
    }
}

#[cfg(test)]
mod tests {
    use nalgebra::{DMatrix, DVector};

    use super::*;
    use crate::nn::network::Dense;

    fn layer(weights: &[f64], units: usize, activation: Activation) -> Dense<f64> {
        let inputs = weights.len() / units;
        Dense {
            weights: DMatrix::from_row_slice(units, inputs, weights),
            biases: DVector::zeros(units),
            activation,
        }
    }

    #[test]
    fn counts_saturated_tanh_units_and_dead_relu_units() {
        // One input x ∈ {1, 2, 3}; tanh units with weights 10, 1 (|z| > 5
        // always, never) and relu units with weights −1, 1 (never positive,
        // always positive), then an output layer.
        let network = Network {
            layers: vec![
                layer(&[10.0, 1.0, 2.0, 0.1], 4, Activation::Tanh),
                layer(
                    &[1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0],
                    2,
                    Activation::Relu,
                ),
                layer(&[1.0, 1.0], 1, Activation::Sigmoid),
            ],
        };
        let inputs = DMatrix::from_row_slice(1, 3, &[1.0, 2.0, 3.0]);
        let shares = saturation(&network, &inputs);
        assert_eq!(shares.len(), 2);
        // 10x always beyond 5; 2x only at x = 3 (1 of 3 examples): one of four.
        assert_eq!(shares[0].saturated, 0.25);
        assert_eq!(shares[0].dead, 0.0);
        // The tanh outputs are positive, so −Σ is never positive: one of two dead.
        assert_eq!(shares[1].dead, 0.5);
        assert_eq!(shares[1].saturated, 0.0);
    }
}
