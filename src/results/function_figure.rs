//! What the network learned, as `function.png/svg` (the weights model.json
//! holds) and `function-snapshots.png/svg` (the same picture at a few
//! epochs, side by side): the network evaluated over a grid of its inputs
//! in their own units (normalization undone), beside the examples.
//!
//! One numeric input: the fitted curve (the probability of each class, for
//! a classifier) over the examples. Two or more: a plane over two numeric
//! inputs, `[plots] slice` or else the two that move the output most, the
//! others held at their training median (text columns at their most
//! frequent category). An input "moves the output" by how far the output
//! ranges (the largest range over output units, in probability or the
//! target's units) as that input sweeps its training 5th to 95th
//! percentile with the others held as above. With no numeric input there
//! is no axis to draw along, and no figure.

use std::path::Path;

use nalgebra::DMatrix;

use super::figure_files::FigureFiles;
use super::write_error::WriteError;
use crate::config::{Config, Task};
use crate::data::numeric_inputs::numeric_inputs;
use crate::data::{Examples, PreparedData};
use crate::nn::{Float, Network};
use crate::plot::{
    ColourBar, Curve, Dot, FunctionFigure, FunctionPanel, LegendItem, Look, Plane, Shade, View,
};
use crate::text::number;
use crate::train::Evaluator;
use crate::train::metrics::argmax;

/// Cells along each side of the plane of function.png; snapshot panels are
/// smaller and get fewer.
const GRID: usize = 200;
const SNAPSHOT_GRID: usize = 120;
/// Points along the curve of one input.
const CURVE_POINTS: usize = 300;
/// Points of each input's sweep when ranking inputs by effect.
const SWEEP_POINTS: usize = 21;

/// The snapshot epochs of a run when `[plots] snapshots` is not set: the
/// initial weights, about a tenth and a third of the way, and the end.
pub fn default_snapshots(epochs: usize) -> Vec<usize> {
    let mut chosen = vec![
        0,
        (epochs as f64 * 0.1).round() as usize,
        (epochs as f64 / 3.0).round() as usize,
        epochs,
    ];
    chosen.dedup();
    chosen
}

