//! The renderer as a whole: what a drawn figure contains, its size, and
//! that odd data never stops it.

use super::draw::{LEGEND_BESIDE_WIDTH, MAX_PANELS, PANEL_WIDTH};
use super::legend::MAX_LEGEND_INSIDE;
use super::model::clean_text;
use super::prepare;
use super::*;

fn series(label: &str, points: &[(f64, f64)]) -> Series {
    Series {
        label: label.to_string(),
        points: points.to_vec(),
        band: None,
    }
}

fn panel(title: &str, series: Vec<Series>) -> Panel {
    Panel {
        title: title.to_string(),
        x_label: "epoch".to_string(),
        y_label: "loss".to_string(),
        series,
        log_y: false,
        ..Panel::default()
    }
}

fn curve(start: f64, rate: f64, epochs: usize) -> Vec<(f64, f64)> {
    (1..=epochs)
        .map(|e| (e as f64, start * crate::math::exp(-rate * e as f64) + 0.05))
        .collect()
}

fn two_panel_figure() -> Figure {
    Figure {
        title: "Run xor-3f2a".to_string(),
        panels: vec![
            Panel {
                title: "Cost per epoch".to_string(),
                x_label: "epoch".to_string(),
                y_label: "cost (sum of losses)".to_string(),
                series: vec![series("train", &curve(120.0, 0.08, 60))],
                log_y: false,
                ..Panel::default()
            },
            Panel {
                title: "Mean loss per example".to_string(),
                x_label: "epoch".to_string(),
                y_label: "mean loss".to_string(),
                series: vec![
                    series("train", &curve(0.9, 0.08, 60)),
                    series("validation", &curve(1.0, 0.06, 60)),
                ],
                log_y: false,
                ..Panel::default()
            },
        ],
    }
}

fn band_figure() -> Figure {
    let make = |label: &str, start: f64, rate: f64, spread: f64| {
        let points = curve(start, rate, 80);
        let band = points
            .iter()
            .map(|&(x, y)| (x, y - spread * y, y + spread * y))
            .collect();
        Series {
            label: label.to_string(),
            points,
            band: Some(band),
        }
    };
    Figure {
        title: "Sweep lr (3 seeds each)".to_string(),
        panels: vec![Panel {
            title: "Validation loss, mean ± std".to_string(),
            x_label: "epoch".to_string(),
            y_label: "mean loss".to_string(),
            series: vec![
                make("lr = 0.01", 1.0, 0.02, 0.15),
                make("lr = 0.1", 1.0, 0.07, 0.25),
                make("lr = 0.5", 1.2, 0.15, 0.4),
            ],
            log_y: false,
            ..Panel::default()
        }],
    }
}

fn degenerate_panels() -> Vec<Panel> {
    let nan = f64::NAN;
    let inf = f64::INFINITY;
    let mut log_zeros = panel(
        "log with zeros",
        vec![series(
            "a",
            &[(1.0, 0.0), (2.0, 0.5), (3.0, -1.0), (4.0, 0.01)],
        )],
    );
    log_zeros.log_y = true;
    let mut log_all_zero = panel("log all zero", vec![series("a", &[(1.0, 0.0), (2.0, 0.0)])]);
    log_all_zero.log_y = true;
    let mut log_flat = panel("log flat", vec![series("a", &[(1.0, 0.3), (2.0, 0.3)])]);
    log_flat.log_y = true;
    let mut log_band = panel(
        "log band below zero",
        vec![Series {
            label: "a".to_string(),
            points: vec![(1.0, 1.0), (2.0, 0.1)],
            band: Some(vec![(1.0, -1.0, 2.0), (2.0, 0.05, 0.2), (3.0, nan, 1.0)]),
        }],
    );
    log_band.log_y = true;
    vec![
        panel("no series", vec![]),
        panel("empty series", vec![series("a", &[]), series("", &[])]),
        panel("one point", vec![series("a", &[(3.0, 0.25)])]),
        panel("one zero point", vec![series("a", &[(0.0, 0.0)])]),
        panel(
            "nan and inf",
            vec![series(
                "a",
                &[
                    (1.0, nan),
                    (2.0, 1.0),
                    (nan, 2.0),
                    (3.0, inf),
                    (4.0, 0.5),
                    (inf, inf),
                ],
            )],
        ),
        panel(
            "only nan",
            vec![series("a", &[(nan, nan), (1.0, f64::NEG_INFINITY)])],
        ),
        panel(
            "all equal",
            vec![series("a", &[(1.0, 7.0), (2.0, 7.0), (3.0, 7.0)])],
        ),
        panel("same x", vec![series("a", &[(2.0, 1.0), (2.0, 3.0)])]),
        panel(
            "huge",
            vec![series("a", &[(1.0, 1e149), (2.0, -1e149), (3.0, f64::MAX)])],
        ),
        panel(
            "tiny",
            vec![series("a", &[(1e-310, 1e-310), (2e-310, 3e-310)])],
        ),
        panel(
            "nearly flat",
            vec![series("a", &[(1.0, 1e10), (2.0, 1e10 + 1e-6)])],
        ),
        log_zeros,
        log_all_zero,
        log_flat,
        log_band,
        panel(
            "odd band",
            vec![Series {
                label: "a\nb<c>&\u{0}".to_string(),
                points: vec![(1.0, 1.0)],
                band: Some(vec![
                    (1.0, 2.0, 0.0),
                    (nan, 0.0, 1.0),
                    (2.0, 1.0, 1.0),
                    (3.0, inf, 0.0),
                ]),
            }],
        ),
        panel(
            "many series",
            (0..30)
                .map(|i| series(&format!("run {i}"), &curve(1.0, 0.01 * i as f64, 10)))
                .collect(),
        ),
        Panel {
            title: "x".repeat(1000),
            x_label: String::new(),
            y_label: String::new(),
            series: vec![series(&"long ".repeat(100), &[(1.0, 1.0), (2.0, 2.0)])],
            log_y: false,
            ..Panel::default()
        },
    ]
}

fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    if bytes.len() < 24 || bytes[..8] != SIGNATURE || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let read =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    Some((read(16), read(20)))
}

/// The SVG's own `width` and `height`, as its root element states them.
fn svg_size(svg: &str) -> Option<(u32, u32)> {
    let tag = svg.get(..svg.find('>')?)?;
    let attribute = |name: &str| -> Option<u32> {
        let rest = tag.split_once(&format!(" {name}=\""))?.1;
        rest.split_once('"')?.0.parse().ok()
    };
    Some((attribute("width")?, attribute("height")?))
}

#[test]
fn svg_contains_titles_axis_labels_and_legend() {
    let svg = render_svg(&two_panel_figure()).unwrap().content;
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(200)]);
    for text in [
        "Run xor-3f2a",
        "Cost per epoch",
        "Mean loss per example",
        "epoch",
        "cost (sum of losses)",
        "mean loss",
        ">\ntrain\n<",
        ">\nvalidation\n<",
    ] {
        assert!(svg.contains(text), "missing {text:?}");
    }
    assert!(svg.contains(r#"width="1200" height="494""#));
}

#[test]
fn svg_is_deterministic() {
    let figure = band_figure();
    assert_eq!(render_svg(&figure).unwrap(), render_svg(&figure).unwrap());
    let figure = two_panel_figure();
    assert_eq!(render_svg(&figure).unwrap(), render_svg(&figure).unwrap());
}

#[test]
fn both_formats_report_the_size_they_were_drawn_at() {
    let mut untitled = two_panel_figure();
    untitled.title.clear();
    for (figure, size) in [
        (two_panel_figure(), (1200, 494)),
        (band_figure(), (600, 494)),
        (untitled, (1200, 450)),
    ] {
        let png = render_png(&figure).unwrap();
        assert_eq!(png_size(&png.content), Some(size));
        assert_eq!((png.width, png.height), size);
        let svg = render_svg(&figure).unwrap();
        assert_eq!(svg_size(&svg.content), Some(size));
        assert_eq!((svg.width, svg.height), size);
    }
}

#[test]
fn degenerate_inputs_still_render() {
    for (i, panel) in degenerate_panels().into_iter().enumerate() {
        let figure = Figure {
            title: format!("case {i}"),
            panels: vec![panel.clone()],
        };
        let svg = render_svg(&figure).unwrap_or_else(|e| panic!("{}: {e}", panel.title));
        assert!(svg.content.contains("</svg>"), "{}", panel.title);
        let png = render_png(&figure).unwrap_or_else(|e| panic!("{}: {e}", panel.title));
        let labelled = panel
            .series
            .iter()
            .filter(|s| !clean_text(&s.label).is_empty())
            .count();
        let width = if labelled > MAX_LEGEND_INSIDE {
            PANEL_WIDTH + LEGEND_BESIDE_WIDTH
        } else {
            PANEL_WIDTH
        };
        assert_eq!(png_size(&png.content), Some((width, 494)));
        assert_eq!((svg.width, svg.height), (width, 494));
    }
    let empty = Figure::default();
    assert!(render_svg(&empty).unwrap().content.contains("no data"));
    render_png(&empty).unwrap();
}

#[test]
fn control_characters_never_reach_the_svg() {
    let figure = Figure {
        title: "a\u{0}b\u{7}c".to_string(),
        panels: vec![panel(
            "t\u{1b}",
            vec![series("x<y>&\"z\"", &[(1.0, 1.0), (2.0, 2.0)])],
        )],
    };
    let svg = render_svg(&figure).unwrap().content;
    assert!(!svg.chars().any(|c| c.is_control() && c != '\n'));
    assert!(svg.contains("x&lt;y&gt;&amp;&quot;z&quot;"));
}

#[test]
fn text_too_long_for_its_room_is_cut() {
    let long = "word ".repeat(40);
    let figure = Figure {
        title: long.clone(),
        panels: vec![Panel {
            title: long.clone(),
            x_label: long.clone(),
            y_label: long.clone(),
            series: vec![series(&long, &[(1.0, 1.0), (2.0, 2.0)])],
            log_y: false,
            ..Panel::default()
        }],
    };
    let svg = render_svg(&figure).unwrap().content;
    assert!(!svg.contains(long.trim()));
    // The figure and panel titles, both axis labels and the legend.
    assert_eq!(svg.matches('…').count(), 5, "{svg}");
}

#[test]
fn too_many_panels_is_an_error() {
    let figure = Figure {
        title: String::new(),
        panels: vec![Panel::default(); MAX_PANELS + 1],
    };
    let error = render_svg(&figure).unwrap_err();
    assert!(error.to_string().contains("13 panels"), "{error}");
}

/// The text of every `<text>` element of an SVG, in order.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|rest| {
            let body = rest.split_once('>')?.1;
            Some(body.split_once("</text>")?.0.trim().replace("&quot;", "\""))
        })
        .collect()
}

