//! The learned function, drawn (function.png/svg, function-snapshots.*):
//! read back from the real binary's files. The PNG's pixels are checked
//! where the data says a class lies (not only that a file exists), with
//! the axes' pixel positions read off the SVG's tick labels (both files
//! have one layout).

use std::fs;
use std::path::Path;

use super::common::{Sandbox, run_quiet, texts};

const XOR: &str = r#"
[experiment]
name = "xor"
seed = 1

[data]
generator = "xor"
rows = 600

[model]
layers = [
  { units = 16, activation = "tanh" },
  { units = 2, activation = "softmax" },
]

[training]
epochs = 80
learning_rate = 0.01
batch_size = 16
loss = "cross_entropy"
optimizer = "adam"
"#;

const SINE: &str = r#"
[experiment]
name = "sine"
seed = 3

[data]
generator = "sine"
rows = 400

[model]
layers = [
  { units = 32, activation = "tanh" },
  { units = 1, activation = "identity" },
]

[training]
epochs = 200
learning_rate = 0.01
batch_size = 16
optimizer = "adam"
"#;

/// A `<text>` element's position and content.
struct Label {
    x: f64,
    y: f64,
    anchor: String,
    text: String,
}

fn labels(svg: &str) -> Vec<Label> {
    svg.split("<text")
        .skip(1)
        .map(|rest| {
            let (attributes, body) = rest.split_once('>').expect("a text element");
            let attribute = |name: &str| {
                attributes
                    .split(&format!(" {name}=\""))
                    .nth(1)
                    .and_then(|v| v.split('"').next())
                    .unwrap_or_default()
                    .to_string()
            };
            Label {
                x: attribute("x").parse().expect("x"),
                y: attribute("y").parse().expect("y"),
                anchor: attribute("text-anchor"),
                text: body
                    .split("</text>")
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            }
        })
        .collect()
}

/// Pixel from data value along each axis, from the first panel's numeric
/// tick labels: x ticks are centred under the plot, y ticks end left of it.
struct Mapping {
    x: (f64, f64),
    y: (f64, f64),
}

fn fit(points: &[(f64, f64)]) -> (f64, f64) {
    let (a, b) = (points[0], points[points.len() - 1]);
    let slope = (b.1 - a.1) / (b.0 - a.0);
    (slope, a.1 - slope * a.0)
}

fn mapping(svg: &str) -> Mapping {
    let all = labels(svg);
    let numbers: Vec<(&Label, f64)> = all
        .iter()
        .filter_map(|l| l.text.parse::<f64>().ok().map(|v| (l, v)))
        .collect();
    let bottom = numbers
        .iter()
        .filter(|(l, _)| l.anchor == "middle")
        .map(|(l, _)| l.y)
        .fold(0.0, f64::max);
    let xs: Vec<(f64, f64)> = numbers
        .iter()
        .filter(|(l, _)| l.anchor == "middle" && l.y == bottom)
        .map(|(l, v)| (*v, l.x))
        .collect();
    let ys: Vec<(f64, f64)> = numbers
        .iter()
        .filter(|(l, _)| l.anchor == "end")
        .map(|(l, v)| (*v, l.y))
        .collect();
    assert!(xs.len() >= 2 && ys.len() >= 2, "ticks: {xs:?} {ys:?}");
    Mapping {
        x: fit(&xs),
        y: fit(&ys),
    }
}

struct Image {
    width: usize,
    rgb: Vec<u8>,
}

fn decode(path: &Path) -> Image {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        fs::File::open(path).expect("the PNG"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut rgb = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut rgb).expect("its pixels");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    Image {
        width: info.width as usize,
        rgb,
    }
}

impl Image {
    fn pixel(&self, x: usize, y: usize) -> [f64; 3] {
        let i = (y * self.width + x) * 3;
        [0, 1, 2].map(|c| f64::from(self.rgb[i + c]))
    }

    /// The mean colour of the 9 × 9 pixels around (x, y).
    fn patch(&self, x: f64, y: f64) -> [f64; 3] {
        let mut sum = [0.0; 3];
        for dy in -4..=4 {
            for dx in -4..=4 {
                let p = self.pixel((x as i64 + dx) as usize, (y as i64 + dy) as usize);
                (0..3).for_each(|c| sum[c] += p[c]);
            }
        }
        sum.map(|s| s / 81.0)
    }
}

/// Blue (the palette's first colour, class 0) against orange (its second,
/// class 1): which of the two a colour leans to.
fn leans_to_class_1([r, _, b]: [f64; 3]) -> bool {
    r > b
}

