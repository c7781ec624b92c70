//! The numeric core: a multilayer perceptron, generic over f32 and f64.

pub mod activation;
pub mod exponential;
pub mod float;
pub mod fused_sgd;
pub mod gradcheck;
pub mod init;
pub mod loss;
pub mod math;
pub mod matmul;
pub mod network;
pub mod optimizer;
pub mod reference;

#[cfg(test)]
mod gradient_tests;
#[cfg(test)]
mod reference_tests;

pub use float::Float;
pub use fused_sgd::backward_descend;
pub use network::{
    Dense, Gradients, Network, Workspace, backpropagate, backward, forward, forward_and_loss,
};
pub use optimizer::Optimizer;
