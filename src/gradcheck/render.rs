//! The gradient check as text: what was compared, a table of the largest
//! relative error per layer, the evidence behind it (each layer's three
//! parameters of largest error, with both derivatives, so that a reader sees
//! the two numbers agree rather than taking a ratio on trust), and "ok" when
//! every derivative agrees.

use std::fmt::Write as _;

use super::{DIGITS, Outcome, passed};
use crate::nn::gradcheck::{self, LARGEST, LayerReport, NOISE_MARGIN, Part, STEP, TOLERANCE};
use crate::text::{Table, number, number_with, plural};

pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "gradcheck of `{}`: backpropagation against central finite differences",
        outcome.experiment
    );
    let _ = writeln!(
        out,
        "  the initial network, {}, in f64; the mean loss over the first {}",
        outcome.description,
        plural(outcome.examples, "training example", "training examples")
    );
    let _ = writeln!(
        out,
        "  numeric = (loss(w + h) − loss(w − h)) / 2h with h = {}, around a mean loss of {}",
        number(STEP),
        number(outcome.loss)
    );
    let _ = writeln!(
        out,
        "  relative error = |backprop − numeric| / max(|backprop| + |numeric|, {}); below that floor ({} × the rounding noise ε·loss/h) the check is in effect absolute",
        error(outcome.floor),
        number(NOISE_MARGIN)
    );
    let _ = writeln!(out);
    let mut table = Table::new(&[
        "layer",
        "weights checked",
        "largest relative error",
        "biases checked",
        "largest relative error",
    ])
    .indent("  ");
    let mut skipped = 0;
    for (index, layer) in outcome.layers.iter().enumerate() {
        let l = index + 1;
        skipped += layer.weights.skipped + layer.biases.skipped;
        table.row([
            l.to_string(),
            checked(&layer.weights),
            largest(&layer.weights, &format!("w{l}"), false),
            checked(&layer.biases),
            largest(&layer.biases, &format!("b{l}"), true),
        ]);
    }
    out.push_str(&table.render());
    if skipped > 0 {
        let _ = writeln!(
            out,
            "  ({} skipped: nudging them by ±h moved a relu unit's weighted sum across 0, where the slope jumps and a finite difference means nothing)",
            plural(skipped, "parameter", "parameters")
        );
    }
    evidence(&mut out, outcome);
    let worst = outcome
        .layers
        .iter()
        .map(LayerReport::error)
        .fold(0.0, f64::max);
    let _ = writeln!(out);
    if passed(outcome) {
        let _ = writeln!(
            out,
            "ok: every derivative agrees within the tolerance {} (largest relative error {})",
            number(TOLERANCE),
            error(worst)
        );
    }
    out
}

/// Each layer's parameters of largest error, both derivatives in full.
/// Named as trace names them: w2[i,j] is layer 2's weight into its unit i
/// from its input j, b2[i] the bias of unit i, all counted from 1.
fn evidence(out: &mut String, outcome: &Outcome) {
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "  the {LARGEST} parameters of largest relative error in each layer (w2[i,j]: layer 2's weight into its unit i from its input j; b2[i]: the bias of its unit i; all counted from 1):"
    );
    for (index, layer) in outcome.layers.iter().enumerate() {
        let l = index + 1;
        let _ = writeln!(out, "  layer {l} (model.layers.{index})");
        let largest = layer.largest();
        if largest.is_empty() {
            let _ = writeln!(out, "    nothing could be checked");
        }
        for (worst, bias) in largest {
            let name = if bias { "b" } else { "w" };
            let _ = writeln!(
                out,
                "    {}: backprop {}, numeric {}, relative error {}",
                position(&format!("{name}{l}"), worst.at, bias),
                number_with(worst.analytic, DIGITS),
                number_with(worst.numeric, DIGITS),
                error(worst.error)
            );
        }
    }
}

fn checked(part: &Part) -> String {
    if part.checked + part.skipped == part.total {
        part.checked.to_string()
    } else {
        format!("{} of {}", part.checked, part.total)
    }
}

fn largest(part: &Part, name: &str, bias: bool) -> String {
    match part.worst {
        None => "—".to_string(),
        Some(worst) => format!(
            "{} at {}{}",
            error(worst.error),
            position(name, worst.at, bias),
            if gradcheck::fails(worst.error) {
                "  FAIL"
            } else {
                ""
            }
        ),
    }
}

/// A relative error: its order of magnitude is what matters, so two digits.
pub(super) fn error(x: f64) -> String {
    number_with(x, 2)
}

pub(super) fn position(name: &str, (row, column): (usize, usize), bias: bool) -> String {
    if bias {
        format!("{name}[{}]", row + 1)
    } else {
        format!("{name}[{},{}]", row + 1, column + 1)
    }
}
