//! network.svg and network.png, read back from the real binary: every
//! connection drawn is a weight of the network (its tooltip names it, its
//! colour is its sign in model.json), the initial and the trained network
//! side by side, inputs, layers and outputs named, and a layer too wide to
//! draw unit by unit drawn as a block.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common::{Sandbox, run_quiet, texts};

const POSITIVE: &str = "#0072B2";
const NEGATIVE: &str = "#D55E00";

/// One element of the SVG: its tag, its attributes and its `<title>`.
#[derive(Debug)]
struct Element {
    tag: String,
    attributes: BTreeMap<String, String>,
    title: Option<String>,
}

/// The SVG's elements, one a line as plotters writes them. Strict: a line
/// that is not a whole element, a text's body or a closing tag fails the
/// test, and so does an attribute without a quoted value.
fn elements(svg: &str) -> Vec<Element> {
    let mut out = Vec::new();
    let mut lines = svg.lines();
    let first = lines.next().expect("an <svg> line");
    assert!(
        first.starts_with("<svg ") && first.ends_with('>'),
        "{first}"
    );
    for line in lines {
        if line == "</svg>" || line == "</text>" || !line.starts_with('<') {
            continue;
        }
        let body = line.strip_prefix('<').expect("<");
        let (tag, mut rest) = body.split_once(' ').expect("a tag with attributes");
        let mut attributes = BTreeMap::new();
        loop {
            rest = rest.trim_start();
            if rest.starts_with("/>") || rest.starts_with('>') {
                break;
            }
            let (key, after) = rest.split_once("=\"").expect("key=\"value\"");
            let (value, after) = after.split_once('"').expect("a closed value");
            attributes.insert(key.to_string(), value.to_string());
            rest = after;
        }
        let title = if rest == "/>" || (tag == "text" && rest == ">") {
            None
        } else {
            let inner = rest
                .strip_prefix("><title>")
                .and_then(|r| r.strip_suffix(&format!("</{tag}>")))
                .and_then(|r| r.strip_suffix("</title>"))
                .unwrap_or_else(|| panic!("not an element: {line}"));
            Some(
                inner
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            )
        };
        out.push(Element {
            tag: tag.to_string(),
            attributes,
            title,
        });
    }
    out
}

fn of<'a>(elements: &'a [Element], tag: &str) -> Vec<&'a Element> {
    elements.iter().filter(|e| e.tag == tag).collect()
}

/// `w2[3,4] = -0.41` as (2, 3, 4, -0.41).
fn weight_title(title: &str) -> (usize, usize, usize, f64) {
    let rest = title.strip_prefix('w').expect("w…");
    let (layer, rest) = rest.split_once('[').expect("[");
    let (unit, rest) = rest.split_once(',').expect(",");
    let (input, value) = rest.split_once("] = ").expect("] = ");
    (
        layer.parse().expect("layer"),
        unit.parse().expect("unit"),
        input.parse().expect("input"),
        value.parse().expect("value"),
    )
}

/// The x where a polyline starts.
fn start_x(line: &Element) -> f64 {
    let points = &line.attributes["points"];
    let first = points.split_whitespace().next().expect("a point");
    first.split_once(',').expect("x,y").0.parse().expect("x")
}

