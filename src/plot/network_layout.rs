//! Where each part of a network diagram goes: the nodes of every column,
//! the connections between them, the blocks that stand for layers too wide
//! to draw unit by unit, and the legend, as shapes in logical pixels. Both
//! backends draw this one scene, and the SVG's tooltips are read from it in
//! the order it is drawn, so that the n-th line of the file is the n-th
//! connection here.

use plotters::style::RGBColor;
use plotters::style::text_anchor::HPos;

use super::draw::{MUTED_TEXT, measure};
use super::model::clean_text;
use super::network::{MAX_DRAWN_UNITS, NetworkDiagram};
use crate::text::number;

pub(super) const WIDTH: f64 = 1200.0;

/// Okabe–Ito's blue and vermillion: told apart with every common colour
/// vision deficiency, and neither is grey (an input's node).
pub(super) const POSITIVE: RGBColor = RGBColor(0, 114, 178);
pub(super) const NEGATIVE: RGBColor = RGBColor(213, 94, 0);
const TEXT: RGBColor = RGBColor(34, 34, 34);
const FRAME: RGBColor = RGBColor(150, 150, 150);
const INPUT_FILL: RGBColor = RGBColor(200, 200, 200);

const TITLE_FONT: f64 = 20.0;
const PANEL_TITLE_FONT: f64 = 17.0;
const LABEL_FONT: f64 = 12.0;
const LEGEND_FONT: f64 = 13.0;
/// The band the nodes are spread over, top to bottom.
const NODES_TOP: f64 = 95.0;
/// The most room the nodes of a column take, top to bottom.
const NODES_HEIGHT: f64 = 450.0;
/// The room of each node of the tallest column, while they fit.
const NODE_ROOM: f64 = 44.0;
const LEGEND_ROW: f64 = 24.0;
/// Half the width of a block.
const BLOCK_HALF: f64 = 30.0;
const HISTOGRAM_BINS: usize = 15;
/// Room between a panel's edge and its labels.
const EDGE: f64 = 14.0;

/// A straight connection: one weight.
pub(super) struct Stroke {
    pub(super) from: (f64, f64),
    pub(super) to: (f64, f64),
    pub(super) color: RGBColor,
    pub(super) alpha: f64,
    pub(super) width: f64,
    pub(super) title: String,
}

/// A filled quadrilateral: all the weights between a block and one unit.
pub(super) struct Band {
    pub(super) corners: [(f64, f64); 4],
    pub(super) color: RGBColor,
    pub(super) alpha: f64,
    pub(super) title: String,
}

/// A unit (its bias as the fill) or an input (grey).
pub(super) struct Node {
    pub(super) at: (f64, f64),
    pub(super) radius: f64,
    pub(super) fill: RGBColor,
    pub(super) title: String,
}

/// A rectangle: a block's frame, a histogram bar, a legend swatch.
pub(super) struct Boxed {
    pub(super) corners: [(f64, f64); 2],
    pub(super) color: RGBColor,
    pub(super) alpha: f64,
    pub(super) filled: bool,
}

/// One line of text, vertically centred on `at`.
pub(super) struct Label {
    pub(super) text: String,
    pub(super) at: (f64, f64),
    pub(super) size: f64,
    pub(super) anchor: HPos,
    pub(super) color: RGBColor,
    /// Cut with an ellipsis beyond this many pixels.
    pub(super) max_width: f64,
}

/// Everything drawn, in drawing order within each kind: boxes, bands,
/// strokes, nodes, labels.
#[derive(Default)]
pub(super) struct Scene {
    /// The figure's height: as much as its tallest column needs.
    pub(super) height: f64,
    pub(super) boxes: Vec<Boxed>,
    pub(super) bands: Vec<Band>,
    pub(super) strokes: Vec<Stroke>,
    pub(super) nodes: Vec<Node>,
    pub(super) labels: Vec<Label>,
}

/// One column of a panel: the inputs, or a layer's units.
struct Column {
    x: f64,
    /// The bottom of the room the nodes are spread over.
    bottom: f64,
    count: usize,
    block: bool,
}

