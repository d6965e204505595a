import { fileURLToPath } from "node:url";

// The .proto files ship beside the built code: dist/proto/*.js -> ../../proto/snaptrail/v1.
export const PROTO_DIR = fileURLToPath(new URL("../../proto/", import.meta.url));

export const COLLECTOR_PROTO = "snaptrail/v1/collector.proto";

/** Must match the flags of scripts/proto-gen.sh so values look like the generated types. */
export const DECODE_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
  arrays: true,
  objects: false,
} as const;
