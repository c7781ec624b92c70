//! How many units of each hidden layer are stuck: a sigmoid or tanh unit
//! whose weighted sum is so large (|z| > 5) that its slope is nearly zero,
//! or a relu unit that is never positive, learns (almost) nothing. One
//! forward pass over a set of examples with given weights tells; the run's
//! findings read it, and so will a learner's diagnostics.

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

/// Per hidden layer (the output layer is not one), the shares of saturated
/// and of dead units of `network` over the examples `inputs` (one per
/// column, normalized as the network sees them).
pub fn saturation<T: Float>(network: &Network<T>, inputs: &DMatrix<f64>) -> Vec<LayerSaturation> {
    let hidden = network.layers.len().saturating_sub(1);
    let n = inputs.ncols();
    // Per hidden layer and unit: examples saturated, and examples positive.
    let mut saturated: Vec<Vec<usize>> = network.layers[..hidden]
        .iter()
        .map(|l| vec![0; l.units()])
        .collect();
    let mut positive = saturated.clone();
    let mut ws = Workspace::new(network, CHUNK);
    let targets = DMatrix::zeros(network.outputs(), n);
    let mut columns = Vec::with_capacity(CHUNK);
    for start in (0..n).step_by(CHUNK) {
        let count = (n - start).min(CHUNK);
        columns.clear();
        columns.extend(start..start + count);
        ws.load_batch(inputs, &targets, &columns);
        forward(network, &mut ws, count);
        for (layer, z) in ws.weighted_sums[..hidden].iter().enumerate() {
            let units = z.nrows();
            for example in z.as_slice()[..units * count].chunks_exact(units) {
                for (unit, &value) in example.iter().enumerate() {
                    let value = value.as_f64();
                    if value.abs() > SATURATED_Z {
                        saturated[layer][unit] += 1;
                    }
                    if value > 0.0 {
                        positive[layer][unit] += 1;
                    }
                }
            }
        }
    }
    network.layers[..hidden]
        .iter()
        .zip(saturated.iter().zip(&positive))
        .map(|(layer, (saturated, positive))| {
            let units = layer.units().max(1) as f64;
            let share = |count: usize| count as f64 / units;
            let (mut stuck, mut dead) = (0.0, 0.0);
            match layer.activation {
                Activation::Sigmoid | Activation::Tanh => {
                    stuck = share(
                        saturated
                            .iter()
                            .filter(|&&c| c as f64 > SATURATED_EXAMPLES * n as f64)
                            .count(),
                    );
                }
                Activation::Relu => {
                    dead = share(positive.iter().filter(|&&c| c == 0).count());
                }
                _ => {}
            }
            LayerSaturation {
                activation: layer.activation,
                units: layer.units(),
                saturated: stuck,
                dead,
            }
        })
        .collect()
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
