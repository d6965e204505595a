import { createRequire } from "node:module";
import type { Root, Type } from "protobufjs";
import type { SnapshotEvent } from "../core/model.js";
import { DECODE_OPTIONS, collectorDescriptor } from "./proto-files.js";

// protobufjs encodes the same messages outside gRPC: the collector decodes Publish frames itself
// (so undecodable bytes get INVALID_ARGUMENT, not gRPC's INTERNAL), NATS messages carry the same
// bytes, and so do spool files of earlier versions (the spool now writes JSON).
const require = createRequire(import.meta.url);
let root: Root | undefined;

interface Codec {
  serialize(value: object): Uint8Array;
  deserialize(bytes: Uint8Array): unknown;
}
const shared = new Map<string, Codec>();
/**
 * The gRPC loader builds a serializer per message from the same descriptor with the same decode
 * options: once it has run, those are used instead of a second protobufjs root, whose build costs
 * some 30 ms of CPU (the collector decoding Publish frames, an agent on gRPC replaying spool files
 * of an earlier version).
 */
export function shareCodecs(definition: Record<string, unknown>): void {
  for (const [name, def] of Object.entries(definition)) {
    const d = def as Partial<Codec> & { format?: string };
    if (d.format === "Protocol Buffer 3 DescriptorProto" && typeof d.serialize === "function" && typeof d.deserialize === "function") shared.set(name, d as Codec);
  }
}

function type(name: string): Type {
  if (!root) {
    const protobuf = require("protobufjs") as typeof import("protobufjs");
    root = protobuf.Root.fromJSON(collectorDescriptor());
  }
  return root.lookupType(`snaptrail.v1.${name}`);
}

export function encodeMessage(name: string, value: object): Buffer {
  const codec = shared.get(`snaptrail.v1.${name}`);
  if (codec) return Buffer.from(codec.serialize(value));
  const t = type(name);
  return Buffer.from(t.encode(t.fromObject(value)).finish());
}

/** Throws on bytes that are not a valid encoding of `name`. */
export function decodeMessage<T>(name: string, bytes: Uint8Array): T {
  const codec = shared.get(`snaptrail.v1.${name}`);
  if (codec) return codec.deserialize(bytes) as T;
  const t = type(name);
  return t.toObject(t.decode(bytes), DECODE_OPTIONS) as T;
}

export function encodeEvent(event: SnapshotEvent): Buffer {
  return encodeMessage("Event", event);
}

export function decodeEvent(bytes: Uint8Array): SnapshotEvent {
  return decodeMessage<SnapshotEvent>("Event", bytes);
}
