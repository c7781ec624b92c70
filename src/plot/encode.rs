//! A figure as the bytes of a file: PNG (drawn supersampled, averaged down,
//! encoded in memory) or SVG. Nothing here touches the disk: callers write
//! the bytes through `results::atomic`, like every other result file.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::PlotError;
use super::draw::{Scale, draw_figure, ensure_font, figure_size};
use super::model::Figure;

const SUPERSAMPLE: u32 = 2;

/// A drawn figure: the file's content and the size it was drawn at, in
/// pixels, so that nobody has to read the size back out of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered<T> {
    pub content: T,
    pub width: u32,
    pub height: u32,
}

/// Draws a picture on any plotters backend at a given scale. A trait rather
/// than a closure: the same drawing runs on the bitmap and the SVG backend,
/// and a Rust closure cannot be generic over the backend type.
pub(super) trait Draw {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<(), String>;
}

impl Draw for Figure {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<(), String> {
        draw_figure(root, self, scale)
    }
}

/// Renders `figure` as the bytes of a PNG file.
pub fn render_png(figure: &Figure) -> Result<Rendered<Vec<u8>>, PlotError> {
    ensure_font()?;
    png(figure_size(figure)?, figure)
}

/// Renders `figure` as an SVG document. The same figure always gives the same
/// string.
pub fn render_svg(figure: &Figure) -> Result<Rendered<String>, PlotError> {
    // SVG text is laid out by the viewer, but legend and label sizes are still
    // measured with the embedded font.
    ensure_font()?;
    svg(figure_size(figure)?, figure)
}

/// Draws `picture` at `width` × `height` pixels as the bytes of a PNG file.
/// The font must be loaded (`ensure_font`) before.
pub(super) fn png(
    (width, height): (u32, u32),
    picture: &impl Draw,
) -> Result<Rendered<Vec<u8>>, PlotError> {
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
        picture
            .draw(&root, Scale::bitmap(f64::from(SUPERSAMPLE)))
            .map_err(draw_error)?;
        root.present().map_err(|e| draw_error(e.to_string()))?;
    }
    let small = downsample(&big, big_w as usize, big_h as usize, SUPERSAMPLE as usize);
    drop(big);

    let content = encode_png(&small, width, height).map_err(PlotError::Encode)?;
    Ok(Rendered {
        content,
        width,
        height,
    })
}

/// An RGB image as the bytes of a PNG file.
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

/// Draws `picture` at `width` × `height` pixels as an SVG document. The font
/// must be loaded (`ensure_font`) before: label sizes are measured with it.
pub(super) fn svg(
    (width, height): (u32, u32),
    picture: &impl Draw,
) -> Result<Rendered<String>, PlotError> {
    let draw_error = |message: String| PlotError::Draw {
        format: "SVG",
        message,
    };
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        picture.draw(&root, Scale::vector()).map_err(draw_error)?;
        root.present().map_err(|e| draw_error(e.to_string()))?;
    }
    Ok(Rendered {
        content: out,
        width,
        height,
    })
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
