//! Training as a textbook writes it: one example forward, its loss, backward,
//! and the update, in f64 and plain matrix expressions. Read it beside
//! karpathy/micrograd. The rest of `nn` computes the same numbers fast
//! (whole batches in one product, layers in registers, sgd fused into the
//! backward pass), and the tests in `reference_tests.rs` hold it to this
//! file: it is their oracle, so it favours being obviously right over speed.
//!
//! Notation, with W a layer's weights (units × inputs) and b its biases:
//! - a⁰ = x, the example; for each layer l: zˡ = Wˡ·aˡ⁻¹ + bˡ, aˡ = f(zˡ)
//! - δˡ = ∂loss/∂zˡ, the error of layer l; ∂loss/∂Wˡ = δˡ·aˡ⁻¹ᵀ, ∂loss/∂bˡ = δˡ
//! - δˡ⁻¹ = f′(zˡ⁻¹) ⊙ (Wˡᵀ·δˡ): the chain rule, one layer back
//!
//! The formulas are the fast path's own (same stable sigmoid, same
//! cross-entropies from z, same Adam), so the two agree to rounding.

use nalgebra::DVector;

use super::activation::LEAKY_SLOPE;
use super::network::{Gradients, Network};
use super::vocabulary::{Activation, Loss, Optimizer};
use crate::math;

/// Every layer's weighted sums z and outputs a for one example.
#[derive(Debug, Clone)]
pub struct Pass {
    pub input: DVector<f64>,
    pub weighted_sums: Vec<DVector<f64>>,
    pub outputs: Vec<DVector<f64>>,
}

/// a = f(z).
pub fn activate(activation: Activation, z: &DVector<f64>) -> DVector<f64> {
    match activation {
        Activation::Identity => z.clone(),
        Activation::Sigmoid => z.map(sigmoid),
        Activation::Tanh => z.map(math::tanh),
        Activation::Relu => z.map(|v| if v > 0.0 { v } else { 0.0 }),
        Activation::LeakyRelu => z.map(|v| if v > 0.0 { v } else { LEAKY_SLOPE * v }),
        Activation::Softmax => {
            // e^(z − max z) / Σ: subtracting the largest keeps e^z finite
            // and changes nothing, since it cancels in the ratio.
            let max = z.max();
            let e = z.map(|v| math::exp(v - max));
            &e * (1.0 / e.sum())
        }
    }
}

/// σ(z) = 1 / (1 + e^−z), computed from e^−|z| so that no e^z overflows.
fn sigmoid(z: f64) -> f64 {
    let e = math::exp(-z.abs());
    if z >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    }
}

/// ∂loss/∂z from g = ∂loss/∂a: the activation's Jacobian times g.
pub fn backward_through(
    activation: Activation,
    z: &DVector<f64>,
    a: &DVector<f64>,
    g: &DVector<f64>,
) -> DVector<f64> {
    match activation {
        Activation::Identity => g.clone(),
        // σ′ = σ(1 − σ) and tanh′ = 1 − tanh², both from the output a.
        Activation::Sigmoid => g.component_mul(&a.map(|a| a * (1.0 - a))),
        Activation::Tanh => g.component_mul(&a.map(|a| 1.0 - a * a)),
        Activation::Relu => g.zip_map(z, |g, z| if z > 0.0 { g } else { 0.0 }),
        Activation::LeakyRelu => g.zip_map(z, |g, z| g * if z > 0.0 { 1.0 } else { LEAKY_SLOPE }),
        // Each output depends on every z: ∂aᵢ/∂zⱼ = aᵢ(δᵢⱼ − aⱼ), so the
        // product with g is a ⊙ (g − g·a).
        Activation::Softmax => a.component_mul(&g.add_scalar(-g.dot(a))),
    }
}

/// The example `x` through every layer.
pub fn forward(network: &Network<f64>, x: &DVector<f64>) -> Pass {
    let mut pass = Pass {
        input: x.clone(),
        weighted_sums: Vec::new(),
        outputs: Vec::new(),
    };
    for layer in &network.layers {
        let a = pass.outputs.last().unwrap_or(&pass.input);
        let z = &layer.weights * a + &layer.biases;
        pass.outputs.push(activate(layer.activation, &z));
        pass.weighted_sums.push(z);
    }
    pass
}

