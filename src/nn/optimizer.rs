//! Moving each weight against its derivative.
//!
//! sgd: w ← w − rate·g. momentum: v ← μ·v + g; w ← w − rate·v.
//! adam: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
//!       w ← w − rate·m̂ / (√v̂ + ε) with m̂, v̂ corrected for their zero start.
//! With l2 > 0, g includes l2·w for weights (not biases): weight decay.

use nalgebra::DMatrix;

use super::fast::descend;
use super::float::Float;
use super::network::{Gradients, Network};
use super::vocabulary;
use crate::math;

#[derive(Debug, Clone)]
pub struct Optimizer<T: Float> {
    kind: vocabulary::Optimizer,
    l2: T,
    /// momentum's velocity, or adam's first moment; per layer, weights then biases.
    first: Vec<(DMatrix<T>, DMatrix<T>)>,
    /// adam's second moment.
    second: Vec<(DMatrix<T>, DMatrix<T>)>,
    /// Updates made so far (adam's bias correction).
    steps: u64,
}

impl<T: Float> Optimizer<T> {
    pub fn new(kind: vocabulary::Optimizer, l2: f64, network: &Network<T>) -> Self {
        let zeros = || {
            network
                .layers
                .iter()
                .map(|l| {
                    (
                        DMatrix::zeros(l.units(), l.inputs()),
                        DMatrix::zeros(l.units(), 1),
                    )
                })
                .collect::<Vec<_>>()
        };
        let (first, second) = match kind {
            vocabulary::Optimizer::Sgd => (Vec::new(), Vec::new()),
            vocabulary::Optimizer::Momentum { .. } => (zeros(), Vec::new()),
            vocabulary::Optimizer::Adam { .. } => (zeros(), zeros()),
        };
        Optimizer {
            kind,
            l2: T::of(l2),
            first,
            second,
            steps: 0,
        }
    }

    /// Whether this is plain gradient descent (sgd without weight decay),
    /// whose step can be taken during the backward pass: the caller may do
    /// so (`backward_descend`, the same bits as `step`) and then call
    /// `stepped`.
    pub fn descends_in_backward(&self) -> bool {
        self.kind == vocabulary::Optimizer::Sgd && self.l2 == T::zero()
    }

    /// Counts a step taken by `backward_descend`.
    pub fn stepped(&mut self) {
        self.steps += 1;
    }

    /// One update of every weight and bias with `gradients` (which it may
    /// modify: weight decay is added in place).
    pub fn step(
        &mut self,
        network: &mut Network<T>,
        gradients: &mut Gradients<T>,
        learning_rate: f64,
    ) {
        self.steps += 1;
        if self.l2 != T::zero() {
            for (layer, gradient) in network.layers.iter().zip(&mut gradients.weights) {
                for (g, &w) in gradient
                    .as_mut_slice()
                    .iter_mut()
                    .zip(layer.weights.as_slice())
                {
                    *g += self.l2 * w;
                }
            }
        }
        let rate = T::of(learning_rate);
        // Each optimizer's constants are worked out once per step, outside
        // the loops over the weights.
        match self.kind {
            vocabulary::Optimizer::Sgd => {
                for_each_parameter(network, gradients, |_, _, values, gradient| {
                    descend(values, gradient, -rate);
                });
            }
            vocabulary::Optimizer::Momentum { momentum } => {
                let mu = T::of(momentum);
                let first = &mut self.first;
                for_each_parameter(network, gradients, |l, which, values, gradient| {
                    let velocity = pick(&mut first[l], which);
                    for ((w, &g), v) in values.iter_mut().zip(gradient).zip(velocity) {
                        *v = mu * *v + g;
                        *w -= rate * *v;
                    }
                });
            }
            vocabulary::Optimizer::Adam {
                beta1,
                beta2,
                epsilon,
            } => {
                let correction1 = T::of(1.0 - math::pow(beta1, self.steps as f64));
                let correction2 = T::of(1.0 - math::pow(beta2, self.steps as f64));
                let eps = T::of(epsilon);
                let (b1, b2) = (T::of(beta1), T::of(beta2));
                let (one_b1, one_b2) = (T::of(1.0 - beta1), T::of(1.0 - beta2));
                let (first, second) = (&mut self.first, &mut self.second);
                for_each_parameter(network, gradients, |l, which, values, gradient| {
                    let m = pick(&mut first[l], which);
                    let v = pick(&mut second[l], which);
                    for (((w, &g), m), v) in values.iter_mut().zip(gradient).zip(m).zip(v) {
                        *m = b1 * *m + one_b1 * g;
                        *v = b2 * *v + one_b2 * g * g;
                        let m_hat = *m / correction1;
                        let v_hat = *v / correction2;
                        *w -= rate * m_hat / (v_hat.sqrt() + eps);
                    }
                });
            }
        }
    }
}

