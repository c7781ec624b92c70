//! A panel reduced to what is drawn: points on the axis scale, broken where
//! a value cannot be shown, and the ranges the axes must cover.

use super::model::{Panel, clean_text};
use super::ticks::{Extent, padded};

/// Coordinates beyond this are treated as off-scale: their differences and
/// margins must stay finite. It is far above anything a run that has not
/// overflowed writes, so that every finite row of a diverging run is drawn.
const VALUE_LIMIT: f64 = 1e300;

/// Data, all positive, spanning more than this ratio get a log axis.
const LOG_RATIO: f64 = 100.0;

/// A linear axis whose data span less than this fraction of their size is
/// widened to a reference line, or to zero: stretched to the full height,
/// noise in the fifth digit would look like a steep fall.
const FLAT_FRACTION: f64 = 0.01;

/// A series reduced to what is drawn: coordinates already on the axis scale
/// (log10 of y on a log axis), split wherever a point had to be left out.
pub(super) struct PreparedSeries {
    pub(super) label: String,
    /// Colour and line style (`Panel::styles`).
    pub(super) style: usize,
    pub(super) lines: Vec<Vec<(f64, f64)>>,
    pub(super) bands: Vec<Vec<(f64, f64, f64)>>,
    pub(super) has_band: bool,
    pub(super) point_count: usize,
}

/// A reference line on the axis scale.
pub(super) struct PreparedReference {
    pub(super) label: String,
    pub(super) y: f64,
}

pub(super) struct PreparedPanel {
    pub(super) series: Vec<PreparedSeries>,
    pub(super) references: Vec<PreparedReference>,
    /// `(x, label)`.
    pub(super) markers: Vec<(f64, String)>,
    /// The lines said where there is no data.
    pub(super) note: Vec<String>,
    pub(super) x_range: (f64, f64),
    pub(super) y_range: (f64, f64),
    pub(super) log_y: bool,
    pub(super) x_integral: bool,
    pub(super) empty: bool,
    pub(super) shared_legend: bool,
    pub(super) band_label: String,
}

/// A band piece whose low end may still be the bottom of a log axis.
pub(super) type OpenBand = Vec<(f64, Option<f64>, f64)>;

pub(super) fn finite_coord(v: f64) -> Option<f64> {
    (v.is_finite() && v.abs() <= VALUE_LIMIT).then_some(v)
}

/// Whether the drawn values of the panel's lines are all positive and span
/// more than two decades.
fn spans_decades(panel: &Panel) -> bool {
    let mut extent = Extent::default();
    // A shared range counts where it is positive: a band reaching below
    // zero would fall to the bottom of a log axis, as in the panel itself.
    for y in panel.y_covers.iter().flat_map(|&(low, high)| [low, high]) {
        if y.is_finite() && y > 0.0 {
            extent.add(y);
        }
    }
    for s in &panel.series {
        for &(x, y) in &s.points {
            if finite_coord(x).is_some() && y.is_finite() {
                if y <= 0.0 {
                    return false;
                }
                extent.add(y);
            }
        }
    }
    !extent.is_empty() && extent.max > extent.min * LOG_RATIO
}

