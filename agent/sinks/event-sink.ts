import type { SnapshotEvent } from "../../core/model.js";
import type { Result } from "../../core/result.js";

/** SPOOLED: not acked by the collector but kept durably in the local spool (the spooling sink only). */
export type AckOutcome = "STORED" | "DUPLICATE" | "REJECTED" | "SPOOLED";

export interface EventAck {
  eventId: string;
  outcome: AckOutcome;
  error: string;
}

/**
 * Where the agent's events go. Implementations: grpc and nats (chosen in create-sink.ts), memory
 * (tests and `capture`). Reconnecting, retrying and spooling wrap a sink (composed in
 * agent-sink.ts); they are not flags inside one.
 */
export interface EventSink {
  /** Resolves once every event is acknowledged (stored, duplicate or rejected), or fails. */
  publish(events: SnapshotEvent[]): Promise<Result<EventAck[]>>;
  /** Which of these snapshot or blob digests the receiver already holds. */
  hasDigests(digests: string[]): Promise<Result<Set<string>>>;
  /** Sends a content-addressed blob (a code archive). */
  putBlob(digest: string, data: Buffer): Promise<Result<void>>;
  close(): Promise<void>;
  /**
   * Keeps events durably before they are published (the spooling sink only); the later publish
   * of the same event_ids settles them. Never fails.
   */
  writeAhead?(events: SnapshotEvent[]): Promise<void>;
}
