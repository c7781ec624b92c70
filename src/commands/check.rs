//! `synapse check`: validate everything a run would, print the resolved
//! config, write nothing.

use crate::cli::CheckArgs;
use crate::config;
use crate::error::Error;
use crate::experiment;
use crate::stdout;

pub fn check(args: &CheckArgs) -> Result<(), Error> {
    let (config, data) = experiment::load(&args.file, &args.set)?;
    stdout::write(config::to_toml(&config).as_bytes())?;
    eprintln!("ok: {}", experiment::describe(&data));
    Ok(())
}
