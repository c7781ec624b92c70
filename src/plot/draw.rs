//! Drawing a figure with plotters on any backend: layout, styles, axes,
//! series and bands. The backend (bitmap or SVG) is chosen by `encode`.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::register_font;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::legend::{Legend, MAX_LEGEND_INSIDE, inside_legend_position};
use super::model::{Figure, Panel, clean_text};
use super::prepare::{PreparedPanel, prepare};
use super::ticks::{Axis, Ticks, linear_ticks, log_ticks};

const FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
/// Doubles as the SVG `font-family`, so viewers use DejaVu Sans when they
/// have it and a generic sans-serif otherwise.
const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";

pub(super) const PANEL_WIDTH: u32 = 600;
pub(super) const PANEL_HEIGHT: u32 = 450;
/// Extra width of a panel whose legend stands beside the plot.
pub(super) const LEGEND_BESIDE_WIDTH: u32 = 300;
pub(super) const TITLE_HEIGHT: u32 = 44;
/// Keeps the image size (600 px per panel) and the work bounded.
pub const MAX_PANELS: usize = 12;

const FIGURE_TITLE_FONT: f64 = 24.0;
const PANEL_TITLE_FONT: f64 = 20.0;
const AXIS_LABEL_FONT: f64 = 17.0;
const TICK_FONT: f64 = 15.0;
pub(super) const LEGEND_FONT: f64 = 15.0;

pub(super) const X_TICKS: usize = 8;
pub(super) const Y_TICKS: usize = 7;

pub(super) const BAND_ALPHA: f64 = 0.2;
const TEXT_COLOR: RGBColor = RGBColor(34, 34, 34);
pub(super) const MUTED_TEXT: RGBColor = RGBColor(140, 140, 140);
const AXIS_COLOR: RGBColor = RGBColor(90, 90, 90);
pub(super) const GRID_COLOR: RGBColor = RGBColor(225, 225, 225);
const MINOR_GRID_COLOR: RGBColor = RGBColor(242, 242, 242);
const FRAME_COLOR: RGBColor = RGBColor(190, 190, 190);
/// Reference lines are near-black and dashed, unlike any series' colour.
pub(super) const REFERENCE_COLOR: RGBColor = RGBColor(20, 20, 20);
/// Dash and gap of a reference line, in logical pixels.
pub(super) const DASH: (f64, f64) = (7.0, 5.0);
const MARKER_COLOR: RGBColor = RGBColor(120, 120, 120);
const MARKER_FONT: f64 = 13.0;

/// Okabe–Ito's six colours, then four of Paul Tol's muted ones: ten that
/// stay distinguishable with the common colour-vision deficiencies, dark
/// enough to read on white, and none grey (grey is for references, notes
/// and bands' names). Beyond ten, line styles tell series apart.
const PALETTE: [RGBColor; 10] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(136, 34, 85),
    RGBColor(153, 153, 51),
    RGBColor(51, 34, 136),
    RGBColor(68, 170, 153),
];

/// Solid, then dashed, dotted, long-dashed and sparse: with the ten colours,
/// fifty series that all look different. Dash and gap in logical pixels.
const LINE_DASHES: [Option<(f64, f64)>; 5] = [
    None,
    Some((9.0, 4.0)),
    Some((2.0, 3.0)),
    Some((20.0, 5.0)),
    Some((4.0, 10.0)),
];

pub(super) fn series_color(style: usize) -> RGBColor {
    PALETTE[style % PALETTE.len()]
}

/// The line style of `style` (`Panel::styles`): solid for the first ten.
pub(super) fn series_dash(style: usize) -> Option<(f64, f64)> {
    LINE_DASHES[(style / PALETTE.len()) % LINE_DASHES.len()]
}

/// `(rows, columns)` of `count` panels: one row up to three, then rows of
/// two (for four) or three, or four from ten on, so that no figure gets
/// wider than a screen shows.
pub(super) fn grid(count: usize) -> (usize, usize) {
    let columns = match count {
        0 | 1 => 1,
        2 | 3 => count,
        4 => 2,
        5..=9 => 3,
        _ => 4,
    };
    (count.max(1).div_ceil(columns), columns)
}

