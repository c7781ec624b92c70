//! A run judged at a glance on the page: its headline (the metrics of the
//! weights model.json holds), the baseline beside its metrics, and its
//! findings as amber badges.
//!
//! Everything here reads summary.json alone. Summaries written before
//! 0.4.0 have no `headline`, `baseline` or `findings`: the headline is then
//! worked out from `final`, `best` and `restored_epoch` as the run left
//! them, and the baseline and badges are simply not shown.

use std::collections::BTreeMap;

use super::html::escape;
use crate::results::summary::{Finding, RunSummary};
use crate::text;

/// The metrics a run is judged by, and which epoch's weights they are.
pub struct Headline {
    /// `restored epoch 16 of 26`, or `epoch 26`.
    pub label: String,
    /// Named as in `final`, with the test split's (`test_loss`, …).
    pub metrics: BTreeMap<String, f64>,
    /// Early stopping restored an earlier epoch than the last.
    pub restored: bool,
}

pub fn headline(summary: &RunSummary) -> Headline {
    if let Some(h) = &summary.headline {
        return Headline {
            label: epoch_label(h.epoch, h.of, h.restored),
            metrics: h.metrics.clone(),
            restored: h.restored,
        };
    }
    // An older summary: early stopping restores the best epoch, whose row
    // `best` keeps; otherwise the last epoch's weights are the model's.
    // `test` was always measured on the weights the run kept.
    let restored = summary
        .restored_epoch
        .and_then(|epoch| summary.best.as_ref().filter(|b| b.epoch == epoch));
    let (epoch, restored, mut metrics) = match restored {
        Some(best) => (best.epoch, true, best.metrics.clone()),
        None => (summary.epochs_run, false, summary.final_metrics.clone()),
    };
    metrics.extend(summary.test.iter().map(|(k, v)| (k.clone(), *v)));
    Headline {
        label: epoch_label(epoch, summary.epochs_run, restored),
        metrics,
        restored,
    }
}

fn epoch_label(epoch: usize, of: usize, restored: bool) -> String {
    if restored {
        format!("restored epoch {epoch} of {of}")
    } else {
        format!("epoch {epoch}")
    }
}

/// What the baseline predicts, in the closing line's words: `always "no"`,
/// `mean 3.142`.
pub fn baseline_rule(summary: &RunSummary) -> Option<String> {
    let baseline = summary.baseline.as_ref()?;
    match (&baseline.class, baseline.mean) {
        (Some(class), _) => Some(format!("always \"{class}\"")),
        (None, Some(mean)) => Some(format!("mean {}", text::number(mean))),
        (None, None) => None,
    }
}

/// The baseline's value of a metric column (`validation_accuracy`,
/// `train_loss`, `test_rmse`): the same quantity for the constant
/// prediction on the same split; None where it has none (the cost, the
/// learning rate).
pub fn baseline_value(summary: &RunSummary, column: &str) -> Option<f64> {
    let baseline = summary.baseline.as_ref()?;
    let (split, name) = column.split_once('_')?;
    let scores = match split {
        "train" => Some(&baseline.train),
        "validation" => baseline.validation.as_ref(),
        "test" => baseline.test.as_ref(),
        _ => None,
    }?;
    scores.get(name).copied()
}

/// The task's metric of the split the run is judged on (validation where
/// there is one) with the baseline's beside it, as the closing line has it:
/// `accuracy 0.855 (always "no" 0.7167)`, `rmse 0.13 (mean 0.71)`.
pub fn metric_with_baseline(summary: &RunSummary, headline: &Headline) -> Option<String> {
    let baseline = summary.baseline.as_ref()?;
    let split = if baseline.validation.is_some() {
        "validation"
    } else {
        "train"
    };
    let (metric, words) = if baseline.class.is_some() {
        ("accuracy", baseline_rule(summary)?)
    } else {
        ("rmse", "mean".to_string())
    };
    let column = format!("{split}_{metric}");
    let value = headline.metrics.get(&column)?;
    let reference = baseline_value(summary, &column)?;
    Some(format!(
        "{metric} {} ({words} {})",
        text::number(*value),
        text::number(reference)
    ))
}

