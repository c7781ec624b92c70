//! The sweep's points ranked by one metric, best first, as the aligned
//! table `synapse sweep` prints, and the `--metric` name resolved against
//! the metrics the runs have.

use super::aggregate::{self, Point};
use crate::error::Error;
use crate::statistics::Stats;
use crate::text::{self, Table};

/// `--metric NAME`: an exact metric name, or a metrics.csv column taken at
/// the final epoch (`validation_loss` means `final_validation_loss`).
pub fn resolve_metric(name: &str, available: &[String]) -> Result<Option<String>, Error> {
    if available.is_empty() {
        return Ok(None);
    }
    for candidate in [name.to_string(), format!("final_{name}")] {
        if available.contains(&candidate) {
            return Ok(Some(candidate));
        }
    }
    // Without a validation split, rank by the training loss instead.
    if name == "validation_loss" && available.iter().any(|m| m == "final_train_loss") {
        return Ok(Some("final_train_loss".to_string()));
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
        "final_validation_accuracy",
        "final_validation_rmse",
        "final_train_loss",
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
    header.extend(extra.iter().map(|m| m.to_string()));
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
        row.extend(extra.iter().map(|m| cell(all.get(*m))));
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
}
