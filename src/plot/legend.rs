//! The legend of a panel: which series it names, its size, where it goes
//! (inside the plot where it hides the least, or beside it), and drawing it.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::draw::{
    BAND_ALPHA, DASH, LEGEND_FONT, MUTED_TEXT, PanelChart, REFERENCE_COLOR, Scale, series_color,
    text_width,
};
use super::prepare::{PreparedPanel, PreparedSeries};

/// Legend lines inside the plot; with more series the legend moves beside
/// it, and beyond what fits there it ends with "+ n more".
pub(super) const MAX_LEGEND_INSIDE: usize = 5;
const MAX_LEGEND_OUTSIDE: usize = 15;
/// Keeps a legend beside the plot from squeezing the plot.
const MAX_LEGEND_CHARS: usize = 28;
const LEGEND_BORDER: RGBColor = RGBColor(200, 200, 200);

pub(super) struct LegendEntry {
    pub(super) label: String,
    /// None for the closing "+ n more" line, which has no swatch.
    pub(super) color: Option<RGBColor>,
    pub(super) band: bool,
    /// A reference line's dashed swatch.
    pub(super) dashed: bool,
}

pub(super) struct Legend {
    pub(super) entries: Vec<LegendEntry>,
    /// Beside the plot rather than over it: many entries would hide the data.
    pub(super) outside: bool,
    pub(super) width: i32,
    pub(super) height: i32,
    pub(super) line_height: i32,
}

impl Legend {
    pub(super) const PAD_X: f64 = 9.0;
    pub(super) const PAD_Y: f64 = 6.0;
    pub(super) const SWATCH: f64 = 24.0;
    pub(super) const SWATCH_GAP: f64 = 8.0;
    /// Between the plot and a legend beside it.
    pub(super) const GAP: f64 = 12.0;

    pub(super) fn new<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        data: &PreparedPanel,
        scale: Scale,
    ) -> Option<Self> {
        // A legend explains what is drawn: nothing to point at, no entry.
        let labelled: Vec<LegendEntry> = data
            .series
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.label.is_empty() && (!s.lines.is_empty() || !s.bands.is_empty()))
            .map(|(index, s): (usize, &PreparedSeries)| LegendEntry {
                label: crate::text::cut(&s.label, MAX_LEGEND_CHARS),
                color: Some(series_color(index)),
                band: s.has_band,
                dashed: false,
            })
            .chain(
                data.references
                    .iter()
                    .filter(|r| !r.label.is_empty())
                    .map(|r| LegendEntry {
                        label: crate::text::cut(&r.label, MAX_LEGEND_CHARS),
                        color: Some(REFERENCE_COLOR),
                        band: false,
                        dashed: true,
                    }),
            )
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
        let hidden = labelled.len() - shown;
        let mut entries = labelled;
        entries.truncate(shown);
        if hidden > 0 {
            entries.push(LegendEntry {
                label: format!("+ {hidden} more"),
                color: None,
                band: false,
                dashed: false,
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
    pub(super) fn draw<DB: DrawingBackend>(
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
                    if entry.dashed {
                        area.draw(&DashedPathElement::new(
                            vec![(swatch_x, mid), (swatch_x + swatch_w, mid)],
                            scale.px(DASH.0),
                            scale.px(DASH.1),
                            color.stroke_width(scale.upx(1.5)),
                        ))?;
                    } else {
                        area.draw(&PathElement::new(
                            vec![(swatch_x, mid), (swatch_x + swatch_w, mid)],
                            color.stroke_width(scale.upx(2.0)),
                        ))?;
                    }
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

/// Places a legend inside the plot where it hides the least of the lines,
/// preferring the upper right, where falling curves usually leave room.
/// Returns the top-left corner in `area`'s pixels.
pub(super) fn inside_legend_position<'a, DB: DrawingBackend + 'a>(
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
    // A reference line is drawn across the plot, a marker from bottom to
    // top with its label at the top: hiding them counts too.
    let ((x0, x1), (y0, y1)) = (data.x_range, data.y_range);
    let references: Vec<Vec<(f64, f64)>> = data
        .references
        .iter()
        .map(|r| vec![(x0, r.y), (x1, r.y)])
        .chain(data.markers.iter().map(|(x, _)| vec![(*x, y0), (*x, y1)]))
        .collect();
    let lines = data.series.iter().flat_map(|s| &s.lines).chain(&references);
    {
        for segment in lines {
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