/// Each finding as an amber badge: the code as its text, the sentence as
/// its tooltip. Empty without findings.
pub fn finding_badges(summary: &RunSummary) -> String {
    let badges: Vec<String> = summary.findings.iter().map(finding_badge).collect();
    badges.join(" ")
}

/// One finding's amber badge: the code as its text, the sentence as its
/// tooltip.
pub fn finding_badge(finding: &Finding) -> String {
    format!(
        "<span class=\"badge finding\" title=\"{}\">{}</span>",
        escape(&finding.message),
        escape(&finding.code)
    )
}

/// The findings in the run's details, each badge with its sentence written
/// out (a tooltip is out of reach on a phone and on paper).
pub fn findings_list(summary: &RunSummary) -> String {
    if summary.findings.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ul class=\"findings\" aria-label=\"Findings\">\n");
    for f in &summary.findings {
        out.push_str(&format!(
            "<li><span class=\"badge finding\">{}</span> {}</li>\n",
            escape(&f.code),
            escape(&f.message)
        ));
    }
    out.push_str("</ul>\n");
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::results::summary::{EXAMPLE, parse};

    fn example() -> RunSummary {
        parse(Path::new("summary.json"), EXAMPLE).expect("the example")
    }

    #[test]
    fn the_headline_is_summary_json_s_and_is_worked_out_for_older_summaries() {
        let mut summary = example();
        let h = headline(&summary);
        assert_eq!(h.label, "epoch 1");
        assert_eq!(h.metrics.get("train_loss"), Some(&0.5));

        // Early stopped at 26, restored 16, without a headline key.
        summary.headline = None;
        summary.epochs_run = 26;
        summary.restored_epoch = Some(16);
        let best = summary.best.as_mut().expect("best");
        best.epoch = 16;
        best.metrics.insert("train_loss".to_string(), 0.25);
        summary.test.insert("test_accuracy".to_string(), 0.9);
        let h = headline(&summary);
        assert_eq!(h.label, "restored epoch 16 of 26");
        assert!(h.restored);
        assert_eq!(h.metrics.get("train_loss"), Some(&0.25));
        assert_eq!(h.metrics.get("test_accuracy"), Some(&0.9));
    }

    #[test]
    fn the_baseline_is_found_by_split_and_metric_and_worded_as_the_closing_line() {
        let summary = example();
        assert_eq!(baseline_rule(&summary).as_deref(), Some("always \"no\""));
        assert_eq!(baseline_value(&summary, "train_accuracy"), Some(0.7));
        assert_eq!(baseline_value(&summary, "train_loss"), Some(0.6));
        assert_eq!(baseline_value(&summary, "train_cost"), None);
        assert_eq!(baseline_value(&summary, "validation_loss"), None);
        assert_eq!(baseline_value(&summary, "learning_rate"), None);
        let mut h = headline(&summary);
        h.metrics.insert("train_accuracy".to_string(), 0.85534);
        assert_eq!(
            metric_with_baseline(&summary, &h).as_deref(),
            Some("accuracy 0.8553 (always \"no\" 0.7)")
        );
        let mut older = summary.clone();
        older.baseline = None;
        assert_eq!(metric_with_baseline(&older, &h), None);
        assert_eq!(baseline_rule(&older), None);
    }

    #[test]
    fn findings_are_badges_with_their_sentence_as_tooltip_escaped() {
        let summary = example();
        assert_eq!(
            finding_badges(&summary),
            "<span class=\"badge finding\" title=\"training accuracy 0.7 is no better than always &quot;no&quot; 0.7\">no_better_than_baseline</span>"
        );
        let list = findings_list(&summary);
        assert!(list.contains("<li><span class=\"badge finding\">no_better_than_baseline</span> training accuracy 0.7 is no better than always &quot;no&quot; 0.7</li>"), "{list}");
        let mut none = summary.clone();
        none.findings.clear();
        assert_eq!(finding_badges(&none), "");
        assert_eq!(findings_list(&none), "");
    }
}
