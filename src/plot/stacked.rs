//! Panels one above the other on one x axis: the same x range and the same
//! room left of every plot, so that a point of one panel sits exactly above
//! the same x in the others (an epoch's cost above its layers' norms). One
//! legend beside them all, merging the panels' entries by label, so that a
//! series keeps one colour in every panel (`Panel::styles`).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::PlotError;
use super::draw::{
    Align, LINE_AXES_STYLE, PANEL_WIDTH, Scale, TITLE_HEIGHT, draw_aligned, ensure_font,
    panel_ticks,
};
use super::encode::{Draw, Rendered, png, svg};
use super::legend::Legend;
use super::model::{Panel, clean_text};
use super::prepare::{PreparedPanel, prepare};

/// The height of each panel: lower than a grid's, since a stack is read
/// along its shared axis.
const STACKED_PANEL_HEIGHT: u32 = 260;

/// At most this many panels: the figure stays the height of a screen or two.
pub const MAX_STACKED: usize = 8;

/// A figure of panels from top to bottom sharing their x axis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stacked {
    pub title: String,
    pub panels: Vec<Panel>,
}

impl Stacked {
    fn prepared(&self) -> Vec<PreparedPanel> {
        self.panels
            .iter()
            .map(|panel| {
                let mut data = prepare(panel);
                // The legend is the stack's, beside every panel.
                data.shared_legend = true;
                data
            })
            .collect()
    }

    /// The x range that covers every panel's.
    fn x_range(prepared: &[PreparedPanel]) -> Option<(f64, f64)> {
        prepared
            .iter()
            .filter(|p| !p.empty)
            .map(|p| p.x_range)
            .reduce(|(a0, a1), (b0, b1)| (a0.min(b0), a1.max(b1)))
    }

    fn size(&self) -> Result<(u32, u32), PlotError> {
        let count = self.panels.len();
        if count > MAX_STACKED {
            return Err(PlotError::TooManyPanels {
                count,
                max: MAX_STACKED,
            });
        }
        let title = if clean_text(&self.title).is_empty() {
            0
        } else {
            TITLE_HEIGHT
        };
        // Bounded by MAX_STACKED, so the cast cannot truncate.
        let height = STACKED_PANEL_HEIGHT * count.max(1) as u32;
        let legend = self
            .legend(height, Scale::vector())
            .map_or(0, |legend| legend.width as u32 + Legend::GAP as u32 * 2);
        Ok((PANEL_WIDTH + legend, height + title))
    }

    fn legend(&self, height: u32, scale: Scale) -> Option<Legend> {
        let height = scale.px(f64::from(height) - 2.0 * Legend::GAP);
        Legend::shared(&self.prepared(), height, scale)
    }
}

impl Draw for Stacked {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<(), String> {
        let body = super::draw::titled(root, &self.title, scale)?;
        let (_, h) = body.dim_in_pixel();
        let legend = self.legend((f64::from(h) / scale.factor).round() as u32, scale);
        let panels_area = super::draw::legend_beside(body, legend, scale)?;
        let prepared = self.prepared();
        let x_range = Self::x_range(&prepared);
        let areas = panels_area.split_evenly((self.panels.len().max(1), 1));
        // The widest room any panel's y axis needs, given to all of them.
        let y_area = prepared
            .iter()
            .zip(&areas)
            .map(|(data, area)| {
                let (_, y_ticks) = panel_ticks(data);
                LINE_AXES_STYLE.label_areas(area, &y_ticks, scale).1
            })
            .max()
            .unwrap_or(0);
        for ((panel, data), area) in self.panels.iter().zip(prepared).zip(&areas) {
            let align = Align { x_range, y_area };
            draw_aligned(area, panel, data, align, scale).map_err(|e| {
                let title = clean_text(&panel.title);
                format!("panel \"{title}\": {e}")
            })?;
        }
        Ok(())
    }
}

/// Renders `stacked` as the bytes of a PNG file.
pub fn render_stacked_png(stacked: &Stacked) -> Result<Rendered<Vec<u8>>, PlotError> {
    ensure_font()?;
    png(stacked.size()?, stacked)
}

/// Renders `stacked` as an SVG document; the same stack gives the same string.
pub fn render_stacked_svg(stacked: &Stacked) -> Result<Rendered<String>, PlotError> {
    ensure_font()?;
    svg(stacked.size()?, stacked)
}
