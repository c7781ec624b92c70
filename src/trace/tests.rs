//! `trace` against training: the traced update is the step training takes,
//! and the layout's promises (summaries of large layers, f32 in f32).

use std::path::Path;

use super::*;
use crate::config::Config;
use crate::data::PreparedData;
use crate::experiment;
use crate::train::{self, Quiet};

fn experiment(name: &str, assignments: &[&str]) -> (Config, PreparedData) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("experiments")
        .join(name);
    let assignments: Vec<String> = assignments.iter().map(|a| a.to_string()).collect();
    match experiment::load(&file, &assignments) {
        Ok(loaded) => loaded,
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn the_traced_update_is_the_step_training_takes() {
    // One batch per epoch, so one epoch of training is exactly the traced
    // step; adam and weight decay make the optimizer's part visible, and
    // plain sgd (no weight decay) is the step training takes inside the
    // backward pass.
    for (optimizer, l2) in [("sgd", "0.01"), ("adam", "0.01"), ("sgd", "0")] {
        let (mut config, data) = experiment(
            "heart.toml",
            &[
                "training.epochs=1",
                &format!("training.optimizer={optimizer}"),
                &format!("training.l2={l2}"),
            ],
        );
        config.training.batch_size = data.train.len();
        let trace = build::<f64>(&config, &data, 3, 1).unwrap();
        let trained = match train::train::<f64>(&config, &data, &mut Quiet, None) {
            Ok(outcome) => outcome.network,
            Err(error) => panic!("{error}"),
        };
        for (traced, layer) in trace.layers.iter().zip(&trained.layers) {
            assert_eq!(traced.new_weights, layer.weights, "{optimizer}");
            assert_eq!(traced.new_biases, layer.biases, "{optimizer}");
        }
        assert_eq!(trace.batch_len, data.train.len());
    }
}

#[test]
fn a_later_example_meets_the_weights_of_the_updates_before_it() {
    let (config, data) = experiment("heart.toml", &[]);
    let first = build::<f64>(&config, &data, 1, 1).unwrap();
    let second = build::<f64>(&config, &data, 2, 1).unwrap();
    assert_eq!(second.batch, 2);
    for (a, b) in first.layers.iter().zip(&second.layers) {
        assert_eq!(a.new_weights, b.weights);
        assert_eq!(a.new_biases, b.biases);
    }
    assert!(
        render(&second).contains(
            "the initial weights (init = \"xavier\", seed 42), then the update of the batch before this one in epoch 1"
        ),
        "{}",
        render(&second)
    );
}

#[test]
fn with_batch_size_one_the_update_uses_this_examples_own_derivative() {
    let (config, data) = experiment("heart.toml", &[]);
    let trace = build::<f64>(&config, &data, 7, 1).unwrap();
    // The example's own derivative is the textbook path's and the step's is
    // training's: the same numbers, but sigmoid's eˣ is libm's on one side
    // and the fast path's own on the other, which agree within two units in
    // the last place (see nn/reference_tests.rs), so they are held to 1e-12.
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0);
    let mut compared = 0;
    for layer in &trace.layers {
        for (own, step) in layer
            .weight_derivatives
            .iter()
            .zip(&layer.step_weight_derivatives)
        {
            assert!(close(*own, *step), "{own:e} against {step:e}");
            compared += 1;
        }
        // w − rate·g of the step's derivative, rounded once.
        let expected = layer
            .weights
            .zip_map(&layer.step_weight_derivatives, |w, g| {
                (-trace.learning_rate).mul_add(g, w)
            });
        assert_eq!(layer.new_weights, expected);
    }
    assert_eq!(compared, 3 * 8 + 8 * 8 + 8);
}

#[test]
fn an_example_outside_the_training_split_is_a_usage_error() {
    let (config, data) = experiment("heart.toml", &[]);
    for example in [0, data.train.len() + 1] {
        let error = build::<f64>(&config, &data, example, 1).unwrap_err();
        assert_eq!(error.code(), 2);
        assert!(
            error
                .to_string()
                .contains("the training split has 700 examples")
        );
    }
}

