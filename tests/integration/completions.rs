//! `synapse completions SHELL` prints a script that the shell accepts and
//! that offers every command.

use std::process::Command;

use crate::common::Sandbox;

const COMMANDS: [&str; 10] = [
    "run",
    "check",
    "sweep",
    "compare",
    "predict",
    "trace",
    "gradcheck",
    "data",
    "report",
    "completions",
];

#[test]
fn every_shell_gets_a_script_offering_every_command() {
    let sandbox = Sandbox::new();
    for shell in ["bash", "zsh", "fish"] {
        let output = sandbox.run(&["completions", shell]).expect_code(0);
        for command in COMMANDS {
            assert!(
                output.stdout.contains(command),
                "{shell}: `{command}` is not offered"
            );
        }
    }
}

#[test]
fn the_bash_script_parses() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["completions", "bash"]).expect_code(0);
    let script = sandbox.write("synapse.bash", output.stdout);
    let status = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .expect("bash runs");
    assert!(status.success(), "bash -n refused the completion script");
}

#[test]
fn an_unknown_shell_is_a_usage_error_listing_the_shells() {
    let output = Sandbox::new().run(&["completions", "tcsh"]).expect_code(2);
    assert!(
        output.stderr.contains("bash, elvish, fish"),
        "{}",
        output.stderr
    );
}