/// The loss of output a (with weighted sums z) against the target y.
pub fn loss(loss: Loss, z: &DVector<f64>, a: &DVector<f64>, y: &DVector<f64>) -> f64 {
    match loss {
        // The mean over the outputs of (a − y)².
        Loss::Mse => (a - y).norm_squared() / a.len() as f64,
        // −[y ln σ(z) + (1 − y) ln(1 − σ(z))], rewritten from z as
        // max(z, 0) − y·z + ln(1 + e^−|z|): ln σ(z) is −∞ once σ(z) rounds
        // to 0, this never is.
        Loss::BinaryCrossEntropy => z
            .zip_map(y, |z, y| {
                z.max(0.0) - y * z + math::ln_1p(math::exp(-z.abs()))
            })
            .sum(),
        // −Σ y ln softmax(z) = Σ y (ln Σ e^z − z), with the log-sum-exp
        // taken around the largest z so that it stays finite.
        Loss::CrossEntropy => {
            let max = z.max();
            let log_sum_exp = max + math::ln(z.map(|v| math::exp(v - max)).sum());
            y.dot(&z.map(|z| log_sum_exp - z))
        }
    }
}

/// ∂loss/∂a of the output, for a loss taken apart from its activation: of
/// the mean (a − y)², 2(a − y)/units. The cross-entropies have none here:
/// they are differentiated together with their activation (`output_error`).
pub fn loss_slope(loss: Loss, a: &DVector<f64>, y: &DVector<f64>) -> Option<DVector<f64>> {
    match loss {
        Loss::Mse => Some((a - y) * (2.0 / a.len() as f64)),
        Loss::BinaryCrossEntropy | Loss::CrossEntropy => None,
    }
}

/// δ of the output layer, ∂loss/∂z.
pub fn output_error(
    loss: Loss,
    activation: Activation,
    z: &DVector<f64>,
    a: &DVector<f64>,
    y: &DVector<f64>,
) -> DVector<f64> {
    match loss_slope(loss, a, y) {
        // ∂loss/∂a, then back through f.
        Some(g) => backward_through(activation, z, a, &g),
        // A cross-entropy after its own activation (sigmoid, softmax): the
        // activation's derivative cancels the logarithm's, leaving a − y.
        None => a - y,
    }
}

/// One example's way back through the network.
#[derive(Debug, Clone)]
pub struct Backward {
    /// ∂loss/∂aˡ of each layer below the output: Wˡ⁺¹ᵀ·δˡ⁺¹, what the layer
    /// above sends back.
    pub upstream: Vec<DVector<f64>>,
    /// δˡ = ∂loss/∂zˡ of every layer.
    pub deltas: Vec<DVector<f64>>,
    /// ∂loss/∂Wˡ = δˡ·aˡ⁻¹ᵀ and ∂loss/∂bˡ = δˡ.
    pub gradients: Gradients<f64>,
}

/// Backpropagation: from the output's error, every layer's, and from them
/// the derivative of the loss with respect to every weight and bias.
pub fn backward(network: &Network<f64>, kind: Loss, pass: &Pass, y: &DVector<f64>) -> Backward {
    let last = network.layers.len() - 1;
    let (z, a) = (&pass.weighted_sums[last], &pass.outputs[last]);
    let mut deltas = vec![output_error(kind, network.output_activation(), z, a, y)];
    let mut upstream = Vec::new();
    for l in (1..=last).rev() {
        // The error one layer back: Wᵀ·δ, then through its activation.
        let sent = network.layers[l].weights.transpose() * &deltas[deltas.len() - 1];
        let below = &network.layers[l - 1];
        let (z, a) = (&pass.weighted_sums[l - 1], &pass.outputs[l - 1]);
        deltas.push(backward_through(below.activation, z, a, &sent));
        upstream.push(sent);
    }
    // Collected from the output down; layer order from here on.
    deltas.reverse();
    upstream.reverse();
    let mut gradients = Gradients::zeros_like(network);
    for (l, delta) in deltas.iter().enumerate() {
        let input = if l == 0 {
            &pass.input
        } else {
            &pass.outputs[l - 1]
        };
        gradients.weights[l] = delta * input.transpose();
        gradients.biases[l] = delta.clone();
    }
    Backward {
        upstream,
        deltas,
        gradients,
    }
}

