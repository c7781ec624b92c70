//! The sweep file: a base experiment and the values to try, expanded into an
//! ordered list of runs.
//!
//! ```toml
//! experiment = "heart.toml"             # relative to this file
//! seed = 0                              # random-search samples (default 0)
//! [grid]
//! "training.learning_rate" = [0.01, 0.1, 1.0]
//! "experiment.seed" = [1, 2, 3]         # seeds repeat a point
//! [random]
//! samples = 20
//! "training.learning_rate" = { log_uniform = [1e-4, 1.0] }
//! ```
//!
//! The order of runs is part of the contract (`--list`, `--shard`): grid keys
//! in sorted order, the first varying slowest, values in the order written;
//! with a random section, every grid point is combined with every sample.

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::raw::RawSweep;
use super::resolve;
use crate::config::{ConfigError, Location, Source};
use crate::rng::{self, Random, Stream};

/// More runs than this is surely a mistake (and would take days).
pub const MAX_RUNS: usize = 100_000;

/// A sweep file, checked.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub file: PathBuf,
    /// The base experiment, resolved against the sweep file's folder.
    pub experiment: PathBuf,
    pub seed: u64,
    pub grid: Vec<(String, Vec<Value>)>,
    pub samples: usize,
    pub random: Vec<(String, Distribution)>,
    /// A canonical text of the sweep's content, for its id.
    pub canonical: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    Uniform(f64, f64),
    LogUniform(f64, f64),
    /// Whole numbers from low to high, both included.
    IntUniform(i64, i64),
    Choice(Vec<Value>),
}

/// One run of the sweep: the assignments that turn the base experiment into it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSpec {
    /// 1-based position in the sweep's order.
    pub position: usize,
    pub values: Vec<(String, Value)>,
}

impl RunSpec {
    /// The `--set` arguments of this run.
    pub fn assignments(&self) -> Vec<String> {
        self.values
            .iter()
            .map(|(key, value)| format!("{key}={}", value_text(value)))
            .collect()
    }
}

