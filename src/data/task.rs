//! What the target asks for: binary or multiclass classification, or regression.
//!
//! Decided by the target column's kind and values together with the loss; a
//! task written in the experiment is checked against the same facts.

use std::collections::BTreeSet;

use crate::config::{Loss, Task};

use super::error::{DataError, quoted_list};
use super::table::{Table, Values, boolean_text, number_text};

/// The task and each example's target.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub task: Task,
    /// Class labels in output order; empty for regression. Binary: the second
    /// is the positive class.
    pub classes: Vec<String>,
    pub labels: Labels,
}

/// Each row's target, in table order.
#[derive(Debug, Clone, PartialEq)]
pub enum Labels {
    /// The index into `Target::classes`.
    Class(Vec<usize>),
    /// The number, as written (not yet normalized).
    Value(Vec<f64>),
}

impl Target {
    /// Class index of each row, to stratify the split; `None` for regression.
    pub fn strata(&self) -> Option<&[usize]> {
        match &self.labels {
            Labels::Class(indices) => Some(indices),
            Labels::Value(_) => None,
        }
    }
}

pub fn infer(table: &Table, explicit: Option<Task>, loss: Loss) -> Result<Target, DataError> {
    let column = &table.target;
    // A contradiction between the data and the experiment file is about the
    // task the file names, or else about its loss.
    let about = if explicit.is_some() {
        "data.task"
    } else {
        "training.loss"
    };
    let plain = |message: String| {
        DataError::new(table.origin.as_str(), message).in_column(column.name.as_str())
    };
    let error = |message: String| plain(message).about(about);
    let name = &column.name;

    let target = match &column.values {
        Values::Text(labels) => {
            let classes: Vec<String> = labels
                .iter()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .cloned()
                .collect();
            let task = match explicit {
                Some(Task::Regression) => {
                    let example = labels.first().map_or("", String::as_str);
                    return Err(error(format!(
                        "task = \"regression\" needs numbers, but the target `{name}` holds text labels such as `{example}`; use task = \"binary\" or \"multiclass\""
                    )));
                }
                Some(task) => task,
                None if loss == Loss::CrossEntropy => Task::Multiclass,
                None if classes.len() > 2 => {
                    return Err(error(format!(
                        "the target `{name}` has {} classes ({}); more than two classes need loss = \"cross_entropy\" with a softmax output layer of {} units",
                        classes.len(),
                        quoted_list(&classes),
                        classes.len()
                    )));
                }
                None => Task::Binary,
            };
            // Every label is in `classes` by construction.
            let indices = labels
                .iter()
                .map(|label| classes.binary_search(label).unwrap_or(0))
                .collect();
            Target {
                task,
                classes,
                labels: Labels::Class(indices),
            }
        }
        Values::Boolean(flags) => {
            if explicit == Some(Task::Regression) {
                return Err(error(format!(
                    "task = \"regression\" needs numbers, but the target `{name}` holds TRUE/FALSE; use task = \"binary\""
                )));
            }
            let task = match explicit {
                Some(task) => task,
                None if loss == Loss::CrossEntropy => Task::Multiclass,
                None => Task::Binary,
            };
            let present: BTreeSet<bool> = flags.iter().copied().collect();
            let classes: Vec<String> = present
                .iter()
                .map(|&b| boolean_text(b).to_string())
                .collect();
            let indices = flags
                .iter()
                .map(|&b| if b && present.len() == 2 { 1 } else { 0 })
                .collect();
            Target {
                task,
                classes,
                labels: Labels::Class(indices),
            }
        }
        Values::Number(values) => {
            let mut distinct: Vec<f64> = values.iter().map(|&v| v + 0.0).collect();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            distinct.shrink_to_fit();
            let zero_one = distinct.iter().all(|&v| v == 0.0 || v == 1.0);
            let fraction = distinct.iter().copied().find(|v| v.fract() != 0.0);
            let multiclass = match explicit {
                Some(task) => task == Task::Multiclass,
                None => loss == Loss::CrossEntropy,
            };
            let task = if multiclass {
                if let Some(fraction) = fraction {
                    return Err(error(format!(
                        "the target `{name}` holds numbers with fractions such as {fraction}, which are not class labels; for regression use loss = \"mse\" with one identity output"
                    )));
                }
                Task::Multiclass
            } else {
                match explicit {
                    Some(task) => task,
                    None if zero_one => Task::Binary,
                    None if loss == Loss::Mse => Task::Regression,
                    None => {
                        let example = distinct
                            .iter()
                            .copied()
                            .find(|&v| v != 0.0 && v != 1.0)
                            .unwrap_or_default();
                        return Err(error(format!(
                            "binary_cross_entropy needs a target of two classes, but `{name}` holds numbers other than 0 and 1 (such as {example}); for regression use loss = \"mse\", for classes write them as 0/1 or as text labels"
                        )));
                    }
                }
            };
            if task == Task::Regression {
                Target {
                    task,
                    classes: Vec::new(),
                    labels: Labels::Value(values.clone()),
                }
            } else {
                let indices = values
                    .iter()
                    .map(|&v| {
                        distinct
                            .binary_search_by(|d| d.total_cmp(&(v + 0.0)))
                            .unwrap_or(0)
                    })
                    .collect();
                Target {
                    task,
                    classes: distinct.iter().map(|&v| number_text(v)).collect(),
                    labels: Labels::Class(indices),
                }
            }
        }
    };

    // A single class is the data's own problem; too many for binary is the task's.
    check_classes(&target, name).map_err(|m| {
        if target.classes.len() > 2 {
            plain(m).about("data.task")
        } else {
            plain(m)
        }
    })?;
    check_loss(target.task, loss).map_err(&error)?;
    Ok(target)
}

