//! The classification numbers against scikit-learn's, computed outside the
//! project and pasted here as literals with the data they came from.

use nalgebra::DMatrix;

use super::confusion::Confusion;
use super::per_class::per_class;
use super::roc::roc;
use super::*;

/// Scores with ties within and across classes. Reference:
/// `sklearn.metrics.roc_auc_score(Y, S)` with scikit-learn in
/// /work/notes/sk-venv, Y and S as below → 0.6527777777777778.
const Y: [u8; 12] = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0];
const S: [f64; 12] = [
    0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9, 0.65, 0.65, 0.35, 0.05,
];

#[test]
fn auc_with_ties_equals_scikit_learns_roc_auc_score() {
    let truth: Vec<bool> = Y.iter().map(|&y| y == 1).collect();
    let r = roc(&S, &truth).unwrap();
    assert!((r.auc - 0.6527777777777778).abs() < 1e-12, "{}", r.auc);
    // One point per distinct score (8), plus the origin, ending at (1, 1).
    assert_eq!(r.points.len(), 9);
    assert_eq!(r.points.first(), Some(&(0.0, 0.0)));
    assert_eq!(r.points.last(), Some(&(1.0, 1.0)));
    assert!(
        r.points
            .windows(2)
            .all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1)
    );
}

#[test]
fn auc_is_the_mann_whitney_statistic() {
    // Counted pair by pair: P(positive > negative) + ½ P(equal).
    let truth: Vec<bool> = Y.iter().map(|&y| y == 1).collect();
    let (mut wins, mut pairs) = (0.0, 0.0);
    for (i, &p) in truth.iter().enumerate() {
        for (j, &n) in truth.iter().enumerate() {
            if p && !n {
                pairs += 1.0;
                wins += match S[i].total_cmp(&S[j]) {
                    std::cmp::Ordering::Greater => 1.0,
                    std::cmp::Ordering::Equal => 0.5,
                    std::cmp::Ordering::Less => 0.0,
                };
            }
        }
    }
    let r = roc(&S, &truth).unwrap();
    assert!((r.auc - wins / pairs).abs() < 1e-12);
}

#[test]
fn auc_is_undefined_without_both_classes_or_with_non_finite_scores() {
    assert_eq!(roc(&[0.2, 0.7], &[true, true]), None);
    assert_eq!(roc(&[0.2, 0.7], &[false, false]), None);
    assert_eq!(roc(&[f64::NAN, 0.7], &[false, true]), None);
    // Perfect and perfectly wrong rankings.
    assert_eq!(roc(&[0.2, 0.7], &[false, true]).unwrap().auc, 1.0);
    assert_eq!(roc(&[0.2, 0.7], &[true, false]).unwrap().auc, 0.0);
    // All scores equal: the diagonal, one half.
    let flat = roc(&[0.5; 4], &[true, false, true, false]).unwrap();
    assert_eq!(flat.auc, 0.5);
    assert_eq!(flat.points, [(0.0, 0.0), (1.0, 1.0)]);
}

/// Five classes: 3 is never predicted, 4 never occurs. Reference:
/// `sklearn.metrics.precision_recall_fscore_support(T, P, labels=[0, 1, 2,
/// 3, 4], zero_division=0)` and `confusion_matrix(T, P, labels=[0, …, 4])`
/// with T and P as below.
const T: [usize; 12] = [0, 0, 1, 1, 2, 2, 2, 0, 1, 2, 3, 3];
const P: [usize; 12] = [0, 1, 1, 1, 2, 0, 2, 0, 2, 2, 1, 1];

#[test]
fn per_class_scores_equal_scikit_learns() {
    let confusion = Confusion::new(5, T.iter().copied().zip(P.iter().copied()));
    assert_eq!(
        confusion.counts(),
        [
            vec![2, 1, 0, 0, 0],
            vec![0, 2, 1, 0, 0],
            vec![1, 0, 3, 0, 0],
            vec![0, 2, 0, 0, 0],
            vec![0, 0, 0, 0, 0]
        ]
    );
    let precision = [0.6666666666666666, 0.4, 0.75, 0.0, 0.0];
    let recall = [0.6666666666666666, 0.6666666666666666, 0.75, 0.0, 0.0];
    let f1 = [0.6666666666666666, 0.5, 0.75, 0.0, 0.0];
    let support = [3, 3, 4, 2, 0];
    let scores = per_class(&confusion);
    assert_eq!(scores.len(), 5);
    for (i, s) in scores.iter().enumerate() {
        assert!((s.precision - precision[i]).abs() < 1e-12, "{i}: {s:?}");
        assert!((s.recall - recall[i]).abs() < 1e-12, "{i}: {s:?}");
        assert!((s.f1 - f1[i]).abs() < 1e-12, "{i}: {s:?}");
        assert_eq!(s.support, support[i], "{i}");
    }
}

fn classes(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn binary_outputs_are_thresholded_at_one_half_like_accuracy() {
    // Outputs: probability of the second class; targets 0/1.
    let outputs = DMatrix::from_row_slice(1, 5, &[0.9, 0.5, 0.49, 0.1, 0.7]);
    let targets = DMatrix::from_row_slice(1, 5, &[1.0, 0.0, 1.0, 0.0, 1.0]);
    let r = report(Task::Binary, &classes(&["no", "yes"]), &outputs, &targets).unwrap();
    // true no: predicted yes (0.5), no (0.1); true yes: yes, no (0.49), yes.
    assert_eq!(r.confusion.counts(), [vec![1, 1], vec![1, 2]]);
    // Positives 0.9, 0.49, 0.7 against negatives 0.5, 0.1: 5 of 6 pairs.
    assert!((r.roc.unwrap().auc - 5.0 / 6.0).abs() < 1e-15);
}

#[test]
fn multiclass_takes_the_largest_output_and_has_no_roc() {
    let outputs = DMatrix::from_column_slice(3, 2, &[0.2, 0.5, 0.3, 0.6, 0.3, 0.1]);
    let targets = DMatrix::from_column_slice(3, 2, &[0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
    let r = report(
        Task::Multiclass,
        &classes(&["a", "b", "c"]),
        &outputs,
        &targets,
    )
    .unwrap();
    assert_eq!(
        r.confusion.counts(),
        [vec![0, 0, 0], vec![0, 1, 0], vec![1, 0, 0]]
    );
    assert_eq!(r.roc, None);
    let none = report(Task::Regression, &[], &outputs, &targets);
    assert_eq!(none, None);
}

#[test]
fn the_terminal_text_is_one_aligned_table_and_the_auc() {
    let outputs = DMatrix::from_row_slice(1, 4, &[0.9, 0.2, 0.6, 0.4]);
    let targets = DMatrix::from_row_slice(1, 4, &[1.0, 0.0, 0.0, 1.0]);
    let r = report(Task::Binary, &classes(&["no", "yes"]), &outputs, &targets).unwrap();
    assert_eq!(
        text::render(&r, "the test split"),
        "on the test split (rows: true class; columns: predicted class, then scores):\n\
         \x20 true  no  yes  precision  recall   F1  support\n\
         \x20 no     1    1        0.5     0.5  0.5        2\n\
         \x20 yes    1    1        0.5     0.5  0.5        2\n\
         \x20 ROC AUC 0.75\n"
    );
    let many: Vec<String> = (0..11).map(|i| i.to_string()).collect();
    let big = Report {
        classes: many,
        confusion: Confusion::new(11, []),
        per_class: Vec::new(),
        roc: None,
    };
    assert_eq!(text::render(&big, "test"), "");
}