/// The points of every `<polyline>` drawn in `stroke`, each as pixel pairs.
fn svg_polylines(svg: &str, stroke: &str) -> Vec<Vec<(f64, f64)>> {
    svg.split("<polyline")
        .skip(1)
        .filter_map(|rest| {
            let tag = rest.split_once("/>")?.0;
            if !tag.contains(&format!("stroke=\"{stroke}\"")) {
                return None;
            }
            let points = tag.split_once("points=\"")?.1.split_once('"')?.0;
            points
                .split_whitespace()
                .map(|pair| {
                    let (x, y) = pair.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect()
        })
        .collect()
}

fn with_baseline(points: &[(f64, f64)], baseline: f64) -> Panel {
    Panel {
        references: vec![Reference {
            label: format!("always \"no\" {baseline}"),
            y: baseline,
        }],
        ..panel("Accuracy", vec![series("validation", points)])
    }
}

#[test]
fn a_reference_is_a_dashed_line_across_the_plot_named_in_the_legend() {
    let points: Vec<(f64, f64)> = (1..=40).map(|e| (e as f64, 0.9 - 0.2 / e as f64)).collect();
    let figure = Figure {
        title: String::new(),
        panels: vec![with_baseline(&points, 0.717)],
    };
    let svg = render_svg(&figure).unwrap().content;
    assert!(svg_texts(&svg).contains(&"always \"no\" 0.717".to_string()));
    // #141414 is the reference colour: its dashes in the plot, one in the
    // legend's swatch.
    let dashes = svg_polylines(&svg, "#141414");
    let widest = dashes
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.0), hi.max(p.0))
        });
    assert!(dashes.len() >= 30, "{} dashes", dashes.len());
    assert!(widest.1 - widest.0 > 450.0, "spans {widest:?}");
    for dash in &dashes {
        assert_eq!(dash.len(), 2, "{dash:?}");
        assert_eq!(dash[0].1, dash[1].1, "not horizontal: {dash:?}");
        assert!((dash[1].0 - dash[0].0).abs() <= 8.0, "not a dash: {dash:?}");
    }
    // All the plot's dashes at one height: the baseline's.
    let plot_heights: std::collections::BTreeSet<i64> =
        dashes.iter().map(|d| d[0].1 as i64).collect();
    assert!(plot_heights.len() <= 2, "{plot_heights:?}");
}