#[test]
fn xor_plane_is_shaded_by_class_where_the_data_is() {
    let sandbox = Sandbox::new();
    sandbox.write("xor.toml", XOR);
    let dir = sandbox.path().join(run_quiet(&sandbox, "xor.toml", &[]));
    let svg = fs::read_to_string(dir.join("function.svg")).expect("function.svg");
    let said = texts(&svg);
    for text in ["x1", "x2", "0", "1", "decision boundary"] {
        assert!(said.iter().any(|t| t == text), "{text} missing: {said:?}");
    }
    let map = mapping(&svg);
    let image = decode(&dir.join("function.png"));
    // xor: class 1 where the signs differ. Each quadrant's middle, and
    // points well inside each quadrant.
    for (x, y) in [
        (0.5, 0.5),
        (-0.5, 0.5),
        (-0.5, -0.5),
        (0.5, -0.5),
        (0.7, 0.3),
        (-0.3, 0.7),
    ] {
        let px = map.x.0 * x + map.x.1;
        let py = map.y.0 * y + map.y.1;
        let colour = image.patch(px, py);
        let class_1 = (x > 0.0) != (y > 0.0);
        assert_eq!(
            leans_to_class_1(colour),
            class_1,
            "at ({x}, {y}), pixel ({px:.0}, {py:.0}): {colour:?}"
        );
    }
}

#[test]
fn sine_curve_passes_near_the_sine() {
    let sandbox = Sandbox::new();
    sandbox.write("sine.toml", SINE);
    let dir = sandbox.path().join(run_quiet(&sandbox, "sine.toml", &[]));
    let svg = fs::read_to_string(dir.join("function.svg")).expect("function.svg");
    let said = texts(&svg);
    assert!(
        said.iter().any(|t| t.starts_with("training mean ")),
        "{said:?}"
    );
    let map = mapping(&svg);
    let image = decode(&dir.join("function.png"));
    // The curve is the palette's first colour (0, 114, 178 or near it):
    // in each pixel column, the rows of strongly blue pixels.
    for x in [-2.0f64, -1.0, 0.0, 1.0, 2.0] {
        let px = (map.x.0 * x + map.x.1).round() as usize;
        let rows: Vec<f64> = (0..image.rgb.len() / 3 / image.width)
            .filter(|&py| {
                let [r, g, b] = image.pixel(px, py);
                b > 140.0 && r < 80.0 && g < 150.0
            })
            .map(|py| py as f64)
            .collect();
        assert!(!rows.is_empty(), "no curve at x = {x}");
        let mean = rows.iter().sum::<f64>() / rows.len() as f64;
        let y = (mean - map.y.1) / map.y.0;
        assert!(
            (y - synapse::math::sin(x)).abs() < 0.2,
            "at x = {x}: {y} against {}",
            synapse::math::sin(x)
        );
    }
}

#[test]
fn heart_slice_names_its_axes_and_what_it_holds() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path().join(run_quiet(
        &sandbox,
        &format!("{}/experiments/heart.toml", env!("CARGO_MANIFEST_DIR")),
        &[
            "training.epochs=20",
            "plots.slice=[\"weight_kg\", \"age_years\"]",
        ],
    ));
    let said = texts(&fs::read_to_string(dir.join("function.svg")).expect("function.svg"));
    assert!(said.iter().any(|t| t == "weight_kg"), "{said:?}");
    assert!(said.iter().any(|t| t == "age_years"), "{said:?}");
    let held = said
        .iter()
        .find(|t| t.starts_with("a slice: "))
        .expect("a caption line on the slice");
    let median: f64 = held
        .strip_prefix("a slice: height_cm at its median ")
        .unwrap_or_else(|| panic!("{held}"))
        .parse()
        .expect("a number");
    assert!((150.0..200.0).contains(&median), "{median}");
    let config = fs::read_to_string(dir.join("config.toml")).expect("config.toml");
    assert!(
        config.contains("[plots]\nslice = [\"weight_kg\", \"age_years\"]"),
        "{config}"
    );

    // Without a slice: the two inputs of largest effect, with the ranking
    // said, and no [plots] in config.toml.
    let dir = sandbox.path().join(run_quiet(
        &sandbox,
        &format!("{}/experiments/heart.toml", env!("CARGO_MANIFEST_DIR")),
        &["training.epochs=20"],
    ));
    let said = texts(&fs::read_to_string(dir.join("function.svg")).expect("function.svg"));
    assert!(
        said.iter()
            .any(|t| t.starts_with("axes: the two largest effects")),
        "{said:?}"
    );
    let config = fs::read_to_string(dir.join("config.toml")).expect("config.toml");
    assert!(!config.contains("plots"), "{config}");

    // The default plane is height (x) by weight (y), and its classes lie
    // where the data has them: heavy for one's height is a heart attack
    // before forty, light is not.
    assert!(said.iter().any(|t| t == "height_cm"), "{said:?}");
    assert!(said.iter().any(|t| t == "weight_kg"), "{said:?}");
    let svg = fs::read_to_string(dir.join("function.svg")).expect("function.svg");
    let map = mapping(&svg);
    let image = decode(&dir.join("function.png"));
    for (height, weight, class_1) in [
        (160.0, 130.0, true),
        (175.0, 140.0, true),
        (190.0, 55.0, false),
        (175.0, 50.0, false),
    ] {
        let px = map.x.0 * height + map.x.1;
        let py = map.y.0 * weight + map.y.1;
        let colour = image.patch(px, py);
        assert_eq!(
            leans_to_class_1(colour),
            class_1,
            "height {height}, weight {weight}: pixel ({px:.0}, {py:.0}) {colour:?}"
        );
    }
}

