//! `synapse predict` (being written).

use crate::cli::PredictArgs;
use crate::error::Error;

pub fn predict(_args: &PredictArgs) -> Result<(), Error> {
    Err(Error::Results {
        path: Default::default(),
        message: "`predict` is not written yet".to_string(),
    })
}