#[test]
fn a_nearly_flat_line_is_drawn_flat() {
    // Heart at learning rate 100: a cost between 502.00 and 502.09.
    let flat: Vec<(f64, f64)> = (1..=100)
        .map(|e| (e as f64, 502.09 - 0.0009 * e as f64))
        .collect();
    let alone = prepare::prepare(&panel("Cost", vec![series("train cost", &flat)]));
    assert!(
        alone.y_range.0 <= 0.0 && alone.y_range.1 >= 502.09,
        "{:?}",
        alone.y_range
    );
    let figure = Figure {
        title: String::new(),
        panels: vec![panel("Cost", vec![series("train cost", &flat)])],
    };
    let texts = svg_texts(&render_svg(&figure).unwrap().content);
    assert!(texts.contains(&"0".to_string()), "{texts:?}");
    assert!(texts.contains(&"500".to_string()), "{texts:?}");

    // With a reference line, the axis reaches it, which is enough.
    let accuracy: Vec<(f64, f64)> = (1..=100).map(|e| (e as f64, 0.2829)).collect();
    let judged = prepare::prepare(&with_baseline(&accuracy, 0.717));
    assert!(
        judged.y_range.0 < 0.2829 && judged.y_range.1 > 0.717,
        "{:?}",
        judged.y_range
    );
    assert!(judged.y_range.0 > 0.2, "{:?}", judged.y_range);
    // A line that does move keeps its own range.
    let moving = prepare::prepare(&panel("Loss", vec![series("train", &curve(1.0, 0.1, 50))]));
    assert!(moving.y_range.0 > 0.0, "{:?}", moving.y_range);
}

#[test]
fn data_over_two_decades_get_a_log_axis() {
    let falling: Vec<(f64, f64)> = (0..=40)
        .map(|e| {
            (
                e as f64,
                1000.0 * crate::math::pow(10.0, -(e as f64) / 10.0),
            )
        })
        .collect();
    let prepared = prepare::prepare(&panel("Loss", vec![series("train", &falling)]));
    assert!(prepared.log_y);
    let figure = Figure {
        title: String::new(),
        panels: vec![panel("Loss", vec![series("train", &falling)])],
    };
    let texts = svg_texts(&render_svg(&figure).unwrap().content);
    for decade in ["0.1", "1", "10", "100", "1000"] {
        assert!(texts.contains(&decade.to_string()), "{decade}: {texts:?}");
    }
    // Two decades exactly, or anything not positive, stays linear.
    let two: Vec<(f64, f64)> = vec![(1.0, 100.0), (2.0, 1.0)];
    assert!(!prepare::prepare(&panel("", vec![series("", &two)])).log_y);
    let signed: Vec<(f64, f64)> = vec![(1.0, 1000.0), (2.0, 0.1), (3.0, -1.0)];
    assert!(!prepare::prepare(&panel("", vec![series("", &signed)])).log_y);
}

#[test]
fn every_finite_point_of_a_diverging_curve_is_drawn() {
    // A diverging sine run's training loss (metrics.csv, sgd, rate 1).
    let points = [
        (1.0, 5.088770037726468e46),
        (2.0, 1.8979976148207255e100),
        (3.0, 1.4839370551732624e154),
        (4.0, 1.0649087488490084e208),
        (5.0, 7.7e261),
    ];
    let prepared = prepare::prepare(&panel("Loss", vec![series("train", &points)]));
    assert_eq!(prepared.series[0].point_count, 5);
    assert_eq!(prepared.series[0].lines.len(), 1);
    // On a linear axis too, where the values are within two decades.
    let high = [(1.0, 1e250), (2.0, 3e250), (3.0, 9e250)];
    let prepared = prepare::prepare(&panel("Loss", vec![series("train", &high)]));
    assert!(!prepared.log_y);
    assert_eq!(prepared.series[0].point_count, 3);
    let figure = Figure {
        title: String::new(),
        panels: vec![panel("Loss", vec![series("train", &high)])],
    };
    assert!(render_png(&figure).is_ok());
}

#[test]
fn a_panel_without_data_says_why() {
    let figure = Figure {
        title: "sine".to_string(),
        panels: vec![Panel {
            title: "Training diverged".to_string(),
            note: "Training diverged at epoch 1, batch 3:\nthe loss is inf.".to_string(),
            ..Panel::default()
        }],
    };
    let rendered = render_svg(&figure).unwrap();
    assert_eq!(rendered.width, PANEL_WIDTH);
    let texts = svg_texts(&rendered.content);
    assert!(texts.contains(&"Training diverged at epoch 1, batch 3:".to_string()));
    assert!(texts.contains(&"the loss is inf.".to_string()));
    assert!(!texts.contains(&"no data".to_string()));
    assert!(render_png(&figure).is_ok());
}

#[test]
fn markers_are_labelled() {
    let panel = Panel {
        markers: vec![
            Marker {
                label: "best epoch 16".to_string(),
                x: 16.0,
            },
            Marker {
                label: "restored epoch 20".to_string(),
                x: 20.0,
            },
        ],
        ..panel("Loss", vec![series("train", &curve(1.0, 0.1, 26))])
    };
    let figure = Figure {
        title: String::new(),
        panels: vec![panel],
    };
    let texts = svg_texts(&render_svg(&figure).unwrap().content);
    assert!(texts.contains(&"best epoch 16".to_string()), "{texts:?}");
    assert!(
        texts.contains(&"restored epoch 20".to_string()),
        "{texts:?}"
    );
}