#[test]
fn slice_names_are_checked_against_the_inputs() {
    let sandbox = Sandbox::new();
    let heart = format!("{}/experiments/heart.toml", env!("CARGO_MANIFEST_DIR"));
    for (set, said) in [
        (
            "plots.slice=[\"weight\", \"age_years\"]",
            "names `weight`, which is not a numeric input (did you mean `weight_kg`?); the numeric inputs are height_cm, weight_kg, age_years",
        ),
        (
            "plots.slice=[\"weight_kg\"]",
            "has 1 name; it takes exactly two input names",
        ),
        (
            "plots.slice=[\"age_years\", \"age_years\"]",
            "names `age_years` twice; it takes two different inputs",
        ),
        (
            "plots.snapshots=[0, 5, 500]",
            "has epoch 500, but training.epochs is 100",
        ),
        ("plots.snapshots=[5, 1, 5]", "lists epoch 5 twice"),
        (
            "plots.snapshots=[1, 2, 3, 4, 5, 6, 7, 8, 9]",
            "lists 9 epochs; at most 8 are allowed",
        ),
    ] {
        let output = sandbox
            .run(&["run", &heart, "--quiet", "--set", set])
            .expect_code(2);
        assert!(output.stderr.contains(said), "{set}: {}", output.stderr);
        assert!(output.stderr.contains("plots."), "{set}: {}", output.stderr);
        assert!(!output.stderr.contains("panicked"), "{}", output.stderr);
    }
}

#[test]
fn snapshots_are_their_own_run_with_the_same_results() {
    let sandbox = Sandbox::new();
    let heart = format!("{}/experiments/heart.toml", env!("CARGO_MANIFEST_DIR"));
    let plain = sandbox
        .path()
        .join(run_quiet(&sandbox, &heart, &["training.epochs=12"]));
    let snapped = sandbox.path().join(run_quiet(
        &sandbox,
        &heart,
        &["training.epochs=12", "plots.snapshots=[12, 0, 3]"],
    ));
    assert_ne!(plain, snapped, "snapshots make a run of their own");
    for file in ["metrics.csv", "model.json", "predictions.csv"] {
        assert_eq!(
            fs::read(plain.join(file)).expect("plain"),
            fs::read(snapped.join(file)).expect("snapped"),
            "{file} differs"
        );
    }
    let panels: Vec<String> =
        texts(&fs::read_to_string(snapped.join("function-snapshots.svg")).expect("snapshots"))
            .into_iter()
            .filter(|t| t.starts_with("epoch "))
            .collect();
    assert_eq!(panels, ["epoch 0", "epoch 3", "epoch 12"]);
    // The default: the initial weights, a tenth, a third and the end.
    let panels: Vec<String> =
        texts(&fs::read_to_string(plain.join("function-snapshots.svg")).expect("snapshots"))
            .into_iter()
            .filter(|t| t.starts_with("epoch "))
            .collect();
    assert_eq!(panels, ["epoch 0", "epoch 1", "epoch 4", "epoch 12"]);
    // An empty list draws no snapshots.
    let none = sandbox.path().join(run_quiet(
        &sandbox,
        &heart,
        &["training.epochs=12", "plots.snapshots=[]"],
    ));
    assert!(none.join("function.png").is_file());
    assert!(!none.join("function-snapshots.png").exists());
}
