//! The numeric core: a multilayer perceptron, generic over f32 and f64.

/// Calls `$fixed::<T, W>(args)` with the constant W = `$width` when that is
/// at most 8 (`matmul::LANES`), and `$general(args)` otherwise. Layers this
/// narrow are the rule for one example at a time; with their width known
/// when compiling, a loop over a layer's values is a handful of vector
/// instructions, with nothing spent on set-up, remainders or bounds.
macro_rules! by_width {
    ($width:expr, $fixed:ident, $general:ident, ($($arg:expr),*)) => {
        match $width {
            1 => $fixed::<T, 1>($($arg),*),
            2 => $fixed::<T, 2>($($arg),*),
            3 => $fixed::<T, 3>($($arg),*),
            4 => $fixed::<T, 4>($($arg),*),
            5 => $fixed::<T, 5>($($arg),*),
            6 => $fixed::<T, 6>($($arg),*),
            7 => $fixed::<T, 7>($($arg),*),
            8 => $fixed::<T, 8>($($arg),*),
            _ => $general($($arg),*),
        }
    };
}

pub mod activation;
pub mod exponential;
pub mod float;
pub mod gradcheck;
pub mod init;
pub mod loss;
pub mod matmul;
pub mod network;
pub mod optimizer;

#[cfg(test)]
mod gradient_tests;

pub use float::Float;
pub use network::{Dense, Gradients, Network, Workspace, backpropagate, backward, forward};
pub use optimizer::Optimizer;
