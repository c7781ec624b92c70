use std::io::Write;

use super::*;

const HEART: &str = r#"
[experiment]
name = "heart"
seed = 42

[data]
generator = "heart"
rows = 1000

[model]
layers = [
  { units = 8, activation = "sigmoid" },
  { units = 1, activation = "sigmoid" },
]

[training]
epochs = 100
learning_rate = 0.1
"#;

fn load_text(text: &str, sets: &[&str]) -> Result<Loaded, ConfigError> {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(text.as_bytes()).expect("write");
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load(file.path(), &sets)
}

#[test]
fn defaults_are_filled_in() {
    let config = load_text(HEART, &[]).expect("valid").config;
    assert_eq!(config.training.batch_size, 1);
    assert_eq!(config.training.loss, Loss::Mse);
    assert_eq!(config.training.optimizer, Optimizer::Sgd);
    assert_eq!(config.data.normalize, Normalize::Standard);
    assert_eq!(
        config.data.split,
        Split {
            validation: 0.2,
            test: 0.1
        }
    );
    assert_eq!(config.model.init, Init::Xavier);
}

#[test]
fn the_resolved_toml_loads_back_to_the_same_config() {
    let config = load_text(
        HEART,
        &["training.optimizer=adam", "training.schedule.kind=cosine"],
    )
    .expect("valid")
    .config;
    let again = load_text(&to_toml(&config), &[])
        .expect("resolved TOML is valid")
        .config;
    // The CSV path's base folder differs between the two files; generators have none.
    assert_eq!(config, again);
}

#[test]
fn set_overrides_the_file() {
    let config = load_text(
        HEART,
        &["training.learning_rate=0.05", "model.layers.0.units=16"],
    )
    .expect("valid")
    .config;
    assert_eq!(config.training.learning_rate, 0.05);
    assert_eq!(config.model.layers[0].units, 16);
}

#[test]
fn an_unknown_key_suggests_the_closest() {
    let text = HEART.replace("learning_rate = 0.1", "learnin_rate = 0.1");
    let error = load_text(&text, &[]).expect_err("unknown key").to_string();
    assert!(error.contains("unknown key `learnin_rate`"), "{error}");
    assert!(error.contains("did you mean `learning_rate`?"), "{error}");
    assert!(error.contains(":18:1:"), "{error}");
}

#[test]
fn an_unknown_activation_lists_the_allowed_ones() {
    let text = HEART.replace(
        "activation = \"sigmoid\" },\n  { units = 1",
        "activation = \"sigmoidd\" },\n  { units = 1",
    );
    let error = load_text(&text, &[])
        .expect_err("unknown activation")
        .to_string();
    assert!(error.contains("did you mean `sigmoid`?"), "{error}");
    assert!(error.contains("model.layers.0.activation"), "{error}");
    assert!(error.contains("leaky_relu"), "{error}");
}

#[test]
fn a_wrong_type_names_the_key_and_line() {
    let text = HEART.replace("epochs = 100", "epochs = \"many\"");
    let error = load_text(&text, &[]).expect_err("wrong type").to_string();
    assert!(
        error.contains(":17:10: `training.epochs`: wrong type"),
        "{error}"
    );
}

#[test]
fn a_bad_override_is_blamed_on_the_override() {
    let error = load_text(HEART, &["training.learning_rate=-1"])
        .expect_err("negative")
        .to_string();
    assert!(
        error.starts_with("--set training.learning_rate=-1: "),
        "{error}"
    );
}