/// The width in pixels of `text` in the plot font at `size` pixels, without
/// a drawing area: figure sizes are decided before there is one.
pub(super) fn measure(text: &str, size: f64) -> i32 {
    (FONT_FAMILY, size)
        .into_font()
        .box_size(text)
        .map(|(w, _)| w as i32)
        // A rough average glyph width, should measuring ever fail.
        .unwrap_or_else(|_| (text.chars().count() as f64 * size * 0.6) as i32)
}

pub(super) fn ensure_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        // "sans-serif" too, for any text plotters styles on its own.
        [FONT_FAMILY, "sans-serif"]
            .iter()
            .all(|name| register_font(name, FontStyle::Normal, FONT_BYTES).is_ok())
    });
    if ok { Ok(()) } else { Err(PlotError::Font) }
}

pub(super) fn figure_size(figure: &Figure) -> Result<(u32, u32), PlotError> {
    let count = figure.panels.len();
    if count > MAX_PANELS {
        return Err(PlotError::TooManyPanels {
            count,
            max: MAX_PANELS,
        });
    }
    let (rows, columns) = grid(count);
    // Bounded by MAX_PANELS, so the casts cannot truncate.
    let (rows, columns) = (rows as u32, columns as u32);
    let title = if clean_text(&figure.title).is_empty() {
        0
    } else {
        TITLE_HEIGHT
    };
    // A legend too long to sit inside the plot goes beside it; widen every
    // panel (they are split evenly) so the plot keeps its own width.
    let legend_beside = figure.panels.iter().filter(|p| !p.shared_legend).any(|p| {
        let series = p.series.iter().map(|s| &s.label);
        let references = p.references.iter().map(|r| &r.label);
        series
            .chain(references)
            .filter(|label| !clean_text(label).is_empty())
            .count()
            > MAX_LEGEND_INSIDE
    });
    let width = if legend_beside {
        PANEL_WIDTH + LEGEND_BESIDE_WIDTH
    } else {
        PANEL_WIDTH
    };
    let shared = shared_legend(figure, rows, Scale::vector()).map_or(0, |legend| {
        // Whole pixels: the legend's own width and the gap before it.
        legend.width as u32 + Legend::GAP as u32 * 2
    });
    Ok((width * columns + shared, PANEL_HEIGHT * rows + title))
}

/// The figure's shared legend (`Panel::shared_legend`), as tall as the
/// panels' `rows`.
fn shared_legend(figure: &Figure, rows: u32, scale: Scale) -> Option<Legend> {
    if !figure.panels.iter().any(|p| p.shared_legend) {
        return None;
    }
    let prepared: Vec<PreparedPanel> = figure.panels.iter().map(prepare).collect();
    let height = scale.px(f64::from(PANEL_HEIGHT * rows) - 2.0 * Legend::GAP);
    Legend::shared(&prepared, height, scale)
}

/// Sizes are given at 1:1 and multiplied for the supersampled bitmap.
#[derive(Clone, Copy)]
pub(super) struct Scale {
    pub(super) factor: f64,
    /// How far plotters' bitmap text renderer draws text above where it lays
    /// it out, as a fraction of the font size: it puts the baseline half a
    /// font size below the top of the text box instead of an ascent below.
    /// SVG viewers lay text out themselves.
    pub(super) text_lift: f64,
}

impl Scale {
    pub(super) fn bitmap(factor: f64) -> Self {
        Scale {
            factor,
            text_lift: 0.22,
        }
    }

    pub(super) fn vector() -> Self {
        Scale {
            factor: 1.0,
            text_lift: 0.0,
        }
    }

    pub(super) fn px(self, logical: f64) -> i32 {
        (logical * self.factor).round() as i32
    }

    pub(super) fn upx(self, logical: f64) -> u32 {
        (logical * self.factor).round().max(0.0) as u32
    }

    pub(super) fn font(self, size: f64) -> TextStyle<'static> {
        (FONT_FAMILY, size * self.factor)
            .into_font()
            .color(&TEXT_COLOR)
    }

    /// The downward shift that visually centres text of `size` on a point.
    pub(super) fn text_drop(self, size: f64) -> i32 {
        self.px(size * self.text_lift)
    }
}

/// Fills `root` white and writes `title` across its top: the area left
/// under the title.
pub(super) fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    scale: Scale,
) -> Result<DrawingArea<DB, Shift>, String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let title = clean_text(title);
    Ok(if title.is_empty() {
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
    })
}

