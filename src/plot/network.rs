//! A network drawn: its inputs, units and outputs as nodes in columns, each
//! weight a line coloured by its sign and as thick as its size, each bias
//! its unit's fill, panels side by side (the initial and the trained
//! network) on one scale, so that what training changed shows as a change
//! of colour and thickness. A layer too wide to draw unit by unit is a
//! block holding the histogram of its weights.
//!
//! `network_layout` decides where everything goes; this file holds the
//! diagram as callers build it, draws the scene on either backend (fonts,
//! supersampling and encoding are the line figures'), and names each
//! connection, band and node in the SVG with a `<title>` (`w1[2,3] = -0.41`:
//! layer 1's weight into its unit 2 from input 3, as `trace` writes it), which
//! a browser shows on hover and a test can read.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{Pos, VPos};

use super::PlotError;
use super::draw::{Scale, ensure_font, fit_text};
use super::encode::{Draw, Rendered, png, svg};
use super::network_layout::{Scene, WIDTH, scene};

/// Layers (and inputs) of more units than this are drawn as a block: the
/// lines of every weight would be a solid smear.
pub const MAX_DRAWN_UNITS: usize = 32;

/// Networks of one shape side by side, with the names of their inputs and
/// outputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetworkDiagram {
    pub title: String,
    /// The inputs' names, in order.
    pub inputs: Vec<String>,
    /// The outputs' names, in order; a `\n` starts a second, muted line.
    pub outputs: Vec<String>,
    pub panels: Vec<NetworkPanel>,
}

/// One network: a title ("initial") and its layers, first to last.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetworkPanel {
    pub title: String,
    pub layers: Vec<DiagramLayer>,
}

/// One dense layer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DiagramLayer {
    /// Written under its column, one line each (the first in full ink).
    pub caption: Vec<String>,
    /// `weights[unit][input]`, as model.json holds them.
    pub weights: Vec<Vec<f64>>,
    /// One per unit.
    pub biases: Vec<f64>,
}

/// Renders `diagram` as the bytes of a PNG file.
pub fn render_network_png(diagram: &NetworkDiagram) -> Result<Rendered<Vec<u8>>, PlotError> {
    ensure_font()?;
    let scene = scene(diagram);
    png(size(&scene), &scene)
}

/// Renders `diagram` as an SVG document, each connection, band and node
/// with a `<title>`; the same diagram always gives the same string.
pub fn render_network_svg(diagram: &NetworkDiagram) -> Result<Rendered<String>, PlotError> {
    ensure_font()?;
    let scene = scene(diagram);
    let rendered = svg(size(&scene), &scene)?;
    Ok(Rendered {
        content: with_titles(&rendered.content, &scene),
        ..rendered
    })
}

fn size(scene: &Scene) -> (u32, u32) {
    (WIDTH as u32, scene.height as u32)
}

impl Draw for Scene {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<(), String> {
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        let px = |(x, y): (f64, f64)| (scale.px(x), scale.px(y));
        root.fill(&WHITE).map_err(e)?;
        for b in &self.boxes {
            let color = b.color.mix(short(b.alpha));
            let style = if b.filled {
                color.filled()
            } else {
                color.stroke_width(scale.upx(1.0))
            };
            root.draw(&Rectangle::new([px(b.corners[0]), px(b.corners[1])], style))
                .map_err(e)?;
        }
        for band in &self.bands {
            let corners: Vec<(i32, i32)> = band.corners.iter().map(|&c| px(c)).collect();
            root.draw(&Polygon::new(
                corners,
                band.color.mix(short(band.alpha)).filled(),
            ))
            .map_err(e)?;
        }
        for stroke in &self.strokes {
            let style = stroke
                .color
                .mix(short(stroke.alpha))
                .stroke_width(scale.upx(stroke.width).max(1));
            root.draw(&PathElement::new(
                vec![px(stroke.from), px(stroke.to)],
                style,
            ))
            .map_err(e)?;
        }
        // Each node twice, in this order: its fill, then its outline.
        for node in &self.nodes {
            let at = px(node.at);
            let radius = scale.upx(node.radius);
            root.draw(&Circle::new(at, radius, node.fill.filled()))
                .map_err(e)?;
            root.draw(&Circle::new(
                at,
                radius,
                RGBColor(70, 70, 70).stroke_width(scale.upx(1.0)),
            ))
            .map_err(e)?;
        }
        for label in &self.labels {
            let style = scale
                .font(label.size)
                .color(&label.color)
                .pos(Pos::new(label.anchor, VPos::Center));
            let text = fit_text(root, &label.text, &style, scale.px(label.max_width));
            let (x, y) = px(label.at);
            root.draw_text(&text, &style, (x, y + scale.text_drop(label.size)))
                .map_err(e)?;
        }
        Ok(())
    }
}