/// What the figure shows: the axes' inputs and every input's raw value
/// where it is held still.
pub struct Setting {
    /// One input (a curve) or two (a plane), by index.
    axes: Vec<usize>,
    /// Raw value of every input off the axes.
    fixed: Vec<f64>,
    caption: String,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

/// Each input's raw training values, input by input.
fn raw_columns(data: &PreparedData, examples: &Examples) -> Vec<Vec<f64>> {
    let n = &data.normalization;
    (0..data.inputs.len())
        .map(|i| {
            examples
                .inputs
                .row(i)
                .iter()
                .map(|&x| x * n.scale[i] + n.shift[i])
                .collect()
        })
        .collect()
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut values: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    values.sort_by(f64::total_cmp);
    values
}

/// The `q` quantile (0 to 1) of sorted values, by the nearest rank.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = (q * (sorted.len() - 1) as f64).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

/// The network's outputs at `points` (inputs × n, raw units), regression
/// outputs in the target's units.
fn evaluate<T: Float>(
    config: &Config,
    data: &PreparedData,
    network: &Network<T>,
    mut points: DMatrix<f64>,
) -> DMatrix<f64> {
    let n = &data.normalization;
    for mut column in points.column_iter_mut() {
        for (i, x) in column.iter_mut().enumerate() {
            *x = (*x - n.shift[i]) / n.scale[i];
        }
    }
    let count = points.ncols();
    let examples = Examples {
        inputs: points,
        targets: DMatrix::zeros(network.outputs(), count),
        rows: Vec::new(),
        raw_targets: Vec::new(),
        raw_inputs: None,
    };
    let (_, mut outputs) = Evaluator::new(network).outputs(
        network,
        &examples,
        config.training.loss,
        data.task,
        n.target,
    );
    if let (Task::Regression, Some((shift, scale))) = (data.task, n.target) {
        outputs.iter_mut().for_each(|y| *y = *y * scale + shift);
    }
    outputs
}

/// Points varying the `axes` inputs over `values` (one tuple each), every
/// other input at `fixed`.
fn points(fixed: &[f64], axes: &[usize], values: &[Vec<f64>]) -> DMatrix<f64> {
    DMatrix::from_fn(fixed.len(), values.len(), |i, j| {
        match axes.iter().position(|&a| a == i) {
            Some(k) => values[j][k],
            None => fixed[i],
        }
    })
}

fn padded_range(values: &[f64]) -> (f64, f64) {
    let sorted = sorted(values);
    let (lo, hi) = match (sorted.first(), sorted.last()) {
        (Some(&lo), Some(&hi)) => (lo, hi),
        _ => (0.0, 1.0),
    };
    let margin = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
    (lo - margin, hi + margin)
}

/// What the figure of this run shows; None where no input is a number.
pub fn setting<T: Float>(
    config: &Config,
    data: &PreparedData,
    network: &Network<T>,
) -> Option<Setting> {
    let numeric = numeric_inputs(data);
    if numeric.is_empty() {
        return None;
    }
    let train = raw_columns(data, &data.train);
    let mut fixed = vec![0.0; data.inputs.len()];
    let mut held = Vec::new();
    for &i in &numeric {
        fixed[i] = quantile(&sorted(&train[i]), 0.5);
    }
    for feature in &data.categories {
        let inputs: Vec<(usize, &String)> = feature
            .categories
            .iter()
            .filter_map(|c| {
                let name = format!("{}={c}", feature.column);
                data.inputs.iter().position(|n| *n == name).map(|i| (i, c))
            })
            .collect();
        // The most frequent category: the one-hot input most often on.
        let count = |i: usize| train[i].iter().filter(|&&x| x > 0.5).count();
        if let Some(&(top, category)) = inputs
            .iter()
            .max_by_key(|(i, _)| (count(*i), std::cmp::Reverse(*i)))
        {
            fixed[top] = 1.0;
            held.push(format!(
                "{} at its most frequent, {category}",
                feature.column
            ));
        }
    }
    let axes: Vec<usize> = if numeric.len() == 1 {
        numeric.clone()
    } else if let Some([x, y]) = &config.plots.slice {
        let index = |name: &String| data.inputs.iter().position(|n| n == name);
        // Checked against the data when the config was.
        match (index(x), index(y)) {
            (Some(x), Some(y)) => vec![x, y],
            _ => numeric[..2].to_vec(),
        }
    } else {
        Vec::new()
    };
    let mut chosen_by = String::new();
    let axes = if axes.is_empty() {
        let ranked = ranked_by_effect(config, data, network, &numeric, &fixed, &train);
        if numeric.len() > 2 {
            let effects: Vec<String> = ranked
                .iter()
                .map(|&(i, effect)| format!("{} {}", data.inputs[i], number(effect)))
                .collect();
            chosen_by = format!(
                // Two lines: the list would not fit beside its explanation.
                "axes: the two largest effects (output range over the 5th–95th percentile):\n{}",
                effects.join(", ")
            );
        }
        let mut two: Vec<usize> = ranked.iter().take(2).map(|&(i, _)| i).collect();
        two.sort_unstable();
        two
    } else {
        axes
    };
    for &i in &numeric {
        if !axes.contains(&i) {
            held.insert(
                held.len().min(numeric.iter().filter(|&&n| n < i).count()),
                format!("{} at its median {}", data.inputs[i], number(fixed[i])),
            );
        }
    }
    let mut all = train.clone();
    if let Some(validation) = &data.validation {
        for (column, more) in all.iter_mut().zip(raw_columns(data, validation)) {
            column.extend(more);
        }
    }
    let x_range = padded_range(&all[axes[0]]);
    let y_range = match axes.get(1) {
        Some(&y) => padded_range(&all[y]),
        None => (0.0, 1.0),
    };
    let mut caption = Vec::new();
    if !held.is_empty() {
        caption.push(format!("a slice: {}", held.join("; ")));
    }
    if !chosen_by.is_empty() {
        caption.push(chosen_by);
    }
    Some(Setting {
        axes,
        fixed,
        caption: caption.join("\n"),
        x_range,
        y_range,
    })
}

/// The numeric inputs with their effect, largest first (ties in input
/// order).
fn ranked_by_effect<T: Float>(
    config: &Config,
    data: &PreparedData,
    network: &Network<T>,
    numeric: &[usize],
    fixed: &[f64],
    train: &[Vec<f64>],
) -> Vec<(usize, f64)> {
    let mut ranked: Vec<(usize, f64)> = numeric
        .iter()
        .map(|&i| {
            let values = sorted(&train[i]);
            let (lo, hi) = (quantile(&values, 0.05), quantile(&values, 0.95));
            let sweep: Vec<Vec<f64>> = (0..SWEEP_POINTS)
                .map(|k| vec![lo + (hi - lo) * k as f64 / (SWEEP_POINTS - 1) as f64])
                .collect();
            let outputs = evaluate(config, data, network, points(fixed, &[i], &sweep));
            let effect = outputs
                .row_iter()
                .map(|row| row.max() - row.min())
                .fold(0.0, f64::max);
            (i, if effect.is_finite() { effect } else { 0.0 })
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked
}

/// The class an output vector predicts, and how sure (0 a tie, 1 certain).
fn class_of(task: Task, output: &[f64]) -> (usize, f64) {
    match task {
        Task::Binary => {
            let p = output.first().copied().unwrap_or(0.5);
            (usize::from(p >= 0.5), (2.0 * p - 1.0).abs())
        }
        _ => {
            let k = output.len().max(2) as f64;
            let top = argmax(output);
            let p = output.get(top).copied().unwrap_or(0.0);
            (top, ((p - 1.0 / k) / (1.0 - 1.0 / k)).clamp(0.0, 1.0))
        }
    }
}

/// The class of each example of a split (classification), from its targets.
fn true_classes(task: Task, examples: &Examples) -> Vec<usize> {
    examples
        .targets
        .column_iter()
        .map(|t| match task {
            Task::Binary => usize::from(t[0] >= 0.5),
            _ => argmax(t.as_slice()),
        })
        .collect()
}

/// The examples of a split as dots on the figure's axes; `mistakes` only
/// those the network gets wrong (classification), as rings.
fn dots<T: Float>(
    config: &Config,
    data: &PreparedData,
    setting: &Setting,
    examples: &Examples,
    network: Option<&Network<T>>,
    value_range: (f64, f64),
) -> Vec<Dot> {
    let raw = raw_columns(data, examples);
    let classes = true_classes(data.task, examples);
    let predicted: Option<Vec<usize>> = network.map(|network| {
        let full = DMatrix::from_fn(data.inputs.len(), examples.len(), |i, j| raw[i][j]);
        evaluate(config, data, network, full)
            .column_iter()
            .map(|o| class_of(data.task, o.as_slice()).0)
            .collect()
    });
    let (shift, scale) = data.normalization.target.unwrap_or((0.0, 1.0));
    (0..examples.len())
        .filter_map(|j| {
            let mistake = match &predicted {
                Some(predicted) => predicted[j] != classes[j],
                None => false,
            };
            if network.is_some() && !mistake {
                return None;
            }
            let target = examples.targets[(0, j)] * scale + shift;
            let colour = match data.task {
                Task::Regression => Shade::Value(share(target, value_range)),
                _ => Shade::Class {
                    class: classes[j],
                    strength: 1.0,
                },
            };
            let x = raw[setting.axes[0]][j];
            let y = match setting.axes.get(1) {
                Some(&axis) => raw[axis][j],
                None => match data.task {
                    Task::Regression => target,
                    _ => binary_height(data.task, classes[j]),
                },
            };
            Some(Dot {
                x,
                y,
                colour,
                mistake,
            })
        })
        .collect()
}

/// Where a class's examples sit on a probability curve: class 1 (the
/// positive class) at 1, the others at 0.
fn binary_height(task: Task, class: usize) -> f64 {
    if task == Task::Binary && class == 1 {
        1.0
    } else {
        0.0
    }
}

fn share(value: f64, (lo, hi): (f64, f64)) -> f64 {
    if hi > lo {
        (value - lo) / (hi - lo)
    } else {
        0.5
    }
}

/// The panel of one network over the setting: its grid evaluated, the
/// training examples, and the validation examples it gets wrong.
fn panel<T: Float>(
    config: &Config,
    data: &PreparedData,
    setting: &Setting,
    network: &Network<T>,
    title: String,
    grid: usize,
    value_range: (f64, f64),
) -> FunctionPanel {
    let (x0, x1) = setting.x_range;
    let (y0, y1) = setting.y_range;
    let mut shown = dots::<T>(config, data, setting, &data.train, None, value_range);
    let classifier = data.task != Task::Regression;
    if let (true, Some(validation)) = (classifier, &data.validation) {
        shown.extend(dots(
            config,
            data,
            setting,
            validation,
            Some(network),
            value_range,
        ));
    }
    let view = if setting.axes.len() == 2 {
        let cells: Vec<Vec<f64>> = (0..grid * grid)
            .map(|k| {
                let (column, row) = (k % grid, k / grid);
                vec![
                    x0 + (x1 - x0) * (column as f64 + 0.5) / grid as f64,
                    y0 + (y1 - y0) * (row as f64 + 0.5) / grid as f64,
                ]
            })
            .collect();
        let outputs = evaluate(
            config,
            data,
            network,
            points(&setting.fixed, &setting.axes, &cells),
        );
        let shades = outputs
            .column_iter()
            .map(|o| match data.task {
                Task::Regression => Shade::Value(share(o[0], value_range)),
                task => {
                    let (class, strength) = class_of(task, o.as_slice());
                    Shade::Class { class, strength }
                }
            })
            .collect();
        View::Plane(Plane {
            columns: grid,
            rows: grid,
            shades,
            dots: shown,
        })
    } else {
        let xs: Vec<Vec<f64>> = (0..CURVE_POINTS)
            .map(|k| vec![x0 + (x1 - x0) * k as f64 / (CURVE_POINTS - 1) as f64])
            .collect();
        let outputs = evaluate(
            config,
            data,
            network,
            points(&setting.fixed, &setting.axes, &xs),
        );
        let line = |unit: usize| -> Vec<(f64, f64)> {
            xs.iter()
                .zip(outputs.row(unit).iter())
                .map(|(x, &y)| (x[0], y))
                .collect()
        };
        let lines = match data.task {
            // The probability of the positive class, in its colour.
            Task::Binary => vec![(1, line(0))],
            Task::Regression => vec![(0, line(0))],
            Task::Multiclass => (0..outputs.nrows()).map(|c| (c, line(c))).collect(),
        };
        View::Curve(Curve {
            lines,
            baseline: None,
            dots: shown,
        })
    };
    FunctionPanel { title, view }
}

/// The range of values a regression figure colours (or draws): the
/// training targets and every panel's outputs.
fn value_range<T: Float>(
    config: &Config,
    data: &PreparedData,
    setting: &Setting,
    networks: &[&Network<T>],
) -> (f64, f64) {
    if data.task != Task::Regression {
        return (0.0, 1.0);
    }
    let (shift, scale) = data.normalization.target.unwrap_or((0.0, 1.0));
    let mut values: Vec<f64> = data
        .train
        .targets
        .iter()
        .map(|&t| t * scale + shift)
        .collect();
    let (x0, x1) = setting.x_range;
    let (y0, y1) = setting.y_range;
    // A coarse grid is enough to find the extremes.
    let side = 30;
    let cells: Vec<Vec<f64>> = (0..side * side)
        .map(|k| {
            let (c, r) = ((k % side) as f64, (k / side) as f64);
            let x = x0 + (x1 - x0) * c / (side - 1) as f64;
            let y = y0 + (y1 - y0) * r / (side - 1) as f64;
            vec![x, y]
        })
        .take(if setting.axes.len() == 2 {
            side * side
        } else {
            side
        })
        .collect();
    for network in networks {
        let outputs = evaluate(
            config,
            data,
            network,
            points(&setting.fixed, &setting.axes, &cells),
        );
        values.extend(outputs.iter().copied());
    }
    let sorted = sorted(&values);
    match (sorted.first(), sorted.last()) {
        (Some(&lo), Some(&hi)) => (lo, hi),
        _ => (0.0, 1.0),
    }
}

/// The figure of `networks` (a title each) over the setting.
fn figure<T: Float>(
    config: &Config,
    data: &PreparedData,
    setting: &Setting,
    title: &str,
    networks: &[(String, &Network<T>)],
) -> FunctionFigure {
    let only: Vec<&Network<T>> = networks.iter().map(|(_, n)| *n).collect();
    let values = value_range(config, data, setting, &only);
    let grid = if networks.len() > 1 {
        SNAPSHOT_GRID
    } else {
        GRID
    };
    let mut panels: Vec<FunctionPanel> = networks
        .iter()
        .map(|(name, network)| panel(config, data, setting, network, name.clone(), grid, values))
        .collect();
    let one_input = setting.axes.len() == 1;
    let mut legend = Vec::new();
    let mut colour_bar = None;
    let (y_label, y_range) = match (one_input, data.task) {
        (true, Task::Regression) => {
            let mean = match crate::train::baseline::baseline(data, config.training.loss).rule {
                crate::train::baseline::Rule::Mean { mean } => mean,
                crate::train::baseline::Rule::Majority { .. } => values.0,
            };
            for panel in &mut panels {
                if let View::Curve(curve) = &mut panel.view {
                    curve.baseline = Some(mean);
                    for dot in &mut curve.dots {
                        dot.colour = Shade::Neutral;
                    }
                }
            }
            legend.push(LegendItem {
                label: "the network's output".to_string(),
                look: Look::Line(0),
            });
            legend.push(LegendItem {
                label: "training examples".to_string(),
                look: Look::Example,
            });
            legend.push(LegendItem {
                label: format!("training mean {}", number(mean)),
                look: Look::Dashed,
            });
            (data.target.clone(), values)
        }
        (true, task) => {
            let positive = data.classes.get(1).cloned().unwrap_or_default();
            let label = if task == Task::Binary {
                format!("probability of {positive}")
            } else {
                "probability of each class".to_string()
            };
            (label, (-0.05, 1.05))
        }
        (false, _) => (data.inputs[setting.axes[1]].clone(), setting.y_range),
    };
    if data.task == Task::Regression && !one_input {
        colour_bar = Some(ColourBar {
            label: format!("predicted {}", data.target),
            low: values.0,
            high: values.1,
        });
        legend.push(LegendItem {
            label: "training examples".to_string(),
            look: Look::Example,
        });
    }
    if data.task != Task::Regression {
        for (class, label) in data.classes.iter().enumerate() {
            legend.push(LegendItem {
                label: label.clone(),
                look: Look::Class(class),
            });
        }
        if !one_input {
            legend.push(LegendItem {
                label: "decision boundary".to_string(),
                look: Look::Boundary,
            });
        }
        if data.validation.is_some() {
            legend.push(LegendItem {
                label: "validation, predicted wrong".to_string(),
                look: Look::Mistake,
            });
        }
    }
    let shading = match (one_input, data.task) {
        (true, _) => String::new(),
        (false, Task::Regression) => "shade: the predicted value".to_string(),
        (false, _) => "shade: the predicted class, deeper where the network is surer".to_string(),
    };
    let caption = [shading, setting.caption.clone()]
        .into_iter()
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    FunctionFigure {
        title: title.to_string(),
        caption,
        x_label: data.inputs[setting.axes[0]].clone(),
        y_label,
        x_range: setting.x_range,
        y_range,
        panels,
        legend,
        colour_bar,
    }
}

/// Writes function.png/svg: `network` (the weights model.json holds) over
/// `setting` (from `setting`; none where the data has no numeric input).
pub fn write_learned<T: Float>(
    dir: &Path,
    config: &Config,
    data: &PreparedData,
    network: &Network<T>,
    setting: &Setting,
) -> Result<(), WriteError> {
    let name = &config.experiment.name;
    let learned = figure(
        config,
        data,
        setting,
        &format!("{name}: the learned function"),
        &[(String::new(), network)],
    );
    FigureFiles::write_function(&learned, dir, "function")
}

/// Writes function-snapshots.png/svg (`snapshots`, by epoch) over the
/// setting of the learned function; nothing when there are none.
pub fn write_snapshots<T: Float>(
    dir: &Path,
    config: &Config,
    data: &PreparedData,
    snapshots: &[(usize, Network<T>)],
    setting: &Setting,
) -> Result<(), WriteError> {
    if snapshots.is_empty() {
        return Ok(());
    }
    let name = &config.experiment.name;
    let networks: Vec<(String, &Network<T>)> = snapshots
        .iter()
        .map(|(epoch, network)| (format!("epoch {epoch}"), network))
        .collect();
    let over_time = figure(
        config,
        data,
        setting,
        &format!("{name}: the function as training goes"),
        &networks,
    );
    FigureFiles::write_function(&over_time, dir, "function-snapshots")
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use nalgebra::{DMatrix, DVector};

    use super::*;
    use crate::nn::Dense;
    use crate::nn::vocabulary::Activation;

    #[test]
    fn default_snapshots_spread_over_the_run() {
        assert_eq!(default_snapshots(100), [0, 10, 33, 100]);
        assert_eq!(default_snapshots(150), [0, 15, 50, 150]);
        assert_eq!(default_snapshots(3), [0, 1, 3]);
        assert_eq!(default_snapshots(0), [0]);
    }

    #[test]
    fn quantiles_by_nearest_rank() {
        let values = sorted(&[5.0, f64::NAN, 1.0, 3.0, 2.0, 4.0]);
        assert_eq!(values, [1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(quantile(&values, 0.5), 3.0);
        assert_eq!(quantile(&values, 0.05), 1.0);
        assert_eq!(quantile(&values, 0.95), 5.0);
        assert_eq!(quantile(&[], 0.5), 0.0);
    }

    fn heart() -> (Config, PreparedData) {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(
            b"[experiment]\nname = \"heart\"\n[data]\ngenerator = \"heart\"\nrows = 300\n\
              [model]\nlayers = [{ units = 1, activation = \"sigmoid\" }]\n\
              [training]\nlearning_rate = 0.1\nloss = \"binary_cross_entropy\"\n",
        )
        .expect("write");
        let config = crate::config::load(file.path(), &[]).expect("valid").config;
        let data = crate::data::prepare(&config).expect("heart");
        (config, data)
    }

    /// One sigmoid unit whose weights are `weights` (one per input).
    fn unit(weights: &[f64]) -> Network<f64> {
        Network {
            layers: vec![Dense {
                weights: DMatrix::from_row_slice(1, weights.len(), weights),
                biases: DVector::zeros(1),
                activation: Activation::Sigmoid,
            }],
        }
    }

    #[test]
    fn the_plane_is_over_the_inputs_that_move_the_output() {
        let (config, data) = heart();
        assert_eq!(data.inputs, ["height_cm", "weight_kg", "age_years"]);
        // Only weight and age matter, age the most.
        let network = unit(&[0.0, 1.0, 3.0]);
        let setting = setting(&config, &data, &network).expect("numeric inputs");
        assert_eq!(setting.axes, [1, 2]);
        let median = setting.fixed[0];
        assert!((150.0..200.0).contains(&median), "{median}");
        let lines: Vec<&str> = setting.caption.lines().collect();
        assert_eq!(
            lines[0],
            format!("a slice: height_cm at its median {}", number(median))
        );
        assert!(
            lines[1].starts_with("axes: the two largest effects")
                && lines[2].contains("height_cm 0"),
            "{}",
            setting.caption
        );
        // The plane covers the examples of both axes.
        let weights = raw_columns(&data, &data.train).swap_remove(1);
        let (lo, hi) = setting.x_range;
        assert!(weights.iter().all(|w| (lo..=hi).contains(w)));

        // A configured slice wins, and is drawn as given.
        let mut sliced = config.clone();
        sliced.plots.slice = Some(["age_years".into(), "height_cm".into()]);
        let setting = super::setting(&sliced, &data, &network).expect("numeric inputs");
        assert_eq!(setting.axes, [2, 0]);
        assert!(
            setting
                .caption
                .starts_with("a slice: weight_kg at its median ")
        );
        assert!(!setting.caption.contains("largest effects"));
    }

    #[test]
    fn grid_outputs_are_the_network_on_raw_values() {
        let (config, data) = heart();
        let network = unit(&[0.5, -0.25, 1.0]);
        // A raw point, normalized by hand, through the sigmoid by hand.
        let raw = [180.0, 70.0, 50.0];
        let n = &data.normalization;
        let z: f64 = (0..3)
            .map(|i| [0.5, -0.25, 1.0][i] * (raw[i] - n.shift[i]) / n.scale[i])
            .sum();
        let expected = 1.0 / (1.0 + crate::math::exp(-z));
        let outputs = evaluate(
            &config,
            &data,
            &network,
            DMatrix::from_column_slice(3, 1, &raw),
        );
        assert!(
            (outputs[(0, 0)] - expected).abs() < 1e-12,
            "{outputs} {expected}"
        );
        assert_eq!(class_of(Task::Binary, &[0.9]), (1, 0.8));
        let (class, strength) = class_of(Task::Multiclass, &[0.2, 0.5, 0.3]);
        assert_eq!(class, 1);
        assert!((strength - 0.25).abs() < 1e-12);
    }
}
