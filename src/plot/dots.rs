//! A dot figure: a row of panels, each a measure (y) against one setting
//! (x), every observation a dot and every group of observations its mean ±
//! std as a bar. Made for "what did this setting do?" (a sweep's effects
//! plot), where a line figure would join values that are not a sequence.
//!
//! The x axis is linear, logarithmic, or categories (evenly spaced names,
//! for strings and booleans). Dots sharing an x are spread sideways a
//! little, always the same way (no randomness: the same figure gives the
//! same bytes), and several groups at one x are set slightly apart, so
//! neither dots nor bars hide each other. A group's means may be joined by a
//! line (an interaction with another setting shows as lines that are not
//! parallel). Dashed references (a baseline) cross the panel.
//!
//! Each panel has its legend in a strip above its plot, never over data.
//! Fonts, colours, ticks, supersampling and encoding are the line figures'.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::draw::{
    AxesStyle, DASH, GRID_COLOR, LEGEND_FONT, MUTED_TEXT, REFERENCE_COLOR, Scale, X_TICKS, Y_TICKS,
    draw_references, ensure_font, fit_text, series_color, text_width,
};
use super::encode::{Draw, Rendered, png, svg};
use super::model::{Reference, clean_text};
use super::ticks::{Axis, Extent, Ticks, linear_ticks, log_ticks, padded};

/// A titled row of dot panels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DotFigure {
    pub title: String,
    pub panels: Vec<DotPanel>,
}

/// How a panel's x values are placed.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum XScale {
    #[default]
    Linear,
    /// x values are given as they are; non-positive ones are left out.
    Log,
    /// Evenly spaced names; an x value is an index into them.
    Categories(Vec<String>),
}

/// One setting against the measure.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DotPanel {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x: XScale,
    /// Said before the groups' names in the legend ("units").
    pub legend_title: String,
    pub groups: Vec<DotGroup>,
    pub references: Vec<Reference>,
}

/// Observations drawn in one colour: their dots and their means.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DotGroup {
    /// In the legend; an empty label keeps the group out of it.
    pub label: String,
    pub dots: Vec<(f64, f64)>,
    pub means: Vec<MeanBar>,
    /// The means joined by a line, in order of x.
    pub joined: bool,
}

/// The mean of the observations at `x`, with a bar of ± `std` (none for a
/// single observation).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MeanBar {
    pub x: f64,
    pub mean: f64,
    pub std: Option<f64>,
}

const PANEL_WIDTH: u32 = 560;
const PANEL_HEIGHT: u32 = 470;
const TITLE_HEIGHT: u32 = 44;
const MAX_PANELS: usize = 12;
const FIGURE_TITLE_FONT: f64 = 22.0;
const PANEL_TITLE_FONT: f64 = 18.0;
const AXIS_LABEL_FONT: f64 = 16.0;
const TICK_FONT: f64 = 14.0;
/// Legend lines above each plot, room kept in every panel alike.
const LEGEND_LINES: usize = 2;
/// The line figures' axes in smaller type; the minor grid is the major
/// grid's colour, faded.
const AXES: AxesStyle = AxesStyle {
    tick_font: TICK_FONT,
    label_font: AXIS_LABEL_FONT,
    minor_grid: RGBAColor(GRID_COLOR.0, GRID_COLOR.1, GRID_COLOR.2, 0.4),
};
const DOT_ALPHA: f64 = 0.45;

/// Renders `figure` as the bytes of a PNG file.
pub fn render_dots_png(figure: &DotFigure) -> Result<Rendered<Vec<u8>>, PlotError> {
    ensure_font()?;
    png(size(figure)?, figure)
}

/// Renders `figure` as an SVG document; the same figure always gives the
/// same string.
pub fn render_dots_svg(figure: &DotFigure) -> Result<Rendered<String>, PlotError> {
    ensure_font()?;
    svg(size(figure)?, figure)
}

impl Draw for DotFigure {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<(), String> {
        draw(root, self, scale)
    }
}

