//! Dividing the examples into training, validation and test splits.
//!
//! Seeded by the split stream. Classification is stratified: each class is
//! shuffled and divided on its own, so each split keeps the class proportions.
//! Within a split, examples stay in ascending row order, which keeps the
//! result independent of how the shuffle happened to order them and makes
//! predictions.csv read like the data file.

use crate::config;
use crate::rng::{self, Stream};

/// Row indices into the table of each split, ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub train: Vec<usize>,
    pub validation: Vec<usize>,
    pub test: Vec<usize>,
}

/// Splits `n` examples. `strata`, for classification, gives each example's
/// class index (`classes` of them). Returns a message when there are too few
/// examples to hold any out.
pub fn split(
    n: usize,
    strata: Option<(&[usize], usize)>,
    fractions: config::Split,
    seed: u64,
) -> Result<Split, String> {
    let (validation_size, test_size) = sizes(n, fractions)?;
    if validation_size == 0 && test_size == 0 {
        // No draw at all: with `shuffle = false` training then visits the
        // examples in file order.
        return Ok(Split {
            train: (0..n).collect(),
            validation: Vec::new(),
            test: Vec::new(),
        });
    }
    let mut random = rng::stream(seed, Stream::Split);
    let mut split = Split {
        train: Vec::new(),
        validation: Vec::new(),
        test: Vec::new(),
    };
    match strata {
        Some((class_of, classes)) => {
            let mut members: Vec<Vec<usize>> = vec![Vec::new(); classes];
            for (example, &class) in class_of.iter().enumerate().take(n) {
                if let Some(list) = members.get_mut(class) {
                    list.push(example);
                }
            }
            let counts: Vec<usize> = members.iter().map(Vec::len).collect();
            let validation_counts = allocate(validation_size, &counts, &vec![0; classes]);
            let test_counts = allocate(test_size, &counts, &validation_counts);
            for ((mut list, v), t) in members.into_iter().zip(validation_counts).zip(test_counts) {
                random.shuffle(&mut list);
                deal(&list, v, t, &mut split);
            }
        }
        None => {
            let mut order: Vec<usize> = (0..n).collect();
            random.shuffle(&mut order);
            deal(&order, validation_size, test_size, &mut split);
        }
    }
    split.train.sort_unstable();
    split.validation.sort_unstable();
    split.test.sort_unstable();
    Ok(split)
}

/// The first `validation` of `order` to validation, the next `test` to test,
/// the rest to training.
fn deal(order: &[usize], validation: usize, test: usize, split: &mut Split) {
    let validation = validation.min(order.len());
    let test = test.min(order.len() - validation);
    split.validation.extend_from_slice(&order[..validation]);
    split
        .test
        .extend_from_slice(&order[validation..validation + test]);
    split.train.extend_from_slice(&order[validation + test..]);
}

/// The validation and test sizes: each fraction of `n` rounded to the
/// nearest, at least 1 when its fraction is positive, leaving training at
/// least 1.
pub fn sizes(n: usize, fractions: config::Split) -> Result<(usize, usize), String> {
    let size = |fraction: f64| {
        if fraction > 0.0 {
            ((n as f64 * fraction).round() as usize).max(1)
        } else {
            0
        }
    };
    let (mut validation, mut test) = (size(fractions.validation), size(fractions.test));
    // Rounding both up can leave no training example; take the shortfall from
    // the larger held-out split, never below the 1 its fraction promises.
    while validation + test >= n && validation + test > 0 {
        if validation >= test && validation > 1 {
            validation -= 1;
        } else if test > 1 {
            test -= 1;
        } else {
            let have = if n == 1 {
                "there is only 1 example".to_string()
            } else {
                format!("there are only {n} examples")
            };
            return Err(format!(
                "{have}: too few to hold out {validation} for validation and {test} for test and keep one for training; add rows or lower the split fractions"
            ));
        }
    }
    Ok((validation, test))
}

