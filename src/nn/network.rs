//! A multilayer perceptron of dense layers: forward to the output, backward
//! to the derivative of the loss with respect to every weight.
//!
//! Shapes: a layer of `units` fed `inputs` values has weights `units × inputs`
//! and biases `units`; a batch of `n` examples is a matrix with one example
//! per column, so every layer's values for the batch are `units × n`.

use nalgebra::{DMatrix, DVector};

use super::activation;
use super::float::Float;
use super::loss;
use super::matmul::{
    Operand, Store, by_width, fixed, gemm, gemm_store, matvec, matvec_array, matvec_transposed,
    outer,
};
use crate::config::{Activation, Loss};

#[derive(Debug, Clone, PartialEq)]
pub struct Dense<T: Float> {
    /// units × inputs: row i holds the weights into unit i.
    pub weights: DMatrix<T>,
    pub biases: DVector<T>,
    pub activation: Activation,
}

impl<T: Float> Dense<T> {
    pub fn units(&self) -> usize {
        self.weights.nrows()
    }

    pub fn inputs(&self) -> usize {
        self.weights.ncols()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Network<T: Float> {
    pub layers: Vec<Dense<T>>,
}

impl<T: Float> Network<T> {
    pub fn inputs(&self) -> usize {
        self.layers.first().map_or(0, Dense::inputs)
    }

    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(0, Dense::units)
    }

    pub fn output_activation(&self) -> Activation {
        self.layers
            .last()
            .map_or(Activation::Identity, |l| l.activation)
    }

    /// Whether every weight and bias is a finite number.
    pub fn is_finite(&self) -> bool {
        self.layers.iter().all(|l| {
            l.weights.iter().all(|w| w.is_finite()) && l.biases.iter().all(|b| b.is_finite())
        })
    }

    /// Copies `other`'s weights into this network of the same shape, without allocating.
    pub fn copy_from(&mut self, other: &Network<T>) {
        for (mine, theirs) in self.layers.iter_mut().zip(&other.layers) {
            mine.weights.copy_from(&theirs.weights);
            mine.biases.copy_from(&theirs.biases);
        }
    }
}

/// The derivative of the loss with respect to every weight and bias, shaped
/// like the network.
#[derive(Debug, Clone)]
pub struct Gradients<T: Float> {
    pub weights: Vec<DMatrix<T>>,
    pub biases: Vec<DVector<T>>,
}

impl<T: Float> Gradients<T> {
    pub fn zeros_like(network: &Network<T>) -> Self {
        Gradients {
            weights: network
                .layers
                .iter()
                .map(|l| DMatrix::zeros(l.units(), l.inputs()))
                .collect(),
            biases: network
                .layers
                .iter()
                .map(|l| DVector::zeros(l.units()))
                .collect(),
        }
    }
}

/// Buffers for one batch of up to `capacity` examples, allocated once so the
/// training loop allocates nothing.
#[derive(Debug, Clone)]
pub struct Workspace<T: Float> {
    pub capacity: usize,
    /// inputs × capacity: the batch's input columns.
    pub input: DMatrix<T>,
    /// outputs × capacity: the batch's targets.
    pub target: DMatrix<T>,
    /// Per layer, units × capacity: z = weights · input + biases.
    pub weighted_sums: Vec<DMatrix<T>>,
    /// Per layer, units × capacity: a = activation(z).
    pub outputs: Vec<DMatrix<T>>,
    /// Per layer, units × capacity: ∂loss/∂z.
    pub derivatives: Vec<DMatrix<T>>,
    /// The loss of each example of the batch.
    pub losses: Vec<T>,
}

impl<T: Float> Workspace<T> {
    pub fn new(network: &Network<T>, capacity: usize) -> Self {
        let per_layer = || {
            network
                .layers
                .iter()
                .map(|l| DMatrix::zeros(l.units(), capacity))
                .collect::<Vec<_>>()
        };
        Workspace {
            capacity,
            input: DMatrix::zeros(network.inputs(), capacity),
            target: DMatrix::zeros(network.outputs(), capacity),
            weighted_sums: per_layer(),
            outputs: per_layer(),
            derivatives: per_layer(),
            losses: vec![T::zero(); capacity],
        }
    }

    /// Copies the examples `columns` of `inputs` and `targets` (stored as f64,
    /// one example per column) into the batch buffers.
    pub fn load_batch(&mut self, inputs: &DMatrix<f64>, targets: &DMatrix<f64>, columns: &[usize]) {
        debug_assert!(columns.len() <= self.capacity);
        // Whole columns as slices: a loop over them converts several values
        // per instruction, where nalgebra's column iterators go one by one.
        copy_columns(inputs, columns, self.input.as_mut_slice());
        copy_columns(targets, columns, self.target.as_mut_slice());
    }

