//! The reference workloads of the speed comparison (`../shared/bench`),
//! shared by `cargo bench` and `examples/bench_epochs.rs`, which include
//! this file as a module of their own: it is no part of the shipped
//! library. (Each includer uses only some of it, hence `dead_code`.)
//!
//! Each is an ordinary experiment. Its data is the reference CSV when
//! `BENCH_DATA` names the folder that `make_data.py` wrote, so both sides
//! train on the same rows; otherwise a CSV of the same shape is synthesized
//! (speed depends on the shapes, not on the values).

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use synapse::config::{self, Config};
use synapse::data::{self, PreparedData};
use synapse::error::Error;
use synapse::rng::{self, Stream};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Workload {
    pub name: &'static str,
    csv: &'static str,
    /// Units of every layer, inputs first.
    pub layers: &'static [usize],
    hidden: &'static str,
    output: &'static str,
    loss: &'static str,
    learning_rate: f64,
    pub batch_size: usize,
    pub epochs: usize,
    pub rows: usize,
    classes: usize,
}

pub const WORKLOADS: [Workload; 4] = [
    Workload {
        name: "heart_mse",
        csv: "heart.csv",
        layers: &[3, 8, 8, 1],
        hidden: "sigmoid",
        output: "sigmoid",
        loss: "mse",
        learning_rate: 0.1,
        batch_size: 1,
        epochs: 100,
        rows: 1000,
        classes: 2,
    },
    Workload {
        name: "heart_bce",
        csv: "heart.csv",
        layers: &[3, 8, 8, 1],
        hidden: "sigmoid",
        output: "sigmoid",
        loss: "binary_cross_entropy",
        learning_rate: 0.1,
        batch_size: 1,
        epochs: 100,
        rows: 1000,
        classes: 2,
    },
    Workload {
        name: "digits",
        csv: "digits.csv",
        layers: &[64, 128, 64, 10],
        hidden: "relu",
        output: "softmax",
        loss: "cross_entropy",
        learning_rate: 0.05,
        batch_size: 32,
        epochs: 50,
        rows: 1797,
        classes: 10,
    },
    Workload {
        name: "wide",
        csv: "wide.csv",
        layers: &[100, 256, 256, 1],
        hidden: "relu",
        output: "sigmoid",
        loss: "binary_cross_entropy",
        learning_rate: 0.1,
        batch_size: 256,
        epochs: 5,
        rows: 100_000,
        classes: 2,
    },
];

pub fn by_name(name: &str) -> Option<Workload> {
    WORKLOADS.iter().copied().find(|w| w.name == name)
}

impl Workload {
    /// Multiply-adds ×2 of one epoch's matrix products: forward, the weight
    /// gradients, and the input gradients of every layer but the first.
    pub fn flops_per_epoch(&self) -> f64 {
        let products: Vec<f64> = self
            .layers
            .windows(2)
            .map(|w| (w[0] * w[1]) as f64)
            .collect();
        let forward: f64 = products.iter().sum();
        let backward = forward + products[1..].iter().sum::<f64>();
        2.0 * (forward + backward) * self.rows as f64
    }

    /// The experiment file of this workload, for `data_path` and `precision`.
    pub fn experiment(&self, data_path: &Path, precision: &str) -> String {
        let mut layers = String::new();
        for (i, units) in self.layers[1..].iter().enumerate() {
            let activation = if i + 2 == self.layers.len() {
                self.output
            } else {
                self.hidden
            };
            let _ = write!(
                layers,
                "{{ units = {units}, activation = \"{activation}\" }}, "
            );
        }
        format!(
            "[experiment]\nname = \"{name}\"\nseed = 0\n\n\
             [data]\npath = {path:?}\ntarget = \"label\"\nnormalize = \"standard\"\n\
             split = {{ validation = 0.0, test = 0.0 }}\n\n\
             [model]\nlayers = [{layers}]\ninit = \"xavier\"\n\n\
             [training]\nepochs = {epochs}\nlearning_rate = {lr}\nbatch_size = {batch}\n\
             loss = \"{loss}\"\noptimizer = \"sgd\"\nshuffle = true\nprecision = \"{precision}\"\n",
            name = self.name.replace('_', "-"),
            path = data_path.to_string_lossy(),
            epochs = self.epochs,
            lr = self.learning_rate,
            batch = self.batch_size,
            loss = self.loss,
        )
    }

    /// The reference CSV under `BENCH_DATA`, or a synthesized one in `scratch`.
    pub fn data_file(&self, scratch: &Path) -> Result<PathBuf, Error> {
        if let Some(folder) = std::env::var_os("BENCH_DATA") {
            let path = Path::new(&folder).join(self.csv);
            if path.is_file() {
                return Ok(path);
            }
        }
        let path = scratch.join(self.csv);
        if !path.is_file() {
            std::fs::write(&path, self.synthesize()).map_err(Error::io(&path))?;
        }
        Ok(path)
    }

    /// Random rows of the workload's shape; the target column is `label`.
    fn synthesize(&self) -> String {
        let mut random = rng::stream(1, Stream::Generator);
        let inputs = self.layers[0];
        let mut text = String::with_capacity(self.rows * inputs * 8);
        for i in 0..inputs {
            let _ = write!(text, "x{i},");
        }
        text.push_str("label\n");
        for _ in 0..self.rows {
            for _ in 0..inputs {
                let _ = write!(text, "{:.4},", random.normal());
            }
            let _ = writeln!(text, "{}", random.below(self.classes));
        }
        text
    }

    /// The resolved config and prepared data of this workload.
    pub fn load(&self, scratch: &Path, precision: &str) -> Result<(Config, PreparedData), Error> {
        let csv = self.data_file(scratch)?;
        let file = scratch.join(format!("{}-{precision}.toml", self.name));
        // The reference CSVs name their target column differently.
        let mut header = String::new();
        std::fs::File::open(&csv)
            .map(std::io::BufReader::new)
            .and_then(|mut reader| std::io::BufRead::read_line(&mut reader, &mut header))
            .map_err(Error::io(&csv))?;
        let target = header
            .trim_end()
            .rsplit(',')
            .next()
            .unwrap_or("label")
            .to_string();
        let text = self
            .experiment(&csv, precision)
            .replace("target = \"label\"", &format!("target = {target:?}"));
        std::fs::write(&file, text).map_err(Error::io(&file))?;
        let loaded = config::load(&file, &[])?;
        let data = data::prepare(&loaded.config)?;
        Ok((loaded.config, data))
    }
}
