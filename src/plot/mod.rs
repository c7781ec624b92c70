//! Plots as PNG and SVG: pure views of exported numbers.
//!
//! A [`Figure`] is a grid of [`Panel`]s, with a legend of their own or one
//! shared beside them; a panel holds labelled (x, y) [`Series`], each in
//! one of fifty looks (ten colours × five line styles), optionally with a
//! shaded band, dashed [`Reference`]
//! lines (a baseline) and labelled [`Marker`]s (the best epoch). This module knows nothing
//! about training, only how numbers should look, and it never panics on odd
//! data: non-finite or off-scale points are skipped (the line breaks there),
//! a log axis drops non-positive values (or falls back to linear when nothing
//! positive is left), and empty or flat data still gets sensible axes: a
//! nearly flat line is drawn flat, not stretched into a steep one, and data
//! over more than two decades get a logarithmic axis.
//!
//! A figure renders to bytes and its size ([`Rendered`]); it never touches
//! the disk, so callers write it through `results::atomic` like every other
//! result file. In the order a figure goes through them:
//!
//! - `model`: the figure as callers build it;
//! - `prepare`: each panel reduced to the points drawn and the axis ranges;
//! - `ticks`: tick positions and labels, linear and logarithmic;
//! - `legend`: what the legend names and where it goes;
//! - `draw`: layout, styles, axes and series, on any plotters backend;
//! - `encode`: the PNG and SVG bytes.
//!
//! Beside the line figures, `heatmap` draws a grid of counts (a confusion
//! matrix) with the same fonts, colours and encoding, and `dots` draws
//! observations against a setting (dots, mean ± std bars, categories), and
//! `function` draws what a network answers over one or two of its inputs.
//! `network` draws a network's weights and biases (`network_layout` places
//! them).
//! `stacked` draws panels one above the other on one shared x axis.

mod dots;
mod draw;
mod encode;
mod function;
mod heatmap;
mod legend;
mod model;
mod network;
mod network_layout;
mod prepare;
mod stacked;
mod ticks;

#[cfg(test)]
mod tests;

pub use dots::{DotFigure, DotGroup, DotPanel, MeanBar, XScale, render_dots_png, render_dots_svg};
pub use draw::MAX_PANELS;
pub use encode::{Rendered, render_png, render_svg};
pub use function::{
    ColourBar, Curve, Dot, FunctionFigure, FunctionPanel, LegendItem, Look, Plane, Shade, View,
    render_function_png, render_function_svg,
};
pub use heatmap::{Heatmap, render_heatmap_png, render_heatmap_svg};
pub use model::{Figure, Marker, Panel, Reference, Series};
pub use network::{
    DiagramLayer, MAX_DRAWN_UNITS, NetworkDiagram, NetworkPanel, render_network_png,
    render_network_svg,
};
pub use stacked::{MAX_STACKED, Stacked, render_stacked_png, render_stacked_svg};

/// Why a figure could not be drawn. Never the user's fault: writing the
/// drawn bytes is the caller's business, and its errors are its own.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("cannot load the plot font embedded from assets/DejaVuSans.ttf")]
    Font,
    #[error("cannot plot {count} panels in one figure (at most {max})")]
    TooManyPanels { count: usize, max: usize },
    #[error("cannot draw the {format} plot: {message}")]
    Draw {
        format: &'static str,
        message: String,
    },
    #[error("cannot encode the PNG plot: {0}")]
    Encode(String),
}
