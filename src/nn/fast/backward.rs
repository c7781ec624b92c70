//! The backward pass of a batch: from ∂loss/∂z of the output layer to the
//! derivative of the loss with respect to every weight and bias.

use super::forward::forward_and_loss;
use super::matmul::{Operand, Store, gemm_store, gemm_then, matvec_transposed, outer};
use crate::nn::activation;
use crate::nn::float::Float;
use crate::nn::network::{Gradients, Network, Workspace};
use crate::nn::team;
use crate::nn::vocabulary::Loss;

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

/// out = the columns of `delta` summed, in column order: with helpers and
/// enough values, each thread summing a block of rows (the same sums).
#[inline(always)]
pub(super) fn bias_sum<T: Float>(delta: &[T], out: &mut [T]) {
    let units = out.len();
    // `out` as a 1-row matrix: a block of its columns is a block of units.
    team::split_columns(out, (1, units), MIN_ROWS, delta.len(), &|rows, out| {
        let columns = delta
            .chunks_exact(units)
            .map(|column| &column[rows.clone()]);
        sum_each(columns, out);
    });
}

/// The fewest rows a thread sums.
const MIN_ROWS: usize = 16;

/// out = Σ columns, in order, each sum starting from 0 + the first: no
/// separate pass of zeros, whose call cost a tenth of a heart epoch
/// (measured).
#[inline(always)]
fn sum_each<'a, T: Float>(mut columns: impl Iterator<Item = &'a [T]>, out: &mut [T]) {
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
    let activation = network.layers[l - 1].activation;
    let z = &ws.weighted_sums[l - 1].as_slice()[..inputs * n];
    let a = &ws.outputs[l - 1].as_slice()[..inputs * n];
    if n == 1 {
        matvec_transposed(layer.weights.as_slice(), delta, previous_delta);
        activation::backward(activation, inputs, z, a, previous_delta);
        return;
    }
    // Through the activation right after the product, block by block.
    let then = |from: usize, d: &mut [T]| {
        let columns = from * inputs..from * inputs + d.len();
        activation::backward(activation, inputs, &z[columns.clone()], &a[columns], d);
    };
    gemm_then(
        Operand::new(layer.weights.as_slice(), units, inputs).t(),
        Operand::new(delta, units, n),
        previous_delta,
        inputs,
        n,
        Store::Set,
        Some(&then),
    );
}

/// Forward, the loss of each example and backward, exactly as a training
/// step does: afterwards `gradients` holds the batch mean of the derivative
/// of the loss with respect to every weight and bias, and `ws` every
/// intermediate value (weighted sums, activations, ∂loss/∂z scaled by 1/n,
/// the losses).
// Inlined into the training step: once this moved out of network.rs,
// the heart epoch took 1.5% longer without it (measured).
#[inline]
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
