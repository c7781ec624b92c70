//! The fast path: the passes the training loop runs, written for speed.
//! Products without allocation (`matmul`), the register paths for layers
//! of up to eight units (`forward`), and plain gradient descent fused into
//! the backward pass (`fused_sgd`); the exponential they inline is
//! `crate::math::exponential`. Every result here equals the textbook's (`nn::reference`, the tests' oracle):
//! the same bits where the order of operations is the same, else within
//! 1e-12 in f64.

pub mod backward;
pub mod forward;
pub mod fused_sgd;
pub mod matmul;

pub use backward::{backpropagate, backward};
pub use forward::{forward, forward_and_loss};
pub use fused_sgd::{backward_descend, descend};
