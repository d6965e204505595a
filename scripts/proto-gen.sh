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
  # The same contract as protobufjs JSON descriptors: loading one at run time skips parsing the
  # .proto text on every agent start. descriptor.json holds the Collector service only: it is what
  # every agent start builds its codecs from, and Query's messages would only slow that down.
  # server-descriptor.json holds both services, for the collector.
  node -e '
    const protobuf = require("protobufjs");
    const write = (files, out) => {
      const root = new protobuf.Root();
      root.resolvePath = (_o, t) => require("path").resolve("proto", t);
      root.loadSync(files, { keepCase: false });
      require("fs").writeFileSync(out, JSON.stringify(root.toJSON(), null, 1) + "\n");
    };
    write(["snaptrail/v1/collector.proto"], process.argv[1] + "/descriptor.json");
    write(["snaptrail/v1/collector.proto", "snaptrail/v1/query.proto"], process.argv[1] + "/server-descriptor.json");
  ' "$1"
  # Static codecs of the Collector service's messages for the agent (proto/collector-client.ts):
  # protobufjs' own generated code, the same code its reflection generates (with new Function)
  # on every start, written once here so that it is parsed once and lands in the agent's V8 code
  # cache. No verify, delimited, type URL or service code: the client uses none of them.
  npx --no-install pbjs -t static-module -w commonjs -r snaptrail-collector \
    --no-verify --no-delimited --no-typeurl --no-service --no-beautify --no-comments \
    -o "$1/collector-codecs.cjs" "$1/descriptor.json"
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