/// An opacity to two decimals: the eye tells no finer steps, and the SVG
/// writes every digit of it, once for each of up to thousands of lines.
fn short(alpha: f64) -> f64 {
    (alpha * 100.0).round() / 100.0
}

/// The SVG with a `<title>` in each connection (`<polyline>`), band
/// (`<polygon>`) and node (`<circle>`, fill and outline alike): the scene
/// draws nothing else of those kinds, and plotters writes one element per
/// line in drawing order, so the n-th of a kind is the scene's n-th.
fn with_titles(svg: &str, scene: &Scene) -> String {
    let mut strokes = scene.strokes.iter().map(|s| &s.title);
    let mut bands = scene.bands.iter().map(|b| &b.title);
    let mut nodes = scene.nodes.iter().flat_map(|n| [&n.title, &n.title]);
    let mut out = String::with_capacity(svg.len() + svg.len() / 4);
    for line in svg.split_inclusive('\n') {
        let (tag, title) = if line.starts_with("<polyline ") {
            ("polyline", strokes.next())
        } else if line.starts_with("<polygon ") {
            ("polygon", bands.next())
        } else if line.starts_with("<circle ") {
            ("circle", nodes.next())
        } else {
            ("", None)
        };
        match (title, line.trim_end().strip_suffix("/>")) {
            (Some(title), Some(open)) => {
                out.push_str(open);
                out.push_str("><title>");
                out.push_str(&xml_escape(title));
                out.push_str("</title></");
                out.push_str(tag);
                out.push_str(">\n");
            }
            _ => out.push_str(line),
        }
    }
    out
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(units: usize, inputs: usize, caption: &str) -> DiagramLayer {
        DiagramLayer {
            caption: vec![caption.to_string()],
            weights: (0..units)
                .map(|i| {
                    (0..inputs)
                        .map(|j| {
                            if (i + j) % 3 == 0 {
                                -0.5
                            } else {
                                0.25 * (j + 1) as f64
                            }
                        })
                        .collect()
                })
                .collect(),
            biases: (0..units).map(|i| i as f64 * 0.1 - 0.2).collect(),
        }
    }

    fn diagram(layers: Vec<DiagramLayer>, inputs: usize) -> NetworkDiagram {
        let outputs = layers.last().map_or(0, |l| l.biases.len());
        NetworkDiagram {
            title: "test".to_string(),
            inputs: (0..inputs).map(|j| format!("x{j}")).collect(),
            outputs: (0..outputs).map(|i| format!("y{i}")).collect(),
            panels: vec![
                NetworkPanel {
                    title: "initial".to_string(),
                    layers: layers.clone(),
                },
                NetworkPanel {
                    title: "trained".to_string(),
                    layers,
                },
            ],
        }
    }

    fn titles(svg: &str, tag: &str) -> Vec<String> {
        svg.lines()
            .filter(|l| l.starts_with(&format!("<{tag} ")))
            .map(|l| {
                let start = l.find("<title>").expect("a title") + "<title>".len();
                let end = l.find("</title>").expect("its end");
                l[start..end].to_string()
            })
            .collect()
    }

    #[test]
    fn every_weight_is_a_titled_line_coloured_by_its_sign() {
        let d = diagram(vec![layer(4, 3, "hidden"), layer(2, 4, "out")], 3);
        let svg = render_network_svg(&d).unwrap().content;
        let lines: Vec<&str> = svg
            .lines()
            .filter(|l| l.starts_with("<polyline "))
            .collect();
        // Two panels of 4·3 + 2·4 weights.
        assert_eq!(lines.len(), 2 * (12 + 8));
        for line in lines {
            let negative = line.contains("<title>w") && line.contains("= -");
            let color = if negative { "#D55E00" } else { "#0072B2" };
            assert!(line.contains(&format!("stroke=\"{color}\"")), "{line}");
        }
        let all = titles(&svg, "polyline");
        assert!(all.contains(&"w1[1,1] = -0.5".to_string()), "{all:?}");
        assert!(all.contains(&"w2[2,4] = 1".to_string()), "{all:?}");
        // Nodes: inputs and units, fill and outline, in both panels.
        assert_eq!(titles(&svg, "circle").len(), 2 * 2 * (3 + 4 + 2));
        assert!(titles(&svg, "circle").contains(&"b1[1] = -0.2".to_string()));
    }

    #[test]
    fn a_wide_layer_is_a_block_with_bands_not_a_line_per_weight() {
        let d = diagram(vec![layer(64, 3, "wide"), layer(1, 64, "out")], 3);
        let svg = render_network_svg(&d).unwrap().content;
        assert_eq!(svg.matches("<polyline ").count(), 0);
        // Per panel: a band per input into the block, one from it to the output.
        assert_eq!(titles(&svg, "polygon").len(), 2 * (3 + 1));
        assert!(svg.contains("more than 32 units"));
        let png = render_network_png(&d).unwrap();
        // The tallest column is a block: the full height.
        assert_eq!((png.width, png.height), (1200, 710));
    }
}
