//! `synapse export`: the ONNX file, run by onnxruntime, gives predict's
//! numbers for every example, in f64 and f32; and bad input is refused
//! with exit 2 and nothing written.
//!
//! onnxruntime runs in Python (tests/engines/onnx_check.py): the Python
//! is `SYNAPSE_ONNX_PYTHON`, else /opt/synapse-onnx-venv/bin/python, which
//! .ci/run makes. Without one that imports onnxruntime and numpy, the test
//! is ignored with the reason (build.rs sets `cfg(onnxruntime)`); in CI it
//! always runs.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::Sandbox;

/// Trains `experiments/<name>.toml` with `sets` (`--set` values) and gives
/// the run directory, relative to the sandbox, from run's last line.
fn trained(sandbox: &Sandbox, name: &str, sets: &[&str]) -> String {
    let file = format!("experiments/{name}.toml");
    let mut args = vec!["run", file.as_str(), "--quiet"];
    for set in sets {
        args.extend(["--set", set]);
    }
    let output = sandbox.run(&args).expect_code(0);
    let line = output.stdout.lines().last().unwrap_or_default();
    let (_, dir) = line
        .rsplit_once(" -> ")
        .unwrap_or_else(|| panic!("no run directory in {:?}", output.stdout));
    dir.to_string()
}