pub(super) fn prepare(panel: &Panel) -> PreparedPanel {
    // A log axis needs something positive to show; otherwise draw linear
    // rather than an empty chart.
    let log_y = (panel.log_y || spans_decades(panel))
        && panel.series.iter().any(|s| {
            s.points
                .iter()
                .any(|&(x, y)| finite_coord(x).is_some() && y.is_finite() && y > 0.0)
        });
    let to_y = |y: f64| -> Option<f64> {
        if log_y {
            (y.is_finite() && y > 0.0).then(|| crate::math::log10(y))
        } else {
            finite_coord(y)
        }
    };

    let mut series = Vec::with_capacity(panel.series.len());
    let mut x_ext = Extent::default();
    let mut y_ext = Extent::default();
    let mut x_integral = true;
    // Log-axis bands whose low end is not positive reach down to the bottom
    // of the axis, known only once every value has been seen.
    let mut open_bands: Vec<Vec<OpenBand>> = Vec::new();

    for (index, s) in panel.series.iter().enumerate() {
        let mut lines = Vec::new();
        let mut current = Vec::new();
        let mut point_count = 0;
        for &(x, y) in &s.points {
            match (finite_coord(x), to_y(y)) {
                (Some(x), Some(y)) => {
                    x_ext.add(x);
                    y_ext.add(y);
                    x_integral &= x.fract() == 0.0;
                    current.push((x, y));
                    point_count += 1;
                }
                _ => {
                    if !current.is_empty() {
                        lines.push(std::mem::take(&mut current));
                    }
                }
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }

        let mut bands = Vec::new();
        let mut current = Vec::new();
        for &(x, a, b) in s.band.iter().flatten() {
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            let kept = finite_coord(x).and_then(|x| {
                if log_y {
                    let high = to_y(high)?;
                    let low = if low.is_nan() { return None } else { to_y(low) };
                    Some((x, low, high))
                } else {
                    Some((x, Some(to_y(low)?), to_y(high)?))
                }
            });
            match kept {
                Some((x, low, high)) => {
                    x_ext.add(x);
                    y_ext.add(high);
                    if let Some(low) = low {
                        y_ext.add(low);
                    }
                    x_integral &= x.fract() == 0.0;
                    current.push((x, low, high));
                }
                None => {
                    if !current.is_empty() {
                        bands.push(std::mem::take(&mut current));
                    }
                }
            }
        }
        if !current.is_empty() {
            bands.push(current);
        }
        open_bands.push(bands);

        series.push(PreparedSeries {
            label: clean_text(&s.label),
            style: panel.styles.get(index).copied().unwrap_or(index),
            lines,
            bands: Vec::new(),
            has_band: s.band.is_some(),
            point_count,
        });
    }

    // Lines that do not extend the axes cannot make a panel worth drawing:
    // the axes and the references are both drawn only with data.
    let empty = x_ext.is_empty() || y_ext.is_empty();
    let references: Vec<PreparedReference> = panel
        .references
        .iter()
        .filter_map(|r| {
            Some(PreparedReference {
                label: clean_text(&r.label),
                y: to_y(r.y)?,
            })
        })
        .collect();
    for r in &references {
        y_ext.add(r.y);
    }
    // A range shared with other panels, only where this one has data.
    if !empty {
        for y in panel.y_covers.iter().flat_map(|&(low, high)| [low, high]) {
            if let Some(y) = to_y(y) {
                y_ext.add(y);
            }
        }
    }
    let markers: Vec<(f64, String)> = panel
        .markers
        .iter()
        .filter_map(|m| Some((finite_coord(m.x)?, clean_text(&m.label))))
        .collect();
    for (x, _) in &markers {
        x_ext.add(*x);
    }
    if !empty
        && !log_y
        && y_ext.max - y_ext.min < FLAT_FRACTION * y_ext.min.abs().max(y_ext.max.abs())
    {
        y_ext.add(0.0);
    }
    let (x_range, y_range) = if empty {
        ((0.0, 1.0), (0.0, 1.0))
    } else {
        let x_flat = if x_integral { 1.0 } else { 0.0 };
        let y_flat = if log_y { 0.05 } else { 0.0 };
        (
            padded(x_ext.min, x_ext.max, 0.02, x_flat),
            padded(y_ext.min, y_ext.max, 0.06, y_flat),
        )
    };
    for (prepared, bands) in series.iter_mut().zip(open_bands) {
        prepared.bands = bands
            .into_iter()
            .map(|band| {
                band.into_iter()
                    .map(|(x, low, high)| (x, low.unwrap_or(y_range.0), high))
                    .collect()
            })
            .collect();
    }

    PreparedPanel {
        series,
        references: if empty { Vec::new() } else { references },
        markers: if empty { Vec::new() } else { markers },
        note: panel.note.lines().map(clean_text).collect(),
        x_range,
        y_range,
        log_y,
        x_integral: x_integral && !empty,
        empty,
        shared_legend: panel.shared_legend,
        band_label: clean_text(&panel.band_label),
    }
}
