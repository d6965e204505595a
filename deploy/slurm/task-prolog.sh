#!/bin/sh
# slurm.conf: TaskProlog=/etc/snaptrail/slurm/task-prolog.sh  (the job's user, each task).
# Slurm sets every `export NAME=value` line this prints in the task: the agent prints only those
# (SNAPTRAIL_RUN_ID, and for the batch step PYTHONPATH and SNAPTRAIL_SLURM_STATE). Always exits 0.
# What goes wrong is in /tmp/snaptrail-<uid>/hooks.log (SNAPTRAIL_SLURM_USER_DIR).
. "$(dirname -- "$0")/hook-common.sh"
[ "${SNAPTRAIL_SLURM_HOOKS:-1}" != "0" ] || exit 0
if [ -n "${SLURM_STEP_ID:-}" ] && [ -n "${SNAPTRAIL_RUN_ID:-}" ]; then
  # A task of an srun step (thousands per job) inherits the batch step's exports: repeat the run
  # id and start nothing. Without it (srun --export=NONE) the agent derives it below.
  printf 'export SNAPTRAIL_RUN_ID=%s\n' "$SNAPTRAIL_RUN_ID"
  exit 0
fi
if [ -x "$SNAPTRAIL_BIN" ]; then
  timeout -s KILL "$snaptrail_bound_s" "$SNAPTRAIL_BIN" slurm task-prolog </dev/null 2>/dev/null
fi
exit 0
