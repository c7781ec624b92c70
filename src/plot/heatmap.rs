//! A heatmap of counts: a square grid of cells with row and column labels,
//! each cell shaded by its share of its row and, while the cells are large
//! enough to read, its count written in it. A confusion matrix is its use:
//! rows are true classes, so shading by row share shows each class's recall
//! whatever the class sizes.
//!
//! It has its own layout (a grid has no axes to tick) but the line
//! figures' fonts, colours, supersampling and encoding.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::draw::{MUTED_TEXT, Scale, ensure_font, fit_text, series_color, text_width};
use super::encode::{Draw, Rendered, png, svg};
use super::model::clean_text;

/// A titled grid of counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Heatmap {
    pub title: String,
    /// A line under the title, in muted text: what the shading means.
    pub subtitle: String,
    /// Under the columns' labels.
    pub x_label: String,
    /// Beside the rows' labels, read bottom to top.
    pub y_label: String,
    pub row_labels: Vec<String>,
    pub column_labels: Vec<String>,
    /// `counts[row][column]`; a missing cell counts 0.
    pub counts: Vec<Vec<u64>>,
}

/// Counts are written in the cells up to this many columns (or rows);
/// beyond, the cells are too small and only their shade shows.
pub const MAX_ANNOTATED: usize = 10;
/// Beyond this many rows or columns their labels would be unreadable.
const MAX_LABELLED: usize = 25;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 600;
const TITLE_FONT: f64 = 20.0;
const SUBTITLE_FONT: f64 = 14.0;
const LABEL_FONT: f64 = 17.0;
const TICK_FONT: f64 = 15.0;
const TEXT_COLOR: RGBColor = RGBColor(34, 34, 34);
const CELL_LINE: RGBColor = RGBColor(255, 255, 255);

/// Renders `heatmap` as the bytes of a PNG file.
pub fn render_heatmap_png(heatmap: &Heatmap) -> Result<Rendered<Vec<u8>>, PlotError> {
    ensure_font()?;
    png((WIDTH, HEIGHT), heatmap)
}

/// Renders `heatmap` as an SVG document; the same heatmap always gives the
/// same string.
pub fn render_heatmap_svg(heatmap: &Heatmap) -> Result<Rendered<String>, PlotError> {
    ensure_font()?;
    svg((WIDTH, HEIGHT), heatmap)
}

impl Draw for Heatmap {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<(), String> {
        draw(root, self, scale)
    }
}