#[test]
fn a_large_layer_is_summarised_instead_of_printed() {
    let (config, data) = experiment("heart.toml", &["model.layers.1.units=100"]);
    let text = render(&build::<f64>(&config, &data, 1, 1).unwrap());
    assert!(
        text.contains("weights W2: 100 × 8, Frobenius norm"),
        "{text}"
    );
    assert!(
        text.contains("weighted sums z2 = W2·a1 + b2: 100 values"),
        "{text}"
    );
    assert!(!text.contains("w2[100,8]"), "{text}");
    assert!(text.lines().count() < 200, "{} lines", text.lines().count());
    // The small first layer is still printed in full.
    assert!(text.contains("w1[8,3] = "), "{text}");
}

#[test]
fn f32_runs_are_traced_in_f32() {
    let (config, data) = experiment("heart.toml", &["training.precision=f32"]);
    let trace = build::<f32>(&config, &data, 1, 1).unwrap();
    for layer in &trace.layers {
        assert!(layer.new_weights.iter().all(|&w| f64::from(w as f32) == w));
    }
    assert!(render(&trace).contains("precision f32"));
}

#[test]
fn every_layers_delta_is_what_it_is_sent_back_times_the_slope_of_its_activation() {
    // The chain rule as the trace prints it, δ = ∂loss/∂a × f′(z), and
    // ∂loss/∂a = Wᵀ·δ of the layer above, for each elementwise activation.
    for activation in ["identity", "sigmoid", "tanh", "relu", "leaky_relu"] {
        let (config, data) = experiment(
            "heart.toml",
            &[&format!("model.layers.0.activation={activation}")],
        );
        let trace = build::<f64>(&config, &data, 5, 1).unwrap();
        for (l, layer) in trace.layers.iter().enumerate() {
            let chained = layer.output_derivatives.component_mul(&layer.slopes);
            assert_eq!(layer.deltas, chained, "{activation}, layer {}", l + 1);
            if let Some(above) = trace.layers.get(l + 1) {
                let sent = above.weights.transpose() * &above.deltas;
                assert_eq!(layer.output_derivatives, sent, "{activation}");
            }
        }
        assert!(
            trace.layers[0].deltas.iter().any(|d| *d != 0.0),
            "{activation}"
        );
    }
}

#[test]
fn epoch_0_of_metrics_csv_is_the_loss_trace_computes_for_the_initial_weights() {
    // One batch per epoch, so every example trace shows meets the initial
    // weights; their losses (the textbook's, nn::reference) averaged over
    // the training split are epoch 0's training loss, and summed its cost.
    struct Initial(Option<crate::train::EpochRecord>);
    impl crate::train::Observer<f64> for Initial {
        fn initial(
            &mut self,
            record: &crate::train::EpochRecord,
        ) -> Result<(), crate::train::TrainError> {
            self.0 = Some(record.clone());
            Ok(())
        }
    }
    let (mut config, data) = experiment("heart.toml", &["training.epochs=1"]);
    config.training.batch_size = data.train.len();
    let mut initial = Initial(None);
    if let Err(error) = train::train::<f64>(&config, &data, &mut initial, None) {
        panic!("{error}");
    }
    let record = initial.0.expect("train reports epoch 0");
    assert_eq!(record.epoch, 0);
    assert!(record.learning_rate.is_nan());

    let n = data.train.len();
    let traced: Vec<f64> = (1..=n)
        .map(|example| build::<f64>(&config, &data, example, 1).unwrap())
        .inspect(|trace| assert_eq!(trace.batch, 1))
        .map(|trace| trace.loss_value)
        .collect();
    let cost: f64 = traced.iter().sum();
    let loss = cost / n as f64;
    assert!(
        (record.train.loss - loss).abs() < 1e-12,
        "epoch 0 {} against trace {loss}",
        record.train.loss
    );
    assert!((record.train.cost - cost).abs() < 1e-9 * cost);
    // Not a vacuous match: the initial weights are far from trained.
    assert!(loss > 0.15, "{loss}");
}

