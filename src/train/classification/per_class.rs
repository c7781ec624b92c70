//! Per-class precision, recall, F1 and support, as scikit-learn's
//! `precision_recall_fscore_support(..., zero_division=0)` defines them.

use super::confusion::Confusion;

/// One class's scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassScores {
    /// Of the examples predicted as this class, the share that are. A class
    /// never predicted has precision 0 (scikit-learn's `zero_division=0`),
    /// not NaN: JSON has no NaN, and "never right when it says so" is the
    /// honest reading of a class the model never says.
    pub precision: f64,
    /// Of the examples of this class, the share predicted as it; 0 for a
    /// class absent from the split (zero division again).
    pub recall: f64,
    /// The harmonic mean of precision and recall, computed as
    /// 2·tp / (2·tp + fp + fn); 0 when both are 0.
    pub f1: f64,
    /// Examples of this class in the split.
    pub support: u64,
}

/// Each class's scores, in the confusion matrix's class order.
pub fn per_class(confusion: &Confusion) -> Vec<ClassScores> {
    (0..confusion.classes())
        .map(|class| {
            let tp = confusion.correct(class);
            let support = confusion.support(class);
            let predicted = confusion.predicted(class);
            let share = |part: u64, whole: u64| {
                if whole == 0 {
                    0.0
                } else {
                    part as f64 / whole as f64
                }
            };
            // fp + fn = (predicted − tp) + (support − tp).
            ClassScores {
                precision: share(tp, predicted),
                recall: share(tp, support),
                f1: share(2 * tp, predicted + support),
                support,
            }
        })
        .collect()
}
