#!/bin/sh
# Container entrypoint for images that do not use the KFP SDK (a plain Job, an Argo step, any
# pod): runs the container's command under `snaptrail wrap`, so it is recorded like a KFP
# component. Put it first in the container's command:
#   command: ["/opt/snaptrail/snaptrail-entrypoint.sh", "python", "train.py"]
# Without snaptrail in the image the command runs unrecorded, with one line on stderr saying so:
# the agent never breaks the job. SNAPTRAIL_BIN names another snaptrail (default: on PATH).
set -eu
if [ "$#" -eq 0 ]; then
  echo "snaptrail-entrypoint: no command given (put the job's command after the entrypoint)" >&2
  exit 64
fi
snaptrail="${SNAPTRAIL_BIN:-snaptrail}"
if command -v "$snaptrail" >/dev/null 2>&1; then
  exec "$snaptrail" wrap -- "$@"
fi
echo "snaptrail-entrypoint: $snaptrail not found, running the command unrecorded" >&2
exec "$@"
