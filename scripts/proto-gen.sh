#!/usr/bin/env bash
# Generates the TypeScript types for proto/snaptrail/v1 into OUT (default proto/generated).
# `--check` regenerates into a temporary folder and fails when the committed types differ.
set -euo pipefail
cd "$(dirname "$0")/.."
gen() {
  rm -rf "$1"
  npx --no-install proto-loader-gen-types \
    --longs=Number --enums=String --defaults --oneofs --includeComments \
    --grpcLib=@grpc/grpc-js --importFileExtension=.js \
    -I proto -O "$1" snaptrail/v1/collector.proto snaptrail/v1/query.proto snaptrail/v1/events.proto snaptrail/v1/snapshots.proto >/dev/null
  # The same contract as a protobufjs JSON descriptor: loading it at run time skips parsing the
  # .proto text on every agent start. It holds both services: Collector (agents) and Query (programs).
  node -e '
    const protobuf = require("protobufjs");
    const root = new protobuf.Root();
    root.resolvePath = (_o, t) => require("path").resolve("proto", t);
    root.loadSync(["snaptrail/v1/collector.proto", "snaptrail/v1/query.proto"], { keepCase: false });
    require("fs").writeFileSync(process.argv[1], JSON.stringify(root.toJSON(), null, 1) + "\n");
  ' "$1/descriptor.json"
}
if [ "${1:-}" = "--check" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  gen "$tmp/generated"
  if ! diff -r proto/generated "$tmp/generated" >/dev/null; then
    echo "proto/generated is stale: run 'npm run proto:gen' and commit the result." >&2
    diff -r proto/generated "$tmp/generated" | head -20 >&2
    exit 1
  fi
  echo "proto/generated is up to date."
else
  gen proto/generated
fi
