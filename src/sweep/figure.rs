//! The sweep's plot as small multiples: one panel per value of one swept
//! key (the facet), in each panel one mean curve per point with a ± std band
//! over seeds, coloured by the other keys' values. Nine points × three
//! seeds in one chart are one tangle; three panels of three are read at a
//! glance, and the same colour means the same value in every panel. The
//! panels share one y range, so a curve's height means the same in each.

use super::aggregate::{Point, SEED_KEY};
use crate::plot::{Figure, MAX_PANELS, Panel, Series};
use crate::results::cost_figure::shared_baseline;
use crate::statistics;

/// A facet's values get a panel each, and a figure has at most this many.
pub const MAX_FACET_VALUES: usize = MAX_PANELS;

/// What the legend calls the bands, where seeds were swept.
const BAND_LABEL: &str = "mean ± std over seeds";

/// The figure with the default facet (`default_facet`).
pub fn sweep_figure(title: &str, points: &[Point<'_>], validation: bool) -> Figure {
    faceted_figure(title, points, validation, None)
}

/// Each swept key (seed excepted) with its values as labels show them, in
/// order of first appearance.
fn key_values(points: &[Point<'_>]) -> Vec<(String, Vec<String>)> {
    let mut keys: Vec<(String, Vec<String>)> = Vec::new();
    for point in points {
        for ((key, _), shown) in point.values.iter().zip(&point.shown) {
            if key == SEED_KEY {
                continue;
            }
            let at = match keys.iter().position(|(k, _)| k == key) {
                Some(at) => at,
                None => {
                    keys.push((key.clone(), Vec::new()));
                    keys.len() - 1
                }
            };
            if !keys[at].1.contains(shown) {
                keys[at].1.push(shown.clone());
            }
        }
    }
    keys
}

/// The key with the fewest values (the first of equals), among those with
/// more than one, when at least two keys vary: with one, its values are
/// better told by colour in one panel.
pub fn default_facet(keys: &[(String, Vec<String>)]) -> Option<&str> {
    let varying: Vec<&(String, Vec<String>)> = keys.iter().filter(|(_, v)| v.len() > 1).collect();
    if varying.len() < 2 {
        return None;
    }
    varying
        .into_iter()
        .filter(|(_, values)| values.len() <= MAX_PANELS)
        .min_by_key(|(_, values)| values.len())
        .map(|(key, _)| key.as_str())
}

/// The last segment of a dotted key: `units` for `model.layers.0.units`.
fn short(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// `facet` (a full key) names the key whose values get a panel each; None
/// takes `default_facet`. A facet with more values than a figure has panels
/// is drawn as one panel (the command refuses it before anything trains).
pub fn faceted_figure(
    title: &str,
    points: &[Point<'_>],
    validation: bool,
    facet: Option<&str>,
) -> Figure {
    let keys = key_values(points);
    let facet = facet.or_else(|| default_facet(&keys)).filter(|f| {
        keys.iter()
            .any(|(k, values)| k == f && values.len() <= MAX_PANELS)
    });
    // Keys with one value say the same of every line: the title says it once.
    let constants: Vec<String> = keys
        .iter()
        .filter(|(_, values)| values.len() == 1)
        .map(|(key, values)| format!("{}={}", short(key), values[0]))
        .collect();
    let coloured: Vec<&str> = keys
        .iter()
        .filter(|(key, values)| values.len() > 1 && Some(key.as_str()) != facet)
        .map(|(key, _)| key.as_str())
        .collect();
    let value_of = |point: &Point<'_>, key: &str| {
        point
            .values
            .iter()
            .zip(&point.shown)
            .find(|((k, _), _)| k == key)
            .map(|(_, shown)| shown.clone())
    };
    let label_of = |point: &Point<'_>| {
        if coloured.is_empty() {
            return point.label();
        }
        coloured
            .iter()
            .map(|key| {
                let value = value_of(point, key).unwrap_or_default();
                format!("{}={value}", short(key))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    // One look per label, the same in every panel, in order of appearance.
    let mut looks: Vec<String> = Vec::new();
    for point in points {
        let label = label_of(point);
        if !looks.contains(&label) {
            looks.push(label);
        }
    }

    let y_label = if validation {
        "validation loss per example"
    } else {
        "train loss per example"
    };
    // The runs drawn, for the baseline they share (none where they do not).
    let drawn = points
        .iter()
        .flat_map(|p| &p.runs)
        .filter(|r| r.succeeded())
        .filter_map(|r| r.files.as_ref().map(|f| &f.summary));
    let baseline = shared_baseline(drawn, validation, "loss");
    let seeded = points.iter().any(|p| p.succeeded().len() > 1);

    let panel = |panel_title: String, members: Vec<&Point<'_>>| {
        let mut series = Vec::new();
        let mut styles = Vec::new();
        for point in members {
            let curve = point.mean_curve();
            if curve.is_empty() {
                continue;
            }
            let label = label_of(point);
            styles.push(looks.iter().position(|l| *l == label).unwrap_or(0));
            series.push(Series {
                label,
                points: curve.iter().map(|(epoch, s)| (*epoch, s.mean)).collect(),
                band: statistics::band(&curve),
            });
        }
        Panel {
            title: panel_title,
            x_label: "epoch".to_string(),
            y_label: y_label.to_string(),
            series,
            styles,
            references: baseline.iter().cloned().collect(),
            shared_legend: true,
            band_label: if seeded {
                BAND_LABEL.to_string()
            } else {
                String::new()
            },
            ..Panel::default()
        }
    };
    let mut panels: Vec<Panel> = match facet.and_then(|f| keys.iter().find(|(k, _)| k == f)) {
        Some((key, values)) => values
            .iter()
            .map(|value| {
                let members = points
                    .iter()
                    .filter(|p| value_of(p, key).as_ref() == Some(value))
                    .collect();
                panel(format!("{}={value}", short(key)), members)
            })
            .collect(),
        None => vec![panel(String::new(), points.iter().collect())],
    };
    share_y(&mut panels);

    let mut title = title.to_string();
    if !constants.is_empty() {
        if !title.is_empty() {
            title.push_str("; ");
        }
        title.push_str(&constants.join(" "));
    }
    Figure { title, panels }
}

/// Gives every panel the y range of all of them together: each panel scaled
/// to its own curves would draw a loss of 0.3 as high in one panel as 0.1
/// in the next, and heights would not compare across panels.
fn share_y(panels: &mut [Panel]) {
    if panels.len() < 2 {
        return;
    }
    let values = panels.iter().flat_map(|p| &p.series).flat_map(|s| {
        let line = s.points.iter().map(|&(_, y)| y);
        let band = s
            .band
            .iter()
            .flatten()
            .flat_map(|&(_, low, high)| [low, high]);
        line.chain(band)
    });
    let (low, high) = values
        .filter(|y| y.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), y| {
            (low.min(y), high.max(y))
        });
    if low <= high {
        for panel in panels.iter_mut() {
            panel.y_covers = Some((low, high));
        }
    }
}

/// The swept keys a `--facet` may name (seed excepted), for the command to
/// check the flag against before anything trains: `facet` as a full key or
/// its last segment, resolved to the full key, or an error naming them.
pub fn resolve_facet(facet: &str, swept: &[String]) -> Result<String, String> {
    let keys: Vec<&String> = swept.iter().filter(|k| *k != SEED_KEY).collect();
    let matching: Vec<&&String> = keys
        .iter()
        .filter(|k| k.as_str() == facet || short(k) == facet)
        .collect();
    match matching.as_slice() {
        [one] => Ok((**one).clone()),
        _ => Err(format!(
            "--facet {facet}: not a swept key of this sweep; the swept keys are {}",
            if keys.is_empty() {
                "none (seeds only)".to_string()
            } else {
                keys.iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(spec: &[(&str, usize)]) -> Vec<(String, Vec<String>)> {
        spec.iter()
            .map(|(k, n)| (k.to_string(), (0..*n).map(|i| i.to_string()).collect()))
            .collect()
    }

    #[test]
    fn the_default_facet_is_the_varying_key_with_fewest_values() {
        let grid = keys(&[("a.lr", 4), ("a.units", 3), ("a.epochs", 1)]);
        assert_eq!(default_facet(&grid), Some("a.units"));
        // One varying key is coloured in one panel, not split into panels.
        assert_eq!(default_facet(&keys(&[("a.lr", 4), ("a.epochs", 1)])), None);
        // Equals: the first.
        assert_eq!(default_facet(&keys(&[("x", 2), ("y", 2)])), Some("x"));
    }

    #[test]
    fn panels_share_the_y_range_of_all_their_lines_and_bands() {
        let series = |points: &[(f64, f64)], band: Option<Vec<(f64, f64, f64)>>| Series {
            label: "a".to_string(),
            points: points.to_vec(),
            band,
        };
        let mut panels = vec![
            Panel {
                series: vec![series(&[(0.0, 0.3), (1.0, 0.2)], None)],
                ..Panel::default()
            },
            Panel {
                series: vec![series(
                    &[(0.0, 0.1), (1.0, f64::NAN)],
                    Some(vec![(0.0, 0.05, 0.15)]),
                )],
                ..Panel::default()
            },
        ];
        share_y(&mut panels);
        assert_eq!(panels[0].y_covers, Some((0.05, 0.3)));
        assert_eq!(panels[1].y_covers, Some((0.05, 0.3)));
        // One panel has nothing to share with.
        let mut alone = vec![panels[0].clone()];
        alone[0].y_covers = None;
        share_y(&mut alone);
        assert_eq!(alone[0].y_covers, None);
    }

    #[test]
    fn a_facet_is_a_swept_key_by_full_or_short_name() {
        let swept = [
            "training.learning_rate".to_string(),
            "model.layers.0.units".to_string(),
            SEED_KEY.to_string(),
        ];
        assert_eq!(
            resolve_facet("units", &swept).as_deref(),
            Ok("model.layers.0.units")
        );
        assert_eq!(
            resolve_facet("training.learning_rate", &swept).as_deref(),
            Ok("training.learning_rate")
        );
        let error = resolve_facet("seed", &swept).unwrap_err();
        assert!(
            error.contains("training.learning_rate, model.layers.0.units"),
            "{error}"
        );
    }
}
