//! diagnostics.csv (`training.diagnostics`): one row per epoch and layer,
//! from epoch 0 (the initial weights) on, numbers in full precision like
//! metrics.csv, and the same bytes on every rerun whatever the thread count.
//!
//! Columns: `epoch`; `layer`, counted from 1 as a person counts, and
//! `name`, the config path that counts from 0 (`model.layers.0`);
//! `activation` and `units`; `weight_norm` (‖W‖, Frobenius, at the end of
//! the epoch); `gradient_norm` (the mean over the epoch's batches of the
//! batch-mean ‖∂loss/∂W‖); `update_ratio` (‖W after − W before the epoch‖ /
//! ‖W before‖); `saturated` (sigmoid and tanh: the share of units with
//! |z| > 5 on more than 90% of the epoch's training examples) and `dead`
//! (relu: the share of units positive on none of them). A cell that does
//! not apply is empty: the gradient and update of epoch 0, the shares of
//! the output layer and of activations that cannot saturate or die.
//!
//! The shares are taken over the training examples as the epoch trained on
//! them (the weights move between batches); the `saturated` finding of
//! summary.json takes the validation examples with the final weights, by
//! the same rule (`nn::saturation::UnitCounts::shares`).

use super::metrics_csv::format_number;
use crate::nn::vocabulary::Activation;
use crate::train::diagnostics::LayerDiagnostics;

pub const FILE: &str = "diagnostics.csv";

pub const HEADER: &str =
    "epoch,layer,name,activation,units,weight_norm,gradient_norm,update_ratio,saturated,dead\n";

/// The whole file.
pub fn render(rows: &[LayerDiagnostics]) -> String {
    let mut out = HEADER.to_string();
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

/// One row (with its newline).
pub fn line(row: &LayerDiagnostics) -> String {
    let cell = |value: Option<f64>| value.map(format_number).unwrap_or_default();
    format!(
        "{},{},model.layers.{},{},{},{},{},{},{},{}\n",
        row.epoch,
        row.layer + 1,
        row.layer,
        row.activation.name(),
        row.units,
        format_number(row.weight_norm),
        cell(row.gradient_norm),
        cell(row.update_ratio),
        cell(row.saturated),
        cell(row.dead),
    )
}

/// The rows of a file this module wrote, each checked by writing it again;
/// an error names the line.
pub fn parse(text: &str) -> Result<Vec<LayerDiagnostics>, String> {
    let mut lines = text.lines();
    if lines.next().map(|h| format!("{h}\n")) != Some(HEADER.to_string()) {
        return Err(format!("line 1: the header is not {}", HEADER.trim_end()));
    }
    lines
        .enumerate()
        .map(|(i, text)| {
            parse_line(text)
                .filter(|row| line(row).trim_end() == text)
                .ok_or_else(|| format!("line {}: not a row of {FILE}: {text}", i + 2))
        })
        .collect()
}

fn parse_line(text: &str) -> Option<LayerDiagnostics> {
    let cells: Vec<&str> = text.split(',').collect();
    let [
        epoch,
        layer,
        _name,
        activation,
        units,
        weight,
        gradient,
        update,
        saturated,
        dead,
    ] = cells[..]
    else {
        return None;
    };
    let optional = |cell: &str| -> Option<Option<f64>> {
        if cell.is_empty() {
            Some(None)
        } else {
            cell.parse().ok().map(Some)
        }
    };
    let layer: usize = layer.parse().ok()?;
    Some(LayerDiagnostics {
        epoch: epoch.parse().ok()?,
        layer: layer.checked_sub(1)?,
        activation: Activation::named(activation)?,
        units: units.parse().ok()?,
        weight_norm: weight.parse().ok()?,
        gradient_norm: optional(gradient)?,
        update_ratio: optional(update)?,
        saturated: optional(saturated)?,
        dead: optional(dead)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<LayerDiagnostics> {
        vec![
            LayerDiagnostics {
                epoch: 0,
                layer: 0,
                activation: Activation::Relu,
                units: 8,
                weight_norm: 1.25,
                gradient_norm: None,
                update_ratio: None,
                saturated: None,
                dead: Some(0.0),
            },
            LayerDiagnostics {
                epoch: 1,
                layer: 1,
                activation: Activation::Sigmoid,
                units: 1,
                weight_norm: 0.1 + 0.2,
                gradient_norm: Some(1e-7),
                update_ratio: Some(0.5),
                saturated: None,
                dead: None,
            },
        ]
    }

    #[test]
    fn rows_are_written_in_full_precision_with_empty_cells_where_nothing_applies() {
        assert_eq!(
            render(&rows()),
            "epoch,layer,name,activation,units,weight_norm,gradient_norm,update_ratio,saturated,dead\n\
             0,1,model.layers.0,relu,8,1.25,,,,0.0\n\
             1,2,model.layers.1,sigmoid,1,0.30000000000000004,1e-7,0.5,,\n"
        );
    }

    #[test]
    fn a_file_reads_back_to_its_rows_and_a_changed_cell_is_refused() {
        let text = render(&rows());
        assert_eq!(parse(&text), Ok(rows()));
        let bad = text.replace(",0.5,", ",0.50,");
        assert_eq!(
            parse(&bad),
            Err(
                "line 3: not a row of diagnostics.csv: 1,2,model.layers.1,sigmoid,1,0.30000000000000004,1e-7,0.50,,"
                    .to_string()
            )
        );
        assert!(parse("epoch,layer\n").is_err());
    }
}
