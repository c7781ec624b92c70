//! The sweep file exactly as written: a serde mirror of the TOML.
//!
//! As the experiment file's `config::RawConfig`, it only says what shape each
//! key has: an unknown key or a value of the wrong type is refused by serde,
//! and `resolve` turns serde's complaint into a message located at the key's
//! line and column. What the values must be (a non-empty grid, low < high,
//! each key swept once) is checked by `resolve`, where it can say why.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use toml::{Table, Value};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    /// The base experiment, relative to the sweep file.
    pub experiment: Option<String>,
    /// The seed of the random samples.
    pub seed: Option<u64>,
    /// Each dotted key of the experiment and the values to try, keys in
    /// sorted order (the order of runs depends on it).
    pub grid: Option<BTreeMap<String, Vec<Value>>>,
    pub random: Option<RawRandom>,
}

impl RawSweep {
    /// Puts back the swept values exactly as `written` holds them. toml
    /// hands a date-time deserialized into a `Value` over as its text (a
    /// string), and a swept value reaches `--set`, the run's id and the
    /// summary's cells as written: `1979-05-27T07:32:00Z`, not a string.
    pub fn keep_written_values(&mut self, written: &Table) {
        let section = |name: &str| written.get(name).and_then(Value::as_table);
        if let (Some(grid), Some(written)) = (self.grid.as_mut(), section("grid")) {
            for (key, values) in grid.iter_mut() {
                if let Some(Value::Array(as_written)) = written.get(key) {
                    values.clone_from(as_written);
                }
            }
        }
        if let (Some(random), Some(written)) = (self.random.as_mut(), section("random")) {
            for (key, distribution) in random.keys.iter_mut() {
                let as_written = written
                    .get(key)
                    .and_then(|d| d.get("choice"))
                    .and_then(Value::as_array);
                if let (RawDistribution::Choice(values), Some(as_written)) =
                    (distribution, as_written)
                {
                    values.clone_from(as_written);
                }
            }
        }
    }
}

/// `[random]`: how many samples, and a distribution per dotted key. One
/// table holds both, so it is read by hand: `samples` is the one key that
/// is not a distribution.
#[derive(Debug, Clone, Default)]
pub struct RawRandom {
    pub samples: Option<u64>,
    pub keys: BTreeMap<String, RawDistribution>,
}

/// A distribution, written as a table of one key: `{ uniform = [0, 1] }`.
/// Bounds are lists here, so that `resolve` can say "takes [low, high]"
/// of a list of the wrong length.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawDistribution {
    Uniform(Vec<f64>),
    LogUniform(Vec<f64>),
    IntUniform(Vec<i64>),
    Choice(Vec<Value>),
}

impl<'de> Deserialize<'de> for RawRandom {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RandomVisitor)
    }
}

struct RandomVisitor;

impl<'de> Visitor<'de> for RandomVisitor {
    type Value = RawRandom;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRandom, A::Error> {
        let mut random = RawRandom::default();
        while let Some(key) = map.next_key::<String>()? {
            if key == "samples" {
                random.samples = Some(map.next_value()?);
            } else {
                let distribution = map.next_value()?;
                random.keys.insert(key, distribution);
            }
        }
        Ok(random)
    }
}