/// The examples: experiment files that are not sweeps.
fn examples(sandbox: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(sandbox.path().join("experiments"))
        .expect("experiments/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "toml")
                && !fs::read_to_string(p)
                    .expect("an experiment")
                    .lines()
                    .any(|l| l.trim_start().starts_with("experiment ="))
        })
        .map(|p| {
            p.file_stem()
                .expect("a name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn write_csv(path: &Path, rows: &[Vec<String>]) {
    let mut writer = csv::Writer::from_path(path).expect("a CSV file");
    for row in rows {
        writer.write_record(row).expect("a CSV row");
    }
    writer.flush().expect("flush");
}

/// Rows to predict for the run in `dir`: its test split where it trained on
/// a CSV file (the rows predictions.csv numbers), else, for a built-in
/// data set, 200 rows spread over ±2 standard deviations of each input.
fn rows(sandbox: &Sandbox, dir: &Path) -> Vec<Vec<String>> {
    let config: toml::Table = sandbox
        .read(&dir.join("config.toml").to_string_lossy())
        .parse()
        .expect("config.toml");
    let model: serde_json::Value =
        serde_json::from_str(&sandbox.read(&dir.join("model.json").to_string_lossy()))
            .expect("model.json");
    if let Some(path) = config["data"].get("path").and_then(|p| p.as_str()) {
        // config.toml names it relative to the run directory.
        let data = sandbox.path().join(dir).join(path);
        let (_, predictions) = crate::common::labelled_csv::<Vec<(String, String)>>(
            &sandbox.path().join(dir).join("predictions.csv"),
        );
        let all: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(&data)
            .expect("the data")
            .records()
            .map(|r| r.expect("a row").iter().map(str::to_string).collect())
            .collect();
        let mut rows = vec![all[0].clone()];
        for prediction in predictions {
            let row: usize = prediction[0].1.parse().expect("a row number");
            rows.push(all[row].clone());
        }
        return rows;
    }
    let inputs: Vec<String> = serde_json::from_value(model["inputs"].clone()).expect("inputs");
    let numbers = |key: &str| -> Vec<f64> {
        serde_json::from_value(model["normalization"][key].clone()).expect("numbers")
    };
    let (shift, scale) = (numbers("shift"), numbers("scale"));
    let mut rows = vec![inputs.clone()];
    for i in 0..200u32 {
        rows.push(
            (0..inputs.len())
                .map(|j| {
                    // A different even spread per input (golden-ratio steps).
                    let t = (f64::from(i) * (0.618_033_988_7 + 0.1 * j as f64)).fract();
                    format!("{:?}", shift[j] + scale[j] * (4.0 * t - 2.0))
                })
                .collect(),
        );
    }
    rows
}

fn python() -> PathBuf {
    std::env::var_os("SYNAPSE_ONNX_PYTHON")
        .map_or_else(|| "/opt/synapse-onnx-venv/bin/python".into(), PathBuf::from)
}

#[test]
#[cfg_attr(
    not(onnxruntime),
    ignore = "needs a Python with onnxruntime and numpy: SYNAPSE_ONNX_PYTHON, or /opt/synapse-onnx-venv (.ci/run makes it)"
)]
fn onnxruntime_gives_predicts_numbers_for_every_example_in_f64_and_f32() {
    let started = std::time::Instant::now();
    let sandbox = Sandbox::new();
    let f32 = "training.precision=\"f32\"";
    let mut variants: Vec<(String, Vec<&str>)> = Vec::new();
    for name in examples(&sandbox) {
        variants.push((name.clone(), vec![]));
        variants.push((name, vec![f32]));
    }
    // What the examples do not cover: leaky_relu (built from Max), and no
    // normalization (no Sub or Div in the graph) or min-max.
    let leaky = [
        "model.layers.0.activation=\"leaky_relu\"",
        "model.layers.1.activation=\"leaky_relu\"",
    ];
    variants.push(("spiral".into(), leaky.to_vec()));
    variants.push(("spiral".into(), [&leaky[..], &[f32]].concat()));
    variants.push(("heart".into(), vec!["data.normalize=\"none\""]));
    variants.push(("sine".into(), vec!["data.normalize=\"minmax\"", f32]));
    assert!(variants.len() >= 14, "{variants:?}");

    let check = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/engines/onnx_check.py");
    for (name, sets) in &variants {
        let dir = PathBuf::from(trained(&sandbox, name, sets));
        let rows = rows(&sandbox, &dir);
        write_csv(&sandbox.path().join("rows.csv"), &rows);
        let run_dir = dir.to_str().expect("UTF-8");
        sandbox
            .run(&["predict", run_dir, "rows.csv", "--out", "predicted.csv"])
            .expect_code(0);
        let exported = sandbox
            .run(&["export", run_dir, "--out", "model.onnx"])
            .expect_code(0);
        assert!(
            exported.stderr.contains("ONNX opset 17"),
            "{}",
            exported.stderr
        );
        let tolerance = if sets.contains(&f32) { "1e-5" } else { "1e-9" };
        let output = Command::new(python())
            .arg(&check)
            .args([
                sandbox
                    .path()
                    .join(&dir)
                    .join("model.json")
                    .to_str()
                    .expect("UTF-8"),
                "model.onnx",
                "rows.csv",
                "predicted.csv",
                tolerance,
            ])
            .current_dir(sandbox.path())
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", python().display()));
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{name} {sets:?}: onnx_check.py failed\nstdout:\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: serde_json::Value =
            serde_json::from_str(stdout.trim()).expect("onnx_check.py's JSON line");
        assert_eq!(report["rows"], rows.len() - 1, "{report}");
        assert_eq!(
            report["bytes"],
            fs::metadata(sandbox.path().join("model.onnx"))
                .expect("model.onnx")
                .len()
        );
        // For the closing note: the largest difference, and the file's size.
        println!(
            "{name:>13} {:<60} {} rows, {}, largest |onnxruntime - predict| {:.3e}, {} bytes",
            sets.join(" "),
            report["rows"],
            report["precision"].as_str().unwrap_or_default(),
            report["largest_difference"].as_f64().unwrap_or(f64::NAN),
            report["bytes"]
        );
    }
    println!(
        "{} models trained, exported and checked in onnxruntime in {:.1} s",
        variants.len(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn export_writes_experiment_dash_run_id_dot_onnx_in_the_current_directory() {
    let sandbox = Sandbox::new();
    let dir = trained(&sandbox, "iris", &[]);
    let id = Path::new(&dir)
        .file_name()
        .expect("a run id")
        .to_string_lossy()
        .into_owned();
    let output = sandbox.run(&["export", &dir]).expect_code(0);
    let file = sandbox.path().join(format!("iris-{id}.onnx"));
    let size = fs::metadata(&file).expect("the default file").len();
    assert!(
        output.stderr.starts_with(&format!(
            "wrote iris-{id}.onnx ({size} bytes): ONNX opset 17, float64; input `input` [N, 4] \
             of raw values in model.json's input order, output `probabilities` [N, 3]"
        )),
        "{}",
        output.stderr
    );
    // Written again, it is the same bytes: nothing in it depends on when.
    let first = fs::read(&file).expect("the file");
    sandbox.run(&["export", &dir]).expect_code(0);
    assert_eq!(fs::read(&file).expect("the file"), first);
}

/// Every `.onnx` file under `dir`.
fn onnx_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(onnx_files(&path));
        } else if path.extension().is_some_and(|e| e == "onnx") {
            found.push(path);
        }
    }
    found
}

