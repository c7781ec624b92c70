//! `synapse sweep` (being written).

use crate::cli::SweepArgs;
use crate::error::Error;

pub fn sweep(_args: &SweepArgs, _global: &crate::cli::Global) -> Result<(), Error> {
    Err(Error::Usage("`sweep` is not written yet".to_string()))
}
