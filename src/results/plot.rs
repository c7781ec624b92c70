//! Plots as PNG and SVG: pure views of exported numbers.
//!
//! A [`Figure`] is a row of [`Panel`]s; a panel holds labelled (x, y)
//! [`Series`], each optionally with a shaded band. This module knows nothing
//! about training, only how numbers should look, and it never panics on odd
//! data: non-finite or off-scale points are skipped (the line breaks there),
//! a log axis drops non-positive values (or falls back to linear when nothing
//! positive is left), and empty or flat data still gets sensible axes.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::register_font;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
    #[error("cannot encode plot {}: {message}", path.display())]
    Encode { path: PathBuf, message: String },
    #[error("cannot write plot {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Renders `figure` as a PNG at `path`, whatever its extension. The file is
/// written whole: an error never leaves a partial file at `path`.
pub fn render_png(figure: &Figure, path: &Path) -> Result<(), PlotError> {
    ensure_font()?;
    let (width, height) = figure_size(figure)?;
    let draw_error = |message: String| PlotError::Draw {
        format: "PNG",
        message,
    };

    // plotters draws lines without anti-aliasing: drawing at a multiple of the
    // size and averaging down gives smooth lines and text.
    let (big_w, big_h) = (width * SUPERSAMPLE, height * SUPERSAMPLE);
    let mut big = vec![255u8; big_w as usize * big_h as usize * 3];
    {
        // with_buffer only panics when the buffer is smaller than w * h * 3,
        // and it was sized exactly that.
        let root = BitMapBackend::with_buffer(&mut big, (big_w, big_h)).into_drawing_area();
        draw_figure(&root, figure, Scale::bitmap(f64::from(SUPERSAMPLE))).map_err(draw_error)?;
        root.present().map_err(|e| draw_error(e.to_string()))?;
    }
    let small = downsample(&big, big_w as usize, big_h as usize, SUPERSAMPLE as usize);
    drop(big);

    let bytes = encode_png(&small, width, height).map_err(|message| PlotError::Encode {
        path: path.to_path_buf(),
        message,
    })?;
    super::atomic::write(path, &bytes).map_err(|source| PlotError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// An RGB image as the bytes of a PNG file. In memory, so that the file is
/// written through `atomic` like every other.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Flat areas and straight lines compress best when each row picks its
    // own filter: about a third of the size of the default fixed filter.
    encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// Renders `figure` as an SVG document. The same figure always gives the same
/// string.
pub fn render_svg(figure: &Figure) -> Result<String, PlotError> {
    // SVG text is laid out by the viewer, but legend and label sizes are still
    // measured with the embedded font.
    ensure_font()?;
    let size = figure_size(figure)?;
    let draw_error = |message: String| PlotError::Draw {
        format: "SVG",
        message,
    };
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw_figure(&root, figure, Scale::vector()).map_err(draw_error)?;
        root.present().map_err(|e| draw_error(e.to_string()))?;
    }
    Ok(out)
}

const FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
/// Doubles as the SVG `font-family`, so viewers use DejaVu Sans when they
/// have it and a generic sans-serif otherwise.
const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";

const PANEL_WIDTH: u32 = 600;
const PANEL_HEIGHT: u32 = 450;
/// Extra width of a panel whose legend stands beside the plot.
const LEGEND_BESIDE_WIDTH: u32 = 300;
const TITLE_HEIGHT: u32 = 44;
/// Keeps the image size (600 px per panel) and the work bounded.
const MAX_PANELS: usize = 12;
const SUPERSAMPLE: u32 = 2;

const FIGURE_TITLE_FONT: f64 = 24.0;
const PANEL_TITLE_FONT: f64 = 20.0;
const AXIS_LABEL_FONT: f64 = 17.0;
const TICK_FONT: f64 = 15.0;
const LEGEND_FONT: f64 = 15.0;

const X_TICKS: usize = 8;
const Y_TICKS: usize = 7;
/// Legend lines inside the plot; with more series the legend moves beside
/// it, and beyond what fits there it ends with "+ n more".
const MAX_LEGEND_INSIDE: usize = 5;
const MAX_LEGEND_OUTSIDE: usize = 15;
/// Keeps a legend beside the plot from squeezing the plot.
const MAX_LEGEND_CHARS: usize = 28;
/// Lines longer than this would stretch the legend or label areas.
const MAX_TEXT_CHARS: usize = 80;
/// Coordinates beyond this are treated as off-scale: their differences and
/// margins must stay finite.
const VALUE_LIMIT: f64 = 1e150;
/// Smallest axis span, so that tick steps never underflow.
const MIN_SPAN: f64 = 1e-200;

const BAND_ALPHA: f64 = 0.2;
const TEXT_COLOR: RGBColor = RGBColor(34, 34, 34);
const MUTED_TEXT: RGBColor = RGBColor(140, 140, 140);
const AXIS_COLOR: RGBColor = RGBColor(90, 90, 90);
const GRID_COLOR: RGBColor = RGBColor(225, 225, 225);
const MINOR_GRID_COLOR: RGBColor = RGBColor(242, 242, 242);
const FRAME_COLOR: RGBColor = RGBColor(190, 190, 190);
const LEGEND_BORDER: RGBColor = RGBColor(200, 200, 200);

/// Okabe–Ito, then Paul Tol's muted colours: distinguishable with the common
/// colour-vision deficiencies, and dark enough to read on white.
const PALETTE: [RGBColor; 12] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(68, 68, 68),
    RGBColor(136, 34, 85),
    RGBColor(153, 153, 51),
    RGBColor(51, 34, 136),
    RGBColor(68, 170, 153),
    RGBColor(170, 68, 153),
];

