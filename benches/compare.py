#!/usr/bin/env python3
"""Side-by-side speed of synapse and the reference trainers (PyTorch,
scikit-learn) on the workloads of ../shared/bench, in one run on one machine,
each figure beside the machine's measured peak.

    just bench-compare [--repeat N] [--only WORKLOAD]   # or: python3 benches/compare.py …
    BENCH_PYTHON=/path/to/venv/bin/python BENCH_DATA=/some/dir just bench-compare

BENCH_PYTHON is the Python that has torch (default: python3); BENCH_DATA the
folder of the reference CSVs (written there by make_data.py when missing).
Without PyTorch it says so and times synapse alone. `--repeat N` runs the
whole table N times in a row and prints each (run to run spread on a shared
machine is part of the result); `--only WORKLOAD` keeps that workload's rows.

Before each table the single-thread peak of a matrix product is measured
(`bench_epochs peak`: the kernel's square product, as `cargo bench --bench
kernel` times it) and every GFLOP/s is printed as a share of it, so that the
distance to the limit of this machine is on the table. Only the standard
library is used here.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.environ.get("BENCH_REFERENCE", os.path.join(os.path.dirname(ROOT), "shared", "bench"))
PYTHON = os.environ.get("BENCH_PYTHON", "python3")
DATA = os.environ.get("BENCH_DATA", os.path.join(os.environ.get("TMPDIR", "/tmp"), "synapse-bench-data"))

# (workload, dtype, threads, epochs to time). W3 runs 8 epochs: on a shared
# virtual machine two threads' epochs come in phases (fast while the two
# cores share a cache, about 1.5× slower while they do not), and 3 timed
# epochs were too few for a median to say which the run mostly saw.
CASES = [
    ("heart_mse", "f32", 1, 20),
    ("digits", "f32", 1, 20),
    ("digits", "f32", 2, 20),
    ("wide", "f32", 1, 8),
    ("wide", "f32", 2, 8),
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


def machine():
    """The processor's model name and its cores, from /proc/cpuinfo (Linux);
    elsewhere what the platform module knows and the logical CPUs."""
    model, cores, logical = None, set(), 0
    try:
        with open("/proc/cpuinfo") as info:
            physical = core = None
            for line in info:
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key == "processor":
                    logical += 1
                elif key == "model name" and model is None:
                    model = value
                elif key == "physical id":
                    physical = value
                elif key == "core id":
                    core = value
                    cores.add((physical, core))
    except OSError:
        pass
    if model is None:
        import platform
        model = platform.processor() or platform.machine() or "unknown processor"
    logical = logical or os.cpu_count() or 0
    count = len(cores) or logical
    threads = f" ({logical} hardware threads)" if logical != count else ""
    return f"{model}, {count} cores{threads}"


def peaks(synapse, dtypes):
    """The single-thread peak in GFLOP/s of each dtype, measured now."""
    found, method = {}, None
    for dtype in dtypes:
        line = run_json([synapse, "peak", "--dtype", dtype], dict(os.environ))
        found[dtype] = line["gflops"]
        method = line["method"]
    return found, method


def table(synapse, cases, env, torch):
    """Times every case and returns the rows of one table."""
    rows = []
    for workload, dtype, threads, epochs in cases:
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
            rows.append((workload, dtype, "PyTorch", threads, reference, 1.0, flop / reference[0]))
        rows.append((workload, dtype, "synapse", threads, mine,
                     reference[0] / mine[0] if reference else None, flop / mine[0]))
    return rows


def figure(x):
    """One decimal, or two significant digits under 1 (PyTorch's GFLOP/s on
    W1 is a few thousandths)."""
    return f"{x:.1f}" if x >= 1 else f"{x:.2g}"


def show(rows, peak):
    header = ["workload", "dtype", "system", "threads", "s/epoch median (min-max)", "× PyTorch", "GFLOP/s",
              "% of peak"]
    lines = [header]
    for workload, dtype, system, threads, (median, low, high), ratio, gflops in rows:
        share = 100 * gflops / (threads * peak[dtype])
        lines.append([workload, dtype, system, str(threads), f"{median:.6f} ({low:.6f}-{high:.6f})",
                      "-" if ratio is None else f"{ratio:.1f}", figure(gflops), figure(share)])
    widths = [max(len(r[i]) for r in lines) for i in range(len(header))]
    for i, row in enumerate(lines):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run the whole table N times in a row, printing each (default 1)")
    workloads = sorted({case[0] for case in CASES})
    parser.add_argument("--only", choices=workloads, metavar="WORKLOAD",
                        help=f"time one workload only: {', '.join(workloads)}")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat {args.repeat}: give a whole number of at least 1")
    cases = [case for case in CASES if args.only in (None, case[0])]

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

    dtypes = sorted({case[1] for case in cases} | {"f32", "f64"})
    for run in range(1, args.repeat + 1):
        peak, method = peaks(synapse, dtypes)
        if args.repeat > 1:
            print(f"== run {run} of {args.repeat}")
        print(f"machine: {machine()}")
        print("single-thread peak: " + ", ".join(f"{d} {peak[d]:.1f} GFLOP/s" for d in dtypes)
              + f" ({method}, measured before this table)\n")
        show(table(synapse, cases, env, torch), peak)
        print("\n× PyTorch: how many times faster than PyTorch in the same run "
              "(its median epoch time over synapse's).\n"
              "GFLOP/s: matrix-product work only, over the median epoch.\n"
              "% of peak: GFLOP/s over the single-thread peak of the row's dtype above, times the row's "
              "threads\n(a 2-thread row is read against 2 × the single-thread peak).")
        if run < args.repeat:
            print()


if __name__ == "__main__":
    sys.exit(main())
