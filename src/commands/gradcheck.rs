//! `synapse gradcheck` (being written).

use crate::cli::GradcheckArgs;
use crate::error::Error;

pub fn gradcheck(_args: &GradcheckArgs) -> Result<(), Error> {
    Err(Error::Results {
        path: Default::default(),
        message: "`gradcheck` is not written yet".to_string(),
    })
}
