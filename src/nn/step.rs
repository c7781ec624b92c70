//! One training step on a loaded batch: forward, the loss of each example,
//! backward and the update. The caller does not choose whether the update
//! is fused into the backward pass (plain sgd, `fast::fused_sgd`) or taken
//! after it by the optimizer: both give the same bits.

use std::ops::ControlFlow;

use super::fast::{backpropagate, backward_descend, forward_and_loss};
use super::float::Float;
use super::network::{Gradients, Network, Workspace};
use super::optimizer::Optimizer;
use super::vocabulary::Loss;

/// Takes one step on the first `n` examples loaded in `ws`. `inspect` sees
/// the batch's losses and outputs before any weight moves; if it breaks,
/// no weight moves and its value is returned.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn step<T: Float, B>(
    network: &mut Network<T>,
    optimizer: &mut Optimizer<T>,
    ws: &mut Workspace<T>,
    gradients: &mut Gradients<T>,
    loss: Loss,
    n: usize,
    learning_rate: f64,
    inspect: impl FnOnce(&Workspace<T>) -> ControlFlow<B>,
) -> ControlFlow<B> {
    let fused = optimizer.descends_in_backward();
    if fused {
        forward_and_loss(network, ws, loss, n);
    } else {
        backpropagate(network, ws, loss, n, gradients);
    }
    inspect(ws)?;
    if fused {
        backward_descend(network, ws, n, T::of(learning_rate), gradients);
        optimizer.stepped();
    } else {
        optimizer.step(network, gradients, learning_rate);
    }
    ControlFlow::Continue(())
}