fn series_color(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

fn ensure_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        // "sans-serif" too, for any text plotters styles on its own.
        [FONT_FAMILY, "sans-serif"]
            .iter()
            .all(|name| register_font(name, FontStyle::Normal, FONT_BYTES).is_ok())
    });
    if ok { Ok(()) } else { Err(PlotError::Font) }
}

fn figure_size(figure: &Figure) -> Result<(u32, u32), PlotError> {
    let count = figure.panels.len();
    if count > MAX_PANELS {
        return Err(PlotError::TooManyPanels {
            count,
            max: MAX_PANELS,
        });
    }
    // Bounded by MAX_PANELS, so the cast cannot truncate.
    let columns = count.max(1) as u32;
    let title = if clean_text(&figure.title).is_empty() {
        0
    } else {
        TITLE_HEIGHT
    };
    // A legend too long to sit inside the plot goes beside it; widen every
    // panel (they are split evenly) so the plot keeps its own width.
    let legend_beside = figure.panels.iter().any(|p| {
        p.series
            .iter()
            .filter(|s| !clean_text(&s.label).is_empty())
            .count()
            > MAX_LEGEND_INSIDE
    });
    let width = if legend_beside {
        PANEL_WIDTH + LEGEND_BESIDE_WIDTH
    } else {
        PANEL_WIDTH
    };
    Ok((width * columns, PANEL_HEIGHT + title))
}

/// Sizes are given at 1:1 and multiplied for the supersampled bitmap.
#[derive(Clone, Copy)]
struct Scale {
    factor: f64,
    /// How far plotters' bitmap text renderer draws text above where it lays
    /// it out, as a fraction of the font size: it puts the baseline half a
    /// font size below the top of the text box instead of an ascent below.
    /// SVG viewers lay text out themselves.
    text_lift: f64,
}

impl Scale {
    fn bitmap(factor: f64) -> Self {
        Scale {
            factor,
            text_lift: 0.22,
        }
    }

    fn vector() -> Self {
        Scale {
            factor: 1.0,
            text_lift: 0.0,
        }
    }

    fn px(self, logical: f64) -> i32 {
        (logical * self.factor).round() as i32
    }

    fn upx(self, logical: f64) -> u32 {
        (logical * self.factor).round().max(0.0) as u32
    }

    fn font(self, size: f64) -> TextStyle<'static> {
        (FONT_FAMILY, size * self.factor)
            .into_font()
            .color(&TEXT_COLOR)
    }

    /// The downward shift that visually centres text of `size` on a point.
    fn text_drop(self, size: f64) -> i32 {
        self.px(size * self.text_lift)
    }
}

/// Box-filters an RGB image down by `factor` in each direction.
fn downsample(big: &[u8], big_w: usize, big_h: usize, factor: usize) -> Vec<u8> {
    let (w, h) = (big_w / factor, big_h / factor);
    let count = (factor * factor) as u32;
    let mut out = vec![255u8; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            for channel in 0..3 {
                let mut sum = 0u32;
                for dy in 0..factor {
                    let row = (y * factor + dy) * big_w;
                    for dx in 0..factor {
                        let index = (row + x * factor + dx) * 3 + channel;
                        sum += u32::from(big.get(index).copied().unwrap_or(255));
                    }
                }
                if let Some(pixel) = out.get_mut((y * w + x) * 3 + channel) {
                    // At most 255: the mean of bytes.
                    *pixel = ((sum + count / 2) / count) as u8;
                }
            }
        }
    }
    out
}

/// Control characters would corrupt SVG text; very long text is cut.
fn clean_text(text: &str) -> String {
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

fn draw_figure<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &Figure,
    scale: Scale,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let title = clean_text(&figure.title);
    let body = if title.is_empty() {
        root.clone()
    } else {
        let (top, body) = root.split_vertically(scale.px(f64::from(TITLE_HEIGHT)));
        let (w, h) = top.dim_in_pixel();
        let style = scale
            .font(FIGURE_TITLE_FONT)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let title = fit_text(&top, &title, &style, w as i32 - scale.px(24.0));
        let y = h as i32 / 2 + scale.px(4.0) + scale.text_drop(FIGURE_TITLE_FONT);
        top.draw_text(&title, &style, (w as i32 / 2, y))
            .map_err(|e| e.to_string())?;
        body
    };

    let placeholder = [Panel::default()];
    let panels: &[Panel] = if figure.panels.is_empty() {
        &placeholder
    } else {
        &figure.panels
    };
    let areas = body.split_evenly((1, panels.len()));
    for (area, panel) in areas.iter().zip(panels) {
        draw_panel(area, panel, scale).map_err(|e| {
            let title = clean_text(&panel.title);
            if title.is_empty() {
                e.to_string()
            } else {
                format!("panel \"{title}\": {e}")
            }
        })?;
    }
    Ok(())
}

