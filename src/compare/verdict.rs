//! "Is B better than A?": each entry against the reference (entry 1) on
//! one metric (`--metric`, named as `sweep --metric` names it), by the
//! t-test of `crate::statistics::t_test` — paired over the seeds both
//! have, else Welch's — said in words, and as table.csv's columns.
//!
//! The runs of an entry are its seeds: what a test estimates is how much
//! the metric moves with the seed (initial weights and split), and whether
//! the difference between two settings stands out of that noise. A run
//! that diverged or failed says nothing about that noise and is left out
//! with a note; entries of another task or loss are not measured on the
//! same scale, so they get no difference and no verdict.

use std::collections::BTreeSet;

use super::entries::{ABSENT, Entry};
use crate::error::Error;
use crate::results::config_toml;
use crate::results::metrics_csv::format_number;
use crate::results::read::RunFiles;
use crate::statistics::t_test::{self, ALPHA, POWER, Sample, TTest, Test, Untestable};
use crate::sweep::aggregate::{higher_is_better, run_metrics};
use crate::sweep::ranking::resolve_metric;
use crate::text::{number, number_with, unquoted, words};

const SEED_KEY: &str = "experiment.seed";

/// What the comparison of one entry with the reference came to.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Outcome {
    /// Entry 1 itself.
    Reference,
    /// Another task or loss.
    Incomparable(Apart),
    /// Too few runs for a test (how many each side had).
    Untestable { reference: usize, entry: usize },
    /// The test, and whether the entry is better (Some(true)), worse
    /// (Some(false)) or not distinguishable (None) at α = 0.05.
    Tested { test: TTest, better: Option<bool> },
}

/// The verdicts of every entry, with the metric they are on.
pub(super) struct Verdicts {
    /// The resolved metric (`headline_validation_loss`); None when no run
    /// has any metric.
    pub metric: Option<String>,
    pub outcomes: Vec<Outcome>,
    /// Runs left out, as notes.
    pub notes: Vec<String>,
}

/// Why an entry is not measured against the reference: its numbers are on
/// another scale.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Apart {
    /// The entry's task, the reference's (`regression`, `binary`).
    Task(String, String),
    /// The entry's `training.loss`, the reference's.
    Loss(String, String),
}

/// Whether an entry can be compared with the reference at all: the same
/// task (summary.json) and the same loss (`training.loss`).
pub(super) fn incomparable(entry: &Entry, reference: &Entry) -> Option<Apart> {
    let task = |e: &Entry| {
        e.runs
            .first()
            .map_or(String::new(), |r| r.summary.task.clone())
    };
    let loss = |e: &Entry| {
        e.runs.first().map_or(ABSENT.to_string(), |r| {
            config_toml::flatten(&r.config)
                .get("training.loss")
                .map_or(ABSENT.to_string(), |l| unquoted(l).to_string())
        })
    };
    if task(entry) != task(reference) {
        return Some(Apart::Task(task(entry), task(reference)));
    }
    if loss(entry) != loss(reference) {
        return Some(Apart::Loss(loss(entry), loss(reference)));
    }
    None
}

fn seed(run: &RunFiles) -> String {
    config_toml::flatten(&run.config)
        .get(SEED_KEY)
        .cloned()
        .unwrap_or_default()
}

