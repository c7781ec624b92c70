//! The legend of a panel, or one for the whole figure: which series it
//! names, its size, where it goes (inside the plot where it hides the least,
//! or beside it, in columns when long), and drawing it.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::draw::{
    BAND_ALPHA, DASH, LEGEND_FONT, MUTED_TEXT, PanelChart, REFERENCE_COLOR, Scale, measure,
    series_color, series_dash,
};
use super::prepare::PreparedPanel;

/// Legend lines inside the plot; with more series the legend moves beside
/// it, and beyond what fits there it ends with "+ n more".
pub(super) const MAX_LEGEND_INSIDE: usize = 5;
const MAX_LEGEND_OUTSIDE: usize = 15;
/// Keeps a legend beside the plot from squeezing the plot.
const MAX_LEGEND_CHARS: usize = 28;
/// A figure's shared legend has room of its own: labels are cut only when
/// they are longer than anyone reads at a glance.
const MAX_SHARED_CHARS: usize = 44;
/// Columns of a shared legend; what does not fit ends with "+ n more".
const MAX_SHARED_COLUMNS: usize = 4;
const LEGEND_BORDER: RGBColor = RGBColor(200, 200, 200);

/// How an entry's swatch is stroked.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Stroke {
    /// No line: the closing "+ n more", or a band named alone.
    None,
    /// A series' line: solid, or dashed (dash and gap in logical pixels).
    Line(Option<(f64, f64)>),
    /// A reference line's thinner dashed swatch.
    Reference,
}

pub(super) struct LegendEntry {
    pub(super) label: String,
    /// None for the closing "+ n more" line, which is muted.
    pub(super) color: Option<RGBColor>,
    pub(super) band: bool,
    pub(super) stroke: Stroke,
}

pub(super) struct Legend {
    pub(super) entries: Vec<LegendEntry>,
    /// Beside the plot rather than over it: many entries would hide the data.
    pub(super) outside: bool,
    pub(super) width: i32,
    pub(super) height: i32,
    pub(super) line_height: i32,
    /// Entries per column, filled top to bottom, then left to right.
    per_column: usize,
    column_width: i32,
}

/// The series of `data` that have something drawn, then its references, in
/// legend entries; labels cut to `max_chars`.
fn entries_of(data: &PreparedPanel, max_chars: usize) -> Vec<LegendEntry> {
    // A legend explains what is drawn: nothing to point at, no entry.
    data.series
        .iter()
        .filter(|s| !s.label.is_empty() && (!s.lines.is_empty() || !s.bands.is_empty()))
        .map(|s| LegendEntry {
            label: crate::text::cut(&s.label, max_chars),
            color: Some(series_color(s.style)),
            band: s.has_band,
            stroke: Stroke::Line(series_dash(s.style)),
        })
        .chain(
            data.references
                .iter()
                .filter(|r| !r.label.is_empty())
                .map(|r| LegendEntry {
                    label: crate::text::cut(&r.label, max_chars),
                    color: Some(REFERENCE_COLOR),
                    band: false,
                    stroke: Stroke::Reference,
                }),
        )
        .collect()
}

/// `entries`, keeping `capacity` lines with a closing "+ n more" where
/// there are more.
fn capped(mut entries: Vec<LegendEntry>, capacity: usize) -> Vec<LegendEntry> {
    if entries.len() <= capacity {
        return entries;
    }
    let shown = capacity.saturating_sub(1);
    let hidden = entries.len() - shown;
    entries.truncate(shown);
    entries.push(LegendEntry {
        label: format!("+ {hidden} more"),
        color: None,
        band: false,
        stroke: Stroke::None,
    });
    entries
}

impl Legend {
    pub(super) const PAD_X: f64 = 9.0;
    pub(super) const PAD_Y: f64 = 6.0;
    pub(super) const SWATCH: f64 = 30.0;
    pub(super) const SWATCH_GAP: f64 = 8.0;
    /// Between the plot and a legend beside it.
    pub(super) const GAP: f64 = 12.0;
    /// Between two columns of a legend.
    const COLUMN_GAP: f64 = 14.0;

    /// The legend of one panel, or None where it has nothing to name or its
    /// entries go to the figure's shared legend.
    pub(super) fn new(data: &PreparedPanel, scale: Scale) -> Option<Self> {
        if data.shared_legend {
            return None;
        }
        let labelled = entries_of(data, MAX_LEGEND_CHARS);
        if labelled.is_empty() {
            return None;
        }
        let outside = labelled.len() > MAX_LEGEND_INSIDE;
        let capacity = if outside {
            MAX_LEGEND_OUTSIDE
        } else {
            MAX_LEGEND_INSIDE
        };
        let entries = capped(labelled, capacity);
        let per_column = entries.len();
        Some(Self::laid_out(entries, outside, per_column, scale))
    }

