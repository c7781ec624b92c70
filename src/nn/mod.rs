//! The numeric core: a multilayer perceptron, generic over f32 and f64.

pub mod activation;
pub mod fast;
pub mod float;
pub mod gradcheck;
pub mod init;
pub mod loss;
pub mod network;
pub mod optimizer;
pub mod reference;
pub mod saturation;
pub mod step;
pub mod team;
pub mod vocabulary;

#[cfg(test)]
pub(crate) mod combinations;
#[cfg(test)]
mod gradient_tests;
#[cfg(test)]
mod reference_tests;

pub use fast::{backpropagate, backward, backward_descend, forward, forward_and_loss};
pub use float::Float;
pub use network::{Dense, Gradients, Network, Workspace};
pub use optimizer::Optimizer;
pub use step::step;
