//! The numbers a practitioner reads first about a classifier on a split:
//! the confusion matrix (`confusion`), each class's precision, recall, F1
//! and support (`per_class`), and for binary tasks the ROC curve and its AUC
//! (`roc`); and those as a few aligned lines for the terminal (`text`).
//!
//! Accuracy alone hides which class the errors fall on: 0.72 on heart is
//! either a model or "always no". These numbers are computed from the
//! network's outputs and the split's targets, with the same decision rule as
//! accuracy and predictions.csv (binary: probability ≥ 0.5; multiclass: the
//! largest output, the first on ties), so they agree with both.

pub mod confusion;
pub mod per_class;
pub mod roc;
pub mod text;

use nalgebra::DMatrix;

use crate::config::{Loss, Task};
use crate::data::Examples;
use crate::nn::{Float, Network};
use crate::train::Evaluator;
use crate::train::metrics::argmax;
use confusion::Confusion;
use per_class::ClassScores;
use roc::Roc;

/// How a classifier did on one split.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// As the data spells them, in the model's order.
    pub classes: Vec<String>,
    pub confusion: Confusion,
    pub per_class: Vec<ClassScores>,
    /// Binary tasks, where both classes occur and every score is finite.
    pub roc: Option<Roc>,
}

/// The report of outputs (outputs × examples, as the network gives them)
/// against targets (as `data::Examples` holds them); None for regression.
pub fn report(
    task: Task,
    classes: &[String],
    outputs: &DMatrix<f64>,
    targets: &DMatrix<f64>,
) -> Option<Report> {
    let examples = outputs.ncols().min(targets.ncols());
    let (pairs, roc): (Vec<(usize, usize)>, Option<Roc>) = match task {
        Task::Regression => return None,
        Task::Binary => {
            let scores: Vec<f64> = (0..examples).map(|j| outputs[(0, j)]).collect();
            let truth: Vec<bool> = (0..examples).map(|j| targets[(0, j)] >= 0.5).collect();
            let pairs = scores
                .iter()
                .zip(&truth)
                .map(|(&s, &t)| (usize::from(t), usize::from(s >= 0.5)))
                .collect();
            (pairs, roc::roc(&scores, &truth))
        }
        Task::Multiclass => {
            let pairs = (0..examples)
                .map(|j| {
                    let truth = argmax(targets.column(j).as_slice());
                    let predicted = argmax(outputs.column(j).as_slice());
                    (truth, predicted)
                })
                .collect();
            (pairs, None)
        }
    };
    let confusion = Confusion::new(classes.len(), pairs);
    Some(Report {
        classes: classes.to_vec(),
        per_class: per_class::per_class(&confusion),
        confusion,
        roc,
    })
}

/// The report of `network` on `examples`, through the evaluator training
/// uses, so its outputs are the very numbers predictions.csv writes.
pub fn evaluate<T: Float>(
    network: &Network<T>,
    examples: &Examples,
    loss: Loss,
    task: Task,
    classes: &[String],
) -> Option<Report> {
    if task == Task::Regression {
        return None;
    }
    let (_, outputs) = Evaluator::new(network).outputs(network, examples, loss, task, None);
    report(task, classes, &outputs, &examples.targets)
}

#[cfg(test)]
mod tests;
