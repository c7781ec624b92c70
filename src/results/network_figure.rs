//! `network.png/svg` in a run directory: the network before and after
//! training, side by side on one scale, so that a learner sees which
//! weights training grew, shrank or turned around.
//!
//! What is drawn comes from the run: the initial weights as the seed makes
//! them (`train::initial_network`, nothing retrained), the trained ones
//! model.json holds (the headline epoch's), the inputs by their encoded
//! names (`cp=typical` for a category), the outputs by class (or, for one
//! sigmoid output, the positive class's probability) or by the target's
//! name, and each layer named as both conventions agree: "layer 1"
//! counting from 1, `model.layers.0` as the config and `--set` count.

use std::path::Path;

use super::figure_files::FigureFiles;
use super::write_error::WriteError;
use crate::config::Task;
use crate::data::PreparedData;
use crate::nn::{Float, Network};
use crate::plot::{self, DiagramLayer, NetworkDiagram, NetworkPanel};

/// The diagram of `initial` and `trained` (whose weights are those of
/// `epoch`), titled after the experiment `name`.
pub fn network_diagram<T: Float>(
    name: &str,
    data: &PreparedData,
    initial: &Network<T>,
    trained: &Network<T>,
    epoch: usize,
) -> NetworkDiagram {
    NetworkDiagram {
        title: format!("{name}: the network's weights and biases, before and after training"),
        inputs: data.inputs.clone(),
        outputs: output_names(data, trained.outputs()),
        panels: vec![
            NetworkPanel {
                title: "initial".to_string(),
                layers: layers(initial),
            },
            NetworkPanel {
                title: format!("trained (epoch {epoch})"),
                layers: layers(trained),
            },
        ],
    }
}

/// One name per output unit: a class each, the positive class's
/// probability for a single binary output, else the target.
fn output_names(data: &PreparedData, outputs: usize) -> Vec<String> {
    match data.task {
        Task::Binary if outputs == 1 => {
            let positive = data.classes.last().map_or("1", String::as_str);
            vec![format!("{} = {positive}\nprobability", data.target)]
        }
        Task::Binary | Task::Multiclass if data.classes.len() == outputs => data.classes.clone(),
        _ => vec![data.target.clone(); outputs],
    }
}

fn layers<T: Float>(network: &Network<T>) -> Vec<DiagramLayer> {
    network
        .layers
        .iter()
        .enumerate()
        .map(|(l, layer)| DiagramLayer {
            caption: vec![
                format!("layer {}", l + 1),
                format!("(model.layers.{l})"),
                format!("{} {}", layer.units(), layer.activation.name()),
            ],
            weights: layer
                .weights
                .row_iter()
                .map(|row| row.iter().map(|w| w.as_f64()).collect())
                .collect(),
            biases: layer.biases.iter().map(|b| b.as_f64()).collect(),
        })
        .collect()
}

/// Draws the diagram and writes it as `network.svg` and `network.png` in
/// `dir`, both drawn before either is written.
pub fn write(diagram: &NetworkDiagram, dir: &Path) -> Result<(), WriteError> {
    let (svg, png) = (dir.join("network.svg"), dir.join("network.png"));
    FigureFiles::render_with(
        diagram,
        (plot::render_network_svg, plot::render_network_png),
        &svg,
        &png,
    )?
    .write()
}
