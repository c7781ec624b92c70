//! Why the cost went up: what each layer went through during an epoch,
//! gathered while the epoch trains (`training.diagnostics`), so that a
//! spike in the cost curve can be read against the weights that grew, the
//! gradients that vanished or exploded, the steps too large for the
//! weights they moved, and the units that stopped learning.
//!
//! Everything comes from the training loop's own passes: the weighted sums
//! of each batch's forward pass (no extra pass over the data) and the
//! batch-mean gradients of its backward pass. Those exist only when the
//! update is taken after the backward pass, so with diagnostics on a
//! batch's step is never fused (`step`): the same bits, a little slower.
//! One example's gradient norm needs no gradient (‖δ·aᵀ‖ = ‖δ‖·‖a‖), so its
//! step stays as it is. With diagnostics off the trainer does not come here.

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
                .map(|l| UnitCounts::new(l.units(), l.activation))
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
        self.count(ws, n);
        for (sum, gradient) in self.gradient_norms.iter_mut().zip(&gradients.weights) {
            *sum += norm(gradient.as_slice());
        }
        self.batches += 1;
    }

    /// One example, after its step, from what the passes left in `ws`:
    /// its ∂loss/∂W is the outer product δ·aᵀ of the layer's ∂loss/∂z and
    /// input, whose norm is ‖δ‖·‖a‖, so neither the gradient nor its norm
    /// need be formed.
    #[inline]
    fn one_example(&mut self, ws: &Workspace<T>) {
        self.count(ws, 1);
        for (l, sum) in self.gradient_norms.iter_mut().enumerate() {
            let delta = &ws.derivatives[l];
            let input = match l {
                0 => &ws.input,
                _ => &ws.outputs[l - 1],
            };
            let inputs = self.start[l].ncols();
            let squares =
                squares(&delta.as_slice()[..delta.nrows()]) * squares(&input.as_slice()[..inputs]);
            *sum += squares.sqrt();
        }
        self.batches += 1;
    }

    #[inline]
    fn count(&mut self, ws: &Workspace<T>, n: usize) {
        for (counts, z) in self.counts.iter_mut().zip(&ws.weighted_sums) {
            counts.add(&z.as_slice()[..z.nrows() * n]);
        }
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
        .map(|l| UnitCounts::new(l.units(), l.activation))
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

/// The Frobenius norm.
fn norm<T: Float>(values: &[T]) -> f64 {
    squares(values).sqrt()
}

/// The sum of the squares, in f64, in eight running sums (element i in sum
/// i mod 8) added at the end: a fixed order, so the same bits every time,
/// and no chain of dependent additions. One chain made the digits epoch half
/// as long again (measured).
#[inline]
fn squares<T: Float>(values: &[T]) -> f64 {
    if values.len() < 32 {
        // A layer of a few units: the running sums cost more than they
        // save (a W1 epoch took 20% longer with them, measured).
        return values.iter().fold(0.0, |sum, &v| {
            let v = v.as_f64();
            v.mul_add(v, sum)
        });
    }
    let mut sums = [0.0f64; 8];
    let mut chunks = values.chunks_exact(8);
    for chunk in &mut chunks {
        for (sum, &v) in sums.iter_mut().zip(chunk) {
            let v = v.as_f64();
            *sum = v.mul_add(v, *sum);
        }
    }
    for (sum, &v) in sums.iter_mut().zip(chunks.remainder()) {
        let v = v.as_f64();
        *sum = v.mul_add(v, *sum);
    }
    sums.iter().sum()
}

/// One training step on the first `n` examples loaded in `ws`, measured
/// by `accumulator`. One example is stepped by `nn::step` (fused or not)
/// and measured after it, from the workspace (`one_example`); a batch is
/// stepped unfused, so that its mean gradients exist to be measured:
/// backward, then `accumulator` counts, then `inspect`, then the
/// optimizer's update (the same bits as the fused one). Forming every
/// gradient for one example took a W1 epoch 60% longer (measured).
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
    if n == 1 {
        let stepped = nn::step(
            network,
            optimizer,
            ws,
            gradients,
            loss,
            n,
            learning_rate,
            inspect,
        );
        if stepped.is_continue() {
            accumulator.one_example(ws);
        }
        return stepped;
    }
    nn::backpropagate(network, ws, loss, n, gradients);
    accumulator.batch(ws, gradients, n);
    inspect(ws)?;
    optimizer.step(network, gradients, learning_rate);
    ControlFlow::Continue(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::train::{self, Observer, TrainError};

    const HEART: &str = r#"
[experiment]
name = "heart"
seed = 42
[data]
generator = "heart"
rows = 300
[model]
layers = [
  { units = 8, activation = "sigmoid" },
  { units = 6, activation = "relu" },
  { units = 1, activation = "sigmoid" },
]
[training]
epochs = 3
learning_rate = 10.0
diagnostics = true
"#;

    struct Rows(Vec<LayerDiagnostics>);

    impl<T: Float> Observer<T> for Rows {
        fn diagnostics(&mut self, rows: &[LayerDiagnostics]) -> Result<(), TrainError> {
            self.0.extend_from_slice(rows);
            Ok(())
        }
    }

    fn trained(sets: &[&str]) -> (Vec<LayerDiagnostics>, Network<f64>, DMatrix<f64>) {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let config = crate::config::load_text(Path::new("heart.toml"), HEART, &sets)
            .expect("valid")
            .config;
        let data = crate::data::prepare(&config).expect("data");
        let mut rows = Rows(Vec::new());
        let outcome = train::train::<f64>(&config, &data, &mut rows, None).expect("trains");
        (rows.0, outcome.network, data.train.inputs.clone())
    }

    /// The shares of the finding's function over `inputs`, as diagnostics
    /// rows would hold them (hidden layers only).
    fn finding_shares(network: &Network<f64>, inputs: &DMatrix<f64>) -> Vec<(f64, f64)> {
        saturation::saturation(network, inputs)
            .iter()
            .map(|s| (s.saturated, s.dead))
            .collect()
    }

    fn row_shares(rows: &[LayerDiagnostics], epoch: usize) -> Vec<(f64, f64)> {
        // Every layer but the output one.
        rows.iter()
            .filter(|r| r.epoch == epoch && r.layer < 2)
            .map(|r| (r.saturated.unwrap_or(0.0), r.dead.unwrap_or(0.0)))
            .collect()
    }

    /// With the weights held still (a learning rate of 1e-300), an epoch's counts
    /// from the training passes' own weighted sums are those of the
    /// finding's forward pass over the same (training) examples.
    #[test]
    fn an_epoch_counts_what_the_finding_counts_on_the_same_examples() {
        let (rows, network, train_inputs) = trained(&[
            // The least rate there is: w − rate × g rounds back to w.
            "training.learning_rate=1e-300",
            "training.epochs=1",
            // Heights in centimetres: weighted sums far beyond 5.
            "data.normalize=\"none\"",
        ]);
        let shares = finding_shares(&network, &train_inputs);
        assert!(shares[0].0 > 0.0 && shares[1].1 > 0.0, "{shares:?}");
        assert_eq!(row_shares(&rows, 1), shares);
        assert_eq!(row_shares(&rows, 0), shares);
        let first = &rows[3..6];
        assert!(
            first.iter().all(|r| r.update_ratio == Some(0.0)),
            "{first:?}"
        );
        assert!(
            first
                .iter()
                .all(|r| r.gradient_norm.is_some_and(|g| g > 0.0))
        );
    }

    /// One example's gradient norm from the workspace, ‖δ‖·‖a‖, is the
    /// norm of the gradient the backward pass forms.
    #[test]
    fn one_examples_norm_is_its_gradients() {
        let sets = ["data.normalize=\"none\"".to_string()];
        let config = crate::config::load_text(Path::new("heart.toml"), HEART, &sets)
            .expect("valid")
            .config;
        let data = crate::data::prepare(&config).expect("data");
        let network: Network<f64> = train::initial_network(&config, &data);
        let mut ws = Workspace::new(&network, 1);
        let mut gradients = Gradients::zeros_like(&network);
        ws.load_batch(&data.train.inputs, &data.train.targets, &[7]);
        nn::backpropagate(&network, &mut ws, Loss::Mse, 1, &mut gradients);
        let (mut formed, mut outer) = (Accumulator::new(&network), Accumulator::new(&network));
        formed.batch(&ws, &gradients, 1);
        outer.one_example(&ws);
        assert_eq!(formed.counts, outer.counts);
        for (a, b) in formed.gradient_norms.iter().zip(&outer.gradient_norms) {
            assert!(*a > 0.0 && (a - b).abs() <= 1e-12 * a, "{a} against {b}");
        }
    }

    /// At learning rate 10 the rows show the blow-up: the output layer's
    /// weights more than double in the first epoch, and the relu layer dies.
    #[test]
    fn rows_come_one_per_layer_and_epoch_in_order() {
        let (rows, network, _) = trained(&[]);
        assert_eq!(rows.len(), 4 * 3);
        for (i, row) in rows.iter().enumerate() {
            assert_eq!((row.epoch, row.layer), (i / 3, i % 3));
            assert_eq!(row.units, network.layers[i % 3].units());
        }
        // The last row's weight norm is the trained network's.
        let last = network.layers[2].weights.as_slice();
        let norm = last.iter().map(|w| w * w).sum::<f64>().sqrt();
        assert_eq!(rows[11].weight_norm, norm);
        assert!(rows[5].weight_norm > 2.0 * rows[2].weight_norm, "{rows:?}");
        // By epoch 3 every relu unit is dead: no gradient reaches any weight.
        assert_eq!(rows[10].dead, Some(1.0));
        assert!(
            rows[9..].iter().all(|r| r.gradient_norm == Some(0.0)),
            "{rows:?}"
        );
        // Only the relu layer has a dead share, only the sigmoid a saturated one.
        assert!(rows[4].dead.is_some() && rows[4].saturated.is_none());
        assert!(rows[3].saturated.is_some() && rows[3].dead.is_none());
        assert!(rows[5].saturated.is_none() && rows[5].dead.is_none());
    }
}
