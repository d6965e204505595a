#!/bin/sh
# slurm.conf: Epilog=/etc/snaptrail/slurm/epilog.sh  (root, on each node of the job).
# Always exits 0: a failing Epilog drains the node. What goes wrong is in
# $SNAPTRAIL_SLURM_ROOT_DIR/hooks.log (/var/spool/snaptrail/hooks.log) and slurmd's log.
. "$(dirname -- "$0")/hook-common.sh"
if [ "${SNAPTRAIL_SLURM_HOOKS:-1}" != "0" ] && [ -x "$SNAPTRAIL_BIN" ]; then
  timeout -s KILL "$snaptrail_bound_s" "$SNAPTRAIL_BIN" slurm epilog </dev/null >/dev/null 2>&1
fi
exit 0
