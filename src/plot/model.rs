//! What a figure is: a row of panels of labelled series, as callers build
//! it. Nothing here knows how it will be drawn.

/// A titled row of panels, laid out side by side.
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
    /// Logarithmic y axis; non-positive values are left out.
    pub log_y: bool,
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