pub(super) fn draw_figure<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &Figure,
    scale: Scale,
) -> Result<(), String> {
    let body = titled(root, &figure.title, scale)?;

    let placeholder = [Panel::default()];
    let panels: &[Panel] = if figure.panels.is_empty() {
        &placeholder
    } else {
        &figure.panels
    };
    let (rows, columns) = grid(panels.len());
    // The shared legend takes the right edge, beside every row of panels.
    let grid_area = legend_beside(body, shared_legend(figure, rows as u32, scale), scale)?;
    let areas = grid_area.split_evenly((rows, columns));
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

pub(super) const LINE_AXES_STYLE: &AxesStyle = &LINE_AXES;

pub(super) type PanelChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

/// How a panel's axes look: the line figures and the dot figures share the
/// drawing but not the sizes, and their minor grids differ.
pub(super) struct AxesStyle {
    pub(super) tick_font: f64,
    pub(super) label_font: f64,
    pub(super) minor_grid: RGBAColor,
}

const TICK_SIZE: f64 = 5.0;

const LINE_AXES: AxesStyle = AxesStyle {
    tick_font: TICK_FONT,
    label_font: AXIS_LABEL_FONT,
    minor_grid: RGBAColor(
        MINOR_GRID_COLOR.0,
        MINOR_GRID_COLOR.1,
        MINOR_GRID_COLOR.2,
        1.0,
    ),
};

impl AxesStyle {
    /// The room below the plot (x) and left of it (y) for the axes' ticks
    /// and labels, to give ChartBuilder before plotters lays the plot out.
    pub(super) fn label_areas<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        y_ticks: &Ticks,
        scale: Scale,
    ) -> (i32, i32) {
        let tick_style = scale.font(self.tick_font);
        // Room for the widest tick label, the gap plotters leaves after the
        // tick marks (twice their length), and the rotated axis label.
        let widest_tick = y_ticks
            .labels
            .iter()
            .map(|label| text_width(area, label, &tick_style, self.tick_font * scale.factor))
            .max()
            .unwrap_or(0);
        let y_area = widest_tick + 2 * scale.px(TICK_SIZE) + scale.px(self.label_font * 1.2 + 12.0);
        let x_area = scale.px(self.tick_font * 1.2 + self.label_font * 1.2 + 8.0);
        (x_area, y_area)
    }

    /// The grid, axes, tick labels and axis labels (left out when empty),
    /// then a light frame closing the plot on the sides the axes leave open.
    pub(super) fn draw<'a, DB: DrawingBackend + 'a>(
        &self,
        chart: &mut PanelChart<'a, DB>,
        (x_ticks, y_ticks): (&Ticks, &Ticks),
        (x_label, y_label): (&str, &str),
        scale: Scale,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let x_format = |v: &f64| x_ticks.label(*v);
        let y_format = |v: &f64| y_ticks.label(*v);
        {
            let mut mesh = chart.configure_mesh();
            mesh.axis_desc_style(scale.font(self.label_font))
                .label_style(scale.font(self.tick_font))
                .x_label_formatter(&x_format)
                .y_label_formatter(&y_format)
                .bold_line_style(GRID_COLOR.stroke_width(scale.upx(1.0)))
                .light_line_style(self.minor_grid.stroke_width(scale.upx(1.0)))
                .axis_style(AXIS_COLOR.stroke_width(scale.upx(1.0)))
                .set_all_tick_mark_size(scale.px(TICK_SIZE))
                .y_label_offset(scale.text_drop(self.tick_font));
            if !x_label.is_empty() {
                mesh.x_desc(x_label);
            }
            if !y_label.is_empty() {
                mesh.y_desc(y_label);
            }
            mesh.draw()?;
        }
        let frame = chart.plotting_area().strip_coord_spec();
        let (frame_w, frame_h) = frame.dim_in_pixel();
        let (right, bottom) = (frame_w as i32 - 1, frame_h as i32 - 1);
        frame.draw(&PathElement::new(
            vec![(0, 0), (right, 0), (right, bottom)],
            FRAME_COLOR.stroke_width(scale.upx(1.0)),
        ))?;
        Ok(())
    }
}

pub(super) fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    scale: Scale,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    draw_aligned(area, panel, prepare(panel), Align::default(), scale)
}

