import { createRequire } from "node:module";
import type { Root, Type } from "protobufjs";
import type { SnapshotEvent } from "../core/model.js";
import { DECODE_OPTIONS, collectorDescriptor } from "./proto-files.js";

// protobufjs encodes the same messages outside gRPC: the collector decodes Publish frames itself
// (so undecodable bytes get INVALID_ARGUMENT, not gRPC's INTERNAL), and other transports and
// the spool carry the same bytes.
const require = createRequire(import.meta.url);
let root: Root | undefined;

function type(name: string): Type {
  if (!root) {
    const protobuf = require("protobufjs") as typeof import("protobufjs");
    root = protobuf.Root.fromJSON(collectorDescriptor());
  }
  return root.lookupType(`snaptrail.v1.${name}`);
}

export function encodeMessage(name: string, value: object): Buffer {
  const t = type(name);
  return Buffer.from(t.encode(t.fromObject(value)).finish());
}

/** Throws on bytes that are not a valid encoding of `name`. */
export function decodeMessage<T>(name: string, bytes: Uint8Array): T {
  const t = type(name);
  return t.toObject(t.decode(bytes), DECODE_OPTIONS) as T;
}

export function encodeEvent(event: SnapshotEvent): Buffer {
  return encodeMessage("Event", event);
}

export function decodeEvent(bytes: Uint8Array): SnapshotEvent {
  return decodeMessage<SnapshotEvent>("Event", bytes);
}