/// Divides `total` examples among classes in proportion to their `counts`
/// (largest remainder), never taking a class's last training example while
/// another class can give one; `taken` are already held out per class.
fn allocate(total: usize, counts: &[usize], taken: &[usize]) -> Vec<usize> {
    let n: usize = counts.iter().sum();
    let mut given = vec![0usize; counts.len()];
    if n == 0 {
        return given;
    }
    let quotas: Vec<f64> = counts
        .iter()
        .map(|&c| total as f64 * c as f64 / n as f64)
        .collect();
    let room = |class: usize, keep: usize| {
        let count = counts.get(class).copied().unwrap_or(0);
        let taken = taken.get(class).copied().unwrap_or(0);
        count.saturating_sub(taken + keep)
    };
    for (class, quota) in quotas.iter().enumerate() {
        given[class] = (quota.floor() as usize).min(room(class, 1));
    }
    // Classes in order of how much they are owed; ties by class index.
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&a, &b| {
        let owed = |c: usize| quotas[c] - given[c] as f64;
        owed(b).total_cmp(&owed(a)).then(a.cmp(&b))
    });
    let mut remaining = total.saturating_sub(given.iter().sum());
    // First keep one training example per class; only if that cannot reach
    // the total, take classes' last ones.
    for keep in [1, 0] {
        while remaining > 0 {
            let mut progressed = false;
            for &class in &order {
                if remaining > 0 && given[class] < room(class, keep) {
                    given[class] += 1;
                    remaining -= 1;
                    progressed = true;
                }
            }
            if !progressed {
                break;
            }
        }
    }
    given
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fractions(validation: f64, test: f64) -> config::Split {
        config::Split { validation, test }
    }

    #[test]
    fn sizes_round_to_nearest_and_hold_out_at_least_one() {
        assert_eq!(sizes(100, fractions(0.2, 0.1)), Ok((20, 10)));
        assert_eq!(sizes(10, fractions(0.25, 0.04)), Ok((3, 1)));
        assert_eq!(sizes(10, fractions(0.0, 0.0)), Ok((0, 0)));
        assert_eq!(sizes(3, fractions(0.5, 0.4)), Ok((1, 1)));
        assert_eq!(sizes(2, fractions(0.9, 0.0)), Ok((1, 0)));
        assert!(
            sizes(2, fractions(0.2, 0.1)).is_err_and(|m| m.contains("there are only 2 examples"))
        );
        assert!(sizes(1, fractions(0.2, 0.0)).is_err());
    }

    #[test]
    fn no_held_out_split_keeps_file_order() {
        let split = split(5, Some((&[1, 0, 1, 0, 1], 2)), fractions(0.0, 0.0), 9).unwrap();
        assert_eq!(split.train, [0, 1, 2, 3, 4]);
        assert!(split.validation.is_empty() && split.test.is_empty());
    }

    #[test]
    fn every_example_lands_in_exactly_one_split_in_ascending_order() {
        let split = split(50, None, fractions(0.2, 0.1), 3).unwrap();
        assert_eq!(
            (split.train.len(), split.validation.len(), split.test.len()),
            (35, 10, 5)
        );
        let mut all: Vec<usize> = [&split.train, &split.validation, &split.test]
            .into_iter()
            .flatten()
            .copied()
            .collect();
        for part in [&split.train, &split.validation, &split.test] {
            assert!(part.windows(2).all(|w| w[0] < w[1]));
        }
        all.sort_unstable();
        assert_eq!(all, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn the_split_depends_on_the_seed_only() {
        let a = split(40, None, fractions(0.25, 0.0), 1).unwrap();
        let b = split(40, None, fractions(0.25, 0.0), 1).unwrap();
        let c = split(40, None, fractions(0.25, 0.0), 2).unwrap();
        assert_eq!(a, b);
        assert_ne!(a.validation, c.validation);
    }

    #[test]
    fn stratified_split_keeps_class_proportions() {
        // 60 of class 0, 30 of class 1, 10 of class 2, interleaved.
        let class_of: Vec<usize> = (0..100)
            .map(|i| match i % 10 {
                0..=5 => 0,
                6..=8 => 1,
                _ => 2,
            })
            .collect();
        let split = split(100, Some((&class_of, 3)), fractions(0.2, 0.1), 11).unwrap();
        let count =
            |part: &[usize], class: usize| part.iter().filter(|&&i| class_of[i] == class).count();
        assert_eq!([0, 1, 2].map(|c| count(&split.validation, c)), [12, 6, 2]);
        assert_eq!([0, 1, 2].map(|c| count(&split.test, c)), [6, 3, 1]);
        assert_eq!([0, 1, 2].map(|c| count(&split.train, c)), [42, 21, 7]);
    }

    #[test]
    fn stratified_split_meets_the_sizes_when_quotas_round_down() {
        // Three equal classes of 5; a validation of 4 cannot be proportional.
        let class_of: Vec<usize> = (0..15).map(|i| i % 3).collect();
        let split = split(15, Some((&class_of, 3)), fractions(0.25, 0.0), 5).unwrap();
        assert_eq!(split.validation.len(), 4);
        assert_eq!(split.train.len(), 11);
        // Each class keeps training examples.
        for class in 0..3 {
            assert!(split.train.iter().any(|&i| class_of[i] == class));
        }
    }

    #[test]
    fn allocation_spares_a_class_its_last_training_example_when_it_can() {
        // A class of one example is held out only when nothing else can be.
        assert_eq!(allocate(2, &[1, 9], &[0, 0]), vec![0, 2]);
        assert_eq!(allocate(2, &[1, 1], &[0, 0]), vec![1, 1]);
        assert_eq!(allocate(3, &[4, 4], &[1, 1]), vec![2, 1]);
    }
}
