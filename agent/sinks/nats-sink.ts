import type { NatsConnection } from "@nats-io/transport-node";
import type { JetStreamClient } from "@nats-io/jetstream";
import type { ObjectStore } from "@nats-io/obj";
import { BadInputError, errorMessage, SnaptrailError, TooLargeError, UnavailableError } from "../../core/errors.js";
import type { SnapshotEvent } from "../../core/model.js";
import { loadNats } from "../../core/load-nats.js";
import { NATS_BLOB_BUCKET, NATS_HAS_DIGESTS_SUBJECT, eventSubject } from "../../core/nats-names.js";
import { fail, ok, type Result } from "../../core/result.js";
import { decodeMessage, encodeEvent, encodeMessage } from "../../proto/event-codec.js";
import type { HasDigestsResponse__Output } from "../../proto/generated/snaptrail/v1/HasDigestsResponse.js";
import type { EventAck, EventSink } from "./event-sink.js";

export interface NatsSinkOptions {
  /** nats://HOST:PORT (several, comma-separated, for a cluster). */
  url: string;
  /** How long to wait for the first connection. */
  connectTimeoutMs: number;
  /** Deadline for one JetStream publish ack, a digest query or a blob upload. */
  callTimeoutMs: number;
  /** NATS user and password (core/nats-credentials.ts), when the server asks for them. */
  user?: string;
  pass?: string;
}

/**
 * Publishes events to the collector's JetStream stream, subject `snaptrail.events.<orchestrator>`,
 * with `Nats-Msg-Id` = event_id so the server drops resends inside its duplicate window (and the
 * collector de-duplicates on event_id after that). A JetStream publish ack means the stream
 * persisted the event: that is "stored" for the agent; the collector stores it from there.
 *
 * Digests: a request to `snaptrail.rpc.has-digests`, answered by any running collector. With no
 * collector answering in time the agent assumes nothing is held and sends every body (bounded,
 * and the collector stores each digest once). Blobs (code archives, `wrap --cache` outputs) go to
 * a JetStream Object Store bucket (chunked by the server's object store protocol), from which the
 * collector copies them into its blob store before it stores the event naming them.
 */
export class NatsSink implements EventSink {
  private objectStore: Promise<ObjectStore> | undefined;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly options: NatsSinkOptions,
  ) {}

  /** Connects, or fails fast (connection refused) or at connectTimeoutMs. nats.js is loaded here, lazily. */
  static async connect(options: NatsSinkOptions): Promise<Result<NatsSink>> {
    const { transport, jetstream: js } = await loadNats();
    const { connect } = transport;
    const { jetstream } = js;
    try {
      const nc = await connect({
        servers: options.url.split(",").map((s) => s.trim()),
        name: "snaptrail-agent",
        ...(options.user !== undefined ? { user: options.user, pass: options.pass ?? "" } : {}),
        timeout: options.connectTimeoutMs,
        // A short-lived agent: ride out a server restart for a few seconds, not forever.
        reconnect: true,
        maxReconnectAttempts: 20,
        reconnectTimeWait: 250,
      });
      return ok(new NatsSink(nc, jetstream(nc, { timeout: options.callTimeoutMs }), options));
    } catch (err) {
      return fail(new UnavailableError(`cannot reach NATS at ${options.url}: ${errorMessage(err)}`, { cause: err }), true);
    }
  }

  async publish(events: SnapshotEvent[]): Promise<Result<EventAck[]>> {
    try {
      const acks = await Promise.all(
        events.map(async (event): Promise<EventAck> => {
          const ack = await this.js.publish(eventSubject(event.runId), encodeEvent(event), {
            msgID: event.eventId,
            timeout: this.options.callTimeoutMs,
          });
          return { eventId: event.eventId, outcome: ack.duplicate ? "DUPLICATE" : "STORED", error: "" };
        }),
      );
      return ok(acks);
    } catch (err) {
      return this.failure(err, "publishing to JetStream");
    }
  }

  async hasDigests(digests: string[]): Promise<Result<Set<string>>> {
    if (digests.length === 0) return ok(new Set());
    try {
      const reply = await this.nc.request(NATS_HAS_DIGESTS_SUBJECT, encodeMessage("HasDigestsRequest", { digests }), {
        timeout: Math.min(this.options.callTimeoutMs, 2000),
      });
      return ok(new Set(decodeMessage<HasDigestsResponse__Output>("HasDigestsResponse", reply.data).present));
    } catch {
      // No collector is up (no responders) or none answered in time: send every body. The event
      // then waits in the stream, complete, until a collector takes it.
      return ok(new Set());
    }
  }

  async putBlob(digest: string, data: Buffer): Promise<Result<void>> {
    try {
      const os = await (this.objectStore ??= this.openBucket());
      const existing = await os.info(digest);
      if (existing && !existing.deleted && existing.size === data.length) return ok(undefined);
      await os.putBlob({ name: digest }, data, { timeout: this.options.callTimeoutMs });
      return ok(undefined);
    } catch (err) {
      this.objectStore = undefined;
      return this.failure(err, `uploading blob ${digest} to the object store ${NATS_BLOB_BUCKET}`);
    }
  }

  async close(): Promise<void> {
    try {
      // Drain: publishes already handed to the connection go out before it closes.
      await this.nc.drain();
    } catch {
      await this.nc.close().catch(() => undefined);
    }
  }

  private async openBucket(): Promise<ObjectStore> {
    const { Objm } = (await loadNats()).obj;
    // Bound, not created: the collector creates the bucket (with its limits) at start.
    return new Objm(this.nc).open(NATS_BLOB_BUCKET);
  }

  private failure<T>(err: unknown, doing: string): Result<T> {
    const error = translateNatsError(err, `${doing} at ${this.options.url}`);
    return fail(error, error.code === "UNAVAILABLE");
  }
}

/**
 * nats.js errors as ours: too large (the server's max_payload or the stream's max_msg_size) is
 * final; everything else (no stream yet, timeouts, a connection that dropped) is worth a retry.
 */
export function translateNatsError(err: unknown, context: string): SnaptrailError {
  const message = errorMessage(err);
  const name = err instanceof Error ? err.name : "";
  const apiCode = name === "JetStreamApiError" ? (err as { code?: number }).code : undefined;
  if (/max_payload|maximum payload|message size exceeds|payload.*exceeded/i.test(message) || apiCode === 10054) {
    return new TooLargeError(`${context}: the message is too large for the server (${message})`, { cause: err });
  }
  if (name === "InvalidArgumentError" || name === "InvalidSubjectError" || name === "AuthorizationError" || name === "PermissionViolationError") {
    return new BadInputError(`${context}: ${message}`, { cause: err });
  }
  return new UnavailableError(`${context}: ${message}`, { cause: err });
}