    /// One legend for the panels that share theirs: each label once (the
    /// first panel's look), references after the series, then the bands'
    /// meaning; in as many columns as `height` pixels need.
    pub(super) fn shared(panels: &[PreparedPanel], height: i32, scale: Scale) -> Option<Self> {
        let mut entries: Vec<LegendEntry> = Vec::new();
        let mut references: Vec<LegendEntry> = Vec::new();
        let mut band_label = String::new();
        for panel in panels.iter().filter(|p| p.shared_legend) {
            for entry in entries_of(panel, MAX_SHARED_CHARS) {
                let list = if entry.stroke == Stroke::Reference {
                    &mut references
                } else {
                    &mut entries
                };
                if !list.iter().any(|e| e.label == entry.label) {
                    list.push(entry);
                }
            }
            let bands = panel.series.iter().any(|s| !s.bands.is_empty());
            if band_label.is_empty() && bands {
                band_label.clone_from(&panel.band_label);
            }
        }
        entries.extend(references);
        if !band_label.is_empty() {
            entries.push(LegendEntry {
                label: crate::text::cut(&band_label, MAX_SHARED_CHARS),
                color: Some(MUTED_TEXT),
                band: true,
                stroke: Stroke::None,
            });
        }
        if entries.is_empty() {
            return None;
        }
        let line_height = scale.px(LEGEND_FONT * 1.35).max(1);
        let room = (height - scale.px(2.0 * Self::PAD_Y)).max(line_height);
        let per_column = ((room / line_height) as usize).max(1);
        let entries = capped(entries, per_column * MAX_SHARED_COLUMNS);
        Some(Self::laid_out(entries, true, per_column, scale))
    }

    fn laid_out(entries: Vec<LegendEntry>, outside: bool, per_column: usize, scale: Scale) -> Self {
        let widest = entries
            .iter()
            .map(|e| measure(&e.label, LEGEND_FONT * scale.factor))
            .max()
            .unwrap_or(0);
        let line_height = scale.px(LEGEND_FONT * 1.35);
        let per_column = per_column.clamp(1, entries.len().max(1));
        let columns = entries.len().div_ceil(per_column).max(1) as i32;
        let column_width = widest + scale.px(Self::SWATCH + Self::SWATCH_GAP);
        Legend {
            outside,
            width: columns * column_width
                + (columns - 1) * scale.px(Self::COLUMN_GAP)
                + scale.px(2.0 * Self::PAD_X),
            height: per_column as i32 * line_height + scale.px(2.0 * Self::PAD_Y),
            line_height,
            per_column,
            column_width,
            entries,
        }
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

        let swatch_w = scale.px(Self::SWATCH);
        let swatch_h = scale.px(5.0);
        let text_style = scale
            .font(LEGEND_FONT)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let muted_style = text_style.color(&MUTED_TEXT);
        let top = y + scale.px(Self::PAD_Y);
        for (i, entry) in self.entries.iter().enumerate() {
            let (column, row) = (i / self.per_column, i % self.per_column);
            let swatch_x = x
                + scale.px(Self::PAD_X)
                + column as i32 * (self.column_width + scale.px(Self::COLUMN_GAP));
            let text_x = swatch_x + swatch_w + scale.px(Self::SWATCH_GAP);
            let mid = top + self.line_height * row as i32 + self.line_height / 2;
            let swatch = vec![(swatch_x, mid), (swatch_x + swatch_w, mid)];
            let style = match entry.color {
                Some(color) => {
                    if entry.band {
                        area.draw(&Rectangle::new(
                            [
                                (swatch_x, mid - swatch_h),
                                (swatch_x + swatch_w, mid + swatch_h),
                            ],
                            color.mix(BAND_ALPHA * 1.5).filled(),
                        ))?;
                    }
                    match entry.stroke {
                        Stroke::None => {}
                        Stroke::Reference => area.draw(&DashedPathElement::new(
                            swatch,
                            scale.px(DASH.0),
                            scale.px(DASH.1),
                            color.stroke_width(scale.upx(1.5)),
                        ))?,
                        Stroke::Line(None) => area.draw(&PathElement::new(
                            swatch,
                            color.stroke_width(scale.upx(2.0)),
                        ))?,
                        Stroke::Line(Some((dash, gap))) => area.draw(&DashedPathElement::new(
                            swatch,
                            scale.px(dash),
                            scale.px(gap),
                            color.stroke_width(scale.upx(2.0)),
                        ))?,
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
