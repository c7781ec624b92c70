//! The ROC curve of a binary classifier and the area under it.
//!
//! The curve has one point per distinct score (examples with equal scores
//! enter together, so ties make a diagonal step, not an arbitrary staircase),
//! and the area is the trapezoid rule over those points. So defined, the AUC
//! equals the Mann–Whitney statistic: the chance that a random positive
//! scores above a random negative, ties counting one half, which is what
//! scikit-learn's `roc_auc_score` returns.

/// Points from (0, 0) to (1, 1): (false positive rate, true positive rate)
/// as the threshold falls through each distinct score.
#[derive(Debug, Clone, PartialEq)]
pub struct Roc {
    pub points: Vec<(f64, f64)>,
    pub auc: f64,
}

/// The ROC of `scores` (higher means more likely positive) against the
/// truth; None where it is undefined: without a positive or a negative
/// example, or with a score that is not a number (a diverged network).
pub fn roc(scores: &[f64], positive: &[bool]) -> Option<Roc> {
    if scores.len() != positive.len() || scores.iter().any(|s| !s.is_finite()) {
        return None;
    }
    let positives = positive.iter().filter(|&&p| p).count() as u64;
    let negatives = positive.len() as u64 - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));

    let mut points = vec![(0.0, 0.0)];
    // Twice the area in units of one positive × one negative, an integer, so
    // that the AUC is exact up to its one final division.
    let mut twice_area: u64 = 0;
    let (mut tp, mut fp) = (0u64, 0u64);
    let mut at = 0;
    while at < order.len() {
        let score = scores[order[at]];
        let (tp_before, fp_before) = (tp, fp);
        while at < order.len() && scores[order[at]] == score {
            if positive[order[at]] {
                tp += 1;
            } else {
                fp += 1;
            }
            at += 1;
        }
        twice_area += (fp - fp_before) * (tp + tp_before);
        points.push((fp as f64 / negatives as f64, tp as f64 / positives as f64));
    }
    Some(Roc {
        points,
        auc: twice_area as f64 / (2 * positives * negatives) as f64,
    })
}
