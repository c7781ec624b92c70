//! `synapse gradcheck`: backpropagation compared with central finite
//! differences on the configured network (the check is `crate::gradcheck`).

use crate::cli::GradcheckArgs;
use crate::error::Error;
use crate::experiment;
use crate::gradcheck::{check, render, verdict};
use crate::stdout;

pub fn gradcheck(args: &GradcheckArgs) -> Result<(), Error> {
    let (config, data) = experiment::load(&args.file, &args.set)?;
    let outcome = check(&config, &data, |_| {});
    stdout::write(render(&outcome).as_bytes())?;
    verdict(&outcome)
}
