//! `synapse trace`: the command line of `crate::trace`, which computes one
//! training example's step and renders it as text.

use crate::cli::TraceArgs;
use crate::config::Precision;
use crate::error::Error;
use crate::experiment;
use crate::stdout;
use crate::trace::{build, render};

pub fn trace(args: &TraceArgs) -> Result<(), Error> {
    let (config, data) = experiment::load(&args.file, &args.set)?;
    let trace = match config.training.precision {
        Precision::F64 => build::<f64>(&config, &data, args.example, args.epoch)?,
        Precision::F32 => build::<f32>(&config, &data, args.example, args.epoch)?,
    };
    stdout::write(render(&trace).as_bytes())
}
