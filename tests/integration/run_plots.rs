//! A run's plot (cost.svg), read back from the real binary: the runs the
//! issue names look as they are, a flat line flat, a diverging run with
//! every finite row, a run without an epoch as one panel saying why.

use std::fs;
use std::path::PathBuf;

use crate::common::{Sandbox, texts};

/// The run directory a closing line (or a divergence error) names.
fn run_dir(sandbox: &Sandbox, args: &[&str], code: i32) -> PathBuf {
    let output = sandbox.run(args).expect_code(code);
    let dir = if code == 0 {
        let last = output.stdout.lines().last().expect("a closing line");
        last.rsplit_once(" -> ").expect("-> DIR").1.to_string()
    } else {
        let line = output.stderr.trim_end();
        line.rsplit_once(" in ").expect("in DIR").1.to_string()
    };
    sandbox.path().join(dir)
}

/// The texts between the title of one panel and the next one's.
fn panel_texts<'a>(texts: &'a [String], title: &str, next: Option<&str>) -> &'a [String] {
    let start = texts.iter().position(|t| t == title).expect(title);
    let end = next.map_or(texts.len(), |n| texts.iter().position(|t| t == n).expect(n));
    &texts[start..end]
}

/// The points of each polyline drawn in `stroke`.
fn polylines(svg: &str, stroke: &str) -> Vec<Vec<(f64, f64)>> {
    svg.split("<polyline")
        .skip(1)
        .filter(|rest| rest.contains(&format!("stroke=\"{stroke}\"")))
        .map(|rest| {
            let points = rest.split_once("points=\"").expect("points").1;
            points
                .split_once('"')
                .expect("closed")
                .0
                .split_whitespace()
                .map(|pair| {
                    let (x, y) = pair.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect()
        })
        .collect()
}

const COST: &str = "Cost per epoch (sum of the training losses)";
const LOSS: &str = "Mean loss per example";

#[test]
fn heart_at_learning_rate_100_is_drawn_flat_against_its_baseline() {
    let sandbox = Sandbox::new();
    let dir = run_dir(
        &sandbox,
        &[
            "--quiet",
            "run",
            "experiments/heart.toml",
            "--set",
            "training.learning_rate=100",
            "--set",
            "training.epochs=20",
        ],
        0,
    );
    let svg = fs::read_to_string(dir.join("cost.svg")).expect("cost.svg");
    let texts = texts(&svg);
    // The cost jumps from the initial weights' 269 (epoch 0) to about 502
    // and stays flat there: the axis spans both, not 502.00..502.09 (the
    // widening of a flat line alone is tested in the plot module).
    let cost = panel_texts(&texts, COST, Some(LOSS));
    for tick in ["300", "500"] {
        assert!(cost.contains(&tick.to_string()), "{tick}: {cost:?}");
    }
    // The loss and accuracy panels name the baseline of summary.json.
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("summary.json")).expect("summary"))
            .expect("JSON");
    let validation = &summary["baseline"]["validation"];
    let accuracy = validation["accuracy"].as_f64().expect("accuracy");
    assert_eq!(accuracy, 0.715);
    let loss = panel_texts(&texts, LOSS, Some("Accuracy per epoch"));
    assert!(
        loss.iter().any(|t| t.starts_with("always \"0\" 0.20")),
        "{loss:?}"
    );
    let panel = panel_texts(&texts, "Accuracy per epoch", None);
    assert!(
        panel.contains(&"always \"0\" 0.715".to_string()),
        "{panel:?}"
    );
    // The accuracy, flat at 0.2829, on an axis that reaches the baseline.
    assert!(panel.contains(&"0.7".to_string()), "{panel:?}");
    assert!(panel.contains(&"0.3".to_string()), "{panel:?}");
    // The baseline's dashes: many short pieces in the reference colour.
    assert!(polylines(&svg, "#141414").len() >= 40);
}

#[test]
fn a_diverging_run_is_drawn_with_every_finite_row_on_a_log_axis() {
    let sandbox = Sandbox::new();
    let dir = run_dir(
        &sandbox,
        &[
            "--quiet",
            "run",
            "experiments/sine.toml",
            "--set",
            "training.learning_rate=1",
            "--set",
            "training.optimizer=\"sgd\"",
        ],
        1,
    );
    let rows = fs::read_to_string(dir.join("metrics.csv"))
        .expect("metrics.csv")
        .lines()
        .count()
        - 1;
    assert!(rows >= 3, "{rows} rows");
    let svg = fs::read_to_string(dir.join("cost.svg")).expect("cost.svg");
    let texts = texts(&svg);
    let cost = panel_texts(&texts, COST, Some(LOSS));
    assert!(cost.iter().any(|t| t.starts_with("1e")), "{cost:?}");
    // The cost panel's line (the first series colour, left of x = 600)
    // goes through one point per row.
    let longest = polylines(&svg, "#0072B2")
        .into_iter()
        .filter(|line| line.iter().all(|p| p.0 < 600.0))
        .map(|line| line.len())
        .max();
    assert_eq!(longest, Some(rows));
}

