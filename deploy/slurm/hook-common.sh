# Sourced by snaptrail's Slurm hook wrappers (prolog.sh, task-prolog.sh, epilog.sh); not run alone.
# Settings, first found wins: $SNAPTRAIL_SLURM_ENV_FILE, slurm.env beside these scripts,
# /etc/snaptrail/slurm.env. It is a file of NAME=value lines (SNAPTRAIL_COLLECTOR=HOST:PORT,
# SNAPTRAIL_BIN=/path/to/snaptrail, SNAPTRAIL_SLURM_HOOKS=0 to turn the hooks off, ...).
# slurmd starts the Prolog and Epilog with an almost empty environment (no PATH).
PATH=${PATH:-/usr/local/bin:/usr/bin:/bin}
snaptrail_here=$(dirname -- "$0")
for snaptrail_env in "${SNAPTRAIL_SLURM_ENV_FILE:-}" "$snaptrail_here/slurm.env" /etc/snaptrail/slurm.env; do
  if [ -n "$snaptrail_env" ] && [ -r "$snaptrail_env" ]; then
    set -a
    # shellcheck disable=SC1090
    . "$snaptrail_env"
    set +a
    break
  fi
done
SNAPTRAIL_BIN=${SNAPTRAIL_BIN:-/usr/local/bin/snaptrail}
# The agent bounds itself (SNAPTRAIL_SLURM_TIMEOUT_MS, 2 s by default); this is the backstop:
# the hook is killed one second after that, whatever it is doing.
snaptrail_bound_s=$(( (${SNAPTRAIL_SLURM_TIMEOUT_MS:-2000} + 999) / 1000 + 1 ))