#[test]
fn bad_run_directories_and_outputs_are_refused_with_exit_2_and_nothing_written() {
    let sandbox = Sandbox::new();
    let dir = trained(&sandbox, "iris", &[]);
    let corrupt = "results/iris/corrupt";
    crate::common::copy_dir(&sandbox.path().join(&dir), &sandbox.path().join(corrupt));
    let model = sandbox.read(&format!("{corrupt}/model.json"));
    sandbox.write(&format!("{corrupt}/model.json"), &model[..model.len() / 2]);
    let inconsistent = "results/iris/inconsistent";
    crate::common::copy_dir(
        &sandbox.path().join(&dir),
        &sandbox.path().join(inconsistent),
    );
    sandbox.write(
        &format!("{inconsistent}/model.json"),
        model.replacen("\"setosa\",", "", 1),
    );
    // A target normalization only a regression has: on a classification
    // model predict ignores it and export would scale the probabilities;
    // a scale of 0 makes every prediction the same.
    let scaled = "results/iris/scaled";
    crate::common::copy_dir(&sandbox.path().join(&dir), &sandbox.path().join(scaled));
    sandbox.write(
        &format!("{scaled}/model.json"),
        model.replacen(
            "\"target\": null",
            "\"target\": { \"shift\": 1.0, \"scale\": 10.0 }",
            1,
        ),
    );
    let sine = trained(&sandbox, "sine", &["training.epochs=2"]);
    let flat = "results/sine/flat";
    crate::common::copy_dir(&sandbox.path().join(&sine), &sandbox.path().join(flat));
    let mut flat_model: serde_json::Value =
        serde_json::from_str(&sandbox.read(&format!("{flat}/model.json"))).expect("model.json");
    flat_model["normalization"]["target"]["scale"] = 0.0.into();
    sandbox.write(&format!("{flat}/model.json"), flat_model.to_string());
    let inside = format!("{dir}/model.onnx");
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["nowhere"],
            "nowhere/model.json: not found: there is no such run directory".into(),
        ),
        (
            vec!["data"],
            "data/model.json: not found; is this a run directory".into(),
        ),
        (
            vec![corrupt],
            format!("{corrupt}/model.json: not valid JSON at line"),
        ),
        (
            vec![inconsistent],
            format!(
                "{inconsistent}/model.json: a Multiclass model with 2 classes cannot have 3 outputs"
            ),
        ),
        (
            vec![scaled],
            format!(
                "{scaled}/model.json: normalization.target is set, but only a regression \
                 model has one (this one is multiclass)"
            ),
        ),
        (
            vec![flat],
            format!(
                "{flat}/model.json: normalization.target.scale is 0; a scale must be a non-zero number"
            ),
        ),
        (
            vec![&dir, "--out", &inside],
            format!("--out {inside}: is inside the run directory"),
        ),
        (
            vec![&dir, "--out", "missing/model.onnx"],
            "--out missing/model.onnx: the folder missing does not exist".into(),
        ),
        (
            vec![&dir, "--out", "data"],
            "--out data: names a folder".into(),
        ),
        (
            vec![&dir, "--out", "data/iris.csv/model.onnx"],
            "--out data/iris.csv/model.onnx: the folder data/iris.csv does not exist".into(),
        ),
        (
            vec![&dir, "--out", "data/iris.csv"],
            "--out data/iris.csv: is the data the run trained on".into(),
        ),
        #[cfg(unix)]
        (
            vec![&dir, "--out", "/dev/full"],
            "--out /dev/full: is a device".into(),
        ),
        #[cfg(target_os = "linux")]
        (
            vec![&dir, "--out", "/proc/model.onnx"],
            "--out /proc/model.onnx: cannot write there".into(),
        ),
    ];
    for (args, message) in &cases {
        let mut all = vec!["export"];
        all.extend(args);
        let output = sandbox.run(&all).expect_code(2);
        assert!(
            output.stderr.starts_with(&format!("error: {message}")),
            "{args:?}: {}",
            output.stderr
        );
    }
    // The default file, from inside the run directory, would land in it.
    let output = Command::new(env!("CARGO_BIN_EXE_synapse"))
        .args(["export", "."])
        .current_dir(sandbox.path().join(&dir))
        .output()
        .expect("synapse");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the default --out iris-")
            && stderr.contains("is inside the run directory"),
        "{stderr}"
    );
    assert_eq!(onnx_files(sandbox.path()), Vec::<PathBuf>::new());
}
