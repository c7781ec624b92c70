//! `synapse report` (being written).

use crate::cli::{Global, ReportArgs};
use crate::error::Error;

pub fn report(_args: &ReportArgs, _global: &Global) -> Result<(), Error> {
    Err(Error::Usage("`report` is not written yet".to_string()))
}
