//! The order of the list: by experiment and run id, or by a metric of each
//! run's headline (the weights model.json holds), best first.

use std::cmp::Ordering;

use super::collect::Listed;
use crate::error::Error;
use crate::sweep::aggregate::higher_is_better;
use crate::text::{self, closest};

/// Experiment, then sweep (runs of no sweep first), then run id.
pub fn by_experiment(runs: &mut [Listed]) {
    runs.sort_by(|a, b| {
        (&a.experiment, &a.sweep, &a.run.summary.run_id).cmp(&(
            &b.experiment,
            &b.sweep,
            &b.run.summary.run_id,
        ))
    });
}

/// Best first by `metric` (named as `sweep --metric` names it: a headline
/// metric, with or without `headline_`), ascending for losses, descending
/// for accuracies; runs without it last, in experiment order.
pub fn by_metric(runs: &mut [Listed], metric: &str) -> Result<(), Error> {
    let name = resolve(metric, &available(runs))?;
    by_experiment(runs);
    let higher = higher_is_better(&name);
    // A stable sort: equal values keep the experiment order.
    runs.sort_by(|a, b| match (value(a, &name), value(b, &name)) {
        (Some(x), Some(y)) if higher => y.total_cmp(&x),
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    Ok(())
}

/// The run's headline value of `metric`; NaN (a diverged run) counts as none.
pub fn value(run: &Listed, metric: &str) -> Option<f64> {
    let headline = run.run.summary.headline_or_derived()?;
    headline
        .metrics
        .get(metric)
        .copied()
        .filter(|v| !v.is_nan())
}

/// Every headline metric name any run has: the validation split's first
/// (what runs are judged by), then the training and the test split's, each
/// in name order.
pub fn available(runs: &[Listed]) -> Vec<String> {
    let mut names: Vec<String> = runs
        .iter()
        .filter_map(|r| r.run.summary.headline_or_derived())
        .flat_map(|h| h.metrics.into_keys())
        .collect();
    let split = |name: &str| match name.split('_').next() {
        Some("validation") => 0,
        Some("train") => 1,
        Some("test") => 2,
        _ => 3,
    };
    names.sort_by(|a, b| (split(a), a).cmp(&(split(b), b)));
    names.dedup();
    names
}

/// `metric` as a headline metric's name: `validation_loss` or
/// `headline_validation_loss`; `validation_loss` falls back to the training
/// loss where no run has a validation split, as the sweep's ranking does.
fn resolve(metric: &str, available: &[String]) -> Result<String, Error> {
    let bare = metric.strip_prefix("headline_").unwrap_or(metric);
    if available.iter().any(|m| m == bare) {
        return Ok(bare.to_string());
    }
    if bare == "validation_loss" && available.iter().any(|m| m == "train_loss") {
        return Ok("train_loss".to_string());
    }
    let hint = closest(bare, available)
        .map(|name| format!(" (did you mean `{name}`?)"))
        .unwrap_or_default();
    let allowed = if available.is_empty() {
        "none: no listed run has run an epoch".to_string()
    } else {
        available.join(", ")
    };
    Err(Error::Usage(format!(
        "--sort {}: no listed run has this metric{hint}; available: {allowed}",
        text::printable(metric)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn metric_names_are_those_of_sweep_metric() {
        let available = names(&["train_loss", "validation_accuracy", "validation_loss"]);
        assert_eq!(
            resolve("validation_loss", &available).expect("ok"),
            "validation_loss"
        );
        assert_eq!(
            resolve("headline_validation_accuracy", &available).expect("ok"),
            "validation_accuracy"
        );
        let message = resolve("validation_acuracy", &available)
            .expect_err("misspelt")
            .to_string();
        assert!(
            message.contains("did you mean `validation_accuracy`?"),
            "{message}"
        );
        assert!(
            message.contains("available: train_loss, validation_accuracy, validation_loss"),
            "{message}"
        );
    }

    #[test]
    fn without_a_validation_split_validation_loss_is_the_training_loss() {
        let available = names(&["train_loss"]);
        assert_eq!(
            resolve("validation_loss", &available).expect("ok"),
            "train_loss"
        );
    }
}
