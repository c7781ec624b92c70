//! Initial weights, drawn from the seed's `Init` stream.
//!
//! Weights are drawn in f64, layer by layer and row by row, then rounded to
//! the run's precision, so f32 and f64 runs start from the same network.
//! Biases start at zero.

use nalgebra::{DMatrix, DVector};

use super::float::Float;
use super::network::{Dense, Network};
use super::vocabulary::{Init, Layer};
use crate::rng::Random;

pub fn initialize<T: Float>(
    layers: &[Layer],
    inputs: usize,
    init: Init,
    random: &mut Random,
) -> Network<T> {
    let mut fan_in = inputs;
    let mut dense = Vec::with_capacity(layers.len());
    for layer in layers {
        let fan_out = layer.units;
        let mut draw = || -> f64 {
            match init {
                // Glorot & Bengio (2010): keeps the variance of activations
                // and of gradients alike across sigmoid and tanh layers.
                Init::Xavier => {
                    let limit = (6.0 / (fan_in + fan_out) as f64).sqrt();
                    random.uniform_in(-limit, limit)
                }
                // He et al. (2015): variance 2/fan_in compensates for relu
                // zeroing half of its inputs.
                Init::He => random.normal() * (2.0 / fan_in as f64).sqrt(),
                // The classic textbook choice, scaled by the fan-in so that
                // weighted sums stay of order one.
                Init::Uniform => {
                    let limit = 1.0 / (fan_in as f64).sqrt();
                    random.uniform_in(-limit, limit)
                }
            }
        };
        let mut weights = DMatrix::zeros(layer.units, fan_in);
        for i in 0..layer.units {
            for j in 0..fan_in {
                weights[(i, j)] = T::of(draw());
            }
        }
        dense.push(Dense {
            weights,
            biases: DVector::zeros(layer.units),
            activation: layer.activation,
        });
        fan_in = fan_out;
    }
    Network { layers: dense }
}