impl Column {
    fn node_y(&self, i: usize) -> f64 {
        let spacing = self.spacing();
        let middle = (NODES_TOP + self.bottom) / 2.0;
        middle + (i as f64 - (self.count as f64 - 1.0) / 2.0) * spacing
    }

    fn spacing(&self) -> f64 {
        ((self.bottom - NODES_TOP) / self.count.max(1) as f64).min(NODE_ROOM)
    }

    fn radius(&self) -> f64 {
        (self.spacing() * 0.32).clamp(3.0, 9.0)
    }

    /// The block's top and bottom.
    fn block_span(&self) -> (f64, f64) {
        (NODES_TOP + 10.0, self.bottom - 10.0)
    }

    /// Where a band meets this column for the `i`-th of `n` units on the
    /// other side: spread along a block's edge, or at the node itself.
    fn band_end(&self, i: usize, n: usize, toward_right: bool) -> (f64, f64) {
        if self.block {
            let (top, bottom) = self.block_span();
            let x = if toward_right {
                self.x + BLOCK_HALF
            } else {
                self.x - BLOCK_HALF
            };
            (x, top + (i as f64 + 0.5) / n.max(1) as f64 * (bottom - top))
        } else {
            (self.x, self.node_y(i))
        }
    }
}

/// The scales every panel shares, so that the initial and the trained
/// network are drawn alike: the largest |weight| and |bias| of the figure.
struct Scales {
    weight: f64,
    bias: f64,
}

fn largest(values: impl Iterator<Item = f64>) -> f64 {
    let max = values
        .filter(|v| v.is_finite())
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    if max > 0.0 { max } else { 1.0 }
}