/// A series reduced to what is drawn: coordinates already on the axis scale
/// (log10 of y on a log axis), split wherever a point had to be left out.
struct PreparedSeries {
    label: String,
    lines: Vec<Vec<(f64, f64)>>,
    bands: Vec<Vec<(f64, f64, f64)>>,
    has_band: bool,
    point_count: usize,
}

struct PreparedPanel {
    series: Vec<PreparedSeries>,
    x_range: (f64, f64),
    y_range: (f64, f64),
    log_y: bool,
    x_integral: bool,
    empty: bool,
}

/// A band piece whose low end may still be the bottom of a log axis.
type OpenBand = Vec<(f64, Option<f64>, f64)>;

fn finite_coord(v: f64) -> Option<f64> {
    (v.is_finite() && v.abs() <= VALUE_LIMIT).then_some(v)
}

fn prepare(panel: &Panel) -> PreparedPanel {
    // A log axis needs something positive to show; otherwise draw linear
    // rather than an empty chart.
    let log_y = panel.log_y
        && panel.series.iter().any(|s| {
            s.points
                .iter()
                .any(|&(x, y)| finite_coord(x).is_some() && y.is_finite() && y > 0.0)
        });
    let to_y = |y: f64| -> Option<f64> {
        if log_y {
            (y.is_finite() && y > 0.0).then(|| crate::nn::math::log10(y))
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

    for s in &panel.series {
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
            lines,
            bands: Vec::new(),
            has_band: s.band.is_some(),
            point_count,
        });
    }

    let empty = x_ext.is_empty() || y_ext.is_empty();
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
        x_range,
        y_range,
        log_y,
        x_integral: x_integral && !empty,
        empty,
    }
}

#[derive(Clone, Copy)]
struct Extent {
    min: f64,
    max: f64,
}