fn check_classes(target: &Target, name: &str) -> Result<(), String> {
    let count = target.classes.len();
    match target.task {
        Task::Regression => Ok(()),
        _ if count < 2 => Err(format!(
            "the target `{name}` has a single class ({}) in every row; classification needs at least two",
            quoted_list(&target.classes)
        )),
        Task::Binary if count > 2 => Err(format!(
            "task = \"binary\" needs two classes, but the target `{name}` has {count} ({}); use task = \"multiclass\" with loss = \"cross_entropy\" and a softmax output layer of {count} units",
            quoted_list(&target.classes)
        )),
        _ => Ok(()),
    }
}

fn check_loss(task: Task, loss: Loss) -> Result<(), String> {
    match (task, loss) {
        (Task::Regression, Loss::Mse) => Ok(()),
        (Task::Regression, _) => Err(
            "regression needs loss = \"mse\"; binary_cross_entropy and cross_entropy compare class probabilities"
                .to_string(),
        ),
        (Task::Binary, Loss::CrossEntropy) => Err(
            "task = \"binary\" has one sigmoid output, but cross_entropy needs a softmax output of one unit per class; use loss = \"binary_cross_entropy\" (or \"mse\"), or task = \"multiclass\""
                .to_string(),
        ),
        (Task::Multiclass, Loss::BinaryCrossEntropy) => Err(
            "binary_cross_entropy scores one output, but task = \"multiclass\" has one output per class; use loss = \"cross_entropy\" with a softmax output layer"
                .to_string(),
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::Column;

    fn table(values: Values) -> Table {
        let n = values.len();
        let target_raw = (0..n).map(|i| values.text(i).unwrap_or_default()).collect();
        Table::from_columns(
            "t.csv".into(),
            (1..=n).collect(),
            Vec::new(),
            Column {
                name: "y".into(),
                values,
            },
            target_raw,
        )
    }

    fn text(labels: &[&str]) -> Values {
        Values::Text(labels.iter().map(|s| s.to_string()).collect())
    }

    fn infer_ok(values: Values, task: Option<Task>, loss: Loss) -> Target {
        match infer(&table(values), task, loss) {
            Ok(target) => target,
            Err(error) => panic!("{error}"),
        }
    }

    fn infer_err(values: Values, task: Option<Task>, loss: Loss) -> String {
        match infer(&table(values), task, loss) {
            Ok(target) => panic!("expected an error, inferred {target:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn text_labels_with_cross_entropy_are_multiclass_in_sorted_order() {
        let target = infer_ok(text(&["b", "a", "c", "a"]), None, Loss::CrossEntropy);
        assert_eq!(target.task, Task::Multiclass);
        assert_eq!(target.classes, ["a", "b", "c"]);
        assert_eq!(target.labels, Labels::Class(vec![1, 0, 2, 0]));
    }

    #[test]
    fn two_text_labels_without_cross_entropy_are_binary_with_the_second_positive() {
        for loss in [Loss::Mse, Loss::BinaryCrossEntropy] {
            let target = infer_ok(text(&["yes", "no", "yes"]), None, loss);
            assert_eq!(target.task, Task::Binary);
            assert_eq!(target.classes, ["no", "yes"]);
            assert_eq!(target.labels, Labels::Class(vec![1, 0, 1]));
        }
    }

    #[test]
    fn three_text_labels_without_cross_entropy_are_an_error_saying_what_to_use() {
        let message = infer_err(text(&["a", "b", "c"]), None, Loss::BinaryCrossEntropy);
        assert_eq!(
            message,
            "t.csv: column `y`: the target `y` has 3 classes (`a`, `b`, `c`); more than two classes need loss = \"cross_entropy\" with a softmax output layer of 3 units"
        );
    }

    #[test]
    fn booleans_and_zero_one_numbers_are_binary_with_canonical_classes() {
        let target = infer_ok(Values::Boolean(vec![true, false]), None, Loss::Mse);
        assert_eq!(
            (target.task, target.classes.clone()),
            (Task::Binary, vec!["false".to_string(), "true".to_string()])
        );
        assert_eq!(target.labels, Labels::Class(vec![1, 0]));
        let target = infer_ok(
            Values::Number(vec![1.0, 0.0, -0.0]),
            None,
            Loss::BinaryCrossEntropy,
        );
        assert_eq!(
            (target.task, target.classes.clone()),
            (Task::Binary, vec!["0".to_string(), "1".to_string()])
        );
        assert_eq!(target.labels, Labels::Class(vec![1, 0, 0]));
        let target = infer_ok(Values::Number(vec![1.0, 0.0]), None, Loss::CrossEntropy);
        assert_eq!((target.task, target.classes.len()), (Task::Multiclass, 2));
    }

    #[test]
    fn integer_numbers_with_cross_entropy_are_classes_in_numeric_order() {
        let target = infer_ok(
            Values::Number(vec![10.0, 3.0, 2.0, 3.0]),
            None,
            Loss::CrossEntropy,
        );
        assert_eq!(target.task, Task::Multiclass);
        assert_eq!(target.classes, ["2", "3", "10"]);
        assert_eq!(target.labels, Labels::Class(vec![2, 1, 0, 1]));
    }

    #[test]
    fn other_numbers_are_regression_with_mse_and_errors_otherwise() {
        let target = infer_ok(Values::Number(vec![0.5, 2.0]), None, Loss::Mse);
        assert_eq!(target.task, Task::Regression);
        assert!(target.classes.is_empty());
        assert_eq!(target.labels, Labels::Value(vec![0.5, 2.0]));
        let message = infer_err(
            Values::Number(vec![0.5, 2.0]),
            None,
            Loss::BinaryCrossEntropy,
        );
        assert!(
            message.contains("numbers other than 0 and 1 (such as 0.5)"),
            "{message}"
        );
        let message = infer_err(Values::Number(vec![0.5, 2.0]), None, Loss::CrossEntropy);
        assert!(message.contains("fractions such as 0.5"), "{message}");
    }

    #[test]
    fn an_explicit_task_that_contradicts_the_data_is_an_error() {
        let message = infer_err(text(&["a", "b"]), Some(Task::Regression), Loss::Mse);
        assert!(
            message.contains("holds text labels such as `a`"),
            "{message}"
        );
        let message = infer_err(text(&["a", "b", "c"]), Some(Task::Binary), Loss::Mse);
        assert!(
            message.contains("needs two classes, but the target `y` has 3"),
            "{message}"
        );
        let message = infer_err(
            Values::Number(vec![0.5, 1.0]),
            Some(Task::Multiclass),
            Loss::CrossEntropy,
        );
        assert!(message.contains("fractions"), "{message}");
        let message = infer_err(
            Values::Boolean(vec![true, false]),
            Some(Task::Regression),
            Loss::Mse,
        );
        assert!(message.contains("TRUE/FALSE"), "{message}");
    }

    #[test]
    fn an_explicit_task_that_fits_the_data_is_kept() {
        let target = infer_ok(
            Values::Number(vec![0.0, 1.0]),
            Some(Task::Regression),
            Loss::Mse,
        );
        assert_eq!(target.task, Task::Regression);
        let target = infer_ok(
            Values::Number(vec![1.0, 2.0, 1.0]),
            Some(Task::Binary),
            Loss::Mse,
        );
        assert_eq!(
            (target.task, target.classes.clone()),
            (Task::Binary, vec!["1".to_string(), "2".to_string()])
        );
        let target = infer_ok(text(&["a", "b"]), Some(Task::Multiclass), Loss::Mse);
        assert_eq!(target.task, Task::Multiclass);
    }

    #[test]
    fn an_explicit_task_that_contradicts_the_loss_is_an_error() {
        let message = infer_err(
            Values::Number(vec![0.5, 2.0]),
            Some(Task::Regression),
            Loss::CrossEntropy,
        );
        assert!(
            message.contains("regression needs loss = \"mse\""),
            "{message}"
        );
        let message = infer_err(text(&["a", "b"]), Some(Task::Binary), Loss::CrossEntropy);
        assert!(message.contains("one sigmoid output"), "{message}");
        let message = infer_err(
            text(&["a", "b"]),
            Some(Task::Multiclass),
            Loss::BinaryCrossEntropy,
        );
        assert!(message.contains("one output per class"), "{message}");
    }

    #[test]
    fn a_single_class_is_an_error() {
        let message = infer_err(text(&["a", "a"]), None, Loss::Mse);
        assert_eq!(
            message,
            "t.csv: column `y`: the target `y` has a single class (`a`) in every row; classification needs at least two"
        );
        assert!(
            infer_err(Values::Boolean(vec![true]), None, Loss::Mse)
                .contains("single class (`true`)")
        );
        assert!(
            infer_err(Values::Number(vec![0.0, 0.0]), None, Loss::Mse)
                .contains("single class (`0`)")
        );
    }
}