    /// The network's output for example `slot` of the last forward pass.
    pub fn output(&self, slot: usize) -> &[T] {
        let last = self.outputs.len() - 1;
        let units = self.outputs[last].nrows();
        &self.outputs[last].as_slice()[slot * units..(slot + 1) * units]
    }
}

/// Copies the columns `columns` of `from` side by side into `to`, converting.
fn copy_columns<T: Float>(from: &DMatrix<f64>, columns: &[usize], to: &mut [T]) {
    let rows = from.nrows();
    debug_assert!(to.len() >= rows * columns.len());
    if rows == 0 {
        return;
    }
    let from = from.as_slice();
    for (slot, &column) in to.chunks_exact_mut(rows).zip(columns) {
        for (dst, &src) in slot
            .iter_mut()
            .zip(&from[column * rows..(column + 1) * rows])
        {
            *dst = T::of(src);
        }
    }
}

/// Forward pass of the first `n` examples loaded in `ws`.
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
            gemm(
                Operand::new(layer.weights.as_slice(), units, layer.inputs()),
                Operand::new(input, layer.inputs(), n),
                z,
                units,
                n,
            );
            activation::forward(layer.activation, units, layer.biases.as_slice(), z, a);
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

/// Backward pass: from ∂loss/∂z of the output layer (already in the last
/// `ws.derivatives`) to the gradients of every weight and bias.
pub fn backward<T: Float>(
    network: &Network<T>,
    ws: &mut Workspace<T>,
    n: usize,
    gradients: &mut Gradients<T>,
) {
    for l in (0..network.layers.len()).rev() {
        let (delta, input) = delta_and_input(ws, l, n);
        // ∂loss/∂weights = delta · inputᵀ    (units × n)·(n × inputs)
        let weight_gradient = gradients.weights[l].as_mut_slice();
        weight_product(delta, input, n, weight_gradient, Store::Set);
        // ∂loss/∂biases = delta summed over the batch
        bias_sum(delta, gradients.biases[l].as_mut_slice());
        if l > 0 {
            propagate(network, ws, l, n);
        }
    }
}

/// Layer `l`'s ∂loss/∂z and its input, for the first `n` examples.
#[inline(always)]
pub(super) fn delta_and_input<T: Float>(ws: &Workspace<T>, l: usize, n: usize) -> (&[T], &[T]) {
    let delta = &ws.derivatives[l];
    let input = match l {
        0 => &ws.input,
        _ => &ws.outputs[l - 1],
    };
    (
        &delta.as_slice()[..delta.nrows() * n],
        &input.as_slice()[..input.nrows() * n],
    )
}

/// delta · inputᵀ, stored as `store` says into `out` (units × inputs).
#[inline(always)]
pub(super) fn weight_product<T: Float>(
    delta: &[T],
    input: &[T],
    n: usize,
    out: &mut [T],
    store: Store<T>,
) {
    let (units, inputs) = (delta.len() / n, input.len() / n);
    if n == 1 {
        outer(delta, input, out, store);
    } else {
        gemm_store(
            Operand::new(delta, units, n),
            Operand::new(input, inputs, n).t(),
            out,
            units,
            inputs,
            store,
        );
    }
}

/// out = the columns of `delta` summed, in column order.
#[inline(always)]
pub(super) fn bias_sum<T: Float>(delta: &[T], out: &mut [T]) {
    // 0 + the first column, then the others added: no separate pass of
    // zeros, whose call cost a tenth of a heart epoch (measured).
    let mut columns = delta.chunks_exact(out.len());
    match columns.next() {
        Some(first) => {
            for (g, &d) in out.iter_mut().zip(first) {
                *g = T::zero() + d;
            }
        }
        None => out.fill(T::zero()),
    }
    for column in columns {
        for (g, &d) in out.iter_mut().zip(column) {
            *g += d;
        }
    }
}

/// ∂loss/∂input of layer `l` = weightsᵀ · delta (inputs × units)·(units × n),
/// then through layer l − 1's activation: that layer's ∂loss/∂z.
#[inline(always)]
pub(super) fn propagate<T: Float>(network: &Network<T>, ws: &mut Workspace<T>, l: usize, n: usize) {
    let layer = &network.layers[l];
    let (units, inputs) = (layer.units(), layer.inputs());
    let (below, here) = ws.derivatives.split_at_mut(l);
    let delta = &here[0].as_slice()[..units * n];
    let previous_delta = &mut below[l - 1].as_mut_slice()[..inputs * n];
    if n == 1 {
        matvec_transposed(layer.weights.as_slice(), delta, previous_delta);
    } else {
        gemm(
            Operand::new(layer.weights.as_slice(), units, inputs).t(),
            Operand::new(delta, units, n),
            previous_delta,
            inputs,
            n,
        );
    }
    activation::backward(
        network.layers[l - 1].activation,
        inputs,
        &ws.weighted_sums[l - 1].as_slice()[..inputs * n],
        &ws.outputs[l - 1].as_slice()[..inputs * n],
        previous_delta,
    );
}

/// Forward, the loss of each example and backward, exactly as a training
/// step does: afterwards `gradients` holds the batch mean of the derivative
/// of the loss with respect to every weight and bias, and `ws` every
/// intermediate value (weighted sums, activations, ∂loss/∂z scaled by 1/n,
/// the losses).
pub fn backpropagate<T: Float>(
    network: &Network<T>,
    ws: &mut Workspace<T>,
    loss: Loss,
    n: usize,
    gradients: &mut Gradients<T>,
) {
    forward_and_loss(network, ws, loss, n);
    backward(network, ws, n, gradients);
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
    use super::*;
    use crate::config::{Init, Layer};
    use crate::nn::init;
    use crate::rng::{Stream, stream};

    const ACTIVATIONS: [Activation; 6] = [
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Softmax,
    ];

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
