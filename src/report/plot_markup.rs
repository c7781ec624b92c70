//! A plot of `crate::plot` placed in the page: its SVG inline, so that it
//! shows without the script and without any other file.

use super::hover::{curve_titles, dot_titles};
use super::html::escape;
use crate::plot::{self, DotFigure, Figure, PlotError, Rendered};

/// A figure of curves as one SVG per panel, with exact values on hover
/// and, where a panel's values are all positive, a second drawing on a
/// logarithmic y axis and a checkbox that swaps the two. The swap is the
/// stylesheet's (`:has`), so it works without the script; both drawings are
/// in the page, which stays one self-contained file.
///
/// One SVG per panel lets the stylesheet lay panels out side by side on a
/// wide screen and one per row at a phone's width, each at the width of the
/// page, rather than shrink a row of panels to a stamp.
pub fn inline_curves(figure: &Figure, label: &str, caption: &str) -> String {
    let mut log = figure.clone();
    let mut any = false;
    for panel in &mut log.panels {
        // Accuracy is a share in [0, 1]: a log axis only distorts it.
        let positive = panel
            .series
            .iter()
            .flat_map(|s| &s.points)
            .all(|&(_, y)| y > 0.0 && y.is_finite());
        if positive && !panel.log_y && !panel.y_label.contains("accuracy") {
            panel.log_y = true;
            any = true;
        }
    }
    let panels = |figure: &Figure, label: &str| -> String {
        split_curves(figure)
            .iter()
            .map(|(title, one)| {
                svg_markup(
                    plot::render_svg(one).map(|svg| Rendered {
                        content: curve_titles(&svg.content, one),
                        ..svg
                    }),
                    &panel_label(label, title),
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let caption = figure_caption(&figure.title, caption);
    if !any {
        return format!(
            "<figure class=\"curves\">\n<div class=\"panels\">\n{}\n</div>\n<figcaption>{caption}</figcaption>\n</figure>\n",
            panels(figure, label)
        );
    }
    format!(
        "<figure class=\"curves\">\n\
         <label class=\"log-toggle\"><input type=\"checkbox\" class=\"log-y\"> Logarithmic y axis</label>\n\
         <div class=\"panels linear-y\">\n{}\n</div>\n<div class=\"panels log-y\">\n{}\n</div>\n\
         <figcaption>{caption}</figcaption>\n</figure>\n",
        panels(figure, label),
        panels(&log, &format!("{label}, logarithmic y axis")),
    )
}

/// A dot figure as one SVG per panel, a tooltip on every dot.
pub fn inline_dots(figure: &DotFigure, label: &str, caption: &str) -> String {
    let panels: Vec<String> = figure
        .panels
        .iter()
        .map(|panel| {
            let one = DotFigure {
                title: String::new(),
                panels: vec![panel.clone()],
            };
            svg_markup(
                plot::render_dots_svg(&one).map(|svg| Rendered {
                    content: dot_titles(&svg.content, &one),
                    ..svg
                }),
                &panel_label(label, &panel.title),
            )
        })
        .collect();
    format!(
        "<figure class=\"dots\">\n<div class=\"panels\">\n{}\n</div>\n<figcaption>{}</figcaption>\n</figure>\n",
        panels.join("\n"),
        figure_caption(&figure.title, caption)
    )
}

/// Each panel as a figure of its own, with its title; a shared legend is
/// then drawn beside each panel, so that each reads alone.
fn split_curves(figure: &Figure) -> Vec<(String, Figure)> {
    figure
        .panels
        .iter()
        .map(|panel| {
            (
                panel.title.clone(),
                Figure {
                    title: String::new(),
                    panels: vec![panel.clone()],
                },
            )
        })
        .collect()
}

fn panel_label(label: &str, title: &str) -> String {
    if title.is_empty() {
        label.to_string()
    } else {
        format!("{label}: {title}")
    }
}

/// The figure's title, which the split panels no longer draw, leads its caption.
fn figure_caption(title: &str, caption: &str) -> String {
    if title.is_empty() {
        escape(caption)
    } else {
        format!("<strong>{}.</strong> {}", escape(title), escape(caption))
    }
}

/// The SVG with a class and an accessible name on its root element. A
/// plot that cannot be drawn becomes a note in its place: one plot never
/// costs the whole report.
fn svg_markup(rendered: Result<Rendered<String>, PlotError>, label: &str) -> String {
    match rendered {
        // The SVG's own text is escaped by the plot module; only the root
        // element gains a class and an accessible name. The drawn width
        // caps how wide the stylesheet lets it grow.
        Ok(svg) => svg
            .content
            .replacen(
                "<svg ",
                &format!(
                    "<svg class=\"plot\" role=\"img\" aria-label=\"{}\" \
                     style=\"--natural-width: {}px\" ",
                    escape(label),
                    svg.width
                ),
                1,
            )
            .trim_end()
            .to_string(),
        Err(error) => format!(
            "<p class=\"note\">The plot could not be drawn: {}</p>",
            escape(&error.to_string())
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::{Panel, Series};

    #[test]
    fn a_plot_is_inlined_with_an_accessible_name_and_its_drawn_width() {
        let figure = Figure {
            title: String::new(),
            panels: vec![Panel {
                title: "loss".to_string(),
                x_label: "epoch".to_string(),
                y_label: "loss".to_string(),
                series: vec![Series {
                    label: "a <b>".to_string(),
                    points: vec![(1.0, 1.0), (2.0, 0.5)],
                    band: None,
                }],
                log_y: false,
                ..Panel::default()
            }],
        };
        let html = inline_curves(&figure, "Loss of \"x\"", "A caption & more");
        let linear = html
            .split("<div class=\"panels linear-y\">\n")
            .nth(1)
            .expect("a linear drawing");
        assert!(
            linear.starts_with(
                "<svg class=\"plot\" role=\"img\" aria-label=\"Loss of &quot;x&quot;: loss\" \
                 style=\"--natural-width: 600px\" width=\"600\""
            ),
            "{html}"
        );
        let log = html
            .split("<div class=\"panels log-y\">\n")
            .nth(1)
            .expect("a logarithmic drawing");
        assert!(log.starts_with(
            "<svg class=\"plot\" role=\"img\" aria-label=\"Loss of &quot;x&quot;, logarithmic y axis: loss\""
        ));
        assert!(html.contains("<input type=\"checkbox\" class=\"log-y\">"));
        assert!(html.contains("a &lt;b&gt;"));
        assert!(html.contains("<title>a &lt;b&gt;: epoch 2, loss 0.5</title>"));
        assert!(html.ends_with("<figcaption>A caption &amp; more</figcaption>\n</figure>\n"));
    }

    #[test]
    fn accuracy_and_curves_through_zero_get_no_logarithmic_drawing() {
        let panel = |y_label: &str, low: f64| Panel {
            title: "t".to_string(),
            x_label: "epoch".to_string(),
            y_label: y_label.to_string(),
            series: vec![Series {
                label: "train".to_string(),
                points: vec![(1.0, low), (2.0, 0.9)],
                band: None,
            }],
            ..Panel::default()
        };
        for figure in [
            Figure {
                title: String::new(),
                panels: vec![panel("accuracy", 0.5)],
            },
            Figure {
                title: String::new(),
                panels: vec![panel("loss", 0.0)],
            },
        ] {
            let html = inline_curves(&figure, "x", "y");
            assert!(!html.contains("log-y"), "{html}");
            assert_eq!(html.matches("<svg ").count(), 1);
        }
    }
}
