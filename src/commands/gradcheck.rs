//! `synapse gradcheck`: backpropagation compared with central finite
//! differences on the configured network.
//!
//! The network is the initial one a run starts from, in f64 whatever the
//! configured precision (finite differences in f32 would be noise), and the
//! loss is the mean over the first few training examples, as a batch's is.
//! The numeric core is `nn::gradcheck`.

use std::fmt::Write as _;

use crate::cli::GradcheckArgs;
use crate::commands::stdout;
use crate::config::Config;
use crate::data::PreparedData;
use crate::error::Error;
use crate::experiment;
use crate::nn::gradcheck::{self, LayerReport, NOISE_MARGIN, Part, STEP, TOLERANCE};
use crate::nn::{Gradients, Network};
use crate::text::{Table, number, number_with, plural};
use crate::train;

/// Examples the loss is averaged over: a few are enough to exercise every
/// path, and each parameter costs two forward passes over them.
const EXAMPLES: usize = 8;

/// Significant digits of the two derivatives a failure names: enough to see
/// where they part (they agree in their first digits when the check nearly
/// passes).
const DIGITS: usize = 10;

pub fn gradcheck(args: &GradcheckArgs) -> Result<(), Error> {
    let (config, data) = experiment::load(&args.file, &args.set)?;
    let outcome = check(&config, &data, |_| {});
    stdout::write(render(&outcome).as_bytes())?;
    verdict(&outcome)
}

/// The check of one configured network.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub experiment: String,
    pub description: String,
    pub examples: usize,
    pub layers: Vec<LayerReport>,
    pub loss: f64,
    pub floor: f64,
}

/// Runs the check; `tamper` sees the backpropagated gradients before they
/// are compared, so that a test can break them on purpose.
pub fn check(
    config: &Config,
    data: &PreparedData,
    tamper: impl FnOnce(&mut Gradients<f64>),
) -> Outcome {
    let network: Network<f64> = train::initial_network(config, data);
    let n = data.train.len().min(EXAMPLES);
    let inputs = data.train.inputs.columns(0, n).into_owned();
    let targets = data.train.targets.columns(0, n).into_owned();
    let loss = config.training.loss;
    let mut analytic = gradcheck::analytic_gradients(&network, &inputs, &targets, loss);
    tamper(&mut analytic);
    let report = gradcheck::check(&network, &inputs, &targets, loss, &analytic);
    Outcome {
        experiment: config.experiment.name.clone(),
        description: describe(config, data),
        examples: n,
        layers: report.layers,
        loss: report.loss,
        floor: report.floor,
    }
}

/// `3 → 8 sigmoid → 1 sigmoid, loss mse`
fn describe(config: &Config, data: &PreparedData) -> String {
    let mut text = data.inputs.len().to_string();
    for layer in &config.model.layers {
        let _ = write!(text, " → {} {}", layer.units, layer.activation.name());
    }
    let _ = write!(text, ", loss {}", config.training.loss.name());
    text
}

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
fn error(x: f64) -> String {
    number_with(x, 2)
}

fn position(name: &str, (row, column): (usize, usize), bias: bool) -> String {
    if bias {
        format!("{name}[{}]", row + 1)
    } else {
        format!("{name}[{},{}]", row + 1, column + 1)
    }
}

fn passed(outcome: &Outcome) -> bool {
    !outcome.layers.iter().any(LayerReport::failed)
}

/// Exit code 1 when some derivative disagrees, naming each one that does.
pub fn verdict(outcome: &Outcome) -> Result<(), Error> {
    if passed(outcome) {
        return Ok(());
    }
    let mut failures = Vec::new();
    for (index, layer) in outcome.layers.iter().enumerate() {
        let l = index + 1;
        for (part, name, bias) in [
            (&layer.weights, format!("w{l}"), false),
            (&layer.biases, format!("b{l}"), true),
        ] {
            if let Some(worst) = part.worst.filter(|w| gradcheck::fails(w.error)) {
                failures.push(format!(
                    "layer {l}: ∂loss/∂{} is {} by backpropagation but {} by finite differences (relative error {})",
                    position(&name, worst.at, bias),
                    number_with(worst.analytic, DIGITS),
                    number_with(worst.numeric, DIGITS),
                    error(worst.error)
                ));
            }
        }
    }
    Err(Error::GradientMismatch(format!(
        "backpropagation disagrees with finite differences beyond the tolerance {}:\n  {}",
        number(TOLERANCE),
        failures.join("\n  ")
    )))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn experiment(name: &str) -> (Config, PreparedData) {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("experiments")
            .join(name);
        match experiment::load(&file, &[]) {
            Ok(loaded) => loaded,
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn the_founding_example_passes() {
        let (config, data) = experiment("heart.toml");
        let outcome = check(&config, &data, |_| {});
        assert_eq!(outcome.layers.len(), 3);
        assert_eq!(outcome.examples, EXAMPLES);
        assert!(verdict(&outcome).is_ok(), "{}", render(&outcome));
        assert!(render(&outcome).contains("ok: every derivative agrees"));
    }

    #[test]
    fn a_wrong_derivative_fails_with_exit_code_one_naming_the_weight() {
        let (config, data) = experiment("heart.toml");
        let outcome = check(&config, &data, |gradients| {
            gradients.weights[1][(2, 4)] *= 1.05;
        });
        let error = verdict(&outcome).unwrap_err();
        assert_eq!(error.code(), 1);
        let message = error.to_string();
        assert!(message.contains("layer 2: ∂loss/∂w2[3,5] is"), "{message}");
        assert!(!message.contains("layer 1:"), "{message}");
        let text = render(&outcome);
        assert!(text.contains("FAIL") && !text.contains("ok:"), "{text}");
    }

    #[test]
    fn a_network_whose_backward_pass_drops_a_bias_fails() {
        let (config, data) = experiment("iris.toml");
        let outcome = check(&config, &data, |gradients| gradients.biases[0].fill(0.0));
        let message = verdict(&outcome).unwrap_err().to_string();
        assert!(message.contains("layer 1: ∂loss/∂b1["), "{message}");
    }
}
