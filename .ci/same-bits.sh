#!/usr/bin/env bash
# CI: the same bits wherever synapse is built. Builds the binary twice, for a
# baseline x86-64 (x86-64-v2: SSE4.2, no AVX, no FMA) and for this machine
# (native: AVX2 or AVX-512, FMA), runs every example experiment with each,
# and fails unless every run's metrics.csv, model.json and predictions.csv
# are byte-identical between the two. Every transcendental function comes
# from the `libm` crate (src/nn/math.rs) and Rust never fuses or reorders
# float operations, so the instruction set may change speed, never results.
#
# Each build has its own CARGO_TARGET_DIR under target/, so the normal build
# and test build are not invalidated. RUSTFLAGS replaces .cargo/config.toml's
# target-cpu=native, which is why the native build sets it again explicitly.
set -euo pipefail
cd "$(dirname "$0")/.."

work=target/same-bits
rm -rf "$work/results-v2" "$work/results-native"
mkdir -p "$work"

for build in v2 native; do
  case $build in
    v2) cpu=x86-64-v2 ;;
    native) cpu=native ;;
  esac
  echo "== build with -C target-cpu=$cpu"
  RUSTFLAGS="-C target-cpu=$cpu" CARGO_TARGET_DIR="$work/target-$build" \
    cargo build --release --locked --bin synapse
done

# Every example experiment; sweep files (those naming a base experiment)
# are left out: their runs are the base experiment's, with other values.
experiments=()
for file in experiments/*.toml; do
  if ! grep -q '^experiment *=' "$file"; then
    experiments+=("$file")
  fi
done

for build in v2 native; do
  for file in "${experiments[@]}"; do
    echo "== $build: synapse run $file"
    "$work/target-$build/release/synapse" run "$file" --quiet \
      --results "$work/results-$build"
  done
done

echo "== comparing metrics.csv, model.json and predictions.csv"
compared=0
differ=0
while IFS= read -r -d '' file; do
  relative=${file#"$work/results-v2/"}
  other="$work/results-native/$relative"
  compared=$((compared + 1))
  if ! cmp -s "$file" "$other"; then
    echo "differs between the x86-64-v2 and the native build: $relative" >&2
    differ=$((differ + 1))
  fi
done < <(find "$work/results-v2" -type f \
  \( -name metrics.csv -o -name model.json -o -name predictions.csv \) -print0)

# Every run of one build must have its counterpart in the other, file for file.
only=$(diff <(cd "$work/results-v2" && find . -type f \( -name metrics.csv -o -name model.json -o -name predictions.csv \) | sort) \
  <(cd "$work/results-native" && find . -type f \( -name metrics.csv -o -name model.json -o -name predictions.csv \) | sort) || true)
if [ -n "$only" ]; then
  echo "the two builds wrote different sets of result files:" >&2
  echo "$only" >&2
  differ=$((differ + 1))
fi
if [ "$compared" -eq 0 ]; then
  echo "no result files to compare" >&2
  exit 1
fi
if [ "$differ" -ne 0 ]; then
  exit 1
fi
echo "$compared result files identical between the two builds"