/// What panels drawn one above the other (`stacked`) share so that their x
/// axes line up: the x range, and the room left of the plot.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Align {
    pub(super) x_range: Option<(f64, f64)>,
    /// At least this much room for the y axis's ticks and label.
    pub(super) y_area: i32,
}

/// `legend`, if any, drawn at the right edge of `body`; the room left of it.
pub(super) fn legend_beside<DB: DrawingBackend>(
    body: DrawingArea<DB, Shift>,
    legend: Option<Legend>,
    scale: Scale,
) -> Result<DrawingArea<DB, Shift>, String> {
    let Some(legend) = legend else {
        return Ok(body);
    };
    let (w, _) = body.dim_in_pixel();
    let beside = legend.width + scale.px(2.0 * Legend::GAP);
    let (left, right) = body.split_horizontally(w as i32 - beside);
    legend
        .draw(
            &right,
            (scale.px(Legend::GAP), scale.px(Legend::GAP)),
            scale,
        )
        .map_err(|e| e.to_string())?;
    Ok(left)
}

/// A prepared panel's ticks: none without data (numbers on the axes would
/// only be made up), log ticks on a log axis.
pub(super) fn panel_ticks(data: &PreparedPanel) -> (Ticks, Ticks) {
    let (x0, x1) = data.x_range;
    let (y0, y1) = data.y_range;
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
    (x_ticks, y_ticks)
}

pub(super) fn draw_aligned<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    mut data: PreparedPanel,
    align: Align,
    scale: Scale,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    if let Some(x_range) = align.x_range {
        data.x_range = x_range;
    }
    let (x0, x1) = data.x_range;
    let (y0, y1) = data.y_range;
    let (x_ticks, y_ticks) = panel_ticks(&data);

    let axis_style = scale.font(AXIS_LABEL_FONT);
    let title_style = scale.font(PANEL_TITLE_FONT);
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

    let (x_area, y_area) = LINE_AXES.label_areas(area, &y_ticks, scale);
    let y_area = y_area.max(align.y_area);

    let legend = Legend::new(&data, scale);
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

    LINE_AXES.draw(
        &mut chart,
        (&x_ticks, &y_ticks),
        (&x_label, &y_label),
        scale,
    )?;

    if data.empty {
        let style = scale
            .font(AXIS_LABEL_FONT)
            .color(&MUTED_TEXT)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let center = chart.backend_coord(&((x0 + x1) / 2.0, (y0 + y1) / 2.0));
        let (base_x, base_y) = area.get_base_pixel();
        let note = if data.note.is_empty() {
            vec!["no data".to_string()]
        } else {
            data.note.clone()
        };
        let line_height = scale.px(AXIS_LABEL_FONT * 1.5);
        let (plot_x, _) = chart.plotting_area().get_pixel_range();
        let room = plot_x.end - plot_x.start - scale.px(16.0);
        // The lines centred as a block on the middle of the plot.
        let top = center.1 - base_y - line_height * (note.len() as i32 - 1) / 2;
        for (i, line) in note.iter().enumerate() {
            let line = fit_text(area, line, &style, room);
            let at = (
                center.0 - base_x,
                top + line_height * i as i32 + scale.text_drop(AXIS_LABEL_FONT),
            );
            area.draw_text(&line, &style, at)?;
        }
    }

    draw_series(&mut chart, &data, scale)?;
    draw_references(
        &mut chart,
        data.x_range,
        data.references.iter().map(|r| r.y),
        scale,
    )?;

    let placed = legend.map(|legend| {
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
        (legend, at)
    });
    // The markers' labels keep clear of the legend, so they go first.
    let legend_box = placed
        .as_ref()
        .map(|(legend, (x, y))| (*x, *y, x + legend.width, y + legend.height));
    draw_markers(area, &mut chart, &data, legend_box, scale)?;
    if let Some((legend, at)) = placed {
        legend.draw(area, at, scale)?;
    }
    Ok(())
}

