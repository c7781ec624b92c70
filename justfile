# synapse recipes. Install just with `cargo install just` or `pip install rust-just`.

# The synapse to run: built from this checkout by default, or an installed
# one with SYNAPSE=synapse just run … (after `cargo install --path .`).
synapse := env_var_or_default("SYNAPSE", "cargo run --release --quiet --")

# List the recipes.
default:
    @just --list

# Train one experiment: just run experiments/heart.toml [--set KEY=VALUE]...
[group('experiments')]
run FILE *ARGS:
    {{synapse}} run {{FILE}} {{ARGS}}

# Validate an experiment and print its resolved config; trains nothing.
[group('experiments')]
check FILE *ARGS:
    {{synapse}} check {{FILE}} {{ARGS}}

# Train every example in experiments/ (sweep files excepted).
[group('experiments')]
examples:
    for f in experiments/*.toml; do case "$f" in *-sweep.toml) ;; *) {{synapse}} run "$f" ;; esac; done

# Run a sweep file in parallel: just sweep experiments/heart-sweep.toml [--jobs N]
[group('sweeps')]
sweep FILE *ARGS:
    {{synapse}} sweep {{FILE}} {{ARGS}}

# A sweep in the justfile itself: one `synapse run` per learning rate, then `synapse compare`.
[group('sweeps')]
lr-sweep FILE RATES="0.01 0.1 1":
    #!/usr/bin/env bash
    set -euo pipefail
    dirs=()
    for rate in {{RATES}}; do
        # Each run prints its directory last, after " -> ".
        line=$({{synapse}} run "{{FILE}}" --quiet --set "training.learning_rate=$rate" | tail -n 1)
        dirs+=("${line##* -> }")
    done
    {{synapse}} compare "${dirs[@]}"

# The showcase sweep in three shards through the README's job-array script, on a one-node Slurm cluster of this machine (tests/engines/slurm-up.sh [stop]).
[group('sweeps')]
slurm-demo:
    #!/usr/bin/env bash
    set -euo pipefail
    if [[ $(id -u) == 0 ]]; then tests/engines/slurm-up.sh; else sudo tests/engines/slurm-up.sh; fi
    # The array's tasks run one executable: an installed synapse, or this checkout's.
    if [[ -n "${SYNAPSE:-}" ]]; then
        exe=$(command -v "$SYNAPSE") || { echo "SYNAPSE=$SYNAPSE: not an executable" >&2; exit 2; }
    else
        cargo build --release --quiet
        exe="$PWD/target/release/synapse"
    fi
    mkdir -p results
    SYNAPSE="$exe" sbatch --wait --array=1-3 --output='results/slurm-%A_%a.out' \
        examples/slurm/sweep-array.sh experiments/heart-sweep.toml
    "$exe" sweep experiments/heart-sweep.toml

# Compare runs or sweeps: just compare results/heart/<id> results/heart/<id>...
[group('sweeps')]
compare +DIRS:
    {{synapse}} compare {{DIRS}}

# List the runs: just runs [EXPERIMENT]... [--where KEY=VALUE]... [--sort METRIC] [--format csv]
[group('results')]
runs *ARGS:
    {{synapse}} runs {{ARGS}}

# One HTML page of every run and sweep: just report [RESULTS_DIR] [--out FILE]
[group('results')]
report *ARGS:
    {{synapse}} report {{ARGS}}

# Apply a trained model to new rows: just predict results/heart/<id> rows.csv [--out FILE]
[group('results')]
predict RUN DATA *ARGS:
    {{synapse}} predict {{RUN}} {{DATA}} {{ARGS}}

# A run's model as one ONNX file: just export results/heart/<id> [--out FILE.onnx]
[group('results')]
export RUN *ARGS:
    {{synapse}} export {{RUN}} {{ARGS}}

# Walk one example through one training step: just trace experiments/heart.toml [--example N]
[group('learning')]
trace FILE *ARGS:
    {{synapse}} trace {{FILE}} {{ARGS}}

# Backpropagation against finite differences: just gradcheck experiments/heart.toml
[group('learning')]
gradcheck FILE *ARGS:
    {{synapse}} gradcheck {{FILE}} {{ARGS}}

# Shell completions: just completions bash > ~/.local/share/bash-completion/completions/synapse
[group('development')]
completions SHELL:
    {{synapse}} completions {{SHELL}}

# The README's test command.
[group('development')]
test:
    cargo test --release

# Benchmarks: one training epoch of each reference workload, f32 and f64 (after a line with the machine's peak), and the matrix kernel alone.
[group('speed')]
bench:
    cargo bench

# synapse beside PyTorch and the machine's peak, in one table (BENCH_PYTHON: a Python with torch): just bench-compare [--repeat N] [--only WORKLOAD]
[group('speed')]
bench-compare *ARGS:
    python3 benches/compare.py {{ARGS}}

# Formatting and lints, as CI runs them.
[group('development')]
lint:
    cargo fmt --check
    cargo clippy --all-targets -- -D warnings

# Everything CI runs.
[group('development')]
ci:
    bash .ci/run

# Remove run outputs (results/ itself stays) and build artifacts.
[group('development')]
clean:
    find results -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
    cargo clean

# Fuzz the config and CSV readers for SECONDS each; cargo-fuzz on stable via RUSTC_BOOTSTRAP (see fuzz/README.md).
[group('reliability')]
fuzz SECONDS="60":
    #!/usr/bin/env bash
    set -euo pipefail
    command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
    # The committed seeds and the repository's own examples start each corpus;
    # what the fuzzer adds stays in the git-ignored fuzz/corpus/.
    mkdir -p fuzz/corpus/config fuzz/corpus/csv
    cp fuzz/seeds/config/* experiments/*.toml tests/cases/config/*.toml fuzz/corpus/config/
    for f in tests/cases/csv/*.toml; do cp "$f" "fuzz/corpus/config/csv-$(basename "$f")"; done
    cp fuzz/seeds/csv/* fuzz/corpus/csv/
    for target in config csv; do
        RUSTC_BOOTSTRAP=1 cargo fuzz run --debug-assertions "$target" "fuzz/corpus/$target" -- -max_total_time={{SECONDS}} -timeout=10
    done
