#!/usr/bin/env python3
"""Side-by-side speed of synapse and the reference trainers (PyTorch,
scikit-learn) on the workloads of ../shared/bench, in one run on one machine.

    just bench-compare                  # or: python3 benches/compare.py
    BENCH_PYTHON=/path/to/venv/bin/python BENCH_DATA=/some/dir just bench-compare

BENCH_PYTHON is the Python that has torch (default: python3); BENCH_DATA the
folder of the reference CSVs (written there by make_data.py when missing).
Without PyTorch it says so and times synapse alone. Only the standard
library is used here.
"""

import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.environ.get("BENCH_REFERENCE", os.path.join(os.path.dirname(ROOT), "shared", "bench"))
PYTHON = os.environ.get("BENCH_PYTHON", "python3")
DATA = os.environ.get("BENCH_DATA", os.path.join(os.environ.get("TMPDIR", "/tmp"), "synapse-bench-data"))

# (workload, dtype, threads, epochs to time)
CASES = [
    ("heart_mse", "f32", 1, 20),
    ("digits", "f32", 1, 20),
    ("wide", "f32", 1, 4),
    ("wide", "f32", 2, 4),
]


def run_json(command, env):
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr.strip()}")
    lines = [l for l in done.stdout.splitlines() if l.startswith("{")]
    return json.loads(lines[-1])


def has_torch():
    try:
        done = subprocess.run([PYTHON, "-c", "import torch"], capture_output=True, text=True)
    except FileNotFoundError:
        return False
    return done.returncode == 0


def ensure_data(env):
    needed = ["heart.csv", "digits.csv", "wide.csv"]
    if all(os.path.exists(os.path.join(DATA, f)) for f in needed):
        return True
    os.makedirs(DATA, exist_ok=True)
    done = subprocess.run([PYTHON, os.path.join(BENCH, "make_data.py")], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"could not write the reference data with {PYTHON} (needs numpy and scikit-learn):\n"
              f"{done.stderr.strip()}\nsynapse will use data of the same shapes instead.")
        return False
    return True


def timing(result):
    times = result["epoch_times"][1:] or result["epoch_times"]
    return statistics.median(times), min(times), max(times)


def main():
    env = dict(os.environ, BENCH_DATA=DATA)
    torch = has_torch()
    if not torch:
        print(f"PyTorch is not installed for {PYTHON}: timing synapse alone.\n"
              f"To compare, install it outside the project (see {os.path.join(BENCH, 'README.md')})\n"
              f"and run with BENCH_PYTHON=/path/to/that/python.\n")
    if not (torch and ensure_data(env)):
        env.pop("BENCH_DATA")
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "bench_epochs"], cwd=ROOT, check=True)
    synapse = os.path.join(ROOT, "target", "release", "examples", "bench_epochs")

    rows = []
    for workload, dtype, threads, epochs in CASES:
        flop = None
        reference = None
        if torch:
            command = [PYTHON, os.path.join(BENCH, "torch_ref.py"), workload, "--dtype", dtype,
                       "--threads", str(threads), "--epochs", str(epochs)]
            reference = timing(run_json(command, env))
        ours = run_json([synapse, workload, "--dtype", dtype, "--threads", str(threads),
                         "--epochs", str(epochs)], env)
        flop = ours["gflop_per_epoch"]
        mine = timing(ours)
        if reference:
            rows.append((workload, "PyTorch", threads, reference, 1.0, flop / reference[0]))
        rows.append((workload, "synapse", threads, mine,
                     reference[0] / mine[0] if reference else None, flop / mine[0]))

    header = ["workload", "system", "threads", "s/epoch median (min-max)", "× PyTorch", "GFLOP/s"]
    table = [header]
    for workload, system, threads, (median, low, high), ratio, gflops in rows:
        table.append([workload, system, str(threads), f"{median:.6f} ({low:.6f}-{high:.6f})",
                      "-" if ratio is None else f"{ratio:.1f}", f"{gflops:.1f}"])
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print("\n× PyTorch: how many times faster than PyTorch in the same run "
          "(its median epoch time over synapse's). GFLOP/s: matrix-product work only.")


if __name__ == "__main__":
    sys.exit(main())