/// One example's loss and the derivative of that loss with respect to every
/// weight and bias.
pub fn gradients(
    network: &Network<f64>,
    kind: Loss,
    x: &DVector<f64>,
    y: &DVector<f64>,
) -> (f64, Gradients<f64>) {
    let pass = forward(network, x);
    let last = network.layers.len() - 1;
    let value = loss(kind, &pass.weighted_sums[last], &pass.outputs[last], y);
    (value, backward(network, kind, &pass, y).gradients)
}

/// A batch's losses and the mean over its examples of their gradients.
pub fn batch_gradients(
    network: &Network<f64>,
    kind: Loss,
    examples: &[(DVector<f64>, DVector<f64>)],
) -> (Vec<f64>, Gradients<f64>) {
    let mut losses = Vec::new();
    let mut mean = Gradients::zeros_like(network);
    let share = 1.0 / examples.len() as f64;
    for (x, y) in examples {
        let (value, g) = gradients(network, kind, x, y);
        losses.push(value);
        for l in 0..network.layers.len() {
            mean.weights[l] += &g.weights[l] * share;
            mean.biases[l] += &g.biases[l] * share;
        }
    }
    (losses, mean)
}

/// The optimizer's memory: momentum's velocity or Adam's first moment, Adam's
/// second moment (zero at the start), and the number of updates made.
#[derive(Debug, Clone)]
pub struct Update {
    pub kind: Optimizer,
    pub l2: f64,
    pub first: Gradients<f64>,
    pub second: Gradients<f64>,
    pub steps: u32,
}

impl Update {
    pub fn new(kind: Optimizer, l2: f64, network: &Network<f64>) -> Self {
        let zeros = Gradients::zeros_like(network);
        let (first, second, steps) = (zeros.clone(), zeros, 0);
        Update {
            kind,
            l2,
            first,
            second,
            steps,
        }
    }

    /// Moves every weight and bias against its derivative g.
    pub fn apply(&mut self, network: &mut Network<f64>, g: &Gradients<f64>, rate: f64) {
        self.steps += 1;
        for (l, layer) in network.layers.iter_mut().enumerate() {
            // Weight decay: the derivative of l2/2·w², added for weights,
            // never for biases.
            let gw = &g.weights[l] + &layer.weights * self.l2;
            let gb = &g.biases[l];
            match self.kind {
                // w ← w − rate·g
                Optimizer::Sgd => {
                    layer.weights -= &gw * rate;
                    layer.biases -= gb * rate;
                }
                // v ← μ·v + g; w ← w − rate·v: a ball that keeps rolling.
                Optimizer::Momentum { momentum } => {
                    let (vw, vb) = (&mut self.first.weights[l], &mut self.first.biases[l]);
                    *vw = &*vw * momentum + &gw;
                    *vb = &*vb * momentum + gb;
                    layer.weights -= &*vw * rate;
                    layer.biases -= &*vb * rate;
                }
                // Running means of g and g², corrected for starting at zero,
                // then a step of about `rate` per weight, whatever g's size.
                Optimizer::Adam {
                    beta1,
                    beta2,
                    epsilon,
                } => {
                    let t = f64::from(self.steps);
                    let (c1, c2) = (1.0 - math::pow(beta1, t), 1.0 - math::pow(beta2, t));
                    let step = |m: f64, v: f64| rate * (m / c1) / ((v / c2).sqrt() + epsilon);
                    let (mw, mb) = (&mut self.first.weights[l], &mut self.first.biases[l]);
                    let (vw, vb) = (&mut self.second.weights[l], &mut self.second.biases[l]);
                    *mw = &*mw * beta1 + &gw * (1.0 - beta1);
                    *mb = &*mb * beta1 + gb * (1.0 - beta1);
                    *vw = &*vw * beta2 + gw.map(|g| (1.0 - beta2) * g * g);
                    *vb = &*vb * beta2 + gb.map(|g| (1.0 - beta2) * g * g);
                    layer.weights -= mw.zip_map(vw, step);
                    layer.biases -= mb.zip_map(vb, step);
                }
            }
        }
    }
}