impl Default for Extent {
    fn default() -> Self {
        Extent {
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Extent {
    fn add(&mut self, v: f64) {
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    fn is_empty(&self) -> bool {
        self.min > self.max
    }
}

/// Widens `[min, max]` by `margin` of its span on each side. A flat range is
/// centred instead: `flat_half` either side when given (non-zero), else 10 %
/// of the value, else 1.
fn padded(min: f64, max: f64, margin: f64, flat_half: f64) -> (f64, f64) {
    let span = max - min;
    let center = min / 2.0 + max / 2.0;
    if span > center.abs() * 1e-9 && span > MIN_SPAN {
        let pad = span * margin;
        return (min - pad, max + pad);
    }
    let half = if flat_half > 0.0 {
        flat_half
    } else if center != 0.0 {
        (center.abs() * 0.1).max(MIN_SPAN)
    } else {
        1.0
    };
    (center - half, center + half)
}

/// Tick positions (on the axis scale), their labels, and grid-only positions.
#[derive(Debug, Default)]
struct Ticks {
    values: Vec<f64>,
    labels: Vec<String>,
    minor: Vec<f64>,
}

impl Ticks {
    fn label(&self, value: f64) -> String {
        self.values
            .iter()
            .zip(&self.labels)
            .min_by(|a, b| (a.0 - value).abs().total_cmp(&(b.0 - value).abs()))
            .map(|(_, label)| label.clone())
            .unwrap_or_default()
    }
}

/// The step for about `max_ticks` ticks over `span`: 1, 2 or 5 times a power
/// of ten.
fn nice_step(span: f64, max_ticks: usize) -> f64 {
    let raw = span / max_ticks.max(1) as f64;
    let magnitude = crate::nn::math::pow(10.0, crate::nn::math::log10(raw).floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&step| step >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

fn linear_ticks(lo: f64, hi: f64, max_ticks: usize, integral: bool) -> Ticks {
    let mut step = nice_step(hi - lo, max_ticks);
    if integral && step < 1.0 {
        step = 1.0;
    }
    if !(step.is_finite() && step > 0.0) {
        return Ticks::default();
    }
    // The slack keeps ticks that sit on an end despite rounding.
    let first = (lo / step - 1e-9).ceil();
    let last = (hi / step + 1e-9).floor();
    if !(first.is_finite() && last.is_finite()) || last < first {
        return Ticks::default();
    }
    // The step guarantees about max_ticks ticks; the cap guards against
    // rounding surprises.
    let count = ((last - first) as usize + 1).min(4 * max_ticks.max(1));
    let values: Vec<f64> = (0..count)
        .map(|i| (first + i as f64) * step)
        // Normalises -0 so that it prints as "0".
        .map(|v| if v == 0.0 { 0.0 } else { v })
        .collect();
    let labels = linear_labels(&values, step);
    Ticks {
        values,
        labels,
        minor: Vec::new(),
    }
}

/// Labels evenly spaced ticks with just enough digits to tell them apart;
/// scientific notation below 0.001 and from 100000 up.
fn linear_labels(values: &[f64], step: f64) -> Vec<String> {
    let step_exp = crate::nn::math::log10(step).floor() as i32;
    let max_abs = values.iter().fold(0f64, |m, v| m.max(v.abs()));
    if max_abs >= 1e5 || (max_abs > 0.0 && max_abs < 1e-3) {
        let max_exp = crate::nn::math::log10(max_abs).floor() as i32;
        let decimals = (max_exp - step_exp).clamp(0, 6) as usize;
        values
            .iter()
            .map(|&v| {
                if v == 0.0 {
                    "0".to_string()
                } else {
                    format!("{v:.decimals$e}")
                }
            })
            .collect()
    } else {
        let decimals = (-step_exp).clamp(0, 12) as usize;
        values.iter().map(|&v| format!("{v:.decimals$}")).collect()
    }
}

/// Formats `mantissa × 10^exp` (mantissa 1 to 9) without float noise.
fn decade_label(mantissa: u32, exp: i32) -> String {
    if (-4..=5).contains(&exp) {
        let value = f64::from(mantissa) * crate::nn::math::pow(10.0, f64::from(exp));
        let decimals = (-exp).max(0) as usize;
        format!("{value:.decimals$}")
    } else {
        format!("{mantissa}e{exp}")
    }
}

/// Ticks for a log axis whose range is given in log10 units: powers of ten
/// when they are enough, else 1-2-5 steps, else plain evenly spaced values
/// (for a range within one decade).
fn log_ticks(lo: f64, hi: f64, max_ticks: usize) -> Ticks {
    let in_range = |v: f64| v >= lo - 1e-12 && v <= hi + 1e-12;
    let first = lo.ceil() as i32;
    let last = hi.floor() as i32;
    let decades = (last - first + 1).max(0) as usize;
    let first_decade = lo.floor() as i32;

    let minor_lines = |skip: &[u32]| -> Vec<f64> {
        let mut minor = Vec::new();
        // A grid line per multiple only while they stay visibly apart.
        if hi - lo <= 12.0 {
            for exp in first_decade..=last {
                for m in 1..=9u32 {
                    let v = f64::from(exp) + crate::nn::math::log10(f64::from(m));
                    if !skip.contains(&m) && in_range(v) {
                        minor.push(v);
                    }
                }
            }
        }
        minor
    };

    if decades >= 3 {
        let needed = decades.div_ceil(max_ticks.max(1));
        // f64 spans about 630 decades, so the list always has a fit.
        let stride = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000]
            .into_iter()
            .find(|&s: &i32| s as usize >= needed)
            .unwrap_or(1000);
        let exps: Vec<i32> = (first..=last)
            .filter(|e| e.rem_euclid(stride) == 0)
            .collect();
        let minor = if stride == 1 {
            minor_lines(&[1])
        } else if stride > 5 {
            // Unlabelled decades would be only pixels apart.
            Vec::new()
        } else {
            (first..=last)
                .filter(|e| e.rem_euclid(stride) != 0)
                .map(f64::from)
                .collect()
        };
        return Ticks {
            values: exps.iter().map(|&e| f64::from(e)).collect(),
            labels: exps.iter().map(|&e| decade_label(1, e)).collect(),
            minor,
        };
    }

    let mut values = Vec::new();
    let mut labels = Vec::new();
    for exp in first_decade..=last {
        for m in [1u32, 2, 5] {
            let v = f64::from(exp) + crate::nn::math::log10(f64::from(m));
            if in_range(v) {
                values.push(v);
                labels.push(decade_label(m, exp));
            }
        }
    }
    if values.len() >= 3 {
        return Ticks {
            values,
            labels,
            minor: minor_lines(&[1, 2, 5]),
        };
    }

    let (low, high) = (
        crate::nn::math::pow(10.0, lo),
        crate::nn::math::pow(10.0, hi),
    );
    let linear = linear_ticks(low, high, max_ticks.min(5), false);
    let (values, labels) = linear
        .values
        .iter()
        .zip(linear.labels)
        .filter(|(v, _)| **v > 0.0)
        .map(|(v, label)| (crate::nn::math::log10(*v), label))
        .unzip();
    Ticks {
        values,
        labels,
        minor: Vec::new(),
    }
}

/// A linear axis with ticks chosen here: plotters' own float ticks can
/// assert on odd ranges, and log axes need labels plotters does not make.
struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
    minor: Vec<f64>,
}

impl Axis {
    fn new((lo, hi): (f64, f64), ticks: &Ticks) -> Self {
        Axis {
            lo,
            hi,
            ticks: ticks.values.clone(),
            minor: ticks.minor.clone(),
        }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let t = (value - self.lo) / (self.hi - self.lo);
        let t = if t.is_finite() { t } else { 0.5 };
        // `as` saturates, so far-off values still land off the canvas.
        (f64::from(limit.0) + f64::from(limit.1 - limit.0) * t).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.minor.clone()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

type PanelChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    scale: Scale,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let data = prepare(panel);
    let (x0, x1) = data.x_range;
    let (y0, y1) = data.y_range;
    // Without data, numbers on the axes would only be made up.
    let x_ticks = if data.empty {
        Ticks::default()
    } else {
        linear_ticks(x0, x1, X_TICKS, data.x_integral)
    };
    let y_ticks = if data.empty {
        Ticks::default()
    } else if data.log_y {
        log_ticks(y0, y1, Y_TICKS)
    } else {
        linear_ticks(y0, y1, Y_TICKS, false)
    };

    let tick_style = scale.font(TICK_FONT);
    let axis_style = scale.font(AXIS_LABEL_FONT);
    let title_style = scale.font(PANEL_TITLE_FONT);
    let tick_size = scale.px(5.0);
    let (area_w, area_h) = area.dim_in_pixel();
    let (area_w, area_h) = (area_w as i32, area_h as i32);
    // Text longer than its room is cut with an ellipsis; the plot's room is
    // estimated before plotters lays it out.
    let title = fit_text(
        area,
        &clean_text(&panel.title),
        &title_style,
        area_w - scale.px(16.0),
    );
    let x_label = fit_text(
        area,
        &clean_text(&panel.x_label),
        &axis_style,
        area_w - scale.px(140.0),
    );
    let y_label = fit_text(
        area,
        &clean_text(&panel.y_label),
        &axis_style,
        area_h - scale.px(130.0),
    );

    // Room for the widest tick label, the gap plotters leaves after the tick
    // marks (twice their length), and the rotated axis label.
    let widest_tick = y_ticks
        .labels
        .iter()
        .map(|label| text_width(area, label, &tick_style, TICK_FONT * scale.factor))
        .max()
        .unwrap_or(0);
    let y_area = widest_tick + 2 * tick_size + scale.px(AXIS_LABEL_FONT * 1.2 + 12.0);
    let x_area = scale.px(TICK_FONT * 1.2 + AXIS_LABEL_FONT * 1.2 + 8.0);

    let legend = Legend::new(area, &data, scale);
    let margin_right = match &legend {
        Some(legend) if legend.outside => legend.width + scale.px(Legend::GAP + 10.0),
        _ => scale.px(24.0),
    };

    let mut builder = ChartBuilder::on(area);
    builder
        .margin_top(scale.px(10.0))
        .margin_bottom(scale.px(8.0))
        .margin_left(scale.px(8.0))
        .margin_right(margin_right)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area);
    if !title.is_empty() {
        builder.caption(&title, title_style);
    }
    let mut chart = builder.build_cartesian_2d(
        Axis::new(data.x_range, &x_ticks),
        Axis::new(data.y_range, &y_ticks),
    )?;

    let x_format = |v: &f64| x_ticks.label(*v);
    let y_format = |v: &f64| y_ticks.label(*v);
    {
        let mut mesh = chart.configure_mesh();
        mesh.axis_desc_style(axis_style)
            .label_style(tick_style)
            .x_label_formatter(&x_format)
            .y_label_formatter(&y_format)
            .bold_line_style(GRID_COLOR.stroke_width(scale.upx(1.0)))
            .light_line_style(MINOR_GRID_COLOR.stroke_width(scale.upx(1.0)))
            .axis_style(AXIS_COLOR.stroke_width(scale.upx(1.0)))
            .set_all_tick_mark_size(tick_size)
            .y_label_offset(scale.text_drop(TICK_FONT));
        if !x_label.is_empty() {
            mesh.x_desc(x_label);
        }
        if !y_label.is_empty() {
            mesh.y_desc(y_label);
        }
        mesh.draw()?;
    }
    // A light frame closes the plot on the sides the axes leave open.
    let frame = chart.plotting_area().strip_coord_spec();
    let (frame_w, frame_h) = frame.dim_in_pixel();
    let (right, bottom) = (frame_w as i32 - 1, frame_h as i32 - 1);
    frame.draw(&PathElement::new(
        vec![(0, 0), (right, 0), (right, bottom)],
        FRAME_COLOR.stroke_width(scale.upx(1.0)),
    ))?;

    if data.empty {
        let style = scale
            .font(AXIS_LABEL_FONT)
            .color(&MUTED_TEXT)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let center = chart.backend_coord(&((x0 + x1) / 2.0, (y0 + y1) / 2.0));
        let (base_x, base_y) = area.get_base_pixel();
        let at = (
            center.0 - base_x,
            center.1 - base_y + scale.text_drop(AXIS_LABEL_FONT),
        );
        area.draw_text("no data", &style, at)?;
    }

    draw_series(&mut chart, &data, scale)?;

    if let Some(legend) = legend {
        let at = if legend.outside {
            let (x_range, y_range) = chart.plotting_area().get_pixel_range();
            let (base_x, base_y) = area.get_base_pixel();
            (
                x_range.end - base_x + scale.px(Legend::GAP),
                y_range.start - base_y,
            )
        } else {
            inside_legend_position(area, &chart, &data, &legend, scale)
        };
        legend.draw(area, at, scale)?;
    }
    Ok(())
}

/// `text`, cut with an ellipsis to at most `max_width` pixels.
fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_width: i32,
) -> String {
    let font_px = style.font.get_size();
    let width = text_width(area, text, style, font_px);
    if width <= max_width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // Start from a proportional guess, then shave off what still sticks out.
    let guess = chars.len() * max_width.max(0) as usize / width.max(1) as usize;
    let mut keep = guess.min(chars.len());
    loop {
        let mut candidate: String = chars[..keep]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string();
        candidate.push('…');
        if keep == 0 || text_width(area, &candidate, style, font_px) <= max_width {
            return candidate;
        }
        keep -= 1;
    }
}

fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    font_px: f64,
) -> i32 {
    area.estimate_text_size(text, style)
        .map(|(w, _)| w as i32)
        // A rough average glyph width, should measuring ever fail.
        .unwrap_or_else(|_| (text.chars().count() as f64 * font_px * 0.6) as i32)
}

fn draw_series<'a, DB: DrawingBackend + 'a>(
    chart: &mut PanelChart<'a, DB>,
    data: &PreparedPanel,
    scale: Scale,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    // Every band goes under every line, so no line is dimmed by a band.
    for (index, series) in data.series.iter().enumerate() {
        let fill = series_color(index).mix(BAND_ALPHA).filled();
        for band in &series.bands {
            if band.len() >= 2 {
                let outline: Vec<(f64, f64)> = band
                    .iter()
                    .map(|&(x, _, high)| (x, high))
                    .chain(band.iter().rev().map(|&(x, low, _)| (x, low)))
                    .collect();
                chart.draw_series(std::iter::once(Polygon::new(outline, fill)))?;
            } else if let Some(&(x, low, high)) = band.first() {
                let stroke = series_color(index)
                    .mix(BAND_ALPHA * 2.0)
                    .stroke_width(scale.upx(4.0));
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, low), (x, high)],
                    stroke,
                )))?;
            }
        }
    }

    for (index, series) in data.series.iter().enumerate() {
        let color = series_color(index);
        let line = color.stroke_width(scale.upx(2.0));
        // Markers make short runs and isolated points readable; on long runs
        // or among many series they would only clutter the lines.
        let markers = series.point_count <= 30 && data.series.len() <= MAX_LEGEND_INSIDE;
        for segment in &series.lines {
            if segment.len() >= 2 {
                chart.draw_series(std::iter::once(PathElement::new(segment.clone(), line)))?;
            }
            if markers || segment.len() == 1 {
                chart.draw_series(
                    segment
                        .iter()
                        .map(|&p| Circle::new(p, scale.upx(3.0), color.filled())),
                )?;
            }
        }
    }
    Ok(())
}

