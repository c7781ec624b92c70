//! Why the cost went up: what each layer went through during an epoch,
//! gathered while the epoch trains (`training.diagnostics`), so that a
//! spike in the cost curve can be read against the weights that grew, the
//! gradients that vanished or exploded, the steps too large for the
//! weights they moved, and the units that stopped learning.
//!
//! Everything comes from the training loop's own passes: the weighted sums
//! of each batch's forward pass (no extra pass over the data) and the
//! batch-mean gradients of its backward pass. Those exist only when the
//! update is taken after the backward pass, so with diagnostics on the step
//! is never fused (`step`): the same bits, a little slower. With them off
//! the trainer does not come here at all.

use std::ops::ControlFlow;

use nalgebra::DMatrix;

use crate::nn::saturation::{self, UnitCounts};
use crate::nn::vocabulary::{Activation, Loss};
use crate::nn::{self, Float, Gradients, Network, Optimizer, Workspace};

/// One row of diagnostics.csv: one layer at the end of one epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerDiagnostics {
    /// 0 for the initial weights, before any update.
    pub epoch: usize,
    /// From 0, as the config path counts (`model.layers.0`).
    pub layer: usize,
    pub activation: Activation,
    pub units: usize,
    /// ‖W‖, the Frobenius norm of the layer's weights at the end of the epoch.
    pub weight_norm: f64,
    /// The mean over the epoch's batches of ‖∂loss/∂W‖ (the batch-mean
    /// derivative, before any weight decay is added); none for epoch 0.
    pub gradient_norm: Option<f64>,
    /// ‖W at the end − W at the start of the epoch‖ / ‖W at the start‖: how
    /// far the epoch moved the weights, relative to their size; none for
    /// epoch 0 or weights that started at zero.
    pub update_ratio: Option<f64>,
    /// The share of the layer's units saturated over the epoch's training
    /// examples (`UnitCounts::shares`); none for the output layer and for
    /// activations that do not saturate.
    pub saturated: Option<f64>,
    /// The share of relu units never positive over the epoch's training
    /// examples; none for the output layer and other activations.
    pub dead: Option<f64>,
}

/// What an epoch gathers as it trains, in buffers allocated once.
pub struct Accumulator<T: Float> {
    /// Each layer's weights at the start of the epoch.
    start: Vec<DMatrix<T>>,
    /// Per layer, the sum over the epoch's batches of ‖∂loss/∂W‖.
    gradient_norms: Vec<f64>,
    batches: usize,
    /// Per hidden layer, its units' counts over the epoch's examples.
    counts: Vec<UnitCounts>,
}

impl<T: Float> Accumulator<T> {
    pub fn new(network: &Network<T>) -> Self {
        let hidden = network.layers.len().saturating_sub(1);
        Accumulator {
            start: network.layers.iter().map(|l| l.weights.clone()).collect(),
            gradient_norms: vec![0.0; network.layers.len()],
            batches: 0,
            counts: network.layers[..hidden]
                .iter()
                .map(|l| UnitCounts::new(l.units()))
                .collect(),
        }
    }

    /// Before the epoch's first batch.
    pub fn begin(&mut self, network: &Network<T>) {
        for (start, layer) in self.start.iter_mut().zip(&network.layers) {
            start.copy_from(&layer.weights);
        }
        self.gradient_norms.fill(0.0);
        self.batches = 0;
        for counts in &mut self.counts {
            counts.clear();
        }
    }

    /// One batch of `n` examples, after its forward and backward passes.
    #[inline]
    fn batch(&mut self, ws: &Workspace<T>, gradients: &Gradients<T>, n: usize) {
        for (counts, z) in self.counts.iter_mut().zip(&ws.weighted_sums) {
            counts.add(&z.as_slice()[..z.nrows() * n]);
        }
        for (sum, gradient) in self.gradient_norms.iter_mut().zip(&gradients.weights) {
            *sum += norm(gradient.as_slice());
        }
        self.batches += 1;
    }

