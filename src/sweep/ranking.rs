//! The sweep's points ranked by one metric, best first, as the aligned
//! table `synapse sweep` prints (with each point's findings), and the
//! `--metric` name resolved against the metrics the runs have: a
//! metrics.csv column means the headline's, the epoch whose weights
//! model.json holds.

use super::aggregate::{self, Point};
use crate::error::Error;
use crate::results::config_toml;
use crate::statistics::Stats;
use crate::statistics::t_test::{self, ALPHA, Sample};
use crate::text::{self, Table};

/// `--metric NAME`: an exact metric name, or a metrics.csv column taken at
/// the headline's epoch (`validation_loss` means `headline_validation_loss`:
/// the restored epoch where early stopping restored, else the last), or at
/// the final epoch for runs older than the headline.
pub fn resolve_metric(name: &str, available: &[String]) -> Result<Option<String>, Error> {
    if available.is_empty() {
        return Ok(None);
    }
    for candidate in [
        name.to_string(),
        format!("headline_{name}"),
        format!("final_{name}"),
    ] {
        if available.contains(&candidate) {
            return Ok(Some(candidate));
        }
    }
    // Without a validation split, rank by the training loss instead.
    if name == "validation_loss" {
        for candidate in ["headline_train_loss", "final_train_loss"] {
            if available.iter().any(|m| m == candidate) {
                return Ok(Some(candidate.to_string()));
            }
        }
    }
    // The name is the user's argument: shown escaped, like `--set`'s.
    Err(Error::Usage(format!(
        "--metric {}: no run has this metric; available: {}",
        text::printable(name),
        available.join(", ")
    )))
}

