//! A plot of `crate::plot` placed in the page: its SVG inline, so that it
//! shows without the script and without any other file.

use super::html::escape;
use crate::plot::{self, Figure, PlotError, Rendered};

/// `<figure>` holding the figure's SVG, labelled for screen readers, with a
/// visible caption. A figure that cannot be drawn becomes a note in its
/// place: one plot never costs the whole report.
pub fn inline_svg(figure: &Figure, label: &str, caption: &str) -> String {
    inline_rendered(plot::render_svg(figure), label, caption)
}

/// As `inline_svg`, for an SVG already drawn by any of the plot module's
/// renderers (curves, dots), so that every plot in the page is marked up
/// the same way.
pub fn inline_rendered(
    rendered: Result<Rendered<String>, PlotError>,
    label: &str,
    caption: &str,
) -> String {
    let body = match rendered {
        // The SVG's own text is escaped by the plot module; only the root
        // element gains a class and an accessible name.
        // The drawn width lets a phone's stylesheet keep the plot legible
        // and scroll it rather than shrink it to a stamp.
        Ok(svg) => svg.content.replacen(
            "<svg ",
            &format!(
                "<svg class=\"plot\" role=\"img\" aria-label=\"{}\" \
                 style=\"--natural-width: {}px\" ",
                escape(label),
                svg.width
            ),
            1,
        ),
        Err(error) => format!(
            "<p class=\"note\">The plot could not be drawn: {}</p>",
            escape(&error.to_string())
        ),
    };
    format!(
        "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        body.trim_end(),
        escape(caption)
    )
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
        let html = inline_svg(&figure, "Loss of \"x\"", "A caption & more");
        assert!(
            html.starts_with(
                "<figure>\n<svg class=\"plot\" role=\"img\" aria-label=\"Loss of &quot;x&quot;\" \
                 style=\"--natural-width: 600px\" width=\"600\""
            ),
            "{html}"
        );
        assert!(html.contains("a &lt;b&gt;"));
        assert!(html.ends_with("<figcaption>A caption &amp; more</figcaption>\n</figure>\n"));
    }
}