#[test]
fn the_loss_after_the_update_is_a_forward_pass_with_the_new_weights() {
    // The network is rebuilt from the trace's own "new" weights and sent
    // through the textbook path here: the trace must not report a loss of
    // any other weights (the old ones, or the fast path's pass).
    use crate::nn::{Dense, Network, reference};
    use nalgebra::DVector;
    for (file, example) in [
        ("heart.toml", 7),
        ("iris.toml", 2),
        ("heart-disease.toml", 5),
    ] {
        let (config, data) = experiment(file, &[]);
        let trace = build::<f64>(&config, &data, example, 1).unwrap();
        let updated = Network {
            layers: trace
                .layers
                .iter()
                .map(|layer| Dense {
                    weights: layer.new_weights.clone(),
                    biases: layer.new_biases.clone(),
                    activation: layer.activation,
                })
                .collect(),
        };
        let x = DVector::from_vec(trace.input.clone());
        let y = DVector::from_vec(trace.target.clone());
        let pass = reference::forward(&updated, &x);
        let last = updated.layers.len() - 1;
        let (z, a) = (&pass.weighted_sums[last], &pass.outputs[last]);
        assert_eq!(
            trace.loss_after,
            reference::loss(config.training.loss, z, a, &y)
        );
        assert_eq!(trace.output_after, a.as_slice(), "{file}");
        // A step was taken: the loss moved.
        assert_ne!(trace.loss_after, trace.loss_value, "{file}");
        let text = render(&trace);
        let verdict = if trace.loss_after < trace.loss_value {
            "this step lowered this example's loss"
        } else {
            "this step raised this example's loss"
        };
        assert!(text.contains(verdict), "{file}: {text}");
        // The batch's mean loss is shown where the batch has more examples.
        assert_eq!(
            trace.batch_loss.is_some(),
            trace.batch_len > 1,
            "{file}: batch of {}",
            trace.batch_len
        );
    }
}

#[test]
fn a_step_that_raises_the_loss_of_its_only_example_is_said_to_overshoot() {
    // Plain sgd, one example a batch, a learning rate far too large for a
    // linear output: the step jumps past the minimum along this example's
    // own derivative (1.8 → 69).
    let (config, data) = experiment(
        "sine.toml",
        &[
            "training.optimizer=sgd",
            "training.batch_size=1",
            "training.learning_rate=10",
        ],
    );
    let trace = build::<f64>(&config, &data, 1, 1).unwrap();
    assert!(trace.loss_after > trace.loss_value, "{trace:?}");
    assert!(
        render(&trace)
            .contains("the step overshot, the learning rate is too large for this example"),
        "{}",
        render(&trace)
    );
}

#[test]
fn epoch_3_starts_from_the_weights_two_epochs_of_training_reach() {
    // Shuffled, one example a batch, and a schedule whose rate changes
    // every epoch: the trace of epoch 3's last example ends where three
    // epochs of the Trainer end only if epoch 3's order, learning rate and
    // starting weights are all the run's.
    let (config, data) = experiment(
        "heart.toml",
        &[
            "training.epochs=6",
            r#"training.schedule={ kind = "exponential", factor = 0.5 }"#,
        ],
    );
    assert!(config.training.shuffle && config.training.batch_size == 1);
    let mut trainer = train::Trainer::<f64>::new(&config, &data);
    let mut after = Vec::new();
    for epoch in 1..=3 {
        let t = &config.training;
        let rate = train::schedule::learning_rate(t.schedule, t.learning_rate, epoch, t.epochs);
        match trainer.train_epoch(epoch, rate, &|| false) {
            train::EpochEnd::Completed(_) => after.push(trainer.network.clone()),
            other => panic!("epoch {epoch}: {other:?}"),
        }
    }
    let first = build::<f64>(&config, &data, 1, 3).unwrap();
    assert_eq!(first.epoch, 3);
    assert_eq!(first.learning_rate, 0.1 * 0.25);
    for (traced, layer) in first.layers.iter().zip(&after[1].layers) {
        assert_eq!(traced.weights, layer.weights, "the weights after epoch 2");
        assert_eq!(traced.biases, layer.biases);
    }
    let n = data.train.len();
    let last = build::<f64>(&config, &data, n, 3).unwrap();
    for (traced, layer) in last.layers.iter().zip(&after[2].layers) {
        assert_eq!(
            traced.new_weights, layer.weights,
            "the weights after epoch 3"
        );
        assert_eq!(traced.new_biases, layer.biases);
    }
    // Not vacuous: epoch 3 starts elsewhere than epoch 1, in another order.
    let epoch_1 = build::<f64>(&config, &data, 1, 1).unwrap();
    assert_ne!(epoch_1.layers[0].weights, first.layers[0].weights);
    assert_ne!(epoch_1.row, first.row);
    assert!(render(&first).contains("the weights training reached after epoch 2"));
}

