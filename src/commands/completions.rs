//! `synapse completions SHELL`: the shell's completion script, generated
//! from the same clap definition that parses the command line, so it cannot
//! fall behind a new command or flag.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Error;
use crate::stdout;

pub fn completions(args: &CompletionsArgs) -> Result<(), Error> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "synapse", &mut script);
    stdout::write(&script)
}
