//! The learned function, drawn: what a network answers over its inputs'
//! own units. Over two inputs, a plane shaded by the predicted class (the
//! probability as depth of colour, the boundary where the class changes)
//! or by the predicted value (with a colour bar), the training examples on
//! top; over one input, the fitted curve over the examples, with a dashed
//! baseline. Several panels on the same axes, side by side, show the same
//! picture at several epochs, with one legend for all.
//!
//! The shading is quantized to a few levels and each row's runs of one
//! level are drawn as one rectangle: a 200 × 200 grid stays a few thousand
//! SVG rectangles instead of forty thousand, and the bands read as contours
//! of the probability.
//!
//! It has its own layout (panels of equal axes and a legend of areas, dots
//! and rings) but the line figures' fonts, axes, colours and encoding.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::draw::{
    AxesStyle, DASH, GRID_COLOR, MUTED_TEXT, REFERENCE_COLOR, Scale, ensure_font, fit_text,
    series_color,
};
use super::encode::{Draw, Rendered, png, svg};
use super::model::clean_text;
use super::ticks::{Axis, linear_ticks, padded};

/// Panels on one pair of axes, under a title and a caption, with a legend.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FunctionFigure {
    pub title: String,
    /// Muted lines under the title (one per `\n`): what is held fixed, how
    /// the plane was chosen.
    pub caption: String,
    pub x_label: String,
    pub y_label: String,
    /// The axes' ranges, the same in every panel.
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub panels: Vec<FunctionPanel>,
    pub legend: Vec<LegendItem>,
    /// Regression over a plane: what the colours mean.
    pub colour_bar: Option<ColourBar>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionPanel {
    pub title: String,
    pub view: View,
}

#[derive(Debug, Clone, PartialEq)]
pub enum View {
    Plane(Plane),
    Curve(Curve),
}

/// A grid of `columns` × `rows` cells over the axes' ranges, row 0 at the
/// bottom (lowest y), and the examples drawn on it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plane {
    pub columns: usize,
    pub rows: usize,
    /// Row by row, `columns` a row.
    pub shades: Vec<Shade>,
    pub dots: Vec<Dot>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shade {
    /// The predicted class, and how sure: 0 (a tie) to 1 (certain).
    Class { class: usize, strength: f64 },
    /// A predicted value, as a share of the colour bar's range (0 to 1).
    Value(f64),
    /// Grey: an example whose colour would mean nothing (one input's
    /// regression, where its height is its value).
    Neutral,
}

/// Lines over the x axis (`colour` by the palette), a dashed baseline, and
/// the examples.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Curve {
    pub lines: Vec<(usize, Vec<(f64, f64)>)>,
    pub baseline: Option<f64>,
    pub dots: Vec<Dot>,
}

