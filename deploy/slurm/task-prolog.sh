#!/bin/sh
# slurm.conf: TaskProlog=/etc/snaptrail/slurm/task-prolog.sh  (the job's user, each task).
# Slurm sets every `export NAME=value` line this prints in the task: the agent prints only those
# (SNAPTRAIL_RUN_ID, and for the batch step PYTHONPATH and SNAPTRAIL_SLURM_STATE). Always exits 0.
# What goes wrong is in /tmp/snaptrail-<uid>/hooks.log (SNAPTRAIL_SLURM_USER_DIR).
. "$(dirname -- "$0")/hook-common.sh"
if [ "${SNAPTRAIL_SLURM_HOOKS:-1}" != "0" ] && [ -x "$SNAPTRAIL_BIN" ]; then
  timeout -s KILL "$snaptrail_bound_s" "$SNAPTRAIL_BIN" slurm task-prolog </dev/null 2>/dev/null
fi
exit 0
