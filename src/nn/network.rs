//! A multilayer perceptron of dense layers, its gradients and the buffers
//! of one batch: the data the passes (`fast`, `reference`) work on.
//!
//! Shapes: a layer of `units` fed `inputs` values has weights `units × inputs`
//! and biases `units`; a batch of `n` examples is a matrix with one example
//! per column, so every layer's values for the batch are `units × n`.

use nalgebra::{DMatrix, DVector};

use super::float::Float;
use super::team;
use super::vocabulary::Activation;

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
    let copy = |to: &mut [T], columns: &[usize]| {
        for (slot, &column) in to.chunks_exact_mut(rows).zip(columns) {
            for (dst, &src) in slot
                .iter_mut()
                .zip(&from[column * rows..(column + 1) * rows])
            {
                *dst = T::of(src);
            }
        }
    };
    // A large batch gathers its columns from all over the data set, a pass
    // bound by memory: shared between the threads, block by block.
    let pass = rows * columns.len();
    team::split_columns(to, (rows, columns.len()), 1, pass, &|block, slots| {
        copy(slots, &columns[block]);
    });
}
