#!/bin/bash
# One shard of a sweep per task of a Slurm job array, from the project
# directory on a file system that every node shares:
#
#   sbatch --array=1-8 examples/slurm/sweep-array.sh [SWEEP.toml]
#
# Task K of N runs the sweep's shard K/N (so the array goes from 1); the
# shards' runs merge by themselves, and `synapse sweep SWEEP.toml` once the
# array is done writes the summary. SYNAPSE: the synapse executable to run
# (default: the one on the PATH).
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
set -euo pipefail
cd "$SLURM_SUBMIT_DIR"
"${SYNAPSE:-synapse}" sweep "${1:-experiments/heart-sweep.toml}" \
  --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" --quiet
