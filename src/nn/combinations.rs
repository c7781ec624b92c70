//! The activations and losses the config accepts, as the tests that must
//! cover each of them (finite differences, the reference path) list them.

use super::vocabulary::{Activation, Loss};

/// Every activation a hidden layer may have.
pub const HIDDEN: [Activation; 5] = [
    Activation::Identity,
    Activation::Sigmoid,
    Activation::Tanh,
    Activation::Relu,
    Activation::LeakyRelu,
];

/// Every activation a layer may have: the hidden ones and softmax.
pub const ALL: [Activation; 6] = Activation::ALL;

/// Every output activation with each loss the config accepts for it.
pub const OUTPUTS: [(Activation, Loss); 8] = [
    (Activation::Identity, Loss::Mse),
    (Activation::Sigmoid, Loss::Mse),
    (Activation::Tanh, Loss::Mse),
    (Activation::Relu, Loss::Mse),
    (Activation::LeakyRelu, Loss::Mse),
    (Activation::Softmax, Loss::Mse),
    (Activation::Sigmoid, Loss::BinaryCrossEntropy),
    (Activation::Softmax, Loss::CrossEntropy),
];