/// Each entry's verdict against entry 1 on `asked` (a `--metric` name).
pub(super) fn verdicts(entries: &[Entry], asked: &str) -> Result<Verdicts, Error> {
    let available: BTreeSet<String> = entries
        .iter()
        .flat_map(|e| &e.runs)
        .flat_map(|r| run_metrics(r).into_keys())
        .collect();
    let available: Vec<String> = available.into_iter().collect();
    let metric = resolve_metric(asked, &available)?;
    let mut notes = Vec::new();
    let Some((reference, metric)) = entries.first().zip(metric) else {
        return Ok(Verdicts {
            metric: None,
            outcomes: vec![Outcome::Reference; entries.len().min(1)],
            notes,
        });
    };
    let samples: Vec<Vec<Sample>> = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let mut samples = Vec::new();
            for run in &entry.runs {
                let value = run_metrics(run).get(&metric).copied();
                let why = if !run.summary.status.succeeded() {
                    Some(format!("it {}", run.summary.status))
                } else if !value.is_some_and(f64::is_finite) {
                    Some(format!(
                        "its {metric} is {}",
                        value.map_or("missing".to_string(), number)
                    ))
                } else {
                    None
                };
                match (why, value) {
                    (None, Some(value)) => samples.push(Sample {
                        seed: seed(run),
                        value,
                    }),
                    (why, _) => notes.push(format!(
                        "note: #{}: leaving run {} (seed {}) out of the verdict: {}",
                        i + 1,
                        run.summary.run_id,
                        seed(run),
                        why.unwrap_or_default()
                    )),
                }
            }
            samples
        })
        .collect();
    let higher = higher_is_better(&metric);
    let outcomes = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            if i == 0 {
                return Outcome::Reference;
            }
            if let Some(why) = incomparable(entry, reference) {
                return Outcome::Incomparable(why);
            }
            match t_test::compare(&samples[0], &samples[i]) {
                Ok(test) => {
                    let better =
                        (test.p_value < ALPHA).then_some((test.difference > 0.0) == higher);
                    Outcome::Tested { test, better }
                }
                Err(Untestable::TooFewRuns { a, b }) => Outcome::Untestable {
                    reference: a,
                    entry: b,
                },
            }
        })
        .collect();
    Ok(Verdicts {
        metric: Some(metric),
        outcomes,
        notes,
    })
}

/// The metric as a sentence names it: `validation loss`, `final train loss`.
fn metric_words(metric: &str) -> String {
    words(metric.strip_prefix("headline_").unwrap_or(metric))
}

/// An interval's end: two significant digits, a true minus sign.
fn end(x: f64) -> String {
    if x < 0.0 {
        format!("−{}", number_with(-x, 2))
    } else {
        number_with(x, 2)
    }
}

fn signed(x: f64) -> String {
    crate::text::signed(x)
}

/// How many runs the test is over: `paired over 3 seeds`, `Welch's t over 3 and 4 runs`.
fn over(test: &TTest, a: usize, b: usize) -> String {
    match test.test {
        Test::Paired => format!("paired over {} seeds", test.n),
        Test::Welch => format!("Welch's t over {a} and {b} runs"),
    }
}

