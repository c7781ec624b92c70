//! `synapse trace` (being written).

use crate::cli::TraceArgs;
use crate::error::Error;

pub fn trace(_args: &TraceArgs) -> Result<(), Error> {
    Err(Error::Results {
        path: Default::default(),
        message: "`trace` is not written yet".to_string(),
    })
}
