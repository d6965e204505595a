import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The .proto files ship beside the built code: dist/proto/*.js -> ../../proto/snaptrail/v1.
export const PROTO_DIR = fileURLToPath(new URL("../../proto/", import.meta.url));

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

let descriptor: Record<string, unknown> | undefined;
let serverDescriptorCache: Record<string, unknown> | undefined;

/**
 * The contract as a protobufjs JSON descriptor, generated from the .proto files by
 * `npm run proto:gen` (and checked by proto:check): parsing JSON is much cheaper than parsing
 * .proto text on every agent start.
 */
export function collectorDescriptor(): Record<string, unknown> {
  descriptor ??= JSON.parse(readFileSync(`${PROTO_DIR}generated/descriptor.json`, "utf8")) as Record<string, unknown>;
  return descriptor;
}

/**
 * Both services, Collector and Query: what the collector serves. Agents load collectorDescriptor()
 * only, so that the Query service's messages cost an agent's start nothing.
 */
export function serverDescriptor(): Record<string, unknown> {
  serverDescriptorCache ??= JSON.parse(readFileSync(`${PROTO_DIR}generated/server-descriptor.json`, "utf8")) as Record<string, unknown>;
  return serverDescriptorCache;
}
