//! `synapse runs`: the command line of `crate::runs`, which finds the runs
//! under the results directory and gives the list to print.

use crate::cli::{Global, RunsArgs, RunsFormat};
use crate::error::Error;
use crate::runs::{self, Format, Query};
use crate::stdout;

pub fn runs(args: &RunsArgs, global: &Global) -> Result<(), Error> {
    let query = Query {
        experiments: &args.experiments,
        filters: &args.filters,
        sort: args.sort.as_deref(),
        format: match args.format {
            RunsFormat::Table => Format::Table,
            RunsFormat::Csv => Format::Csv,
            RunsFormat::Json => Format::Json,
        },
    };
    let text = runs::list(&global.results, &query)?;
    stdout::write(text.as_bytes())
}