struct LegendEntry {
    label: String,
    /// None for the closing "+ n more" line, which has no swatch.
    color: Option<RGBColor>,
    band: bool,
}

struct Legend {
    entries: Vec<LegendEntry>,
    /// Beside the plot rather than over it: many entries would hide the data.
    outside: bool,
    width: i32,
    height: i32,
    line_height: i32,
}

impl Legend {
    const PAD_X: f64 = 9.0;
    const PAD_Y: f64 = 6.0;
    const SWATCH: f64 = 24.0;
    const SWATCH_GAP: f64 = 8.0;
    /// Between the plot and a legend beside it.
    const GAP: f64 = 12.0;

    fn new<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        data: &PreparedPanel,
        scale: Scale,
    ) -> Option<Self> {
        let labelled: Vec<(usize, &PreparedSeries)> = data
            .series
            .iter()
            .enumerate()
            // A legend explains what is drawn: nothing to point at, no entry.
            .filter(|(_, s)| !s.label.is_empty() && (!s.lines.is_empty() || !s.bands.is_empty()))
            .collect();
        if labelled.is_empty() {
            return None;
        }
        let outside = labelled.len() > MAX_LEGEND_INSIDE;
        let capacity = if outside {
            MAX_LEGEND_OUTSIDE
        } else {
            MAX_LEGEND_INSIDE
        };
        // Keeps room for the "+ n more" line within the capacity.
        let shown = if labelled.len() > capacity {
            capacity - 1
        } else {
            labelled.len()
        };
        let mut entries: Vec<LegendEntry> = labelled[..shown]
            .iter()
            .map(|(index, s)| LegendEntry {
                label: shorten(&s.label, MAX_LEGEND_CHARS),
                color: Some(series_color(*index)),
                band: s.has_band,
            })
            .collect();
        let hidden = labelled.len() - shown;
        if hidden > 0 {
            entries.push(LegendEntry {
                label: format!("+ {hidden} more"),
                color: None,
                band: false,
            });
        }

        let font = scale.font(LEGEND_FONT);
        let widest = entries
            .iter()
            .map(|e| text_width(area, &e.label, &font, LEGEND_FONT * scale.factor))
            .max()
            .unwrap_or(0);
        let line_height = scale.px(LEGEND_FONT * 1.35);
        let count = entries.len() as i32;
        Some(Legend {
            entries,
            outside,
            width: widest + scale.px(2.0 * Self::PAD_X + Self::SWATCH + Self::SWATCH_GAP),
            height: count * line_height + scale.px(2.0 * Self::PAD_Y),
            line_height,
        })
    }

    /// `(x, y)` is the top-left corner in `area`'s pixels.
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        (x, y): (i32, i32),
        scale: Scale,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let corners = [(x, y), (x + self.width, y + self.height)];
        area.draw(&Rectangle::new(corners, WHITE.mix(0.85).filled()))?;
        area.draw(&Rectangle::new(
            corners,
            LEGEND_BORDER.stroke_width(scale.upx(1.0)),
        ))?;

        let swatch_x = x + scale.px(Self::PAD_X);
        let swatch_w = scale.px(Self::SWATCH);
        let swatch_h = scale.px(5.0);
        let text_x = swatch_x + swatch_w + scale.px(Self::SWATCH_GAP);
        let text_style = scale
            .font(LEGEND_FONT)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let muted_style = text_style.color(&MUTED_TEXT);
        let top = y + scale.px(Self::PAD_Y);
        for (i, entry) in self.entries.iter().enumerate() {
            let mid = top + self.line_height * i as i32 + self.line_height / 2;
            let style = match entry.color {
                Some(color) => {
                    if entry.band {
                        area.draw(&Rectangle::new(
                            [
                                (swatch_x, mid - swatch_h),
                                (swatch_x + swatch_w, mid + swatch_h),
                            ],
                            color.mix(BAND_ALPHA).filled(),
                        ))?;
                    }
                    area.draw(&PathElement::new(
                        vec![(swatch_x, mid), (swatch_x + swatch_w, mid)],
                        color.stroke_width(scale.upx(2.0)),
                    ))?;
                    &text_style
                }
                None => &muted_style,
            };
            area.draw_text(
                &entry.label,
                style,
                (text_x, mid + scale.text_drop(LEGEND_FONT)),
            )?;
        }
        Ok(())
    }
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().nth(max_chars).is_none() {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Places a legend inside the plot where it hides the least of the lines,
/// preferring the upper right, where falling curves usually leave room.
/// Returns the top-left corner in `area`'s pixels.
fn inside_legend_position<'a, DB: DrawingBackend + 'a>(
    area: &DrawingArea<DB, Shift>,
    chart: &PanelChart<'a, DB>,
    data: &PreparedPanel,
    legend: &Legend,
    scale: Scale,
) -> (i32, i32) {
    let (x_range, y_range) = chart.plotting_area().get_pixel_range();
    let (base_x, base_y) = area.get_base_pixel();
    let inset = scale.px(8.0);
    let (left, right) = (x_range.start + inset, x_range.end - inset - legend.width);
    let (top, bottom) = (y_range.start + inset, y_range.end - inset - legend.height);
    let middle = (y_range.start + y_range.end - legend.height) / 2;
    // In order of preference: min_by_key keeps the first of equals.
    let candidates = [
        (right, top),
        (left, top),
        (right, bottom),
        (left, bottom),
        (right, middle),
    ];
    let pad = scale.px(4.0);
    let mut hits = [0usize; 5];

    let step = f64::from(scale.px(3.0).max(1));
    let mut visit = |(px, py): (i32, i32)| {
        for (hit, &(x, y)) in hits.iter_mut().zip(&candidates) {
            if px >= x - pad
                && px <= x + legend.width + pad
                && py >= y - pad
                && py <= y + legend.height + pad
            {
                *hit += 1;
            }
        }
    };
    for series in &data.series {
        for segment in &series.lines {
            let pixels: Vec<(i32, i32)> = segment.iter().map(|p| chart.backend_coord(p)).collect();
            if let Some(&first) = pixels.first() {
                visit(first);
            }
            // Samples along each piece too, so long straight stretches count.
            for pair in pixels.windows(2) {
                // In floats, so no pixel difference can overflow.
                let (ax, ay) = (f64::from(pair[0].0), f64::from(pair[0].1));
                let (dx, dy) = (f64::from(pair[1].0) - ax, f64::from(pair[1].1) - ay);
                let samples = (dx.abs().max(dy.abs()) / step).clamp(1.0, 400.0) as u32;
                for i in 1..=samples {
                    let t = f64::from(i) / f64::from(samples);
                    visit(((ax + dx * t) as i32, (ay + dy * t) as i32));
                }
            }
        }
    }

    let (x, y) = candidates
        .into_iter()
        .zip(hits)
        .min_by_key(|(_, hit)| *hit)
        .map(|(corner, _)| corner)
        .unwrap_or((right, top));
    (x - base_x, y - base_y)
}

#[cfg(test)]
mod tests {
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
            .map(|e| {
                (
                    e as f64,
                    start * crate::nn::math::exp(-rate * e as f64) + 0.05,
                )
            })
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
        let read = |at: usize| {
            u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        Some((read(16), read(20)))
    }

    #[test]
    fn svg_contains_titles_axis_labels_and_legend() {
        let svg = render_svg(&two_panel_figure()).unwrap();
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
    fn png_is_valid_and_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cost.png");
        render_png(&two_panel_figure(), &path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(png_size(&bytes), Some((1200, 494)));

        // Callers may write under a temporary name and rename.
        let odd = dir.path().join("cost.png.partial");
        render_png(&band_figure(), &odd).unwrap();
        assert_eq!(png_size(&std::fs::read(&odd).unwrap()), Some((600, 494)));

        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["cost.png", "cost.png.partial"]);
    }

    #[test]
    fn png_without_title_is_panel_sized() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cost.png");
        let mut figure = two_panel_figure();
        figure.title.clear();
        render_png(&figure, &path).unwrap();
        assert_eq!(png_size(&std::fs::read(&path).unwrap()), Some((1200, 450)));
    }

    #[test]
    fn png_into_missing_directory_fails_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("cost.png");
        let error = render_png(&two_panel_figure(), &path).unwrap_err();
        assert!(error.to_string().contains("cost.png"), "{error}");
        assert!(!path.exists());
    }

    #[test]
    fn degenerate_inputs_still_render() {
        let dir = tempfile::tempdir().unwrap();
        for (i, panel) in degenerate_panels().into_iter().enumerate() {
            let figure = Figure {
                title: format!("case {i}"),
                panels: vec![panel.clone()],
            };
            let svg = render_svg(&figure).unwrap_or_else(|e| panic!("{}: {e}", panel.title));
            assert!(svg.contains("</svg>"), "{}", panel.title);
            let path = dir.path().join(format!("{i}.png"));
            render_png(&figure, &path).unwrap_or_else(|e| panic!("{}: {e}", panel.title));
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
            assert_eq!(png_size(&std::fs::read(&path).unwrap()), Some((width, 494)));
        }
        let empty = Figure::default();
        assert!(render_svg(&empty).unwrap().contains("no data"));
        render_png(&empty, &dir.path().join("empty.png")).unwrap();
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
        let svg = render_svg(&figure).unwrap();
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
        let svg = render_svg(&figure).unwrap();
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

    #[test]
    fn tick_labels_read_well() {
        let small = linear_ticks(0.0112, 0.0131, Y_TICKS, false);
        assert_eq!(small.labels, ["0.0115", "0.0120", "0.0125", "0.0130"]);
        let big = linear_ticks(0.0, 250_000.0, Y_TICKS, false);
        assert_eq!(
            big.labels,
            ["0", "5.0e4", "1.0e5", "1.5e5", "2.0e5", "2.5e5"]
        );
        let tiny = linear_ticks(1.0e-4, 3.0e-4, 4, false);
        assert_eq!(
            tiny.labels,
            ["1.0e-4", "1.5e-4", "2.0e-4", "2.5e-4", "3.0e-4"]
        );
        let around_zero = linear_ticks(-0.5, 0.5, 4, false);
        assert_eq!(around_zero.labels, ["-0.5", "0.0", "0.5"]);
        let epochs = linear_ticks(0.96, 3.04, X_TICKS, true);
        assert_eq!(epochs.labels, ["1", "2", "3"]);
        let epochs = linear_ticks(-1.0, 101.0, X_TICKS, true);
        assert_eq!(epochs.labels, ["0", "20", "40", "60", "80", "100"]);
    }

    #[test]
    fn log_ticks_cover_any_range() {
        let decades = log_ticks(-3.2, 1.1, Y_TICKS);
        assert_eq!(decades.labels, ["0.001", "0.01", "0.1", "1", "10"]);
        let wide = log_ticks(-40.5, 40.5, Y_TICKS);
        assert_eq!(wide.labels, ["1e-40", "1e-20", "1", "1e20", "1e40"]);
        let several = log_ticks(-9.5, 0.5, Y_TICKS);
        assert_eq!(several.labels, ["1e-8", "1e-6", "0.0001", "0.01", "1"]);
        let one_decade = log_ticks(
            crate::nn::math::log10(0.5),
            crate::nn::math::log10(30.0),
            Y_TICKS,
        );
        assert_eq!(one_decade.labels, ["0.5", "1", "2", "5", "10", "20"]);
        let narrow = log_ticks(
            crate::nn::math::log10(0.3),
            crate::nn::math::log10(0.8),
            Y_TICKS,
        );
        assert!(narrow.labels.len() >= 2, "{:?}", narrow.labels);
        assert!(narrow.labels.iter().all(|l| l.starts_with("0.")));
    }

    #[test]
    fn padding_handles_flat_and_empty_ranges() {
        assert_eq!(padded(5.0, 5.0, 0.05, 1.0), (4.0, 6.0));
        assert_eq!(padded(0.0, 0.0, 0.05, 0.0), (-1.0, 1.0));
        let (lo, hi) = padded(2.0, 2.0, 0.05, 0.0);
        assert!(lo < 2.0 && hi > 2.0);
        let (lo, hi) = padded(0.0, 10.0, 0.05, 0.0);
        assert!((lo + 0.5).abs() < 1e-12 && (hi - 10.5).abs() < 1e-12);
    }
}