/// A value as TOML text, as `--set` takes it: on one line.
pub fn value_text(value: &Value) -> String {
    match value {
        // Display of a float may drop the fraction (`1`), which would read
        // back as an integer; keep it a float.
        Value::Float(f) if f.fract() == 0.0 && f.is_finite() && f.abs() < 1e15 => format!("{f:.1}"),
        // TOML spells these nan, inf and -inf; Rust's NaN would read back
        // through `--set` as the word "NaN".
        Value::Float(f) if f.is_nan() => "nan".to_string(),
        Value::Float(f) if f.is_infinite() => if *f > 0.0 { "inf" } else { "-inf" }.to_string(),
        Value::Float(f) => format!("{f:?}"),
        // Display writes a string with a line break as a multi-line string,
        // which `--set` refuses and a listed command would spread over lines.
        Value::String(text) => one_line_string(text),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(value_text).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// The values of one swept key as a person reads them in a label, in the
/// order given: numbers by `text::labels` (as few digits as tell them apart,
/// at least three: a grid's `1.0` reads `1`, a drawn `0.0012282423551856284`
/// reads `0.00123`), whole numbers in full, strings without their quotes
/// (`sgd`), anything else as `--set` takes it.
pub fn labels(values: &[&Value]) -> Vec<String> {
    let floats: Vec<f64> = values.iter().filter_map(|v| v.as_float()).collect();
    let mut floats = crate::text::labels(&floats).into_iter();
    values
        .iter()
        .map(|value| match value {
            Value::Float(_) => floats.next().unwrap_or_default(),
            Value::Integer(i) => i.to_string(),
            Value::String(text) => crate::text::printable(text),
            other => value_text(other),
        })
        .collect()
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn one_line_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads and checks a sweep file: parsed for positions, its size told from
/// the lengths alone, then the serde mirror (`raw`) and its checks
/// (`resolve`), every error located in the file.
pub fn load(file: &Path) -> Result<Sweep, ConfigError> {
    let text = crate::regular_file::read_to_string(file).map_err(|e| ConfigError {
        location: Location::File(file.to_path_buf()),
        key: None,
        message: format!("cannot read the sweep file: {e}"),
        note: None,
    })?;
    let source = Source::parse(file, text)?;
    // The positions parse accepts numbers that do not fit; this one does not.
    let table: Table = toml::from_str(source.text()).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = crate::config::toml_value_message(e.message());
        source.error_at_span(span.clone(), source.key_at(span.start), message)
    })?;
    // The sweep's id is taken over this text: it must not change.
    let canonical = table.to_string();
    // The size first, from the lengths alone: a sweep too large to run is
    // told before any work per value.
    resolve::check_size(table.get("grid"), table.get("random"), &source)?;
    let mut raw: RawSweep = serde_path_to_error::deserialize(Value::Table(table.clone()))
        .map_err(|error| resolve::serde_error(&source, &error))?;
    raw.keep_written_values(&table);
    resolve::resolve(raw, file, &source, canonical)
}

impl Sweep {
    /// Every run, in the sweep's order.
    pub fn runs(&self) -> Vec<RunSpec> {
        let mut random = rng::stream(self.seed, Stream::SweepSample);
        // Samples are drawn first, independent of the grid and of scheduling.
        let samples: Vec<Vec<(String, Value)>> = (0..self.samples)
            .map(|_| {
                self.random
                    .iter()
                    .map(|(key, d)| (key.clone(), draw(d, &mut random)))
                    .collect()
            })
            .collect();
        let mut points: Vec<Vec<(String, Value)>> = vec![Vec::new()];
        for (key, values) in &self.grid {
            points = points
                .into_iter()
                .flat_map(|point| {
                    values.iter().map(move |value| {
                        let mut next = point.clone();
                        next.push((key.clone(), value.clone()));
                        next
                    })
                })
                .collect();
        }
        let mut runs = Vec::new();
        for point in points {
            if samples.is_empty() {
                runs.push(point);
            } else {
                for sample in &samples {
                    let mut values = point.clone();
                    values.extend(sample.iter().cloned());
                    runs.push(values);
                }
            }
        }
        runs.into_iter()
            .enumerate()
            .map(|(i, values)| RunSpec {
                position: i + 1,
                values,
            })
            .collect()
    }

    /// The swept keys, in column order.
    pub fn keys(&self) -> Vec<String> {
        self.grid
            .iter()
            .map(|(k, _)| k.clone())
            .chain(self.random.iter().map(|(k, _)| k.clone()))
            .collect()
    }
}

fn draw(distribution: &Distribution, random: &mut Random) -> Value {
    match distribution {
        Distribution::Uniform(low, high) => Value::Float(random.uniform_in(*low, *high)),
        Distribution::LogUniform(low, high) => {
            let (low, high) = (crate::math::ln(*low), crate::math::ln(*high));
            Value::Float(crate::math::exp(random.uniform_in(low, high)))
        }
        Distribution::IntUniform(low, high) => {
            let span = *high as i128 - *low as i128 + 1;
            match usize::try_from(span) {
                Ok(span) => Value::Integer(low + random.below(span) as i64),
                // Every i64: 2⁶⁴ values, one more than a usize can count.
                Err(_) => Value::Integer(low.wrapping_add(random.bits() as i64)),
            }
        }
        Distribution::Choice(values) => values[random.below(values.len())].clone(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// Each value a sweep can hold reads back through `--set` as itself,
    /// from one line.
    #[test]
    fn values_are_written_as_one_line_that_set_reads_back() {
        let strings = [
            "plain",
            "two\nlines",
            "a \"quote\" and a \\ backslash",
            "tab\tand\rreturn",
            "bell\u{7}",
            "ünïcode ✓",
            "",
        ];
        let values: Vec<Value> = strings
            .iter()
            .map(|s| Value::String(s.to_string()))
            .chain([
                Value::Array(
                    strings
                        .iter()
                        .map(|s| Value::String(s.to_string()))
                        .collect(),
                ),
                Value::Float(1.0),
                Value::Float(1e-3),
                Value::Float(f64::INFINITY),
                Value::Float(f64::NEG_INFINITY),
                Value::Integer(-4),
                Value::Boolean(true),
            ])
            .collect();
        for value in values {
            let text = value_text(&value);
            assert!(!text.contains(['\n', '\r']), "{text}");
            let parsed = crate::config::overrides::parse(&format!("a.b={text}"))
                .unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(parsed.value, value, "{text}");
        }
        let nan = crate::config::overrides::parse(&format!(
            "a.b={}",
            value_text(&Value::Float(f64::NAN))
        ))
        .expect("nan");
        assert!(matches!(nan.value, Value::Float(f) if f.is_nan()));
    }

    /// The widest ranges a sweep file can write draw inside them: every
    /// i64 (whose count, 2⁶⁴, no usize holds) and floats whose span
    /// overflows to infinity.
    #[test]
    fn the_widest_ranges_draw_inside_them() {
        let mut random = rng::stream(7, Stream::SweepSample);
        let mut signs = [false; 2];
        for _ in 0..200 {
            match draw(&Distribution::IntUniform(i64::MIN, i64::MAX), &mut random) {
                Value::Integer(v) => signs[usize::from(v >= 0)] = true,
                other => panic!("not an integer: {other:?}"),
            }
            match draw(&Distribution::Uniform(-1.7e308, 1.7e308), &mut random) {
                Value::Float(v) => assert!(v.is_finite() && v.abs() <= 1.7e308, "{v}"),
                other => panic!("not a float: {other:?}"),
            }
        }
        assert_eq!(signs, [true, true], "both halves of the range are drawn");
    }

    fn sweep(text: &str) -> Result<Sweep, ConfigError> {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(text.as_bytes()).expect("write");
        load(file.path())
    }

    #[test]
    fn a_grid_expands_in_sorted_key_order_first_key_slowest() {
        let s =
            sweep("experiment = \"e.toml\"\n[grid]\n\"b.x\" = [1, 2]\n\"a.y\" = [10, 20, 30]\n")
                .expect("valid");
        let runs = s.runs();
        assert_eq!(runs.len(), 6);
        assert_eq!(runs[0].assignments(), ["a.y=10", "b.x=1"]);
        assert_eq!(runs[1].assignments(), ["a.y=10", "b.x=2"]);
        assert_eq!(runs[5].assignments(), ["a.y=30", "b.x=2"]);
        assert_eq!(
            runs.iter().map(|r| r.position).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6]
        );
    }

    #[test]
    fn random_samples_depend_on_the_sweep_seed_only() {
        let text = "experiment = \"e.toml\"\nseed = 4\n[random]\nsamples = 5\n\"training.learning_rate\" = { log_uniform = [1e-4, 1.0] }\n\"model.layers.0.units\" = { int_uniform = [4, 64] }\n";
        let a = sweep(text).expect("valid").runs();
        let b = sweep(text).expect("valid").runs();
        assert_eq!(a, b);
        assert_eq!(a.len(), 5);
        for run in &a {
            let lr = run
                .values
                .iter()
                .find(|(k, _)| k == "training.learning_rate")
                .and_then(|(_, v)| v.as_float())
                .expect("lr");
            assert!((1e-4..1.0).contains(&lr), "{lr}");
            let units = run
                .values
                .iter()
                .find(|(k, _)| k == "model.layers.0.units")
                .and_then(|(_, v)| v.as_integer())
                .expect("units");
            assert!((4..=64).contains(&units), "{units}");
        }
        let other = sweep(&text.replace("seed = 4", "seed = 5"))
            .expect("valid")
            .runs();
        assert_ne!(a, other);
    }

    #[test]
    fn a_number_too_large_is_located() {
        for (value, says) in [
            ("[1e400]", "too large for a 64-bit float"),
            ("[18446744073709551615]", "must fit in 64 bits"),
        ] {
            let e = sweep(&format!(
                "experiment = \"e.toml\"\n[grid]\n\"training.learning_rate\" = {value}\n"
            ))
            .expect_err(value);
            let message = e.to_string();
            assert!(message.contains(":3:"), "{message}");
            assert!(message.contains(says), "{message}");
        }
    }

    #[test]
    fn a_grid_value_given_twice_is_refused_naming_the_key() {
        let e = sweep(
            "experiment = \"e.toml\"\n[grid]\n\"training.learning_rate\" = [0.1, 0.2, 0.1]\n",
        )
        .expect_err("repeated");
        let message = e.to_string();
        assert!(message.contains(":3:"), "{message}");
        assert!(message.contains("lists 0.1 twice"), "{message}");
    }

    #[test]
    fn grid_and_random_combine() {
        let s = sweep("experiment = \"e.toml\"\n[grid]\n\"experiment.seed\" = [1, 2]\n[random]\nsamples = 3\n\"training.l2\" = { uniform = [0, 0.1] }\n").expect("valid");
        assert_eq!(s.runs().len(), 6);
    }

    #[test]
    fn floats_stay_floats_in_assignments() {
        assert_eq!(value_text(&Value::Float(1.0)), "1.0");
        assert_eq!(value_text(&Value::Float(0.1)), "0.1");
        assert_eq!(value_text(&Value::String("adam".into())), "\"adam\"");
    }

    #[test]
    fn labels_show_numbers_short_and_strings_bare() {
        let values = [
            Value::Float(1.0),
            Value::Float(0.0012282423551856284),
            Value::Float(0.0012),
            Value::Integer(120_000),
            Value::String("sgd".into()),
            Value::Boolean(true),
            Value::Array(vec![Value::Integer(8), Value::Integer(4)]),
        ];
        let values: Vec<&Value> = values.iter().collect();
        assert_eq!(
            labels(&values),
            ["1", "0.00123", "0.0012", "120000", "sgd", "true", "[8, 4]"]
        );
        let grid = [Value::Float(0.01), Value::Float(0.1), Value::Float(1.0)];
        assert_eq!(
            labels(&grid.iter().collect::<Vec<_>>()),
            ["0.01", "0.1", "1"]
        );
    }

    #[test]
    fn bad_sweeps_are_located() {
        let e = sweep("experiment = \"e.toml\"\n[grid]\n\"training.learning_rate\" = []\n")
            .expect_err("empty");
        assert!(e.to_string().contains(":3:"), "{e}");
        let e = sweep("[grid]\n\"a.b\" = [1]\n").expect_err("no experiment");
        assert!(e.to_string().contains("experiment"), "{e}");
        let e = sweep(
            "experiment = \"e.toml\"\n[random]\nsamples = 3\n\"a.b\" = { normal = [0, 1] }\n",
        )
        .expect_err("unknown distribution");
        assert!(
            e.to_string().contains("unknown distribution `normal`"),
            "{e}"
        );
        let e = sweep("experiment = \"e.toml\"\nsed = 3\n[grid]\n\"a.b\" = [1]\n")
            .expect_err("unknown key");
        assert!(e.to_string().contains("unknown key `sed`"), "{e}");
    }

    #[test]
    fn a_million_runs_are_refused_before_expanding() {
        let values = (0..1000)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let text = format!(
            "experiment = \"e.toml\"\n[grid]\n\"a.b\" = [{values}]\n\"c.d\" = [{values}]\n"
        );
        let e = sweep(&text).expect_err("too many");
        assert!(e.to_string().contains("1000000 runs"), "{e}");
    }

    mod properties {
        use std::collections::{BTreeMap, BTreeSet};

        use proptest::prelude::*;

        use super::*;

        /// 1 to 4 distinct dotted keys, each with 1 to 5 distinct values.
        fn grid() -> impl Strategy<Value = BTreeMap<String, Vec<i64>>> {
            prop::collection::btree_map(
                "[a-z]{1,6}\\.[a-z_]{1,8}",
                prop::collection::btree_set(any::<i64>(), 1..=5)
                    .prop_map(|values| values.into_iter().collect::<Vec<_>>())
                    .prop_shuffle(),
                1..=4,
            )
        }

        /// The sweep file of a grid and `samples` random draws (none for 0).
        fn sweep_text(grid: &BTreeMap<String, Vec<i64>>, samples: usize, seed: u64) -> String {
            let mut text = format!("experiment = \"e.toml\"\nseed = {seed}\n[grid]\n");
            for (key, values) in grid {
                let values: Vec<String> = values.iter().map(i64::to_string).collect();
                text.push_str(&format!("\"{key}\" = [{}]\n", values.join(", ")));
            }
            if samples > 0 {
                text.push_str(&format!(
                    "[random]\nsamples = {samples}\n\"random.rate\" = {{ log_uniform = [1e-4, 1.0] }}\n\"random.units\" = {{ int_uniform = [1, 1000000] }}\n"
                ));
            }
            text
        }

        /// Every combination of the grid's values, first key slowest, values
        /// in the order written: the order `--list` and `--shard` rely on.
        fn product(grid: &BTreeMap<String, Vec<i64>>) -> Vec<Vec<(String, Value)>> {
            grid.iter().fold(vec![Vec::new()], |points, (key, values)| {
                points
                    .into_iter()
                    .flat_map(|point| {
                        values.iter().map(move |&value| {
                            let mut next = point.clone();
                            next.push((key.clone(), Value::Integer(value)));
                            next
                        })
                    })
                    .collect()
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(128))]

            #[test]
            fn runs_are_every_grid_point_once_per_sample_in_order(
                grid in grid(),
                samples in 0..=5usize,
                seed in any::<u32>(),
            ) {
                let text = sweep_text(&grid, samples, u64::from(seed));
                let runs = sweep(&text).expect("a valid sweep").runs();
                let points = product(&grid);
                let per_point = samples.max(1);
                prop_assert_eq!(runs.len(), points.len() * per_point);
                prop_assert_eq!(
                    runs.iter().map(|r| r.position).collect::<Vec<_>>(),
                    (1..=runs.len()).collect::<Vec<_>>()
                );
                // Each run is a grid point, then its sample's draws.
                let (grid_parts, draws): (Vec<_>, Vec<_>) = runs
                    .iter()
                    .map(|run| {
                        let (point, draw) = run.values.split_at(grid.len());
                        (point.to_vec(), draw.to_vec())
                    })
                    .unzip();
                let expected: Vec<_> = points
                    .iter()
                    .flat_map(|point| std::iter::repeat_n(point.clone(), per_point))
                    .collect();
                prop_assert_eq!(&grid_parts, &expected);
                // Every sample meets every grid point exactly once.
                let mut by_sample: BTreeMap<String, Vec<&Vec<(String, Value)>>> = BTreeMap::new();
                for (point, draw) in grid_parts.iter().zip(&draws) {
                    prop_assert_eq!(draw.len(), if samples == 0 { 0 } else { 2 });
                    by_sample.entry(format!("{draw:?}")).or_default().push(point);
                }
                prop_assert_eq!(by_sample.len(), per_point);
                for points_of_sample in by_sample.values() {
                    prop_assert_eq!(points_of_sample.len(), points.len());
                    let distinct: BTreeSet<String> =
                        points_of_sample.iter().map(|p| format!("{p:?}")).collect();
                    prop_assert_eq!(distinct.len(), points.len());
                }
                // The same file expands the same way, every time.
                prop_assert_eq!(sweep(&text).expect("a valid sweep").runs(), runs);
            }

        }
    }
}
