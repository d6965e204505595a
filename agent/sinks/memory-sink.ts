import type { SnapshotEvent } from "../../core/model.js";
import { ok, type Result } from "../../core/result.js";
import type { EventAck, EventSink } from "./event-sink.js";

/** Keeps events in memory, de-duplicated like a collector: for tests and `capture`. */
export class MemorySink implements EventSink {
  readonly events: SnapshotEvent[] = [];
  readonly blobs = new Map<string, Buffer>();
  private readonly digests = new Set<string>();

  publish(events: SnapshotEvent[]): Promise<Result<EventAck[]>> {
    const acks = events.map((event): EventAck => {
      if (this.events.some((e) => e.eventId === event.eventId)) return { eventId: event.eventId, outcome: "DUPLICATE", error: "" };
      this.events.push(event);
      const snap = event.snapshotCaptured;
      if (snap) for (const d of [snap.environmentDigest, snap.hostDigest, snap.codeDigest]) if (d) this.digests.add(d);
      return { eventId: event.eventId, outcome: "STORED", error: "" };
    });
    return Promise.resolve(ok(acks));
  }

  hasDigests(digests: string[]): Promise<Result<Set<string>>> {
    return Promise.resolve(ok(new Set(digests.filter((d) => this.digests.has(d) || this.blobs.has(d)))));
  }

  putBlob(digest: string, data: Buffer): Promise<Result<void>> {
    this.blobs.set(digest, Buffer.from(data));
    return Promise.resolve(ok(undefined));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