    /// The rows of the epoch just trained, with `network` its weights at
    /// the end.
    pub fn finish(&self, epoch: usize, network: &Network<T>) -> Vec<LayerDiagnostics> {
        network
            .layers
            .iter()
            .enumerate()
            .map(|(l, layer)| {
                let weights = layer.weights.as_slice();
                let start = self.start[l].as_slice();
                let start_norm = norm(start);
                let moved = weights
                    .iter()
                    .zip(start)
                    .map(|(&w, &s)| {
                        let d = w.as_f64() - s.as_f64();
                        d * d
                    })
                    .sum::<f64>()
                    .sqrt();
                let mut row = row(
                    epoch,
                    l,
                    layer.activation,
                    layer.units(),
                    weights,
                    self.counts.get(l),
                );
                row.gradient_norm =
                    (self.batches > 0).then(|| self.gradient_norms[l] / self.batches as f64);
                row.update_ratio = (start_norm > 0.0).then(|| moved / start_norm);
                row
            })
            .collect()
    }
}

/// Epoch 0: the initial weights' norms, and their saturated and dead units
/// over the training examples `inputs` (one forward pass, once per run).
pub fn initial<T: Float>(network: &Network<T>, inputs: &DMatrix<f64>) -> Vec<LayerDiagnostics> {
    let hidden = network.layers.len().saturating_sub(1);
    let mut counts: Vec<UnitCounts> = network.layers[..hidden]
        .iter()
        .map(|l| UnitCounts::new(l.units()))
        .collect();
    saturation::count(network, inputs, &mut counts);
    network
        .layers
        .iter()
        .enumerate()
        .map(|(l, layer)| {
            row(
                0,
                l,
                layer.activation,
                layer.units(),
                layer.weights.as_slice(),
                counts.get(l),
            )
        })
        .collect()
}

/// A row with the weight norm and the shares; no gradient or update yet.
fn row<T: Float>(
    epoch: usize,
    layer: usize,
    activation: Activation,
    units: usize,
    weights: &[T],
    counts: Option<&UnitCounts>,
) -> LayerDiagnostics {
    let (saturates, dies) = saturation::applies(activation);
    let shares = counts.map(|c| c.shares(activation));
    LayerDiagnostics {
        epoch,
        layer,
        activation,
        units,
        weight_norm: norm(weights),
        gradient_norm: None,
        update_ratio: None,
        saturated: shares.as_ref().filter(|_| saturates).map(|s| s.saturated),
        dead: shares.as_ref().filter(|_| dies).map(|s| s.dead),
    }
}

/// The Frobenius norm, summed in f64 in storage order.
fn norm<T: Float>(values: &[T]) -> f64 {
    values
        .iter()
        .map(|&v| {
            let v = v.as_f64();
            v * v
        })
        .sum::<f64>()
        .sqrt()
}

/// One training step on the first `n` examples loaded in `ws`, as
/// `nn::step` takes it but never fused, so that the batch-mean gradients
/// exist to be measured: backward, then `accumulator` counts, then
/// `inspect`, then the optimizer's update (the same bits as the fused one).
#[allow(clippy::too_many_arguments)]
pub fn step<T: Float, B>(
    network: &mut Network<T>,
    optimizer: &mut Optimizer<T>,
    ws: &mut Workspace<T>,
    gradients: &mut Gradients<T>,
    loss: Loss,
    n: usize,
    learning_rate: f64,
    accumulator: &mut Accumulator<T>,
    inspect: impl FnOnce(&Workspace<T>) -> ControlFlow<B>,
) -> ControlFlow<B> {
    nn::backpropagate(network, ws, loss, n, gradients);
    accumulator.batch(ws, gradients, n);
    inspect(ws)?;
    optimizer.step(network, gradients, learning_rate);
    ControlFlow::Continue(())
}