/// A value's share of its scale, in [0, 1]; a non-finite value counts 0.
fn share(value: f64, scale: f64) -> f64 {
    if value.is_finite() {
        (value.abs() / scale).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

fn sign_color(value: f64) -> RGBColor {
    if value < 0.0 { NEGATIVE } else { POSITIVE }
}

/// White for a zero bias, the sign's colour for the largest.
fn bias_fill(bias: f64, scale: f64) -> RGBColor {
    let full = sign_color(bias);
    let s = share(bias, scale) * 0.85;
    let mix = |c: u8| (255.0 - (255.0 - f64::from(c)) * s).round() as u8;
    RGBColor(mix(full.0), mix(full.1), mix(full.2))
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

pub(super) fn scene(diagram: &NetworkDiagram) -> Scene {
    let mut scene = Scene::default();
    let scales = Scales {
        weight: largest(
            diagram
                .panels
                .iter()
                .flat_map(|p| &p.layers)
                .flat_map(|l| l.weights.iter().flatten().copied()),
        ),
        bias: largest(
            diagram
                .panels
                .iter()
                .flat_map(|p| &p.layers)
                .flat_map(|l| l.biases.iter().copied()),
        ),
    };
    let rows = Rows::of(diagram);
    add_title(&mut scene, diagram, &rows);
    let width = WIDTH / diagram.panels.len().max(1) as f64;
    for (p, _) in diagram.panels.iter().enumerate() {
        add_panel(
            &mut scene,
            diagram,
            p,
            (p as f64 * width, width),
            (&scales, &rows),
        );
    }
    add_legend(&mut scene, &scales, &rows);
    scene.height = rows.height;
    scene
}

/// Where the parts of the figure go, top to bottom: a network of a few
/// units gets a short figure, not a tall one with its nodes far apart.
struct Rows {
    nodes_bottom: f64,
    caption_top: f64,
    legend_top: f64,
    height: f64,
    /// Whether any column is a block: the legend then says what one is.
    any_block: bool,
}

impl Rows {
    fn of(diagram: &NetworkDiagram) -> Self {
        let counts = || {
            std::iter::once(diagram.inputs.len()).chain(
                diagram
                    .panels
                    .iter()
                    .flat_map(|p| &p.layers)
                    .map(|l| l.biases.len()),
            )
        };
        let any_block = counts().any(|n| n > MAX_DRAWN_UNITS);
        let tallest = counts().max().unwrap_or(1);
        let room = if any_block {
            NODES_HEIGHT
        } else {
            (tallest as f64 * NODE_ROOM).clamp(3.0 * NODE_ROOM, NODES_HEIGHT)
        };
        let nodes_bottom = NODES_TOP + room;
        let caption_top = nodes_bottom + 22.0;
        // Three caption lines, then the legend's rows.
        let legend_top = caption_top + 3.0 * 15.0 + 26.0;
        let legend_rows = if any_block { 3.0 } else { 2.0 };
        Rows {
            nodes_bottom,
            caption_top,
            legend_top,
            height: (legend_top + legend_rows * LEGEND_ROW).round(),
            any_block,
        }
    }
}

/// The figure's title and the lines between panels.
fn add_title(scene: &mut Scene, diagram: &NetworkDiagram, rows: &Rows) {
    scene.labels.push(Label {
        text: clean_text(&diagram.title),
        at: (WIDTH / 2.0, 24.0),
        size: TITLE_FONT,
        anchor: HPos::Center,
        color: TEXT,
        max_width: WIDTH - 24.0,
    });
    let width = WIDTH / diagram.panels.len().max(1) as f64;
    for p in 1..diagram.panels.len() {
        let x = p as f64 * width;
        scene.boxes.push(Boxed {
            corners: [(x, 45.0), (x + 1.0, rows.legend_top - 14.0)],
            color: RGBColor(220, 220, 220),
            alpha: 1.0,
            filled: true,
        });
    }
}

/// The widest of `labels` (each line of each), at most `cap`.
fn label_room(labels: &[String], cap: f64) -> f64 {
    labels
        .iter()
        .flat_map(|l| l.lines())
        .map(|line| f64::from(measure(&clean_text(line), LABEL_FONT)) + 6.0)
        .fold(0.0_f64, f64::max)
        .min(cap)
}

fn add_panel(
    scene: &mut Scene,
    diagram: &NetworkDiagram,
    p: usize,
    (left, width): (f64, f64),
    (scales, rows): (&Scales, &Rows),
) {
    let Some(panel) = diagram.panels.get(p) else {
        return;
    };
    scene.labels.push(Label {
        text: clean_text(&panel.title),
        at: (left + width / 2.0, 60.0),
        size: PANEL_TITLE_FONT,
        anchor: HPos::Center,
        color: TEXT,
        max_width: width - 2.0 * EDGE,
    });
    let inputs = panel.layers.first().map_or(diagram.inputs.len(), |l| {
        l.weights.first().map_or(diagram.inputs.len(), Vec::len)
    });
    let mut counts = vec![inputs];
    counts.extend(panel.layers.iter().map(|l| l.biases.len()));
    let blocks: Vec<bool> = counts.iter().map(|&n| n > MAX_DRAWN_UNITS).collect();

    // Input names to the left, output names to the right, the columns
    // evenly between.
    let cap = width * 0.3;
    let left_room = match blocks.first() {
        Some(false) => label_room(&diagram.inputs, cap) + 16.0,
        _ => BLOCK_HALF,
    };
    let right_room = match blocks.last() {
        Some(false) => label_room(&diagram.outputs, cap) + 16.0,
        _ => BLOCK_HALF,
    };
    let x0 = left + EDGE + left_room;
    let x1 = left + width - EDGE - right_room;
    let gaps = (counts.len() - 1).max(1) as f64;
    let gap = (x1 - x0) / gaps;
    let columns: Vec<Column> = counts
        .iter()
        .zip(&blocks)
        .enumerate()
        .map(|(k, (&count, &block))| Column {
            x: x0 + k as f64 * gap,
            bottom: rows.nodes_bottom,
            count,
            block,
        })
        .collect();

    // Connections, weakest first so that the strong ones stay on top.
    let mut strokes = Vec::new();
    for (l, layer) in panel.layers.iter().enumerate() {
        let (Some(from), Some(to)) = (columns.get(l), columns.get(l + 1)) else {
            continue;
        };
        let symbol = format!("w{}", l + 1);
        match (from.block, to.block) {
            (false, false) => {
                // Among hundreds of lines the weak ones fade further, so
                // that the strong ones can still be followed.
                let floor = if from.count * to.count > 100 {
                    0.08
                } else {
                    0.2
                };
                for (i, row) in layer.weights.iter().enumerate() {
                    for (j, &w) in row.iter().enumerate() {
                        let s = share(w, scales.weight);
                        strokes.push(Stroke {
                            from: (from.x, from.node_y(j)),
                            to: (to.x, to.node_y(i)),
                            color: sign_color(w),
                            alpha: floor + (0.9 - floor) * s,
                            width: 0.5 + 4.5 * s,
                            title: format!("{symbol}[{},{}] = {}", i + 1, j + 1, number(w)),
                        });
                    }
                }
            }
            _ => add_bands(scene, layer, &symbol, (from, to), scales),
        }
    }
    strokes.sort_by(|a, b| a.width.total_cmp(&b.width));
    scene.strokes.extend(strokes);

    for (k, column) in columns.iter().enumerate() {
        let layer = k.checked_sub(1).and_then(|l| panel.layers.get(l));
        if column.block {
            add_block(scene, column, layer, (scales, gap));
        } else {
            add_nodes(scene, column, layer, (k, &diagram.inputs), scales);
        }
        // Names beside the first and the last column.
        let names = match (k, column.block) {
            (0, false) => Some((&diagram.inputs, -1.0)),
            (_, false) if k + 1 == columns.len() => Some((&diagram.outputs, 1.0)),
            _ => None,
        };
        if let Some((names, side)) = names {
            let room = if side < 0.0 { left_room } else { right_room } - 16.0;
            add_names(scene, column, names, side, room);
        }
        let caption: Vec<String> = match layer {
            Some(layer) => layer.caption.clone(),
            None if column.block => vec![format!("{} inputs", column.count)],
            None => vec!["inputs".to_string()],
        };
        let max_width = if k == 0 || k + 1 == columns.len() {
            gap.min(2.0 * (column.x - left - 4.0).min(left + width - column.x - 4.0))
        } else {
            gap - 6.0
        };
        for (line, text) in caption.iter().enumerate() {
            scene.labels.push(Label {
                text: clean_text(text),
                at: (column.x, rows.caption_top + 15.0 * line as f64),
                size: LABEL_FONT,
                anchor: HPos::Center,
                color: if line == 0 { TEXT } else { MUTED_TEXT },
                max_width,
            });
        }
    }
}

/// A band: the weights it stands for, its two ends, and how it is named.
type BandOf = (Vec<f64>, (f64, f64), (f64, f64), String);

/// The bands between two columns of which one (or both) is a block: one
/// per unit on the side drawn as nodes, or one for the whole matrix
/// between two blocks.
fn add_bands(
    scene: &mut Scene,
    layer: &super::network::DiagramLayer,
    symbol: &str,
    (from, to): (&Column, &Column),
    scales: &Scales,
) {
    let mut groups: Vec<BandOf> = Vec::new();
    match (from.block, to.block) {
        (true, false) => {
            for (i, row) in layer.weights.iter().enumerate() {
                groups.push((
                    row.clone(),
                    from.band_end(i, to.count, true),
                    to.band_end(i, to.count, false),
                    format!(
                        "{symbol}[{},·]: the {} weights into unit {}",
                        i + 1,
                        row.len(),
                        i + 1
                    ),
                ));
            }
        }
        (false, true) => {
            for j in 0..from.count {
                let column: Vec<f64> = layer
                    .weights
                    .iter()
                    .filter_map(|row| row.get(j).copied())
                    .collect();
                groups.push((
                    column.clone(),
                    from.band_end(j, from.count, true),
                    to.band_end(j, from.count, false),
                    format!(
                        "{symbol}[·,{}]: the {} weights from unit {} of the layer before",
                        j + 1,
                        column.len(),
                        j + 1
                    ),
                ));
            }
        }
        _ => {
            let all: Vec<f64> = layer.weights.iter().flatten().copied().collect();
            let (top, bottom) = to.block_span();
            let middle = (top + bottom) / 2.0;
            groups.push((
                all.clone(),
                (from.x + BLOCK_HALF, middle),
                (to.x - BLOCK_HALF, middle),
                format!("{symbol}: all {} weights", all.len()),
            ));
        }
    }
    let (top, bottom) = if from.block {
        from.block_span()
    } else {
        to.block_span()
    };
    let section = (bottom - top) / groups.len().max(1) as f64;
    for (weights, a, b, name) in groups {
        let m = mean(&weights);
        let magnitude = mean(&weights.iter().map(|w| w.abs()).collect::<Vec<_>>());
        let s = share(magnitude, scales.weight);
        // As thick as its mean |weight| where it meets a unit, fanning out
        // to its share of a block's edge, so that it reads as many weights.
        let thin = (1.0 + 5.0 * s) / 2.0;
        let wide = thin.max(section * 0.4);
        let (half_a, half_b) = match (from.block, to.block) {
            (true, false) => (wide, thin),
            (false, true) => (thin, wide),
            _ => (thin, thin),
        };
        scene.bands.push(Band {
            corners: [
                (a.0, a.1 - half_a),
                (b.0, b.1 - half_b),
                (b.0, b.1 + half_b),
                (a.0, a.1 + half_a),
            ],
            color: sign_color(m),
            alpha: 0.15 + 0.5 * s,
            title: format!("{name}: mean {}, mean |w| {}", number(m), number(magnitude)),
        });
    }
}

fn add_nodes(
    scene: &mut Scene,
    column: &Column,
    layer: Option<&super::network::DiagramLayer>,
    (k, inputs): (usize, &[String]),
    scales: &Scales,
) {
    for i in 0..column.count {
        let (fill, title) = match layer {
            Some(layer) => {
                let b = layer.biases.get(i).copied().unwrap_or(0.0);
                (
                    bias_fill(b, scales.bias),
                    format!("b{k}[{}] = {}", i + 1, number(b)),
                )
            }
            None => (
                INPUT_FILL,
                format!("x[{}]: {}", i + 1, inputs.get(i).map_or("", String::as_str)),
            ),
        };
        scene.nodes.push(Node {
            at: (column.x, column.node_y(i)),
            radius: column.radius(),
            fill,
            title,
        });
    }
}

/// A frame holding the histogram of the weights into the layer (on the
/// figure's one scale, positive up), with its biases' range under it.
fn add_block(
    scene: &mut Scene,
    column: &Column,
    layer: Option<&super::network::DiagramLayer>,
    (scales, gap): (&Scales, f64),
) {
    let (top, bottom) = column.block_span();
    let (left, right) = (column.x - BLOCK_HALF, column.x + BLOCK_HALF);
    scene.boxes.push(Boxed {
        corners: [(left, top), (right, bottom)],
        color: RGBColor(248, 248, 248),
        alpha: 1.0,
        filled: true,
    });
    scene.boxes.push(Boxed {
        corners: [(left, top), (right, bottom)],
        color: FRAME,
        alpha: 1.0,
        filled: false,
    });
    let Some(layer) = layer else {
        return;
    };
    let mut counts = [0usize; HISTOGRAM_BINS];
    for &w in layer.weights.iter().flatten() {
        if w.is_finite() {
            // -scale falls in the bottom bin, +scale in the top one.
            let at = ((w / scales.weight + 1.0) / 2.0 * HISTOGRAM_BINS as f64).floor();
            let bin = (at.max(0.0) as usize).min(HISTOGRAM_BINS - 1);
            counts[bin] += 1;
        }
    }
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let (inner_top, inner_bottom) = (top + 16.0, bottom - 16.0);
    let bin_height = (inner_bottom - inner_top) / HISTOGRAM_BINS as f64;
    for (bin, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let center = (bin as f64 + 0.5) / HISTOGRAM_BINS as f64 * 2.0 - 1.0;
        // Bin 0 (the most negative) at the bottom.
        let y1 = inner_bottom - bin as f64 * bin_height;
        let length = (right - left - 8.0) * count as f64 / most as f64;
        scene.boxes.push(Boxed {
            corners: [
                (left + 4.0, y1 - bin_height + 1.0),
                (left + 4.0 + length, y1),
            ],
            color: sign_color(center),
            alpha: 0.8,
            filled: true,
        });
    }
    let scale = number(scales.weight);
    for (text, y) in [
        (format!("+{scale}"), top + 8.0),
        (format!("−{scale}"), bottom - 8.0),
    ] {
        scene.labels.push(Label {
            text,
            at: (column.x, y),
            size: 10.0,
            anchor: HPos::Center,
            color: MUTED_TEXT,
            max_width: 2.0 * BLOCK_HALF,
        });
    }
    let low = layer.biases.iter().copied().fold(f64::INFINITY, f64::min);
    let high = layer
        .biases
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    if low.is_finite() && high.is_finite() {
        scene.labels.push(Label {
            text: format!("biases {} to {}", number(low), number(high)),
            at: (column.x, bottom + 10.0),
            size: 10.0,
            anchor: HPos::Center,
            color: MUTED_TEXT,
            // Beside another block, the notes must not run together.
            max_width: (4.0 * BLOCK_HALF).min(gap - 8.0),
        });
    }
}

/// Each name beside its node, on the `side` away from the network (−1:
/// left, 1: right); a name's lines are stacked around the node.
fn add_names(scene: &mut Scene, column: &Column, names: &[String], side: f64, room: f64) {
    let size = (column.spacing() * 0.8).min(LABEL_FONT);
    for (i, name) in names.iter().enumerate().take(column.count) {
        let lines: Vec<&str> = name.lines().collect();
        let n = lines.len() as f64;
        for (line, text) in lines.iter().enumerate() {
            scene.labels.push(Label {
                text: clean_text(text),
                at: (
                    column.x + side * (column.radius() + 6.0),
                    column.node_y(i) + (line as f64 - (n - 1.0) / 2.0) * (size + 2.0),
                ),
                size,
                anchor: if side < 0.0 { HPos::Right } else { HPos::Left },
                color: if line == 0 { TEXT } else { MUTED_TEXT },
                max_width: room.max(20.0),
            });
        }
    }
}

/// What the colours, widths and fills mean, and the scale they share.
fn add_legend(scene: &mut Scene, scales: &Scales, rows: &Rows) {
    let mut x = 24.0;
    let y = rows.legend_top;
    let text = |scene: &mut Scene, x: &mut f64, y: f64, text: String, color: RGBColor| {
        let width = f64::from(measure(&text, LEGEND_FONT));
        scene.labels.push(Label {
            text,
            at: (*x, y),
            size: LEGEND_FONT,
            anchor: HPos::Left,
            color,
            max_width: WIDTH - *x - 12.0,
        });
        *x += width + 22.0;
    };
    for (color, name) in [(POSITIVE, "positive weight"), (NEGATIVE, "negative weight")] {
        scene.boxes.push(Boxed {
            corners: [(x, y - 2.0), (x + 30.0, y + 2.0)],
            color,
            alpha: 0.9,
            filled: true,
        });
        x += 38.0;
        text(scene, &mut x, y, name.to_string(), TEXT);
    }
    text(
        scene,
        &mut x,
        y,
        format!(
            "line width and opacity: |weight|, one scale for both panels (thickest: {})",
            number(scales.weight)
        ),
        MUTED_TEXT,
    );
    let y = y + LEGEND_ROW;
    let mut x = 24.0;
    for color in [
        bias_fill(scales.bias, scales.bias),
        bias_fill(-scales.bias, scales.bias),
    ] {
        scene.boxes.push(Boxed {
            corners: [(x, y - 7.0), (x + 14.0, y + 7.0)],
            color,
            alpha: 1.0,
            filled: true,
        });
        x += 20.0;
    }
    x += 4.0;
    text(
        scene,
        &mut x,
        y,
        format!(
            "node fill: the unit's bias, in the same colours (darkest: ±{}); white: 0; grey: an input",
            number(scales.bias)
        ),
        MUTED_TEXT,
    );
    if rows.any_block {
        let mut x = 24.0;
        text(
            scene,
            &mut x,
            y + LEGEND_ROW,
            format!(
                "block: more than {MAX_DRAWN_UNITS} units, with the histogram of the weights into it (−{0} to +{0}); \
                 band: all the weights between a block and one unit, coloured by their mean's sign",
                number(scales.weight)
            ),
            MUTED_TEXT,
        );
    }
}
