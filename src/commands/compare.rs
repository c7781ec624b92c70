//! `synapse compare`: the command line of `crate::compare`, which reads the
//! runs and sweeps, writes the plot and table and gives the text printed.

use crate::cli::{CompareArgs, Global};
use crate::compare;
use crate::error::Error;
use crate::stdout;

pub fn compare(args: &CompareArgs, global: &Global) -> Result<(), Error> {
    let text = compare::compare(
        &args.dirs,
        args.out.as_deref(),
        &global.results,
        &args.metric,
        &args.filters,
    )?;
    stdout::write(text.as_bytes())
}