#[test]
fn an_epoch_outside_the_run_is_a_usage_error_naming_the_range() {
    let (config, data) = experiment("heart.toml", &["training.epochs=4"]);
    for epoch in [0, 5] {
        let error = build::<f64>(&config, &data, 1, epoch).unwrap_err();
        assert_eq!(error.code(), 2);
        assert_eq!(
            error.to_string(),
            format!("--epoch {epoch}: training.epochs is 4; choose an epoch from 1 to 4")
        );
    }
}

#[test]
fn an_epoch_training_never_reaches_is_refused_naming_why() {
    // Diverged before it: exit 1, as `run` exits for a diverged run.
    let (config, data) = experiment(
        "sine.toml",
        &["training.optimizer=sgd", "training.learning_rate=1000"],
    );
    let error = build::<f64>(&config, &data, 1, 5).unwrap_err();
    assert_eq!(error.code(), 1);
    let message = error.to_string();
    assert!(
        message.starts_with("--epoch 5: training diverged in epoch 2 (batch "),
        "{message}"
    );
    assert!(message.contains("trace an epoch from 1 to 2"), "{message}");
    // Stopped early before it: out of the run's reach, exit 2.
    let (config, data) = experiment("heart-disease.toml", &[]);
    let error = build::<f64>(&config, &data, 1, 100).unwrap_err();
    assert_eq!(error.code(), 2);
    assert!(
        error
            .to_string()
            .starts_with("--epoch 100: early stopping ends training after epoch "),
        "{error}"
    );
}

#[test]
fn each_input_is_shown_with_its_raw_value_and_the_statistics_that_normalized_it() {
    for (normalize, form) in [
        ("standard", "(x − mean) / std"),
        ("minmax", "(x − min) / (max − min)"),
        ("none", "x"),
    ] {
        let (config, data) = experiment(
            "heart-disease.toml",
            &[&format!("data.normalize=\"{normalize}\"")],
        );
        let trace = build::<f64>(&config, &data, 5, 1).unwrap();
        for (raw, &x) in trace.raw_inputs.iter().zip(&trace.input) {
            // x is the raw value normalized with the statistics shown.
            assert!(
                ((raw.raw - raw.shift) / raw.scale - x).abs() < 1e-9,
                "{form}: {raw:?} against {x}"
            );
            if raw.one_hot {
                assert!(raw.raw == 0.0 || raw.raw == 1.0, "{raw:?}");
            }
        }
        let text = render(&trace);
        let age = text
            .lines()
            .find(|l| l.trim_start().starts_with("x[1] = "))
            .unwrap_or_default();
        let sex = text
            .lines()
            .find(|l| l.trim_start().starts_with("x[3] = "))
            .unwrap_or_default();
        let (mean, std) = (data.normalization.shift[0], data.normalization.scale[0]);
        let expected = match normalize {
            "standard" => format!(
                "(age 63 = (63 − {}) / {})",
                crate::text::number(mean),
                crate::text::number(std)
            ),
            "minmax" => format!(
                "(age 63 = (63 − {}) / ({} − {}))",
                crate::text::number(mean),
                crate::text::number(mean + std),
                crate::text::number(mean)
            ),
            _ => "(age 63)".to_string(),
        };
        assert!(age.ends_with(&expected), "{normalize}: {age}");
        assert!(sex.contains("(sex=Male → 1"), "{normalize}: {sex}");
    }
}