fn size(figure: &DotFigure) -> Result<(u32, u32), PlotError> {
    let count = figure.panels.len();
    if count > MAX_PANELS {
        return Err(PlotError::TooManyPanels {
            count,
            max: MAX_PANELS,
        });
    }
    // Bounded by MAX_PANELS, so the cast cannot truncate.
    Ok((
        PANEL_WIDTH * count.max(1) as u32,
        PANEL_HEIGHT + TITLE_HEIGHT,
    ))
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &DotFigure,
    scale: Scale,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let (top, body) = root.split_vertically(scale.px(f64::from(TITLE_HEIGHT)));
    let (w, h) = top.dim_in_pixel();
    let style = scale
        .font(FIGURE_TITLE_FONT)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let title = fit_text(
        &top,
        &clean_text(&figure.title),
        &style,
        w as i32 - scale.px(24.0),
    );
    let y = h as i32 / 2 + scale.px(4.0) + scale.text_drop(FIGURE_TITLE_FONT);
    top.draw_text(&title, &style, (w as i32 / 2, y))
        .map_err(|e| e.to_string())?;
    let placeholder = [DotPanel::default()];
    let panels: &[DotPanel] = if figure.panels.is_empty() {
        &placeholder
    } else {
        &figure.panels
    };
    let areas = body.split_evenly((1, panels.len()));
    for (area, panel) in areas.iter().zip(panels) {
        draw_panel(area, panel, scale).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A panel's values on its axes' scales: x in log10 units on a log axis,
/// spread sideways; what cannot be drawn left out.
struct Placed {
    dots: Vec<Vec<(f64, f64)>>,
    means: Vec<Vec<MeanBar>>,
    x_range: (f64, f64),
    y_range: (f64, f64),
    x_ticks: Ticks,
    y_ticks: Ticks,
}

fn place(panel: &DotPanel) -> Placed {
    let to_axis = |x: f64| match panel.x {
        XScale::Log if x > 0.0 => Some(crate::math::log10(x)),
        XScale::Log => None,
        _ => x.is_finite().then_some(x),
    };
    let mut xs: Vec<f64> = panel
        .groups
        .iter()
        .flat_map(|g| {
            g.dots
                .iter()
                .map(|d| d.0)
                .chain(g.means.iter().map(|m| m.x))
        })
        .filter_map(to_axis)
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let (x_min, x_max) = match (xs.first(), xs.last()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => (0.0, 1.0),
    };
    let span = x_max - x_min;
    // The closest two distinct x values give the room around each one.
    let gap = match &panel.x {
        XScale::Categories(_) => 1.0,
        _ => xs
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(f64::INFINITY, f64::min)
            .min(span),
    };
    let gap = if gap.is_finite() && gap > 0.0 {
        // Values nearly continuous (a random search) get at least a sliver.
        gap.max(span * 0.02)
    } else {
        span.max(1.0) * 0.2
    };
    let groups = panel.groups.len().max(1);
    let dodge = |g: usize| {
        if groups < 2 {
            0.0
        } else {
            (g as f64 / (groups - 1) as f64 - 0.5) * gap * 0.2
        }
    };
    let jitter = gap * 0.25 / groups as f64;

    let mut y = Extent::default();
    let mut dots = Vec::new();
    let mut means = Vec::new();
    for (g, group) in panel.groups.iter().enumerate() {
        let mut seen: Vec<(f64, usize)> = Vec::new();
        let mut placed = Vec::new();
        for &(x, value) in &group.dots {
            let (Some(x), true) = (to_axis(x), value.is_finite()) else {
                continue;
            };
            // The k-th dot at this x: 0, then golden-ratio steps either side.
            let k = match seen.iter_mut().find(|(at, _)| *at == x) {
                Some((_, count)) => {
                    *count += 1;
                    *count
                }
                None => {
                    seen.push((x, 0));
                    0
                }
            };
            let offset = ((k as f64 * 0.618_034 + 0.5).fract() - 0.5) * jitter;
            y.add(value);
            placed.push((x + dodge(g) + offset, value));
        }
        dots.push(placed);
        let mut bars: Vec<MeanBar> = group
            .means
            .iter()
            .filter(|m| m.mean.is_finite())
            .filter_map(|m| {
                let std = m.std.filter(|s| s.is_finite());
                y.add(m.mean - std.unwrap_or(0.0));
                y.add(m.mean + std.unwrap_or(0.0));
                Some(MeanBar {
                    x: to_axis(m.x)? + dodge(g),
                    mean: m.mean,
                    std,
                })
            })
            .collect();
        bars.sort_by(|a, b| a.x.total_cmp(&b.x));
        means.push(bars);
    }
    for reference in &panel.references {
        if reference.y.is_finite() {
            y.add(reference.y);
        }
    }
    let (y0, y1) = if y.is_empty() {
        (0.0, 1.0)
    } else {
        padded(y.min, y.max, 0.06, 0.0)
    };
    let (x_range, x_ticks) = match &panel.x {
        XScale::Categories(names) => (
            (-0.5, names.len().max(1) as f64 - 0.5),
            Ticks {
                values: (0..names.len()).map(|i| i as f64).collect(),
                labels: names.iter().map(|n| clean_text(n)).collect(),
                minor: Vec::new(),
            },
        ),
        // Room for the spread and the dodge either side of the end values.
        XScale::Log => {
            let pad = gap * 0.5 + span * 0.03;
            let range = (x_min - pad, x_max + pad);
            (range, log_axis_ticks(&xs, range))
        }
        XScale::Linear => {
            let range = if span > 0.0 {
                let pad = gap * 0.5 + span * 0.03;
                (x_min - pad, x_max + pad)
            } else {
                padded(x_min, x_max, 0.08, 0.0)
            };
            (range, linear_ticks(range.0, range.1, X_TICKS, false))
        }
    };
    Placed {
        dots,
        means,
        x_range,
        y_range: (y0, y1),
        x_ticks,
        y_ticks: linear_ticks(y0, y1, Y_TICKS, false),
    }
}

/// A log axis ticked at its values (in log10 units) while they are few, as
/// a grid's 4, 8, 16 read best; else at decades and 1-2-5 steps.
fn log_axis_ticks(xs: &[f64], (lo, hi): (f64, f64)) -> Ticks {
    if xs.is_empty() || xs.len() > X_TICKS {
        return log_ticks(lo, hi, X_TICKS);
    }
    let values: Vec<f64> = xs.iter().map(|x| crate::math::pow(10.0, *x)).collect();
    Ticks {
        values: xs.to_vec(),
        labels: crate::text::labels(&values),
        minor: Vec::new(),
    }
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &DotPanel,
    scale: Scale,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let placed = place(panel);
    let axis_style = scale.font(AXIS_LABEL_FONT);
    let title_style = scale
        .font(PANEL_TITLE_FONT)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let (area_w, _) = area.dim_in_pixel();
    let area_w = area_w as i32;

    // The title, then the legend strip, then the plot.
    let title = fit_text(
        area,
        &clean_text(&panel.title),
        &title_style,
        area_w - scale.px(16.0),
    );
    area.draw_text(&title, &title_style, (area_w / 2, scale.px(4.0)))?;
    let line_height = scale.px(LEGEND_FONT * 1.35);
    let legend_top = scale.px(PANEL_TITLE_FONT * 1.4 + 4.0);
    draw_legend(
        area,
        panel,
        (scale.px(16.0), legend_top),
        line_height,
        scale,
    )?;
    let plot_top = legend_top + line_height * LEGEND_LINES as i32 + scale.px(4.0);

    let (x_area, y_area) = AXES.label_areas(area, &placed.y_ticks, scale);
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
        scale.px(f64::from(PANEL_HEIGHT) - 200.0),
    );
    let mut chart = ChartBuilder::on(area)
        .margin_top(plot_top)
        .margin_bottom(scale.px(8.0))
        .margin_left(scale.px(8.0))
        .margin_right(scale.px(20.0))
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            Axis::new(placed.x_range, &placed.x_ticks),
            Axis::new(placed.y_range, &placed.y_ticks),
        )?;
    AXES.draw(
        &mut chart,
        (&placed.x_ticks, &placed.y_ticks),
        (&x_label, &y_label),
        scale,
    )?;

    let (x0, x1) = placed.x_range;
    draw_references(
        &mut chart,
        placed.x_range,
        panel.references.iter().map(|r| r.y),
        scale,
    )?;
    // Dots under the means, so the summary stays readable over its data.
    for (g, dots) in placed.dots.iter().enumerate() {
        let color = series_color(g).mix(DOT_ALPHA).filled();
        chart.draw_series(dots.iter().map(|&p| Circle::new(p, scale.upx(3.5), color)))?;
    }
    let cap = (x1 - x0) * 0.008;
    for (g, (bars, group)) in placed.means.iter().zip(&panel.groups).enumerate() {
        let color = series_color(g);
        if group.joined && bars.len() >= 2 {
            chart.draw_series(std::iter::once(PathElement::new(
                bars.iter().map(|b| (b.x, b.mean)).collect::<Vec<_>>(),
                color.stroke_width(scale.upx(1.5)),
            )))?;
        }
        let stroke = color.stroke_width(scale.upx(2.0));
        for bar in bars {
            if let Some(std) = bar.std {
                let (low, high) = (bar.mean - std, bar.mean + std);
                for path in [
                    vec![(bar.x, low), (bar.x, high)],
                    vec![(bar.x - cap, low), (bar.x + cap, low)],
                    vec![(bar.x - cap, high), (bar.x + cap, high)],
                ] {
                    chart.draw_series(std::iter::once(PathElement::new(path, stroke)))?;
                }
            }
            // The mean as a square: told apart from the runs' round dots.
            let (px, py) = chart.backend_coord(&(bar.x, bar.mean));
            let half = scale.px(4.0);
            let (bx, by) = area.get_base_pixel();
            let corners = [
                (px - bx - half, py - by - half),
                (px - bx + half, py - by + half),
            ];
            area.draw(&Rectangle::new(corners, color.filled()))?;
            area.draw(&Rectangle::new(corners, WHITE.stroke_width(scale.upx(1.0))))?;
        }
    }
    Ok(())
}

