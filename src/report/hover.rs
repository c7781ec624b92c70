//! Exact values on hover, without the script: an invisible circle over each
//! data point of an inlined SVG plot, holding an SVG `<title>` that the
//! browser shows as a tooltip (`train: epoch 12, loss 0.0957`).
//!
//! plotters' SVG backend writes no titles and keeps no record of where it
//! put a point, so the positions are read back from what it drew: a curve
//! is a `<polyline>` with one vertex per point, a dot a `<circle>`. Each
//! series is matched to the next polyline with as many vertices whose
//! positions are an increasing linear function of the data (x; y on a
//! linear or a logarithmic scale), and a dot figure's dots to its circles in drawing
//! order when their count and the panels' y scales agree. Whatever does not
//! match gets no tooltips rather than wrong ones; the results' own SVG
//! files are left as plotters wrote them.

use super::html::escape;
use crate::math;
use crate::plot::{DotFigure, Figure, XScale};
use crate::text;

/// (x, y): a value, or a position in the SVG's pixels.
type Point = (f64, f64);

/// At most this many tooltips per curve: enough to read any stretch of
/// it, few enough to keep a page of many runs light.
const MAX_PER_LINE: usize = 200;
/// Pixels: plotters rounds positions to whole pixels.
const TOLERANCE: f64 = 1.5;
/// Radius of a hover target, in the SVG's pixels.
const RADIUS: u32 = 6;

/// `svg` with a tooltip over the points of every curve of `figure`.
pub fn curve_titles(svg: &str, figure: &Figure) -> String {
    let lines = shapes(svg, "<polyline ")
        .into_iter()
        .map(|element| vertices(attribute(element, "points").unwrap_or_default()))
        .collect::<Vec<_>>();
    let mut next = 0;
    let mut targets = Vec::new();
    for panel in &figure.panels {
        for series in &panel.series {
            let found = lines.iter().enumerate().skip(next).find(|(_, line)| {
                line.len() == series.points.len()
                    && series.points.len() >= 2
                    && linear(
                        series
                            .points
                            .iter()
                            .map(|p| p.0)
                            .zip(line.iter().map(|v| v.0)),
                        true,
                    )
                    && y_matches(&series.points, line)
            });
            let Some((index, line)) = found else {
                continue;
            };
            next = index + 1;
            let step = series.points.len().div_ceil(MAX_PER_LINE).max(1);
            for (i, ((x, y), (px, py))) in series.points.iter().zip(line).enumerate() {
                if i % step != 0 && i + 1 != series.points.len() {
                    continue;
                }
                let label = format!(
                    "{}: {} {}, {} {}",
                    series.label,
                    panel.x_label,
                    text::number(*x),
                    panel.y_label,
                    text::number(*y)
                );
                targets.push(target(*px, *py, &label));
            }
        }
    }
    with_targets(svg, &targets)
}

/// `svg` with a tooltip over every dot of `figure`.
pub fn dot_titles(svg: &str, figure: &DotFigure) -> String {
    let circles: Vec<(f64, f64)> = shapes(svg, "<circle ")
        .into_iter()
        .filter_map(|element| {
            let number = |name| attribute(element, name)?.parse::<f64>().ok();
            Some((number("cx")?, number("cy")?))
        })
        .collect();
    let count: usize = figure
        .panels
        .iter()
        .flat_map(|p| &p.groups)
        .map(|g| g.dots.len())
        .sum();
    if count != circles.len() {
        return svg.to_string();
    }
    let mut circles = circles.into_iter();
    let mut targets = Vec::new();
    for panel in &figure.panels {
        let dots: Vec<(&str, Point, Point)> = panel
            .groups
            .iter()
            .flat_map(|g| g.dots.iter().map(move |d| (g.label.as_str(), *d)))
            .zip(circles.by_ref())
            .map(|((label, dot), circle)| (label, dot, circle))
            .collect();
        if !linear(dots.iter().map(|(_, d, c)| (d.1, c.1)), false) {
            return svg.to_string();
        }
        for (label, (x, y), (cx, cy)) in dots {
            let x = match &panel.x {
                XScale::Categories(names) => names
                    .get(x.max(0.0) as usize)
                    .cloned()
                    .unwrap_or_else(|| text::number(x)),
                _ => text::number(x),
            };
            // `learning_rate 0.01: units 4, validation loss 0.0933`: the
            // panel's title is the setting's short name.
            let group = match (label.is_empty(), panel.legend_title.is_empty()) {
                (true, _) => String::new(),
                (false, true) => format!("{label}: "),
                (false, false) => format!("{} {label}: ", panel.legend_title),
            };
            let setting = if panel.title.is_empty() {
                &panel.x_label
            } else {
                &panel.title
            };
            let text = format!(
                "{group}{setting} {x}, {} {}",
                panel.y_label,
                text::number(y)
            );
            targets.push(target(cx, cy, &text));
        }
    }
    with_targets(svg, &targets)
}

