//! The renderer as a whole: what a drawn figure contains, its size, and
//! that odd data never stops it.

use super::draw::{LEGEND_BESIDE_WIDTH, MAX_PANELS, PANEL_WIDTH};
use super::legend::MAX_LEGEND_INSIDE;
use super::model::clean_text;
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