/// The legend strip at `(x, y)`: the legend title, each labelled group's
/// swatch and name, then the references, wrapped over `LEGEND_LINES`.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &DotPanel,
    (left, top): (i32, i32),
    line_height: i32,
    scale: Scale,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let style = scale
        .font(LEGEND_FONT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let muted = style.color(&MUTED_TEXT);
    let (area_w, _) = area.dim_in_pixel();
    let right = area_w as i32 - scale.px(12.0);
    let swatch = scale.px(20.0);
    let gap = scale.px(6.0);
    let (mut x, mut line) = (left, 0usize);
    // Moves to the next line when `width` does not fit; false past the last.
    let room = |x: &mut i32, line: &mut usize, width: i32| {
        if *x + width > right && *x > left {
            *x = left;
            *line += 1;
        }
        *line < LEGEND_LINES
    };
    let mid = |line: usize| top + line_height * line as i32 + line_height / 2;
    let title = clean_text(&panel.legend_title);
    let labelled: Vec<(usize, String)> = panel
        .groups
        .iter()
        .enumerate()
        .map(|(g, group)| (g, clean_text(&group.label)))
        .filter(|(_, label)| !label.is_empty())
        .collect();
    if !title.is_empty() && !labelled.is_empty() {
        let text = format!("{title}:");
        let width = text_width(area, &text, &muted, LEGEND_FONT * scale.factor);
        area.draw_text(&text, &muted, (x, mid(line) + scale.text_drop(LEGEND_FONT)))?;
        x += width + gap * 2;
    }
    for (g, label) in labelled {
        let width =
            swatch + gap + text_width(area, &label, &style, LEGEND_FONT * scale.factor) + gap * 3;
        if !room(&mut x, &mut line, width) {
            return Ok(());
        }
        let y = mid(line);
        let color = series_color(g);
        area.draw(&PathElement::new(
            vec![(x, y), (x + swatch, y)],
            color.stroke_width(scale.upx(2.0)),
        ))?;
        let half = scale.px(4.0);
        area.draw(&Rectangle::new(
            [
                (x + swatch / 2 - half, y - half),
                (x + swatch / 2 + half, y + half),
            ],
            color.filled(),
        ))?;
        area.draw_text(
            &label,
            &style,
            (x + swatch + gap, y + scale.text_drop(LEGEND_FONT)),
        )?;
        x += width;
    }
    for reference in &panel.references {
        let label = clean_text(&reference.label);
        if label.is_empty() {
            continue;
        }
        let width =
            swatch + gap + text_width(area, &label, &style, LEGEND_FONT * scale.factor) + gap * 3;
        if !room(&mut x, &mut line, width) {
            return Ok(());
        }
        let y = mid(line);
        area.draw(&DashedPathElement::new(
            vec![(x, y), (x + swatch, y)],
            scale.px(DASH.0 * 0.6),
            scale.px(DASH.1 * 0.6),
            REFERENCE_COLOR.stroke_width(scale.upx(1.5)),
        ))?;
        let text = fit_text(area, &label, &style, right - x - swatch - gap);
        area.draw_text(
            &text,
            &style,
            (x + swatch + gap, y + scale.text_drop(LEGEND_FONT)),
        )?;
        x += width;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(x: XScale, dots: Vec<(f64, f64)>) -> DotPanel {
        DotPanel {
            title: "panel".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            x,
            groups: vec![DotGroup {
                label: String::new(),
                dots,
                means: vec![MeanBar {
                    x: 1.0,
                    mean: 2.0,
                    std: Some(0.5),
                }],
                joined: false,
            }],
            ..DotPanel::default()
        }
    }

    #[test]
    fn every_dot_is_a_circle_and_the_mean_is_not() {
        let dots = vec![(1.0, 1.5), (1.0, 2.0), (1.0, 2.5), (2.0, 3.0)];
        let figure = DotFigure {
            title: "t".into(),
            panels: vec![panel(XScale::Linear, dots)],
        };
        let svg = render_dots_svg(&figure).unwrap().content;
        assert_eq!(svg.matches("<circle").count(), 4);
        let png = render_dots_png(&figure).unwrap();
        assert_eq!(
            (png.width, png.height),
            (PANEL_WIDTH, PANEL_HEIGHT + TITLE_HEIGHT)
        );
    }

    #[test]
    fn dots_at_one_x_are_spread_the_same_way_every_time() {
        let placed = place(&panel(XScale::Linear, vec![(1.0, 1.0); 3]));
        let xs: Vec<f64> = placed.dots[0].iter().map(|d| d.0).collect();
        assert_eq!(xs[0], 1.0);
        assert!(xs[1] != xs[2] && xs[1] != 1.0 && (xs[1] - 1.0).abs() < 0.2);
        assert_eq!(
            xs,
            place(&panel(XScale::Linear, vec![(1.0, 1.0); 3])).dots[0]
                .iter()
                .map(|d| d.0)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_log_axis_leaves_out_non_positive_values_and_ticks_decades() {
        let placed = place(&panel(
            XScale::Log,
            vec![(0.01, 1.0), (0.1, 1.0), (1.0, 1.0), (0.0, 1.0), (-1.0, 1.0)],
        ));
        assert_eq!(placed.dots[0].len(), 3);
        assert_eq!(placed.x_ticks.labels, ["0.01", "0.1", "1"]);
    }

    #[test]
    fn categories_are_ticked_by_name() {
        let names = vec!["adam".to_string(), "sgd".to_string()];
        let placed = place(&panel(
            XScale::Categories(names),
            vec![(0.0, 1.0), (1.0, 2.0)],
        ));
        assert_eq!(placed.x_ticks.labels, ["adam", "sgd"]);
        assert_eq!(placed.x_range, (-0.5, 1.5));
    }
}