/// The points, best first by `metric`, as an aligned table, line by line.
pub fn table(points: &[Point<'_>], metric: Option<&str>, asked: &str) -> String {
    let Some(metric) = metric else {
        return "no run finished, so there is nothing to rank\n".to_string();
    };
    let higher = aggregate::higher_is_better(metric);
    let mut ranked: Vec<(&Point<'_>, Option<Stats>)> = points
        .iter()
        .map(|p| (p, p.metrics().get(metric).copied()))
        .collect();
    ranked.sort_by(|(a_point, a), (b_point, b)| {
        let key = |s: &Option<Stats>| s.map(|s| if higher { -s.mean } else { s.mean });
        match (key(a), key(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a_point.index.cmp(&b_point.index),
        }
    });
    // Beside the ranking metric, the other numbers that answer "is B better than A?".
    let extra: Vec<&str> = [
        "headline_validation_accuracy",
        "headline_validation_rmse",
        "headline_train_loss",
    ]
    .into_iter()
    .filter(|m| *m != metric && points.iter().any(|p| p.metrics().contains_key(*m)))
    .collect();
    let mut header = vec![
        "rank".to_string(),
        "point".to_string(),
        "runs".to_string(),
        format!("{metric} (mean ± std)"),
    ];
    // Only seeds tell noise from a difference: without two runs a point
    // there is nothing to mark.
    let with_seeds = points.iter().any(|p| p.succeeded().len() > 1);
    if with_seeds {
        header.push("vs best".to_string());
    }
    header.extend(extra.iter().map(|m| m.to_string()));
    header.push("findings".to_string());
    let best = ranked.first().map(|(p, _)| samples(p, metric));
    let mut table = Table::new(&header).indent("  ");
    let cell =
        |s: Option<&Stats>| s.map_or("-".to_string(), |s| text::mean_std(s.mean, s.std, s.n));
    for (rank, (point, stats)) in ranked.iter().enumerate() {
        let all = point.metrics();
        let mut row = vec![
            (rank + 1).to_string(),
            point.label(),
            format!("{}/{}", point.succeeded().len(), point.runs.len()),
            cell(stats.as_ref()),
        ];
        if with_seeds {
            row.push(match (&best, rank) {
                (_, 0) => "best".to_string(),
                (Some(best), _) => versus_best(best, &samples(point, metric)),
                (None, _) => "-".to_string(),
            });
        }
        row.extend(extra.iter().map(|m| cell(all.get(*m))));
        row.push(findings(point));
        table.row(row);
    }
    let mut text = format!(
        "points ranked by {metric}{}:\n",
        if asked != metric {
            format!(" (--metric {asked})")
        } else {
            String::new()
        }
    );
    text.push_str(&table.render());
    text
}

/// The point's successful runs' values of `metric`, each with its seed.
fn samples(point: &Point<'_>, metric: &str) -> Vec<Sample> {
    point
        .succeeded()
        .iter()
        .filter_map(|run| {
            let files = run.files.as_ref()?;
            let value = run
                .metrics()
                .get(metric)
                .copied()
                .filter(|v| v.is_finite())?;
            let seed = config_toml::flatten(&files.config)
                .get(super::aggregate::SEED_KEY)
                .cloned()
                .unwrap_or_default();
            Some(Sample { seed, value })
        })
        .collect()
}

/// `≈ best` where the t-test compare's verdict uses (paired over the seeds
/// the points share) cannot tell the point from the best at α = 0.05,
/// `worse` where it can, `-` where there are too few runs to test.
fn versus_best(best: &[Sample], point: &[Sample]) -> String {
    match t_test::compare(best, point) {
        Ok(test) if test.p_value < ALPHA => "worse".to_string(),
        Ok(_) => "≈ best".to_string(),
        Err(_) => "-".to_string(),
    }
}

/// A point's findings: how many of its runs got any, of its runs that
/// trained, and their codes (`2/3 constant_output, stalled`); `-` for none.
fn findings(point: &Point<'_>) -> String {
    let summaries: Vec<_> = point
        .runs
        .iter()
        .filter_map(|r| r.files.as_ref().map(|f| &f.summary))
        .collect();
    let with = summaries.iter().filter(|s| !s.findings.is_empty()).count();
    if with == 0 {
        return "-".to_string();
    }
    let mut codes: Vec<&str> = Vec::new();
    for finding in summaries.iter().flat_map(|s| &s.findings) {
        if !codes.contains(&finding.code.as_str()) {
            codes.push(&finding.code);
        }
    }
    format!("{with}/{} {}", summaries.len(), codes.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_metric_is_refused_with_its_control_characters_escaped() {
        let available = ["final_train_loss".to_string()];
        let error = resolve_metric("x\u{1b}[2J", &available).expect_err("unknown metric");
        let message = error.to_string();
        assert!(!message.contains('\u{1b}'), "{message:?}");
        assert!(message.contains("--metric x\\u{1b}[2J"), "{message}");
        assert_eq!(error.code(), 2);
    }

    #[test]
    fn a_column_of_metrics_csv_means_the_headline_s_where_runs_have_one() {
        let names = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let resolved = |name: &str, available: &[String]| {
            resolve_metric(name, available)
                .expect("known")
                .expect("some")
        };
        let now = names(&[
            "final_train_loss",
            "final_validation_loss",
            "headline_train_loss",
            "headline_validation_loss",
        ]);
        assert_eq!(
            resolved("validation_loss", &now),
            "headline_validation_loss"
        );
        assert_eq!(
            resolved("final_validation_loss", &now),
            "final_validation_loss"
        );
        assert_eq!(resolved("train_loss", &now), "headline_train_loss");
        // Without a validation split, and in sweeps older than the headline.
        let train_only = names(&["final_train_loss", "headline_train_loss"]);
        assert_eq!(
            resolved("validation_loss", &train_only),
            "headline_train_loss"
        );
        let older = names(&["final_train_loss", "final_validation_loss"]);
        assert_eq!(resolved("validation_loss", &older), "final_validation_loss");
        assert_eq!(
            resolved("validation_loss", &names(&["final_train_loss"])),
            "final_train_loss"
        );
    }
}
