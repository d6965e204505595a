import type { SnapshotEvent } from "../../core/model.js";
import { decodeEvent } from "../../proto/event-codec.js";

// A spool record's payload is the event as JSON: every agent writes its events ahead of sending
// them, and protobuf would cost each `wrap` a few ms of code generation for snapshot types its
// lean sends never use; JSON costs microseconds, and the event model has no bytes fields. Files
// from earlier versions hold protobuf; the first byte tells them apart ("{" would be field 15 as
// a start-group, which proto3 never writes; an Event starts with field 1).
const JSON_START = 0x7b;

export function encodeSpoolEvent(event: SnapshotEvent): Buffer {
  return Buffer.from(JSON.stringify(event), "utf8");
}

/** Throws on a payload that is neither. */
export function decodeSpoolEvent(payload: Buffer): SnapshotEvent {
  if (payload[0] !== JSON_START) return decodeEvent(payload);
  const event = JSON.parse(payload.toString("utf8")) as SnapshotEvent;
  if (event === null || typeof event !== "object" || typeof event.eventId !== "string") throw new Error("not a spooled event");
  return event;
}