/// White for an empty share, the palette's first colour for a full one.
fn shade(share: f64) -> RGBColor {
    let full = series_color(0);
    let share = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |c: u8| (255.0 - (255.0 - f64::from(c)) * share).round() as u8;
    RGBColor(mix(full.0), mix(full.1), mix(full.2))
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    heatmap: &Heatmap,
    scale: Scale,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(e)?;
    let (width, _) = root.dim_in_pixel();
    let width = width as i32;
    let centered = |size: f64| scale.font(size).pos(Pos::new(HPos::Center, VPos::Center));

    // Title and subtitle: each one centred line, cut to the width.
    let centered_line = |text: &str, font: f64, style: &TextStyle, y: f64| {
        let text = fit_text(root, &clean_text(text), style, width - scale.px(24.0));
        root.draw_text(
            &text,
            style,
            (width / 2, scale.px(y) + scale.text_drop(font)),
        )
        .map_err(e)
    };
    centered_line(&heatmap.title, TITLE_FONT, &centered(TITLE_FONT), 22.0)?;
    let subtitle_style = centered(SUBTITLE_FONT).color(&MUTED_TEXT);
    centered_line(&heatmap.subtitle, SUBTITLE_FONT, &subtitle_style, 46.0)?;

    // The grid: square cells in the room left by the labels.
    let rows = heatmap.row_labels.len().max(heatmap.counts.len());
    let columns = heatmap.column_labels.len().max(
        heatmap
            .counts
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or_default(),
    );
    let (left, top, right, bottom) = (150.0, 70.0, 30.0, 80.0);
    let room_w = f64::from(WIDTH) - left - right;
    let room_h = f64::from(HEIGHT) - top - bottom;
    let cell = (room_w / columns.max(1) as f64)
        .min(room_h / rows.max(1) as f64)
        // Two classes need no giant squares.
        .min(180.0);
    let grid_w = cell * columns as f64;
    let grid_h = cell * rows as f64;
    // Centred in the room.
    let x0 = left + (room_w - grid_w) / 2.0;
    let y0 = top + (room_h - grid_h) / 2.0;
    let px = |logical: f64| scale.px(logical);

    let annotate = rows <= MAX_ANNOTATED && columns <= MAX_ANNOTATED;
    let count_font = (cell * 0.3).clamp(11.0, 22.0);
    for r in 0..rows {
        let row = heatmap.counts.get(r);
        let total: u64 = row.map_or(0, |row| row.iter().sum());
        for c in 0..columns {
            let count = row.and_then(|row| row.get(c)).copied().unwrap_or(0);
            let share = if total == 0 {
                0.0
            } else {
                count as f64 / total as f64
            };
            let (cx, cy) = (x0 + cell * c as f64, y0 + cell * r as f64);
            let corners = [(px(cx), px(cy)), (px(cx + cell), px(cy + cell))];
            root.draw(&Rectangle::new(corners, shade(share).filled()))
                .map_err(e)?;
            root.draw(&Rectangle::new(
                corners,
                CELL_LINE.stroke_width(scale.upx(1.0)),
            ))
            .map_err(e)?;
            if annotate {
                let ink = if share > 0.5 { WHITE } else { TEXT_COLOR };
                let style = centered(count_font).color(&ink);
                let at = (
                    px(cx + cell / 2.0),
                    px(cy + cell / 2.0) + scale.text_drop(count_font),
                );
                root.draw_text(&count.to_string(), &style, at).map_err(e)?;
            }
        }
    }
    // A frame around the whole grid.
    root.draw(&Rectangle::new(
        [(px(x0), px(y0)), (px(x0 + grid_w), px(y0 + grid_h))],
        RGBColor(190, 190, 190).stroke_width(scale.upx(1.0)),
    ))
    .map_err(e)?;

    // Labels: the columns' under the grid, the rows' to its left. Column
    // labels wider than their cell alternate between two lines, which
    // doubles their room.
    let mut label_rows = 1;
    if rows <= MAX_LABELLED && columns <= MAX_LABELLED {
        let tick = scale.font(TICK_FONT);
        let column_style = tick.pos(Pos::new(HPos::Center, VPos::Center));
        let fits = |label: &String| {
            text_width(
                root,
                &clean_text(label),
                &column_style,
                TICK_FONT * scale.factor,
            ) <= px(cell - 4.0)
        };
        if !heatmap.column_labels.iter().all(fits) {
            label_rows = 2;
        }
        for (c, label) in heatmap.column_labels.iter().enumerate() {
            let room = px(cell * label_rows as f64 - 6.0).max(0);
            let text = fit_text(root, &clean_text(label), &column_style, room);
            let line = (c % label_rows) as f64;
            let at = (
                px(x0 + cell * (c as f64 + 0.5)),
                px(y0 + grid_h + 14.0 + 18.0 * line) + scale.text_drop(TICK_FONT),
            );
            root.draw_text(&text, &column_style, at).map_err(e)?;
        }
        let row_style = tick.pos(Pos::new(HPos::Right, VPos::Center));
        for (r, label) in heatmap.row_labels.iter().enumerate() {
            let text = fit_text(root, &clean_text(label), &row_style, px(x0 - 50.0));
            let at = (
                px(x0 - 8.0),
                px(y0 + cell * (r as f64 + 0.5)) + scale.text_drop(TICK_FONT),
            );
            root.draw_text(&text, &row_style, at).map_err(e)?;
        }
    }
    let label_style = centered(LABEL_FONT);
    let x_label = fit_text(
        root,
        &clean_text(&heatmap.x_label),
        &label_style,
        px(grid_w),
    );
    root.draw_text(
        &x_label,
        &label_style,
        (
            px(x0 + grid_w / 2.0),
            px(y0 + grid_h + 24.0 + 18.0 * label_rows as f64) + scale.text_drop(LABEL_FONT),
        ),
    )
    .map_err(e)?;
    let y_style = label_style.transform(FontTransform::Rotate270);
    let y_label = fit_text(root, &clean_text(&heatmap.y_label), &y_style, px(grid_h));
    root.draw_text(
        &y_label,
        &y_style,
        (
            px(x0 - 118.0) - scale.text_drop(LABEL_FONT),
            px(y0 + grid_h / 2.0),
        ),
    )
    .map_err(e)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iris() -> Heatmap {
        let classes: Vec<String> = ["setosa", "versicolor", "virginica"]
            .map(String::from)
            .to_vec();
        Heatmap {
            title: "Confusion matrix".into(),
            subtitle: "shade: share of the row".into(),
            x_label: "predicted class".into(),
            y_label: "true class".into(),
            row_labels: classes.clone(),
            column_labels: classes,
            counts: vec![vec![10, 0, 0], vec![0, 9, 1], vec![0, 2, 8]],
        }
    }

    #[test]
    fn svg_has_a_cell_per_count_and_the_counts_and_labels_as_text() {
        let svg = render_heatmap_svg(&iris()).unwrap().content;
        // plotters writes each text on a line of its own.
        for text in ["10", "9", "8", "setosa", "virginica", "true class"] {
            assert!(
                svg.contains(&format!(">\n{text}\n</text>")),
                "{text} missing"
            );
        }
        // A diagonal cell is fully shaded, an empty one white.
        let full = series_color(0);
        assert!(svg.contains(&format!(
            "fill=\"#{:02X}{:02X}{:02X}\"",
            full.0, full.1, full.2
        )));
    }

    #[test]
    fn many_classes_get_cells_without_numbers() {
        let n = 30;
        let heatmap = Heatmap {
            counts: (0..n)
                .map(|r| (0..n).map(|c| u64::from(r == c) * 7).collect())
                .collect(),
            ..Heatmap::default()
        };
        let svg = render_heatmap_svg(&heatmap).unwrap().content;
        assert!(!svg.contains(">\n7\n</text>"));
        // A filled rectangle and an outline per cell.
        assert!(svg.matches("<rect").count() > 2 * n * n);
        let png = render_heatmap_png(&heatmap).unwrap();
        assert_eq!((png.width, png.height), (WIDTH, HEIGHT));
    }
}
