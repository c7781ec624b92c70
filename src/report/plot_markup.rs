//! A plot of `results::plot` placed in the page: its SVG inline, so that it
//! shows without the script and without any other file.

use super::html::escape;
use crate::results::plot::{self, Figure};

/// `<figure>` holding the figure's SVG, labelled for screen readers, with a
/// visible caption. A figure that cannot be drawn becomes a note in its
/// place: one plot never costs the whole report.
pub fn inline_svg(figure: &Figure, label: &str, caption: &str) -> String {
    let body = match plot::render_svg(figure) {
        // The SVG's own text is escaped by the plot module; only the root
        // element gains a class and an accessible name.
        Ok(svg) => svg.replacen(
            "<svg ",
            &format!(
                "<svg class=\"plot\" role=\"img\" aria-label=\"{}\" ",
                escape(label)
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