/// One example: where it is, its colour, and whether it is marked as
/// predicted wrong (a black ring instead of a dot).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub colour: Shade,
    pub mistake: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    pub label: String,
    pub look: Look,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Look {
    /// A class's region (pale) with its examples (a dot of full colour).
    Class(usize),
    /// A line in a palette colour.
    Line(usize),
    Dashed,
    /// A grey dot: an example where colour means nothing.
    Example,
    Mistake,
    Boundary,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ColourBar {
    pub label: String,
    pub low: f64,
    pub high: f64,
}

/// Levels of shading: enough for a smooth look, few enough for long runs.
const LEVELS: f64 = 8.0;
const PANEL_SIZE: u32 = 520;
const SMALL_PANEL_SIZE: u32 = 380;
/// Snapshot panels per row.
const PER_ROW: usize = 4;
const LEGEND_WIDTH: u32 = 260;
const TITLE_FONT: f64 = 22.0;
const CAPTION_FONT: f64 = 14.0;
const PANEL_TITLE_FONT: f64 = 17.0;
const LEGEND_FONT: f64 = 14.0;
const AXES: AxesStyle = AxesStyle {
    tick_font: 14.0,
    label_font: 16.0,
    minor_grid: RGBAColor(GRID_COLOR.0, GRID_COLOR.1, GRID_COLOR.2, 0.0),
};
const BOUNDARY: RGBColor = RGBColor(30, 30, 30);
const EXAMPLE_GREY: RGBColor = RGBColor(120, 120, 120);
/// The colour bar's stops, dark blue to yellow (viridis' ends and middle):
/// ordered in lightness, so that it also reads in grey.
const VALUE_STOPS: [(f64, f64, f64); 5] = [
    (68.0, 1.0, 84.0),
    (59.0, 82.0, 139.0),
    (33.0, 145.0, 140.0),
    (94.0, 201.0, 98.0),
    (253.0, 231.0, 37.0),
];

/// Renders `figure` as the bytes of a PNG file.
pub fn render_function_png(figure: &FunctionFigure) -> Result<Rendered<Vec<u8>>, PlotError> {
    ensure_font()?;
    png(size(figure), figure)
}

/// Renders `figure` as an SVG document; the same figure gives the same text.
pub fn render_function_svg(figure: &FunctionFigure) -> Result<Rendered<String>, PlotError> {
    ensure_font()?;
    let rendered = svg(size(figure), figure)?;
    Ok(Rendered {
        content: tidy(&rendered.content),
        ..rendered
    })
}

/// The attributes plotters writes on every shape that say what SVG's
/// defaults already say (opacity 1, no stroke), dropped: a function
/// figure has thousands of dots and rectangles, and these were half of
/// each. (Text is escaped, so no label can contain them.)
fn tidy(svg: &str) -> String {
    svg.replace(" opacity=\"1\"", "")
        .replace(" stroke=\"none\" stroke-width=\"1\"/>", "/>")
        .replace(" stroke=\"none\"/>", "/>")
}

impl Draw for FunctionFigure {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<(), String> {
        draw(root, self, scale).map_err(|e| e.to_string())
    }
}

fn panel_size(figure: &FunctionFigure) -> u32 {
    if figure.panels.len() > 1 {
        SMALL_PANEL_SIZE
    } else {
        PANEL_SIZE
    }
}

fn grid_of(figure: &FunctionFigure) -> (usize, usize) {
    let count = figure.panels.len().max(1);
    let columns = count.min(PER_ROW);
    (count.div_ceil(columns), columns)
}

fn header_height(figure: &FunctionFigure) -> u32 {
    let lines = figure.caption.lines().filter(|l| !l.is_empty()).count() as u32;
    44 + 20 * lines
}

fn size(figure: &FunctionFigure) -> (u32, u32) {
    let (rows, columns) = grid_of(figure);
    let panel = panel_size(figure);
    (
        panel * columns as u32 + LEGEND_WIDTH,
        header_height(figure) + panel * rows as u32,
    )
}

/// White mixed with `colour`: `amount` 0 is white, 1 the colour itself.
fn tint(colour: RGBColor, amount: f64) -> RGBColor {
    let mix = |c: u8| (255.0 - (255.0 - f64::from(c)) * amount.clamp(0.0, 1.0)).round() as u8;
    RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
}

fn value_colour(share: f64) -> RGBColor {
    let share = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let at = share * (VALUE_STOPS.len() - 1) as f64;
    let i = (at.floor() as usize).min(VALUE_STOPS.len() - 2);
    let t = at - i as f64;
    let (a, b) = (VALUE_STOPS[i], VALUE_STOPS[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * t).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A shade rounded to its level: what is drawn, and what decides a run.
fn quantized(shade: Shade) -> Shade {
    let level = |x: f64| {
        let x = if x.is_finite() {
            x.clamp(0.0, 1.0)
        } else {
            0.0
        };
        (x * LEVELS).round() / LEVELS
    };
    match shade {
        Shade::Class { class, strength } => Shade::Class {
            class,
            strength: level(strength),
        },
        Shade::Value(v) => Shade::Value(level(v)),
        Shade::Neutral => Shade::Neutral,
    }
}

/// The colour of a plane cell: pale even where the network is sure, so
/// that the examples' dots stand out on it.
fn area_colour(shade: Shade) -> RGBColor {
    match shade {
        Shade::Class { class, strength } => tint(series_color(class), 0.08 + 0.47 * strength),
        Shade::Value(v) => tint(value_colour(v), 0.85),
        Shade::Neutral => tint(EXAMPLE_GREY, 0.3),
    }
}

fn dot_colour(shade: Shade) -> RGBColor {
    match shade {
        Shade::Class { class, .. } => series_color(class),
        Shade::Value(v) => value_colour(v),
        Shade::Neutral => EXAMPLE_GREY,
    }
}

type Result2<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &FunctionFigure,
    scale: Scale,
) -> Result2<DB> {
    root.fill(&WHITE)?;
    let (width, _) = root.dim_in_pixel();
    let width = width as i32;
    let header = scale.px(f64::from(header_height(figure)));
    let (top, body) = root.split_vertically(header);
    let centred = |size: f64| scale.font(size).pos(Pos::new(HPos::Center, VPos::Center));
    let title_style = centred(TITLE_FONT);
    let title = fit_text(
        &top,
        &clean_text(&figure.title),
        &title_style,
        width - scale.px(24.0),
    );
    top.draw_text(
        &title,
        &title_style,
        (width / 2, scale.px(24.0) + scale.text_drop(TITLE_FONT)),
    )?;
    let caption_style = centred(CAPTION_FONT).color(&MUTED_TEXT);
    for (i, line) in figure.caption.lines().filter(|l| !l.is_empty()).enumerate() {
        let line = fit_text(
            &top,
            &clean_text(line),
            &caption_style,
            width - scale.px(24.0),
        );
        let y = scale.px(50.0 + 20.0 * i as f64) + scale.text_drop(CAPTION_FONT);
        top.draw_text(&line, &caption_style, (width / 2, y))?;
    }

    let (body_w, _) = body.dim_in_pixel();
    let (grid_area, legend_area) =
        body.split_horizontally(body_w as i32 - scale.px(f64::from(LEGEND_WIDTH)));
    draw_legend(&legend_area, figure, scale)?;
    let (rows, columns) = grid_of(figure);
    let areas = grid_area.split_evenly((rows, columns));
    for (area, panel) in areas.iter().zip(&figure.panels) {
        draw_panel(area, figure, panel, scale)?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    figure: &FunctionFigure,
    panel: &FunctionPanel,
    scale: Scale,
) -> Result2<DB> {
    let (x0, x1) = padded(figure.x_range.0, figure.x_range.1, 0.0, 0.5);
    let (y0, y1) = padded(figure.y_range.0, figure.y_range.1, 0.0, 0.5);
    let x_ticks = linear_ticks(x0, x1, 6, false);
    let y_ticks = linear_ticks(y0, y1, 6, false);
    let (x_area, y_area) = AXES.label_areas(area, &y_ticks, scale);
    let (area_w, _) = area.dim_in_pixel();
    let title_style = scale.font(PANEL_TITLE_FONT);
    let title = fit_text(
        area,
        &clean_text(&panel.title),
        &title_style,
        area_w as i32 - scale.px(16.0),
    );
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_top(scale.px(6.0))
        .margin_bottom(scale.px(6.0))
        .margin_left(scale.px(6.0))
        .margin_right(scale.px(14.0))
        .x_label_area_size(x_area)
        .y_label_area_size(y_area);
    if !title.is_empty() {
        builder.caption(&title, title_style);
    }
    let mut chart =
        builder.build_cartesian_2d(Axis::new((x0, x1), &x_ticks), Axis::new((y0, y1), &y_ticks))?;
    let x_label = clean_text(&figure.x_label);
    let y_label = clean_text(&figure.y_label);
    // The grid goes over a plane's shading (which would hide it) and under
    // everything else: the boundary, the examples, the curve.
    if let View::Plane(plane) = &panel.view {
        draw_shading(&mut chart, plane, (x0, x1), (y0, y1))?;
    }
    AXES.draw(
        &mut chart,
        (&x_ticks, &y_ticks),
        (&x_label, &y_label),
        scale,
    )?;
    match &panel.view {
        View::Plane(plane) => {
            draw_boundary(&mut chart, plane, (x0, x1), (y0, y1), scale)?;
            draw_dots(&mut chart, &plane.dots, scale)?;
        }
        View::Curve(curve) => {
            draw_dots(&mut chart, &curve.dots, scale)?;
            if let Some(y) = curve.baseline {
                chart.draw_series(std::iter::once(DashedPathElement::new(
                    vec![(x0, y), (x1, y)],
                    scale.px(DASH.0),
                    scale.px(DASH.1),
                    REFERENCE_COLOR.stroke_width(scale.upx(1.5)),
                )))?;
            }
            for (colour, points) in &curve.lines {
                chart.draw_series(std::iter::once(PathElement::new(
                    points.clone(),
                    series_color(*colour).stroke_width(scale.upx(2.5)),
                )))?;
            }
        }
    }
    Ok(())
}

type Chart<'a, DB> = super::draw::PanelChart<'a, DB>;

/// A cell's width and height on the chart, when the plane's cells are all
/// there to draw.
fn cell_size(plane: &Plane, (x0, x1): (f64, f64), (y0, y1): (f64, f64)) -> Option<(f64, f64)> {
    let (columns, rows) = (plane.columns, plane.rows);
    let whole = columns > 0 && rows > 0 && plane.shades.len() == columns * rows;
    whole.then(|| ((x1 - x0) / columns as f64, (y1 - y0) / rows as f64))
}

fn draw_shading<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    plane: &Plane,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Result2<DB> {
    let Some((cell_w, cell_h)) = cell_size(plane, (x0, x1), (y0, y1)) else {
        return Ok(());
    };
    let runs: Vec<_> = bands(plane)
        .into_iter()
        .map(|band| {
            let corners = [
                (
                    x0 + cell_w * band.columns.0 as f64,
                    y0 + cell_h * band.rows.0 as f64,
                ),
                (
                    x0 + cell_w * band.columns.1 as f64,
                    y0 + cell_h * band.rows.1 as f64,
                ),
            ];
            Rectangle::new(corners, area_colour(band.shade).filled())
        })
        .collect();
    chart.draw_series(runs)?;
    Ok(())
}

/// Cells of one quantized shade drawn as one rectangle: columns and rows
/// from the first to before the last.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Band {
    columns: (usize, usize),
    rows: (usize, usize),
    shade: Shade,
}

/// Each row's runs of one shade, a run the row above repeats (same
/// columns, same shade) grown into it: one rectangle for a band's straight
/// stretch, not one a row. The plane must be whole.
fn bands(plane: &Plane) -> Vec<Band> {
    let columns = plane.columns;
    let at = |column: usize, row: usize| quantized(plane.shades[row * columns + column]);
    let mut done = Vec::new();
    // Runs still growing, by the row they started in.
    let mut open: Vec<Band> = Vec::new();
    for row in 0..plane.rows {
        let mut growing = Vec::with_capacity(open.len());
        let mut start = 0;
        for column in 1..=columns {
            if column == columns || at(column, row) != at(start, row) {
                let (span, shade) = ((start, column), at(start, row));
                let mut band = match open
                    .iter()
                    .position(|b| b.columns == span && b.shade == shade)
                {
                    Some(i) => open.swap_remove(i),
                    None => Band {
                        columns: span,
                        rows: (row, row),
                        shade,
                    },
                };
                band.rows.1 = row + 1;
                growing.push(band);
                start = column;
            }
        }
        // What did not grow into this row ended below it.
        done.append(&mut open);
        open = growing;
    }
    done.append(&mut open);
    done
}

fn draw_boundary<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    plane: &Plane,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    scale: Scale,
) -> Result2<DB> {
    let Some((cell_w, cell_h)) = cell_size(plane, (x0, x1), (y0, y1)) else {
        return Ok(());
    };
    let (columns, rows) = (plane.columns, plane.rows);
    // The boundary, by marching squares over the cells' centres: in each
    // square of four centres, the points where the class changes along its
    // sides, joined.
    let class = |column: usize, row: usize| match plane.shades[row * columns + column] {
        Shade::Class { class, strength } => Some((class, strength)),
        Shade::Value(_) | Shade::Neutral => None,
    };
    let centre = |column: usize, row: usize| {
        (
            x0 + cell_w * (column as f64 + 0.5),
            y0 + cell_h * (row as f64 + 0.5),
        )
    };
    let mut edges = Vec::new();
    for row in 0..rows.saturating_sub(1) {
        for column in 0..columns.saturating_sub(1) {
            let corners = [
                (column, row),
                (column + 1, row),
                (column + 1, row + 1),
                (column, row + 1),
            ];
            let mut crossings = Vec::new();
            for side in 0..4 {
                let (a, b) = (corners[side], corners[(side + 1) % 4]);
                if let (Some((class_a, sure_a)), Some((class_b, sure_b))) =
                    (class(a.0, a.1), class(b.0, b.1))
                    && class_a != class_b
                {
                    crossings.push(crossing(centre(a.0, a.1), centre(b.0, b.1), sure_a, sure_b));
                }
            }
            match crossings.as_slice() {
                [] => {}
                [p, q] => edges.push(vec![*p, *q]),
                // A saddle of two classes: pair the sides around each corner
                // of the first class.
                [p, q, r, t]
                    if class(column, row).map(|c| c.0)
                        == class(column + 1, row + 1).map(|c| c.0) =>
                {
                    edges.push(vec![*p, *t]);
                    edges.push(vec![*q, *r]);
                }
                // Three classes meet: each crossing to the middle.
                more => {
                    let (cx, cy) = centre(column, row);
                    let middle = (cx + cell_w / 2.0, cy + cell_h / 2.0);
                    edges.extend(more.iter().map(|p| vec![*p, middle]));
                }
            }
        }
    }
    let stroke = BOUNDARY.stroke_width(scale.upx(2.0));
    chart.draw_series(
        edges
            .into_iter()
            .map(|points| PathElement::new(points, stroke)),
    )?;
    Ok(())
}

/// Where the class changes between two neighbouring centres `a` and `b`:
/// as far from each as the network is sure there. For a binary task
/// (sureness |2p − 1|) this is where p crosses 0.5 if p is linear between
/// them.
fn crossing(a: (f64, f64), b: (f64, f64), sure_a: f64, sure_b: f64) -> (f64, f64) {
    let t = if sure_a + sure_b > 0.0 {
        (sure_a / (sure_a + sure_b)).clamp(0.0, 1.0)
    } else {
        0.5
    };
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

/// The examples: dots outlined in white, then the mistakes' rings on top.
fn draw_dots<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    dots: &[Dot],
    scale: Scale,
) -> Result2<DB> {
    let finite = |d: &&Dot| d.x.is_finite() && d.y.is_finite();
    let radius = scale.upx(3.5);
    chart.draw_series(
        dots.iter()
            .filter(finite)
            .filter(|d| !d.mistake)
            .flat_map(|d| {
                [
                    Circle::new((d.x, d.y), radius + scale.upx(1.0), WHITE.filled()),
                    Circle::new((d.x, d.y), radius, dot_colour(d.colour).filled()),
                ]
            }),
    )?;
    let ring = BLACK.stroke_width(scale.upx(2.0));
    chart.draw_series(
        dots.iter()
            .filter(finite)
            .filter(|d| d.mistake)
            .map(|d| Circle::new((d.x, d.y), scale.upx(6.0), ring)),
    )?;
    Ok(())
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    figure: &FunctionFigure,
    scale: Scale,
) -> Result2<DB> {
    let style = scale
        .font(LEGEND_FONT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let room = scale.px(f64::from(LEGEND_WIDTH) - 50.0);
    let line = 24.0;
    let mut y = 40.0;
    let x = 14.0;
    for item in &figure.legend {
        let (cx, cy) = (scale.px(x + 9.0), scale.px(y));
        match item.look {
            Look::Class(class) => {
                let half = scale.px(9.0);
                area.draw(&Rectangle::new(
                    [(cx - half, cy - half), (cx + half, cy + half)],
                    tint(series_color(class), 0.5).filled(),
                ))?;
                area.draw(&Circle::new(
                    (cx, cy),
                    scale.upx(3.5),
                    series_color(class).filled(),
                ))?;
            }
            Look::Line(colour) => {
                area.draw(&PathElement::new(
                    vec![(cx - scale.px(10.0), cy), (cx + scale.px(10.0), cy)],
                    series_color(colour).stroke_width(scale.upx(2.5)),
                ))?;
            }
            Look::Dashed => {
                area.draw(&DashedPathElement::new(
                    vec![(cx - scale.px(11.0), cy), (cx + scale.px(11.0), cy)],
                    scale.px(DASH.0 * 0.6),
                    scale.px(DASH.1 * 0.6),
                    REFERENCE_COLOR.stroke_width(scale.upx(1.5)),
                ))?;
            }
            Look::Example => {
                area.draw(&Circle::new(
                    (cx, cy),
                    scale.upx(3.5),
                    EXAMPLE_GREY.filled(),
                ))?;
            }
            Look::Mistake => {
                area.draw(&Circle::new(
                    (cx, cy),
                    scale.upx(6.0),
                    BLACK.stroke_width(scale.upx(2.0)),
                ))?;
            }
            Look::Boundary => {
                area.draw(&PathElement::new(
                    vec![(cx - scale.px(10.0), cy), (cx + scale.px(10.0), cy)],
                    BOUNDARY.stroke_width(scale.upx(2.0)),
                ))?;
            }
        }
        let text = fit_text(area, &clean_text(&item.label), &style, room);
        area.draw_text(
            &text,
            &style,
            (scale.px(x + 26.0), cy + scale.text_drop(LEGEND_FONT)),
        )?;
        y += line;
    }
    if let Some(bar) = &figure.colour_bar {
        draw_colour_bar(area, bar, y + 10.0, scale)?;
    }
    Ok(())
}

/// A vertical bar of the value colours, high at the top, its ends labelled.
fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bar: &ColourBar,
    top: f64,
    scale: Scale,
) -> Result2<DB> {
    let style = scale
        .font(LEGEND_FONT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let room = scale.px(f64::from(LEGEND_WIDTH) - 20.0);
    let label = fit_text(area, &clean_text(&bar.label), &style, room);
    area.draw_text(
        &label,
        &style,
        (scale.px(14.0), scale.px(top) + scale.text_drop(LEGEND_FONT)),
    )?;
    let (x, height, steps) = (14.0, 200.0, 40);
    let start = top + 16.0;
    for i in 0..steps {
        let share = 1.0 - (f64::from(i) + 0.5) / f64::from(steps);
        let y = start + height * f64::from(i) / f64::from(steps);
        let colour = area_colour(quantized(Shade::Value(share)));
        area.draw(&Rectangle::new(
            [
                (scale.px(x), scale.px(y)),
                (
                    scale.px(x + 22.0),
                    scale.px(y + height / f64::from(steps)) + 1,
                ),
            ],
            colour.filled(),
        ))?;
    }
    for (text, y) in [
        (crate::text::number(bar.high), start),
        (crate::text::number(bar.low), start + height),
    ] {
        area.draw_text(
            &text,
            &style,
            (
                scale.px(x + 30.0),
                scale.px(y) + scale.text_drop(LEGEND_FONT),
            ),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_classes() -> FunctionFigure {
        // Class 1 on the right half, class 0 on the left: a vertical
        // boundary at x = 0.
        let (columns, rows) = (20, 20);
        let shades = (0..rows)
            .flat_map(|_| {
                (0..columns).map(|c| Shade::Class {
                    class: usize::from(c >= 10),
                    strength: 1.0,
                })
            })
            .collect();
        FunctionFigure {
            title: "xor".into(),
            caption: "a line\nanother".into(),
            x_label: "x1".into(),
            y_label: "x2".into(),
            x_range: (-1.0, 1.0),
            y_range: (-1.0, 1.0),
            panels: vec![FunctionPanel {
                title: "epoch 10".into(),
                view: View::Plane(Plane {
                    columns,
                    rows,
                    shades,
                    dots: vec![Dot {
                        x: 0.5,
                        y: 0.5,
                        colour: Shade::Class {
                            class: 1,
                            strength: 1.0,
                        },
                        mistake: true,
                    }],
                }),
            }],
            legend: vec![LegendItem {
                label: "class a".into(),
                look: Look::Class(0),
            }],
            colour_bar: None,
        }
    }

    #[test]
    fn a_plane_is_drawn_in_runs_with_its_boundary_and_rings() {
        let svg = render_function_svg(&two_classes()).unwrap().content;
        // Two runs a row (one per class), the same in every row: two
        // rectangles for the plane (the rest are the legend's), not one
        // per cell or per row.
        let runs = svg.matches("<rect").count();
        assert!((2..10).contains(&runs), "{runs} rectangles");
        for text in [
            "xor", "a line", "another", "epoch 10", "x1", "x2", "class a",
        ] {
            assert!(
                svg.contains(&format!(">\n{text}\n</text>")),
                "{text} missing"
            );
        }
        let full = tint(series_color(1), 0.55);
        assert!(svg.contains(&format!(
            "fill=\"#{:02X}{:02X}{:02X}\"",
            full.0, full.1, full.2
        )));
        // The mistake's ring: an unfilled black circle.
        assert!(svg.contains("stroke=\"#000000\""));
    }

    #[test]
    fn bands_cover_every_cell_once_in_its_shade() {
        // A plane of three shades in an irregular pattern: stripes that
        // shift and stop, so that runs grow, end and begin again.
        let (columns, rows) = (13, 11);
        let shade = |c: usize, r: usize| Shade::Class {
            class: ((c + r / 3) / 4) % 2,
            strength: if r < 6 { 1.0 } else { 0.5 },
        };
        let plane = Plane {
            columns,
            rows,
            shades: (0..rows)
                .flat_map(|r| (0..columns).map(move |c| shade(c, r)))
                .collect(),
            dots: Vec::new(),
        };
        let bands = bands(&plane);
        let mut covered = vec![0; columns * rows];
        for band in &bands {
            for r in band.rows.0..band.rows.1 {
                for c in band.columns.0..band.columns.1 {
                    covered[r * columns + c] += 1;
                    assert_eq!(band.shade, quantized(shade(c, r)), "cell ({c}, {r})");
                }
            }
        }
        assert!(covered.iter().all(|&n| n == 1), "{covered:?}");
        // Fewer rectangles than the rows' runs: 3 or 4 a row.
        assert!(bands.len() < 20, "{} bands", bands.len());
    }

    #[test]
    fn snapshots_share_a_row_and_one_legend() {
        let mut figure = two_classes();
        let panel = figure.panels[0].clone();
        figure.panels = vec![panel; 5];
        let png = render_function_png(&figure).unwrap();
        assert_eq!(png.width, 4 * SMALL_PANEL_SIZE + LEGEND_WIDTH);
        assert_eq!(png.height, 44 + 40 + 2 * SMALL_PANEL_SIZE);
    }

    #[test]
    fn values_run_dark_to_light() {
        let lightness = |c: RGBColor| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
        let shades: Vec<u32> = (0..=10)
            .map(|i| lightness(value_colour(f64::from(i) / 10.0)))
            .collect();
        assert!(shades.windows(2).all(|w| w[0] < w[1]), "{shades:?}");
        assert_eq!(value_colour(f64::NAN), value_colour(0.0));
    }
}