#[test]
fn a_run_diverged_in_its_first_epoch_is_one_panel_saying_where_and_why() {
    let sandbox = Sandbox::new();
    let dir = run_dir(
        &sandbox,
        &[
            "--quiet",
            "run",
            "experiments/sine.toml",
            "--set",
            "training.learning_rate=1e6",
            "--set",
            "training.optimizer=\"sgd\"",
        ],
        1,
    );
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("summary.json")).expect("summary"))
            .expect("JSON");
    let divergence = &summary["divergence"];
    assert_eq!(divergence["epoch"], 1);
    let svg = fs::read_to_string(dir.join("cost.svg")).expect("cost.svg");
    assert!(svg.contains(r#"width="600""#), "{}", &svg[..200]);
    let texts = texts(&svg);
    let said = format!(
        "Training diverged at epoch 1, batch {}:",
        divergence["batch"]
    );
    assert!(texts.contains(&said), "{texts:?}");
    let quantity = divergence["quantity"].as_str().expect("quantity");
    assert!(texts.contains(&format!("{quantity}.")), "{texts:?}");
    assert!(!texts.iter().any(|t| t == "no data"), "{texts:?}");
}

#[test]
fn compare_draws_the_baseline_only_where_its_runs_share_one() {
    let sandbox = Sandbox::new();
    let heart = |sets: &[&str]| {
        let mut args = vec![
            "--quiet",
            "run",
            "experiments/heart.toml",
            "--set",
            "training.epochs=3",
        ];
        for set in sets {
            args.extend(["--set", set]);
        }
        let dir = run_dir(&sandbox, &args, 0);
        dir.to_string_lossy().into_owned()
    };
    let slow = heart(&["training.learning_rate=0.1"]);
    let fast = heart(&["training.learning_rate=10"]);
    // Another seed splits the data otherwise: another baseline.
    let other = heart(&["experiment.seed=7"]);
    let baseline_label = |runs: &[&str], out: &str| {
        let mut args = vec!["compare"];
        args.extend(runs);
        args.extend(["--out", out]);
        sandbox.run(&args).expect_code(0);
        let svg = fs::read_to_string(sandbox.path().join(out).join("cost.svg")).expect("cost.svg");
        texts(&svg).into_iter().find(|t| t.starts_with("always \""))
    };
    let shared = baseline_label(&[&slow, &fast], "same/");
    let summary: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(PathBuf::from(&slow).join("summary.json")).expect("summary"),
    )
    .expect("JSON");
    let loss = summary["baseline"]["validation"]["loss"]
        .as_f64()
        .expect("loss");
    assert!(
        shared
            .as_deref()
            .is_some_and(|label| label.starts_with("always \"0\" 0.20")),
        "{shared:?} for a baseline loss of {loss}"
    );
    assert_eq!(baseline_label(&[&slow, &other], "differ/"), None);
}

#[test]
fn the_report_draws_a_run_as_its_cost_png_does() {
    let sandbox = Sandbox::new();
    let dir = run_dir(
        &sandbox,
        &[
            "--quiet",
            "run",
            "experiments/heart.toml",
            "--set",
            "training.epochs=5",
        ],
        0,
    );
    let own = texts(&fs::read_to_string(dir.join("cost.svg")).expect("cost.svg"));
    sandbox.run(&["--quiet", "report"]).expect_code(0);
    let page = sandbox.read("results/report.html");
    // The same three panels, the baseline's legend and the best epoch's
    // marker as the run's own plot.
    for text in [
        "Accuracy per epoch",
        "Mean loss per example",
        "always \"0\" 0.715",
        "best epoch",
    ] {
        assert!(
            own.iter().any(|t| t.contains(text)),
            "cost.svg lacks {text:?}: {own:?}"
        );
        let escaped = text.replace('"', "&quot;");
        assert!(
            page.contains(text) || page.contains(&escaped),
            "the report's run figure lacks {text:?}"
        );
    }
}