/// The verdicts as lines for the terminal, under the table, each entry
/// named by its number and its label, as the table and the figure name it.
pub(super) fn text(verdicts: &Verdicts, entries: &[Entry], labels: &[String]) -> String {
    let Some(metric) = &verdicts.metric else {
        return String::new();
    };
    let name = metric_words(metric);
    let mut out = String::new();
    for note in &verdicts.notes {
        out.push_str(note);
        out.push('\n');
    }
    let others = &verdicts.outcomes[verdicts.outcomes.len().min(1)..];
    let all_single = !others.is_empty()
        && others.iter().all(|o| {
            matches!(o, Outcome::Untestable { reference, entry } if *reference <= 1 && *entry <= 1)
                || matches!(o, Outcome::Incomparable(_))
        })
        && others
            .iter()
            .any(|o| matches!(o, Outcome::Untestable { .. }));
    let named = |k: usize| match labels.get(k) {
        Some(label) => format!("#{} {label}", k + 1),
        None => format!("#{}", k + 1),
    };
    let first = named(0);
    for (i, outcome) in verdicts.outcomes.iter().enumerate() {
        let runs = |k: usize| entries.get(k).map_or(0, |e| e.runs.len());
        let this = named(i);
        let line = match outcome {
            Outcome::Reference => continue,
            Outcome::Incomparable(Apart::Task(task, reference)) => format!(
                "{this} is {task}, {first} {reference}: their losses are on different scales, so no Δ and no verdict"
            ),
            Outcome::Incomparable(Apart::Loss(loss, reference)) => format!(
                "{this} trains on loss {loss}, {first} on {reference}: their losses are on different scales, so no Δ and no verdict"
            ),
            Outcome::Untestable { .. } if all_single => continue,
            Outcome::Untestable { reference, entry } => format!(
                "{this} vs {first}: no verdict on {name}: {entry} and {reference} usable runs; a test needs two seeds a side"
            ),
            Outcome::Tested { test, better } => {
                let (a, b) = test.means;
                let numbers = format!(
                    "{name} {} vs {}, difference {} (95% CI {} to {}, p = {}, {})",
                    number(b),
                    number(a),
                    signed(test.difference),
                    end(test.ci.0),
                    end(test.ci.1),
                    number_with(test.p_value, 2),
                    over(test, runs(0), runs(i)),
                );
                match better {
                    Some(true) => format!("{this} is better than {first}: {numbers}"),
                    Some(false) => format!("{this} is worse than {first}: {numbers}"),
                    None => {
                        let with = match test.test {
                            Test::Paired => format!("{} seeds", test.n),
                            Test::Welch => "these runs".to_string(),
                        };
                        let needed = test.seeds_needed.map_or(String::new(), |n| {
                            format!(
                                "; about {n} seeds per side would tell a difference of this size (iterated t approximation, two-sided α = {ALPHA}, power {POWER})"
                            )
                        });
                        format!(
                            "{this} and {first} are not distinguishable with {with}: {numbers}{needed}"
                        )
                    }
                }
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    if all_single {
        out.push_str(&format!(
            "no verdict on {name}: one run per entry says nothing about the noise between seeds; sweep experiment.seed to compare\n"
        ));
    }
    out
}

/// table.csv's `ci_low`, `ci_high`, `p_value`, `test`, `verdict` for one entry.
pub(super) fn csv_cells(outcome: Option<&Outcome>) -> [String; 5] {
    match outcome {
        Some(Outcome::Tested { test, better }) => [
            format_number(test.ci.0),
            format_number(test.ci.1),
            format_number(test.p_value),
            test.test.name().to_string(),
            match better {
                Some(true) => "better",
                Some(false) => "worse",
                None => "indistinguishable",
            }
            .to_string(),
        ],
        _ => [
            String::new(),
            String::new(),
            String::new(),
            "none".to_string(),
            "none".to_string(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metric_reads_as_words_and_an_interval_with_two_digits() {
        assert_eq!(metric_words("headline_validation_loss"), "validation loss");
        assert_eq!(metric_words("final_train_loss"), "final train loss");
        assert_eq!(end(-0.01812), "−0.018");
        assert_eq!(end(0.0049), "0.0049");
    }

    #[test]
    fn an_indistinguishable_entry_says_how_many_seeds_would_tell() {
        // Differences +0.01, −0.005, +0.004: mean 0.003, sd 0.00755.
        let test = t_test::paired(&[0.10, 0.11, 0.12], &[0.11, 0.105, 0.124]).expect("pairs");
        let verdicts = Verdicts {
            metric: Some("headline_validation_loss".to_string()),
            outcomes: vec![Outcome::Reference, Outcome::Tested { test, better: None }],
            notes: Vec::new(),
        };
        let labels = ["heart lr=0.1".to_string(), "heart lr=0.101".to_string()];
        let text = text(&verdicts, &[], &labels);
        assert!(
            text.starts_with(
                "#2 heart lr=0.101 and #1 heart lr=0.1 are not distinguishable with 3 seeds: validation loss 0.113 vs 0.11, difference +0.003 (95% CI "
            ),
            "{text}"
        );
        // s/|d| = 2.5166; scipy: n = 52 is the first with n >=
        // ((t.ppf(0.975, n-1) + t.ppf(0.8, n-1)) * 2.5166)**2 = 51.67 (51
        // needs 51.71); the normal approximation would say 50.
        assert!(
            text.ends_with(
                "; about 52 seeds per side would tell a difference of this size (iterated t approximation, two-sided α = 0.05, power 0.8)\n"
            ),
            "{text}"
        );
        assert_eq!(
            csv_cells(verdicts.outcomes.get(1))[3..],
            ["paired", "indistinguishable"]
        );
        assert_eq!(csv_cells(verdicts.outcomes.first())[3..], ["none", "none"]);
    }
}