/// Calls `update(layer, which, values, gradient)` for every layer's weights
/// (which = 0) and biases (which = 1).
fn for_each_parameter<T: Float>(
    network: &mut Network<T>,
    gradients: &Gradients<T>,
    mut update: impl FnMut(usize, usize, &mut [T], &[T]),
) {
    for (l, layer) in network.layers.iter_mut().enumerate() {
        update(
            l,
            0,
            layer.weights.as_mut_slice(),
            gradients.weights[l].as_slice(),
        );
        update(
            l,
            1,
            layer.biases.as_mut_slice(),
            gradients.biases[l].as_slice(),
        );
    }
}

/// The optimizer's memory, to checkpoint and restore: per layer, the
/// weights' moments (column-major) then the biases'.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptimizerState<T> {
    pub steps: u64,
    pub first: Vec<(Vec<T>, Vec<T>)>,
    pub second: Vec<(Vec<T>, Vec<T>)>,
}

impl<T: Float> Optimizer<T> {
    /// Copies `other`'s memory into this optimizer of the same shape, without allocating.
    pub fn copy_from(&mut self, other: &Optimizer<T>) {
        for (mine, theirs) in self
            .first
            .iter_mut()
            .chain(&mut self.second)
            .zip(other.first.iter().chain(&other.second))
        {
            mine.0.copy_from(&theirs.0);
            mine.1.copy_from(&theirs.1);
        }
        self.steps = other.steps;
    }

    pub fn state(&self) -> OptimizerState<T> {
        let flat = |moments: &Vec<(DMatrix<T>, DMatrix<T>)>| {
            moments
                .iter()
                .map(|(w, b)| (w.as_slice().to_vec(), b.as_slice().to_vec()))
                .collect()
        };
        OptimizerState {
            steps: self.steps,
            first: flat(&self.first),
            second: flat(&self.second),
        }
    }

    /// Puts back a saved state; it must have this optimizer's shapes.
    pub fn restore(&mut self, state: &OptimizerState<T>) -> Result<(), String> {
        let fill = |moments: &mut Vec<(DMatrix<T>, DMatrix<T>)>,
                    saved: &[(Vec<T>, Vec<T>)],
                    name: &str| {
            if moments.len() != saved.len() {
                return Err(format!(
                    "{name}: {} layers saved, {} expected",
                    saved.len(),
                    moments.len()
                ));
            }
            for (l, ((w, b), (sw, sb))) in moments.iter_mut().zip(saved).enumerate() {
                if w.len() != sw.len() || b.len() != sb.len() {
                    return Err(format!(
                        "{name}: model.layers.{l} (layer {}) has other shapes than the network",
                        l + 1
                    ));
                }
                w.as_mut_slice().copy_from_slice(sw);
                b.as_mut_slice().copy_from_slice(sb);
            }
            Ok(())
        };
        fill(&mut self.first, &state.first, "optimizer.first")?;
        fill(&mut self.second, &state.second, "optimizer.second")?;
        self.steps = state.steps;
        Ok(())
    }
}

fn pick<T: Float>(pair: &mut (DMatrix<T>, DMatrix<T>), which: usize) -> &mut [T] {
    if which == 0 {
        pair.0.as_mut_slice()
    } else {
        pair.1.as_mut_slice()
    }
}
