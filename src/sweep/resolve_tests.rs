//! The sweep file's checks, through `spec::load`: what each refusal says
//! and where. The golden table (tests/cases/sweep) runs them end to end.

use std::io::Write;

use super::*;
use crate::sweep::spec::{Sweep, load};

fn sweep(text: &str) -> Result<Sweep, ConfigError> {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(text.as_bytes()).expect("write");
    load(file.path())
}

/// Line and column of an error, and its whole text.
fn refused(text: &str) -> (usize, usize, String) {
    let error = sweep(text).expect_err(text);
    match &error.location {
        Location::Line { line, column, .. } => (*line, *column, error.to_string()),
        other => panic!("not located at a line: {other:?} ({error})"),
    }
}

const HEAD: &str = "experiment = \"e.toml\"\n";

#[test]
fn an_unknown_key_is_told_at_the_key_with_did_you_mean() {
    let (line, column, text) = refused(&format!("{HEAD}sede = 1\n[grid]\n\"a.b\" = [1]\n"));
    assert_eq!((line, column), (2, 1), "{text}");
    assert!(text.contains("did you mean `seed`?"), "{text}");
}

#[test]
fn an_unknown_distribution_is_told_at_its_name() {
    let (line, column, text) = refused(&format!(
        "{HEAD}[random]\nsamples = 2\n\"a.b\" = {{ choise = [1, 2] }}\n"
    ));
    assert_eq!((line, column), (4, 11), "{text}");
    assert!(
        text.contains("unknown distribution `choise`; did you mean `choice`?"),
        "{text}"
    );
}

#[test]
fn samples_misspelt_is_named_and_samples_mistyped_is_not_taken_for_it() {
    let (_, column, text) = refused(&format!(
        "{HEAD}[random]\nsampels = 2\n\"a.b\" = {{ choice = [1, 2] }}\n"
    ));
    assert_eq!(column, 1, "{text}");
    assert!(text.contains("did you mean `samples`?"), "{text}");
    let (_, column, text) = refused(&format!(
        "{HEAD}[random]\nsamples = 2.5\n\"a.b\" = {{ choice = [1, 2] }}\n"
    ));
    assert_eq!(column, 11, "{text}");
    assert!(
        text.contains("from 1 to 100000; got floating point `2.5`"),
        "{text}"
    );
}

#[test]
fn a_wrong_type_says_what_is_allowed_and_what_was_found() {
    for (body, at, says) in [
        (
            "seed = true\n[grid]\n\"a.b\" = [1]\n",
            (2, 8),
            "0 or more; got boolean `true`",
        ),
        (
            "[grid]\n\"a.b\" = \"x\"\n",
            (3, 9),
            "values to try; got string \"x\"",
        ),
        ("random = 1\n", (2, 10), "{ distribution }; got integer `1`"),
        (
            "[random]\nsamples = 2\n\"a.b\" = { uniform = [0, true] }\n",
            (4, 25),
            "two numbers; got boolean `true`",
        ),
    ] {
        let (line, column, text) = refused(&format!("{HEAD}{body}"));
        assert_eq!((line, column), at, "{text}");
        assert!(text.contains(says), "{text}");
    }
}

#[test]
fn a_distribution_must_be_a_table_of_one_key() {
    for value in [
        "{}",
        "\"uniform\"",
        "{ uniform = [0, 1], choice = [1] }",
        "[1]",
    ] {
        let (line, column, text) =
            refused(&format!("{HEAD}[random]\nsamples = 2\n\"a.b\" = {value}\n"));
        assert_eq!((line, column), (4, 9), "{value}: {text}");
        assert!(
            text.contains("`random.a.b`: must be one of { uniform"),
            "{text}"
        );
    }
}

#[test]
fn the_grid_and_random_keys_read_in_sorted_order_without_samples() {
    let sweep = sweep(&format!(
        "{HEAD}seed = 3\n[grid]\n\"z.a\" = [1]\n\"b.c\" = [2]\n[random]\nsamples = 4\n\"y.y\" = {{ int_uniform = [1, 9] }}\n\"c.c\" = {{ choice = [\"x\"] }}\n"
    ))
    .expect("valid");
    assert_eq!(sweep.keys(), ["b.c", "z.a", "c.c", "y.y"]);
    assert_eq!((sweep.seed, sweep.samples), (3, 4));
    assert_eq!(
        sweep.random[0].1,
        Distribution::Choice(vec![Value::from("x")])
    );
    assert_eq!(sweep.random[1].1, Distribution::IntUniform(1, 9));
}

#[test]
fn found_reads_what_serde_found() {
    assert_eq!(
        found("invalid type: string \"x\", expected u64").as_deref(),
        Some("string \"x\"")
    );
    assert_eq!(
        found("invalid type: map, expected a sequence").as_deref(),
        Some("a table")
    );
    assert_eq!(found("invalid length 3, expected 2"), None);
}

/// toml reads a date-time back as a string when it deserializes a `Value`;
/// a swept one must reach `--set` as written, as it did before serde.
#[test]
fn a_date_time_is_swept_as_written() {
    let sweep = sweep(&format!(
        "{HEAD}[grid]\n\"experiment.description\" = [1979-05-27T07:32:00Z, \"x\"]\n[random]\nsamples = 1\n\"experiment.name\" = {{ choice = [1979-05-27] }}\n"
    ))
    .expect("valid");
    assert!(sweep.grid[0].1[0].is_datetime(), "{:?}", sweep.grid[0].1);
    assert_eq!(sweep.grid[0].1[1], Value::from("x"));
    let Distribution::Choice(values) = &sweep.random[0].1 else {
        panic!("not a choice: {:?}", sweep.random[0].1)
    };
    assert!(values[0].is_datetime(), "{values:?}");
    assert_eq!(
        sweep.runs()[0].assignments(),
        [
            "experiment.description=1979-05-27T07:32:00Z",
            "experiment.name=1979-05-27"
        ]
    );
}
