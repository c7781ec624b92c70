//! The effects plot every sweep writes (effects.svg, effects.png): a panel
//! per swept key with the key's name, a dot per run, a log axis for
//! log-spaced learning rates and a category axis for a string key.

use std::fs;

use crate::common::{Sandbox, sweep_dir};

/// 3 learning rates × 2 optimizers × 2 seeds of heart, 5 epochs: 12 runs.
/// The batch size, one value in the grid, is a constant: it gets no panel.
const SWEEP: &str = r#"
experiment = "heart5.toml"
[grid]
"training.learning_rate" = [0.01, 0.1, 1.0]
"training.optimizer" = ["sgd", "adam"]
"training.batch_size" = [1]
"experiment.seed" = [1, 2]
"#;

fn texts_of_file(path: &std::path::Path) -> Vec<String> {
    texts(&fs::read_to_string(path).expect("svg"))
}

/// The SVG's texts in document order (plotters writes each text's content
/// on a line of its own between its tags).
fn texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = svg.lines();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("<text") {
            let content = lines.next().expect("a text's content");
            assert_eq!(lines.next().map(str::trim), Some("</text>"), "{content}");
            out.push(content.to_string());
        }
    }
    out
}

/// The texts from `from` (exclusive) up to the first of `until` after it.
fn between<'a>(texts: &'a [String], from: &str, until: &str) -> &'a [String] {
    let start = texts
        .iter()
        .position(|t| t == from)
        .unwrap_or_else(|| panic!("no text {from:?} in {texts:?}"))
        + 1;
    let end = texts[start..]
        .iter()
        .position(|t| t == until)
        .map_or(texts.len(), |i| start + i);
    &texts[start..end]
}

#[test]
fn a_sweep_writes_an_effects_plot_with_a_panel_per_key_and_a_dot_per_run() {
    let sandbox = Sandbox::new();
    let heart = sandbox.read("experiments/heart.toml");
    assert!(heart.contains("epochs = 100\n"));
    sandbox.write(
        "heart5.toml",
        heart.replace("epochs = 100\n", "epochs = 5\n"),
    );
    sandbox.write("effects.toml", SWEEP);
    let output = sandbox
        .run(&["sweep", "effects.toml", "--quiet"])
        .expect_code(0);
    assert!(
        output.stdout.contains("sweep: 12 runs"),
        "{}",
        output.stdout
    );
    let dir = sweep_dir(&sandbox.path().join("results/heart"));

    let png = fs::read(dir.join("effects.png")).expect("effects.png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR's width: two panels side by side.
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert_eq!(width, 2 * 560);

    let svg = fs::read_to_string(dir.join("effects.svg")).expect("effects.svg");
    // A dot per run in each of the two panels (means are squares).
    assert_eq!(svg.matches("<circle").count(), 2 * 12);
    let texts = texts(&svg);
    assert_eq!(
        texts.first().map(String::as_str),
        Some("heart: validation loss by setting (dots: runs; bars: mean ± std over 2 seeds)")
    );
    // One panel per swept key, named after it; the seed has none.
    for title in ["learning_rate", "optimizer"] {
        assert_eq!(texts.iter().filter(|t| *t == title).count(), 1, "{title}");
    }
    assert!(
        !texts
            .iter()
            .any(|t| t == "seed" || t.contains("experiment.seed")),
        "{texts:?}"
    );
    // The constant batch size neither gets a panel nor colours one, and the
    // curves' title names it as a constant, not as a dimension.
    assert!(!texts.iter().any(|t| t.contains("batch_size")), "{texts:?}");
    let curves = texts_of_file(&dir.join("cost.svg"));
    let title = curves.first().map(String::as_str).unwrap_or_default();
    assert!(
        title.contains("learning_rate × optimizer") && !title.contains("× batch_size"),
        "{title}"
    );
    // Each panel's lines are coloured by the other key, named in its legend.
    assert!(texts.iter().any(|t| t == "optimizer:"));
    assert!(texts.iter().any(|t| t == "learning_rate:"));

    // learning_rate's axis is logarithmic, ticked at its decades.
    let lr_axis = between(&texts, "training.learning_rate (log scale)", "optimizer");
    let lr_ticks: Vec<&str> = lr_axis
        .iter()
        .map(String::as_str)
        .skip_while(|t| *t != "0.01")
        .collect();
    assert_eq!(lr_ticks, ["0.01", "0.1", "1"], "{lr_axis:?}");
    // optimizer's axis is its two names, in the sweep file's order.
    let optimizer_axis = between(&texts, "training.optimizer", "");
    let names: Vec<&str> = optimizer_axis
        .iter()
        .map(String::as_str)
        .filter(|t| t.chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    assert_eq!(names, ["sgd", "adam"], "{optimizer_axis:?}");
}
