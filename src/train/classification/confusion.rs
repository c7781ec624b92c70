//! The confusion matrix: how many examples of each true class got each
//! predicted class. Every other classification number is read off it.

/// `counts[true][predicted]`, classes in the data's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confusion {
    counts: Vec<Vec<u64>>,
}

impl Confusion {
    /// Counts `(true, predicted)` class pairs among `classes` classes; a
    /// class index out of range is a caller's bug and is not counted.
    pub fn new(classes: usize, pairs: impl IntoIterator<Item = (usize, usize)>) -> Confusion {
        let mut counts = vec![vec![0; classes]; classes];
        for (truth, predicted) in pairs {
            if let Some(cell) = counts.get_mut(truth).and_then(|row| row.get_mut(predicted)) {
                *cell += 1;
            }
        }
        Confusion { counts }
    }

    /// Rows are true classes, columns predicted classes.
    pub fn counts(&self) -> &[Vec<u64>] {
        &self.counts
    }

    pub fn classes(&self) -> usize {
        self.counts.len()
    }

    /// Examples whose true class is `class` (its row's sum).
    pub fn support(&self, class: usize) -> u64 {
        self.counts.get(class).map_or(0, |row| row.iter().sum())
    }

    /// Examples predicted as `class` (its column's sum).
    pub fn predicted(&self, class: usize) -> u64 {
        self.counts
            .iter()
            .map(|row| row.get(class).copied().unwrap_or(0))
            .sum()
    }

    /// Examples of `class` predicted as `class` (the diagonal).
    pub fn correct(&self, class: usize) -> u64 {
        self.counts
            .get(class)
            .and_then(|row| row.get(class))
            .copied()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_true_classes_and_columns_predictions() {
        let m = Confusion::new(3, [(0, 0), (0, 1), (2, 1), (2, 1), (1, 1)]);
        assert_eq!(m.counts(), [vec![1, 1, 0], vec![0, 1, 0], vec![0, 2, 0]]);
        assert_eq!((m.support(0), m.support(1), m.support(2)), (2, 1, 2));
        assert_eq!((m.predicted(0), m.predicted(1), m.predicted(2)), (1, 4, 0));
        assert_eq!((m.correct(0), m.correct(1), m.correct(2)), (1, 1, 0));
    }
}