/// Every element of `svg` that starts with `open`, up to its `>`.
fn shapes<'a>(svg: &'a str, open: &str) -> Vec<&'a str> {
    svg.match_indices(open)
        .filter_map(|(start, _)| {
            let rest = &svg[start..];
            rest.find('>').map(|end| &rest[..end])
        })
        .collect()
}

/// The value of `name="…"` in an element's opening tag.
fn attribute<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(" {name}=\"");
    let start = element.find(&needle)? + needle.len();
    let end = element[start..].find('"')?;
    Some(&element[start..start + end])
}

/// `x1,y1 x2,y2 …` as pairs; a pair that does not parse ends the list
/// short, so it matches no series.
fn vertices(points: &str) -> Vec<(f64, f64)> {
    points
        .split_whitespace()
        .map_while(|pair| {
            let (x, y) = pair.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

/// Whether the vertices' heights are the values' on a linear or a
/// logarithmic axis: the plot module turns an axis logarithmic by itself
/// where the values span decades.
fn y_matches(points: &[Point], line: &[Point]) -> bool {
    let pixels = || line.iter().map(|v| v.1);
    linear(points.iter().map(|p| p.1).zip(pixels()), false)
        || (points.iter().all(|p| p.1 > 0.0)
            && linear(points.iter().map(|p| math::ln(p.1)).zip(pixels()), false))
}

/// Whether the pixels are a linear function of the values (increasing
/// when `increasing`, as x is; y grows downwards in pixels), within the
/// rounding of whole pixels. All values alike prove nothing either way.
fn linear(pairs: impl Iterator<Item = (f64, f64)>, increasing: bool) -> bool {
    let pairs: Vec<(f64, f64)> = pairs.collect();
    if pairs.iter().any(|(v, p)| !v.is_finite() || !p.is_finite()) {
        return false;
    }
    let low = pairs.iter().copied().min_by(|a, b| a.0.total_cmp(&b.0));
    let high = pairs.iter().copied().max_by(|a, b| a.0.total_cmp(&b.0));
    let (Some(low), Some(high)) = (low, high) else {
        return false;
    };
    if high.0 - low.0 <= f64::EPSILON * high.0.abs().max(1.0) {
        return true;
    }
    let slope = (high.1 - low.1) / (high.0 - low.0);
    if increasing && slope <= 0.0 {
        return false;
    }
    pairs
        .iter()
        .all(|(v, p)| (low.1 + slope * (v - low.0) - p).abs() <= TOLERANCE)
}

fn target(x: f64, y: f64, label: &str) -> String {
    format!(
        "<circle cx=\"{x}\" cy=\"{y}\" r=\"{RADIUS}\"><title>{}</title></circle>\n",
        escape(label)
    )
}

/// The targets in one transparent group drawn last, so that they are on
/// top of everything and catch the pointer.
fn with_targets(svg: &str, targets: &[String]) -> String {
    let Some(end) = svg.rfind("</svg>") else {
        return svg.to_string();
    };
    if targets.is_empty() {
        return svg.to_string();
    }
    let mut out =
        String::with_capacity(svg.len() + targets.iter().map(String::len).sum::<usize>() + 80);
    out.push_str(&svg[..end]);
    out.push_str("<g class=\"hover\" fill=\"transparent\" pointer-events=\"all\">\n");
    for t in targets {
        out.push_str(t);
    }
    out.push_str("</g>\n");
    out.push_str(&svg[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::{DotGroup, DotPanel, Panel, Series, render_dots_svg, render_svg};

    fn curve(log_y: bool) -> Figure {
        Figure {
            title: String::new(),
            panels: vec![Panel {
                title: "loss".to_string(),
                x_label: "epoch".to_string(),
                y_label: "validation loss".to_string(),
                series: vec![
                    Series {
                        label: "a".to_string(),
                        points: vec![(1.0, 1.0), (2.0, 0.5), (3.0, 0.25), (4.0, 0.2)],
                        band: None,
                    },
                    Series {
                        label: "b <c>".to_string(),
                        points: vec![(1.0, 0.9), (2.0, 0.0957), (3.0, 0.08)],
                        band: None,
                    },
                ],
                log_y,
                ..Panel::default()
            }],
        }
    }

    /// The titles of a page's hover circles, and the centre of each.
    fn titles(svg: &str) -> Vec<(String, f64, f64)> {
        let group = svg.split("<g class=\"hover\"").nth(1).unwrap_or_default();
        shapes(group, "<circle ")
            .into_iter()
            .zip(group.split("<title>").skip(1))
            .map(|(circle, title)| {
                let number = |name| {
                    attribute(circle, name)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(f64::NAN)
                };
                let title = title
                    .split("</title>")
                    .next()
                    .unwrap_or_default()
                    .to_string();
                (title, number("cx"), number("cy"))
            })
            .collect()
    }

    #[test]
    fn every_curve_point_gets_its_exact_values_at_its_drawn_position() {
        for log_y in [false, true] {
            let figure = curve(log_y);
            let svg = render_svg(&figure).expect("drawn").content;
            let out = curve_titles(&svg, &figure);
            let found = titles(&out);
            let labels: Vec<&str> = found.iter().map(|(t, _, _)| t.as_str()).collect();
            assert_eq!(
                labels,
                [
                    "a: epoch 1, validation loss 1",
                    "a: epoch 2, validation loss 0.5",
                    "a: epoch 3, validation loss 0.25",
                    "a: epoch 4, validation loss 0.2",
                    "b &lt;c&gt;: epoch 1, validation loss 0.9",
                    "b &lt;c&gt;: epoch 2, validation loss 0.0957",
                    "b &lt;c&gt;: epoch 3, validation loss 0.08",
                ],
                "log_y {log_y}"
            );
            // The targets sit on the drawn line's vertices.
            let lines: Vec<Vec<(f64, f64)>> = shapes(&svg, "<polyline ")
                .into_iter()
                .map(|e| vertices(attribute(e, "points").unwrap_or_default()))
                .collect();
            let a = lines.iter().find(|l| l.len() == 4).expect("a's line");
            assert_eq!((found[1].1, found[1].2), a[1]);
            // Later epochs are further right; a lower loss is lower down.
            assert!(found[1].1 > found[0].1 && found[1].2 > found[0].2);
            assert!(out.ends_with("</g>\n</svg>\n") || out.ends_with("</g>\n</svg>"));
        }
    }

    #[test]
    fn a_long_curve_gets_at_most_two_hundred_targets_and_keeps_its_last_point() {
        let points: Vec<(f64, f64)> = (0..=1000)
            .map(|e| (f64::from(e), 1.0 / f64::from(e + 1)))
            .collect();
        let figure = Figure {
            title: String::new(),
            panels: vec![Panel {
                x_label: "epoch".to_string(),
                y_label: "loss".to_string(),
                series: vec![Series {
                    label: "train".to_string(),
                    points,
                    band: None,
                }],
                ..Panel::default()
            }],
        };
        let svg = render_svg(&figure).expect("drawn").content;
        let found = titles(&curve_titles(&svg, &figure));
        assert!((150..=201).contains(&found.len()), "{}", found.len());
        assert_eq!(
            found.last().map(|t| t.0.as_str()),
            Some("train: epoch 1000, loss 9.99e-4")
        );
    }

    #[test]
    fn a_line_that_does_not_match_its_series_gets_no_titles() {
        let figure = curve(false);
        let svg = render_svg(&figure).expect("drawn").content;
        let mut other = figure.clone();
        // Same counts, but the values are not where the vertices are.
        other.panels[0].series[0].points[1].1 = 5.0;
        let found = titles(&curve_titles(&svg, &other));
        assert!(
            found.iter().all(|(t, _, _)| t.starts_with("b ")),
            "{found:?}"
        );
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn every_dot_gets_its_group_setting_and_value() {
        let figure = DotFigure {
            title: String::new(),
            panels: vec![DotPanel {
                title: "units".to_string(),
                x_label: "model.units".to_string(),
                y_label: "validation loss".to_string(),
                legend_title: "lr".to_string(),
                x: XScale::Categories(vec!["relu".to_string(), "tanh".to_string()]),
                groups: vec![DotGroup {
                    label: "0.1".to_string(),
                    dots: vec![(0.0, 0.2), (1.0, 0.1), (1.0, 0.15)],
                    ..DotGroup::default()
                }],
                ..DotPanel::default()
            }],
        };
        let svg = render_dots_svg(&figure).expect("drawn").content;
        let found = titles(&dot_titles(&svg, &figure));
        let labels: Vec<&str> = found.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(
            labels,
            [
                "lr 0.1: units relu, validation loss 0.2",
                "lr 0.1: units tanh, validation loss 0.1",
                "lr 0.1: units tanh, validation loss 0.15",
            ]
        );
        assert!(
            found[1].2 > found[0].2,
            "a lower loss is drawn lower: {found:?}"
        );
    }
}
