# synapse recipes. Install just with `cargo install just` (or `pip install rust-just`).

synapse := "cargo run --release --quiet --"

# List the recipes.
default:
    @just --list

[group('experiments')]
# Train one experiment: just run experiments/heart.toml [--set KEY=VALUE]...
run FILE *ARGS:
    {{synapse}} run {{FILE}} {{ARGS}}

[group('experiments')]
# Validate an experiment and print its resolved config; trains nothing.
check FILE *ARGS:
    {{synapse}} check {{FILE}} {{ARGS}}

[group('experiments')]
# Train every example in experiments/.
examples:
    for f in experiments/*.toml; do {{synapse}} run "$f"; done

[group('development')]
# The README's test command.
test:
    cargo test --release

[group('development')]
# Formatting and lints, as CI runs them.
lint:
    cargo fmt --check
    cargo clippy --all-targets -- -D warnings

[group('development')]
# Everything CI runs.
ci:
    bash .ci/run

[group('development')]
# Remove run outputs (results/ itself stays) and build artifacts.
clean:
    find results -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
    cargo clean