/// `text`, cut with an ellipsis to at most `max_width` pixels.
pub(super) fn fit_text<DB: DrawingBackend>(
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

pub(super) fn text_width<DB: DrawingBackend>(
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

pub(super) fn draw_series<'a, DB: DrawingBackend + 'a>(
    chart: &mut PanelChart<'a, DB>,
    data: &PreparedPanel,
    scale: Scale,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    // Every band goes under every line, so no line is dimmed by a band.
    for series in &data.series {
        let fill = series_color(series.style).mix(BAND_ALPHA).filled();
        for band in &series.bands {
            if band.len() >= 2 {
                let outline: Vec<(f64, f64)> = band
                    .iter()
                    .map(|&(x, _, high)| (x, high))
                    .chain(band.iter().rev().map(|&(x, low, _)| (x, low)))
                    .collect();
                chart.draw_series(std::iter::once(Polygon::new(outline, fill)))?;
            } else if let Some(&(x, low, high)) = band.first() {
                let stroke = series_color(series.style)
                    .mix(BAND_ALPHA * 2.0)
                    .stroke_width(scale.upx(4.0));
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, low), (x, high)],
                    stroke,
                )))?;
            }
        }
    }

    for series in &data.series {
        let color = series_color(series.style);
        let line = color.stroke_width(scale.upx(2.0));
        let dash = series_dash(series.style);
        // Markers make short runs and isolated points readable; on long runs
        // or among many series they would only clutter the lines.
        let markers = series.point_count <= 30 && data.series.len() <= MAX_LEGEND_INSIDE;
        for segment in &series.lines {
            match dash {
                _ if segment.len() < 2 => {}
                None => {
                    chart.draw_series(std::iter::once(PathElement::new(segment.clone(), line)))?;
                }
                Some((dash, gap)) => {
                    chart.draw_series(std::iter::once(DashedPathElement::new(
                        segment.clone(),
                        scale.px(dash),
                        scale.px(gap),
                        line,
                    )))?;
                }
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

/// Each reference (its y) as a dashed line across the plot, from x0 to x1.
pub(super) fn draw_references<'a, DB: DrawingBackend + 'a>(
    chart: &mut PanelChart<'a, DB>,
    (x0, x1): (f64, f64),
    references: impl IntoIterator<Item = f64>,
    scale: Scale,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for y in references {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(x0, y), (x1, y)],
            scale.px(DASH.0),
            scale.px(DASH.1),
            REFERENCE_COLOR.stroke_width(scale.upx(1.5)),
        )))?;
    }
    Ok(())
}

/// Each marker as a dotted vertical line with its label at the top, to the
/// right of the line (to its left where it would leave the plot); labels of
/// several markers are stacked so that they never overlap, and go below the
/// legend (`legend`: left, top, right, bottom in `area`'s pixels) where they
/// would fall under it.
fn draw_markers<'a, DB: DrawingBackend + 'a>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut PanelChart<'a, DB>,
    data: &PreparedPanel,
    legend: Option<(i32, i32, i32, i32)>,
    scale: Scale,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (y0, y1) = data.y_range;
    let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
    let (base_x, base_y) = area.get_base_pixel();
    let font = scale.font(MARKER_FONT).color(&MARKER_COLOR);
    let line_height = scale.px(MARKER_FONT * 1.3);
    let mut next_top = y_pixels.start - base_y + scale.px(4.0);
    for (x, label) in &data.markers {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(*x, y0), (*x, y1)],
            scale.px(2.0),
            scale.px(3.0),
            MARKER_COLOR.stroke_width(scale.upx(1.0)),
        )))?;
        let (px, _) = chart.backend_coord(&(*x, y1));
        let width = text_width(area, label, &font, MARKER_FONT * scale.factor);
        let gap = scale.px(4.0);
        let (left, pos) = if px + gap + width <= x_pixels.end {
            (px + gap, HPos::Left)
        } else {
            (px - gap, HPos::Right)
        };
        let left = left - base_x;
        let (from, to) = match pos {
            HPos::Left => (left, left + width),
            _ => (left - width, left),
        };
        let mut top = next_top;
        if let Some((l, t, r, b)) = legend
            && from <= r
            && to >= l
            && top <= b
            && top + line_height >= t
        {
            top = b + scale.px(4.0);
        }
        next_top = top + line_height;
        let style = font.pos(Pos::new(pos, VPos::Center));
        area.draw_text(
            label,
            &style,
            (left, top + line_height / 2 + scale.text_drop(MARKER_FONT)),
        )?;
    }
    Ok(())
}
