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
    // plotters draws lines without anti-aliasing: drawing at a multiple of the
    // size and averaging down gives smooth lines and text.
    let (big_w, big_h) = (width * SUPERSAMPLE, height * SUPERSAMPLE);
    let mut big = vec![255u8; big_w as usize * big_h as usize * 3];
    draw_on(&mut big, (big_w, big_h), picture)?;
    let small = downsample::<{ SUPERSAMPLE as usize }>(&big, big_w as usize, big_h as usize);
    drop(big);

    let content = encode_png(&small, width, height).map_err(PlotError::Encode)?;
    Ok(Rendered {
        content,
        width,
        height,
    })
}

/// Draws `picture` on `big`, an RGB canvas of `big_w` × `big_h` pixels.
fn draw_on(
    big: &mut [u8],
    (big_w, big_h): (u32, u32),
    picture: &impl Draw,
) -> Result<(), PlotError> {
    let draw_error = |message: String| PlotError::Draw {
        format: "PNG",
        message,
    };
    // with_buffer only panics when the buffer is smaller than w * h * 3,
    // and it was sized exactly that.
    let root = BitMapBackend::with_buffer(big, (big_w, big_h)).into_drawing_area();
    picture
        .draw(&root, Scale::bitmap(f64::from(SUPERSAMPLE)))
        .map_err(draw_error)?;
    root.present().map_err(|e| draw_error(e.to_string()))
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

/// Box-filters an RGB image down by `factor` in each direction: the
/// `factor` input rows of an output row summed byte by byte (a loop the
/// compiler vectorizes), then each pixel's `factor` neighbours in the sum.
/// `FACTOR` is a constant so that the division by the block's size is a
/// multiplication: a division per byte was most of the time.
fn downsample<const FACTOR: usize>(big: &[u8], big_w: usize, big_h: usize) -> Vec<u8> {
    let factor = FACTOR;
    let (w, h) = (big_w / factor, big_h / factor);
    let count = (factor * factor) as u32;
    let mut out = vec![255u8; w * h * 3];
    let mut rows = vec![0u32; big_w * 3];
    for (y, out_row) in out.chunks_exact_mut(w * 3).enumerate() {
        rows.fill(0);
        for dy in 0..factor {
            let start = (y * factor + dy) * big_w * 3;
            match big.get(start..start + big_w * 3) {
                Some(row) => {
                    for (sum, &byte) in rows.iter_mut().zip(row) {
                        *sum += u32::from(byte);
                    }
                }
                // A short image: the missing pixels count as white.
                None => rows.iter_mut().for_each(|sum| *sum += 255),
            }
        }
        for (pixel, block) in out_row
            .chunks_exact_mut(3)
            .zip(rows.chunks_exact(3 * FACTOR))
        {
            for (channel, value) in pixel.iter_mut().enumerate() {
                let sum: u32 = (0..FACTOR).map(|dx| block[dx * 3 + channel]).sum();
                // At most 255: the mean of bytes.
                *value = ((sum + count / 2) / count) as u8;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::downsample;

    #[test]
    fn downsampling_averages_each_block_rounding_half_up() {
        // 4 × 2 pixels down by 2: two output pixels, each the mean of a
        // 2 × 2 block, channel by channel.
        let row = |values: [u8; 4]| {
            values
                .iter()
                .flat_map(|&v| [v, 255 - v, 7])
                .collect::<Vec<_>>()
        };
        let big = [row([0, 1, 100, 200]), row([2, 2, 50, 51])].concat();
        assert_eq!(
            downsample::<2>(&big, 4, 2),
            // (0+1+2+2)/4 = 1.25 -> 1; (100+200+50+51)/4 = 100.25 -> 100;
            // 255 - v averages to 255 - the mean, rounded half up.
            [1, 254, 7, 100, 155, 7]
        );
    }
}