#[test]
fn plots_keys_stay_out_of_the_toml_unless_set() {
    let plain = load_text(HEART, &[]).expect("valid").config;
    assert_eq!(plain.plots, Plots::default());
    assert!(!to_toml(&plain).contains("plots"), "{}", to_toml(&plain));

    let text = format!(
        "{HEART}\n[plots]\nslice = [\"weight_kg\", \"age_years\"]\nsnapshots = [20, 0, 5]\n"
    );
    let config = load_text(&text, &[]).expect("valid").config;
    assert_eq!(
        config.plots.slice,
        Some(["weight_kg".to_string(), "age_years".to_string()])
    );
    // Sorted: the panels go in the order of training.
    assert_eq!(config.plots.snapshots, Some(vec![0, 5, 20]));
    let toml = to_toml(&config);
    assert!(
        toml.ends_with("[plots]\nslice = [\"weight_kg\", \"age_years\"]\nsnapshots = [0, 5, 20]\n"),
        "{toml}"
    );
    let again = load_text(&toml, &[]).expect("valid").config;
    assert_eq!(again.plots, config.plots);
    // One key alone is written alone.
    let only = load_text(HEART, &["plots.snapshots=[3]"])
        .expect("valid")
        .config;
    assert!(to_toml(&only).ends_with("[plots]\nsnapshots = [3]\n"));
}

#[test]
fn plots_keys_are_checked() {
    for (set, said) in [
        (
            "plots.slice=[\"a\"]",
            "`plots.slice`: has 1 name; it takes exactly two input names",
        ),
        ("plots.slice=[\"a\", \"b\", \"c\"]", "has 3 names"),
        ("plots.slice=[\"a\", \"a\"]", "names `a` twice"),
        (
            "plots.snapshots=[101]",
            "has epoch 101, but training.epochs is 100",
        ),
        ("plots.snapshots=[4, 4]", "lists epoch 4 twice"),
        (
            "plots.snapshots=[0, 1, 2, 3, 4, 5, 6, 7, 8]",
            "lists 9 epochs; at most 8",
        ),
        ("plots.snapshots=[-1]", "plots.snapshots"),
        ("plots.colour=1", "plots"),
    ] {
        let error = load_text(HEART, &[set]).expect_err(set).to_string();
        assert!(error.contains(said), "{set}: {error}");
    }
    // Against the data: a numeric input, with the allowed ones listed.
    let config = load_text(HEART, &["plots.slice=[\"weight\", \"age_years\"]"]).expect("valid");
    let numeric = ["height_cm", "weight_kg", "age_years"].map(String::from);
    let error = check_slice(&config.config.plots, &config.source, &numeric)
        .expect_err("weight is no input")
        .to_string();
    assert!(
        error.contains("names `weight`, which is not a numeric input (did you mean `weight_kg`?); the numeric inputs are height_cm, weight_kg, age_years"),
        "{error}"
    );
    let config = load_text(HEART, &["plots.slice=[\"weight_kg\", \"age_years\"]"]).expect("valid");
    assert!(check_slice(&config.config.plots, &config.source, &numeric).is_ok());
}

#[test]
fn diagnostics_are_off_by_default_and_in_the_resolved_toml_only_when_on() {
    let off = load_text(HEART, &[]).expect("valid").config;
    assert!(!off.training.diagnostics);
    // Left out when off, so every run id of a config without it stays.
    assert!(!to_toml(&off).contains("diagnostics"), "{}", to_toml(&off));
    let on = load_text(HEART, &["training.diagnostics=true"])
        .expect("valid")
        .config;
    assert!(on.training.diagnostics);
    let text = to_toml(&on);
    assert!(text.contains("diagnostics = true"), "{text}");
    assert_eq!(load_text(&text, &[]).expect("valid").config, on);
    // Written false in the file, it is the default: the same TOML as none.
    let written = HEART.replace(
        "learning_rate = 0.1",
        "learning_rate = 0.1\ndiagnostics = false",
    );
    assert_eq!(
        to_toml(&load_text(&written, &[]).expect("valid").config),
        to_toml(&off)
    );
}

#[test]
fn diagnostics_must_be_a_boolean() {
    let error = load_text(HEART, &["training.diagnostics=1"])
        .expect_err("not a boolean")
        .to_string();
    assert!(
        error.starts_with("--set training.diagnostics=1: "),
        "{error}"
    );
    assert!(error.contains("training.diagnostics"), "{error}");
    let text = HEART.replace(
        "learning_rate = 0.1",
        "learning_rate = 0.1\ndiagnostics = \"yes\"",
    );
    let error = load_text(&text, &[]).expect_err("a string").to_string();
    assert!(
        error.contains(":19:15: `training.diagnostics`: wrong type"),
        "{error}"
    );
}
