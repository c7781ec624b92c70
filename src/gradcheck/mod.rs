//! The gradient check of a configured network: backpropagation compared
//! with central finite differences, and the verdict.
//!
//! The network is the initial one a run starts from, in f64 whatever the
//! configured precision (finite differences in f32 would be noise), and the
//! loss is the mean over the first few training examples, as a batch's is.
//! The numeric core is `nn::gradcheck`; this module gives it a configured
//! network and real data, and `render` turns the outcome into text (kept out
//! of `nn`, which knows nothing of text). It lives outside `commands` so that
//! the command is only argument handling and the tests call the same check.

mod render;

use std::fmt::Write as _;

use crate::config::Config;
use crate::data::PreparedData;
use crate::error::Error;
use crate::nn::gradcheck::{self, LayerReport, TOLERANCE};
use crate::nn::{Gradients, Network};
use crate::text::{number, number_with};
use crate::train;

pub use render::render;
use render::{error, position};

/// Examples the loss is averaged over: a few are enough to exercise every
/// path, and each parameter costs two forward passes over them.
const EXAMPLES: usize = 8;

/// Significant digits of the two derivatives a failure names: enough to see
/// where they part (they agree in their first digits when the check nearly
/// passes).
const DIGITS: usize = 10;

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
    use crate::experiment;

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