/// The PNG's width and height, from its IHDR chunk.
fn png_size(path: &Path) -> (u32, u32) {
    let png = fs::read(path).expect("network.png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    let word = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    (word(16), word(20))
}

#[test]
fn heart_draws_every_weight_of_both_networks_coloured_by_its_sign_in_model_json() {
    let sandbox = Sandbox::new();
    let dir = sandbox
        .path()
        .join(run_quiet(&sandbox, "experiments/heart.toml", &[]));
    let svg = fs::read_to_string(dir.join("network.svg")).expect("network.svg");
    let all = elements(&svg);

    // 3 inputs, 8, 8 and 1 units: 3·8 + 8·8 + 8·1 lines in each panel.
    let lines = of(&all, "polyline");
    assert_eq!(lines.len(), 2 * (3 * 8 + 8 * 8 + 8));
    // No blocks: no bands.
    assert!(of(&all, "polygon").is_empty());

    let model: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("model.json")).expect("model.json"))
            .expect("model.json is JSON");
    let layers = model["layers"].as_array().expect("layers");
    let (mut trained, mut initial) = (BTreeMap::new(), BTreeMap::new());
    for line in &lines {
        let title = line.title.as_deref().expect("each line names its weight");
        let (layer, unit, input, value) = weight_title(title);
        let stroke = &line.attributes["stroke"];
        assert_eq!(
            stroke,
            if value < 0.0 { NEGATIVE } else { POSITIVE },
            "{title}"
        );
        // The trained network is the right-hand panel.
        let panel = if start_x(line) > 600.0 {
            &mut trained
        } else {
            &mut initial
        };
        assert!(
            panel.insert((layer, unit, input), value).is_none(),
            "{title} drawn twice"
        );
    }
    assert_eq!(trained.len(), 96);
    assert_eq!(initial.len(), 96);
    for (&(layer, unit, input), &drawn) in &trained {
        let stored = layers[layer - 1]["weights"][unit - 1][input - 1]
            .as_f64()
            .expect("a weight");
        assert!(
            (drawn - stored).abs() <= 1e-3 * stored.abs().max(1e-3),
            "w{layer}[{unit},{input}]: drawn {drawn}, model.json {stored}"
        );
    }
    // Training moved the weights: the two panels do not draw one network.
    assert!(trained.iter().any(|(k, v)| initial[k] != *v));
    // Both colours are used, and thickness follows the size.
    assert!(lines.iter().any(|l| l.attributes["stroke"] == NEGATIVE));
    assert!(lines.iter().any(|l| l.attributes["stroke"] == POSITIVE));
    let width_of = |key: (usize, usize, usize)| {
        let value = trained[&key];
        let line = lines
            .iter()
            .find(|l| {
                start_x(l) > 600.0
                    && l.title
                        .as_deref()
                        .map(weight_title)
                        .map(|t| (t.0, t.1, t.2))
                        == Some(key)
            })
            .expect("drawn");
        (
            value.abs(),
            line.attributes["stroke-width"]
                .parse::<f64>()
                .expect("width"),
        )
    };
    let mut widths: Vec<(f64, f64)> = trained.keys().map(|&k| width_of(k)).collect();
    widths.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (smallest, largest) = (widths[0], widths[widths.len() - 1]);
    assert!(largest.1 > smallest.1, "{smallest:?} {largest:?}");

    // Biases: one titled node per unit and per input, fill and outline.
    let nodes = of(&all, "circle");
    assert_eq!(nodes.len(), 2 * 2 * (3 + 8 + 8 + 1));
    let bias = layers[2]["biases"][0].as_f64().expect("a bias");
    // The trained panel's, drawn after the initial one's.
    let title = nodes
        .iter()
        .filter_map(|n| n.title.as_deref())
        .rfind(|t| t.starts_with("b3[1] = "))
        .expect("the output's bias");
    let drawn: f64 = title["b3[1] = ".len()..].parse().expect("a number");
    assert!(
        (drawn - bias).abs() <= 1e-3 * bias.abs().max(1e-3),
        "{title} vs {bias}"
    );

    let texts = texts(&svg);
    for text in [
        "initial",
        "trained (epoch 100)",
        "height_cm",
        "weight_kg",
        "age_years",
        "layer 1",
        "(model.layers.0)",
        "8 sigmoid",
        "layer 3",
        "(model.layers.2)",
        "1 sigmoid",
        "heart_attack_before_40 = 1",
        "positive weight",
        "negative weight",
    ] {
        assert!(texts.iter().any(|t| t == text), "no {text:?} in {texts:?}");
    }

    let (width, height) = png_size(&dir.join("network.png"));
    assert_eq!(width, 1200);
    let first = svg.lines().next().expect("the <svg> line");
    assert!(
        first.contains(&format!(" height=\"{height}\"")),
        "{first} vs {height}"
    );

    // The report shows it in the run's details, as an image of the file.
    sandbox.run(&["report"]).expect_code(0);
    let page = sandbox.read("results/report.html");
    let figure = page
        .split_once("<figure class=\"network\">\n<img src=\"data:image/svg+xml,")
        .expect("the network figure in the report")
        .1;
    assert!(
        figure.contains("alt=\"The initial and the trained network of heart "),
        "{}",
        &figure[..figure.len().min(300)]
    );
}

#[test]
fn a_classifiers_outputs_are_named_by_class_and_a_regressions_by_its_target() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path().join(run_quiet(
        &sandbox,
        "experiments/iris.toml",
        &["training.epochs=3"],
    ));
    let svg = fs::read_to_string(dir.join("network.svg")).expect("network.svg");
    let texts = texts(&svg);
    for class in [
        "setosa",
        "versicolor",
        "virginica",
        "trained (epoch 3)",
        "3 softmax",
    ] {
        assert!(
            texts.iter().any(|t| t == class),
            "no {class:?} in {texts:?}"
        );
    }
    // 4 inputs, 8 and 3 units.
    assert_eq!(of(&elements(&svg), "polyline").len(), 2 * (4 * 8 + 8 * 3));

    let dir = sandbox.path().join(run_quiet(
        &sandbox,
        "experiments/sine.toml",
        &["training.epochs=2"],
    ));
    let svg = fs::read_to_string(dir.join("network.svg")).expect("network.svg");
    let model: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("model.json")).expect("model.json"))
            .expect("JSON");
    let target = model["target"].as_str().expect("a target");
    assert!(
        crate::common::texts(&svg).iter().any(|t| t == target),
        "no {target}"
    );
}

#[test]
fn a_layer_of_64_units_is_a_block_with_bands_not_64_lines_per_unit() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path().join(run_quiet(
        &sandbox,
        "experiments/heart.toml",
        &["model.layers.0.units=64", "training.epochs=3"],
    ));
    let svg = fs::read_to_string(dir.join("network.svg")).expect("network.svg");
    let all = elements(&svg);
    // Only layer 3 (8 → 1) is drawn weight by weight.
    let lines = of(&all, "polyline");
    assert_eq!(lines.len(), 2 * 8);
    assert!(
        lines
            .iter()
            .all(|l| l.title.as_deref().is_some_and(|t| t.starts_with("w3["))),
        "{lines:?}"
    );
    // A band per input into the block, and one per unit of layer 2 out of it.
    let bands = of(&all, "polygon");
    assert_eq!(bands.len(), 2 * (3 + 8));
    assert!(
        bands
            .iter()
            .filter_map(|b| b.title.as_deref())
            .any(|t| t.starts_with("w2[1,·]: the 64 weights into unit 1")),
        "{bands:?}"
    );
    let texts = texts(&svg);
    assert!(texts.iter().any(|t| t == "64 sigmoid"), "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("block: more than 32 units")),
        "{texts:?}"
    );
    assert_eq!(png_size(&dir.join("network.png")).0, 1200);
}
