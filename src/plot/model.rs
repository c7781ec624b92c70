//! What a figure is: a grid of panels of labelled series, as callers build
//! it. Nothing here knows how it will be drawn.

/// Titled panels, side by side, in rows of three (two for four panels)
/// when there are more than three.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figure {
    pub title: String,
    pub panels: Vec<Panel>,
}

/// One chart: its own axes, series and legend.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Panel {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// Logarithmic y axis; non-positive values are left out. Without it the
    /// axis is still logarithmic where the data, all positive, span more
    /// than two decades: a linear one would flatten all but the largest.
    pub log_y: bool,
    /// Dashed horizontal lines across the panel, named in the legend: what
    /// the curves should be read against, such as a baseline.
    pub references: Vec<Reference>,
    /// Dotted vertical lines, labelled at the top: epochs worth pointing
    /// at, such as the best one.
    pub markers: Vec<Marker>,
    /// Said in the middle of a panel that has no data, instead of "no
    /// data": why there is none. One line per `\n`.
    pub note: String,
    /// Each series' look, by position: colour `style % 10`, then line style
    /// `style / 10` (solid, dashed, dotted, …); a series without one takes
    /// its index. Lets a name keep one look in every panel of a figure.
    pub styles: Vec<usize>,
    /// The legend is drawn once for the whole figure, beside the panels,
    /// merging by label the entries of every panel that sets this, instead
    /// of one legend per panel: small multiples share one key.
    pub shared_legend: bool,
    /// What the bands are ("mean ± std over seeds"), named in the legend
    /// with a grey band swatch; empty where nothing needs saying.
    pub band_label: String,
    /// Values (lowest, highest) the y axis covers besides the panel's own:
    /// small multiples given the same range share one y axis, so heights
    /// compare across panels.
    pub y_covers: Option<(f64, f64)>,
}

/// A horizontal line at `y`, dashed, in the legend as `label`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reference {
    pub label: String,
    pub y: f64,
}

/// A vertical line at `x`, dotted, with `label` written beside its top.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marker {
    pub label: String,
    pub x: f64,
}

/// A line, drawn through `points` in the given order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    /// Shown in the legend; an empty label keeps the series out of it.
    pub label: String,
    pub points: Vec<(f64, f64)>,
    /// `(x, low, high)`: a translucent band in the series colour drawn under
    /// the line, e.g. mean ± std over seeds.
    pub band: Option<Vec<(f64, f64, f64)>>,
}

/// Lines longer than this would stretch the legend or label areas.
const MAX_TEXT_CHARS: usize = 80;

/// Control characters would corrupt SVG text; very long text is cut.
pub(super) fn clean_text(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(MAX_TEXT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(MAX_TEXT_CHARS).is_some() {
        out.push('…');
    }
    out.trim().to_string()
}
