import { isUtf8 } from "node:buffer";
import { createRequire } from "node:module";
import type { Reader, Root, Type } from "protobufjs";
import { collectorDescriptor } from "../../proto/proto-files.js";

// protobufjs decodes a string field holding invalid UTF-8 by silently replacing the bad bytes
// (U+FFFD), so an event could be stored under an id or with values the agent never sent. Proto3
// says string fields are UTF-8: this walks the wire bytes by the schema and names the first
// string field that is not, so the event is REJECTED with a clear reason instead.

const require = createRequire(import.meta.url);
let root: Root | undefined;
let ReaderClass: typeof Reader | undefined;

function lookup(name: string): Type {
  if (!root) {
    const protobuf = require("protobufjs") as typeof import("protobufjs");
    const loaded = protobuf.Root.fromJSON(collectorDescriptor());
    loaded.resolveAll();
    root = loaded;
    ReaderClass = protobuf.Reader;
  }
  return root.lookupType(`snaptrail.v1.${name}`);
}

const MAX_DEPTH = 32;

/** What this walk needs of protobufjs's Field and MapField. */
interface WireField {
  name: string;
  type: string;
  map?: boolean;
  keyType?: string;
  resolvedType: object | null;
}

/**
 * The dotted path of the first string field (or map key/value) in `bytes` that is not valid
 * UTF-8, or undefined when all are. Call it on bytes that already decoded as `typeName`.
 */
export function findInvalidUtf8(typeName: string, bytes: Uint8Array): string | undefined {
  const type = lookup(typeName);
  const reader = ReaderClass!.create(bytes);
  try {
    return walk(type, reader, bytes.length, "", 0);
  } catch {
    return undefined; // not well-formed: the decoder reports that, not this check
  }
}

function walk(type: Type, reader: Reader, end: number, path: string, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  while (reader.pos < end) {
    const tag = reader.uint32();
    const wire = tag & 7;
    if (wire !== 2) {
      reader.skipType(wire);
      continue;
    }
    const length = reader.uint32();
    const start = reader.pos;
    const stop = start + length;
    if (stop > end) return undefined;
    const field = type.fieldsById[tag >>> 3] as WireField | undefined;
    if (field) {
      const name = path ? `${path}.${field.name}` : field.name;
      const bad = field.map
        ? walkMapEntry(field, reader, stop, name, depth)
        : checkValue(field, reader.buf.subarray(start, stop), reader, stop, name, depth);
      if (bad !== undefined) return bad;
    }
    reader.pos = stop;
  }
  return undefined;
}

function checkValue(field: WireField, value: Uint8Array, reader: Reader, stop: number, name: string, depth: number): string | undefined {
  if (field.type === "string") return isUtf8(value) ? undefined : name;
  const nested = field.resolvedType;
  if (nested && "fieldsById" in nested) return walk(nested as Type, reader, stop, name, depth + 1);
  return undefined; // bytes, or a packed repeated scalar
}

function walkMapEntry(field: WireField, reader: Reader, end: number, name: string, depth: number): string | undefined {
  while (reader.pos < end) {
    const tag = reader.uint32();
    const wire = tag & 7;
    if (wire !== 2) {
      reader.skipType(wire);
      continue;
    }
    const length = reader.uint32();
    const start = reader.pos;
    const stop = start + length;
    if (stop > end) return undefined;
    const value = reader.buf.subarray(start, stop);
    if (tag >>> 3 === 1 && field.keyType === "string" && !isUtf8(value)) return `${name} (a key)`;
    if (tag >>> 3 === 2) {
      const bad = checkValue(field, value, reader, stop, `${name} (a value)`, depth);
      if (bad !== undefined) return bad;
    }
    reader.pos = stop;
  }
  return undefined;
}
