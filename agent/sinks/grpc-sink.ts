import { isIP } from "node:net";
import type { ChannelCredentials, Client, ClientDuplexStream, Metadata, ServiceError } from "@grpc/grpc-js";
import type { CollectorClient } from "../../proto/generated/snaptrail/v1/Collector.js";
import type { PublishAck__Output } from "../../proto/generated/snaptrail/v1/PublishAck.js";
import type { PublishRequest } from "../../proto/generated/snaptrail/v1/PublishRequest.js";
import { loadCollectorClient } from "../../proto/collector-client.js";
import { errorCodeOfGrpcStatus, type GrpcStatuses } from "../../proto/grpc-status.js";
import { BadInputError, TooLargeError, UnavailableError } from "../../core/errors.js";
import type { SnapshotEvent } from "../../core/model.js";
import { fail, ok, type Result } from "../../core/result.js";
import type { ClientTls } from "../../core/tls/client-tls.js";
import { diagnoseTls } from "../../core/tls/diagnose-tls.js";
import type { AckOutcome, EventAck, EventSink } from "./event-sink.js";

export interface GrpcSinkOptions {
  /** "host:port" of the collector's gRPC listener. */
  address: string;
  /** How long to wait for the channel to connect before giving up. */
  connectTimeoutMs: number;
  /** Deadline for one call (a publish batch, a blob upload). */
  callTimeoutMs: number;
  credentials?: ChannelCredentials;
  /** TLS to the collector, verified against `tls.ca` (else Node's roots), with a client certificate for mutual TLS; absent: plaintext. */
  tls?: ClientTls;
  /** The collector's API token, sent as `authorization: Bearer` on every call. */
  token?: string;
}

const BLOB_CHUNK_BYTES = 1024 * 1024;

// Status codes worth retrying: the collector is down, restarting or cut the call. Not
// RESOURCE_EXHAUSTED: the collector uses it for "too large", which a resend cannot fix.
export class GrpcSink implements EventSink {
  private constructor(
    private readonly client: CollectorClient,
    private readonly options: GrpcSinkOptions,
    private readonly statuses: GrpcStatuses,
    private readonly MetadataClass: typeof Metadata,
  ) {}

  /** Connects, or fails fast (connection refused) or at connectTimeoutMs. */
  static async connect(options: GrpcSinkOptions): Promise<Result<GrpcSink>> {
    const grpc = (await import("@grpc/grpc-js")).default;
    const Collector = await loadCollectorClient();
    const tls = options.tls;
    // grpc-js gives an IP address as the TLS server name, which Node answers with a one-time
    // DEP0123 warning on stderr: the job's stderr, which the agent must leave alone.
    if (tls && isIP(options.address.replace(/^\[?(.*?)\]?:\d+$/, "$1")) !== 0) process.noDeprecation = true;
    const credentials = options.credentials ?? (tls ? grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null) : grpc.credentials.createInsecure());
    const client = new Collector(options.address, credentials, {
      // Publish streams are long; a dead collector should surface quickly.
      "grpc.keepalive_time_ms": 30_000,
      "grpc.enable_retries": 0,
    });
    const ready = await waitReady(client, options.connectTimeoutMs);
    if (!ready.ok) {
      client.close();
      // grpc-js says only that the connection failed; for TLS, ask the handshake why.
      const why = tls ? await diagnoseTls(options.address, tls, options.connectTimeoutMs) : undefined;
      const address = tls ? `grpcs://${options.address}` : options.address;
      return fail(new UnavailableError(`cannot reach the collector at ${address}: ${why ?? ready.error.message}`, { cause: ready.error }), true);
    }
    return ok(new GrpcSink(client, options, grpc.status, grpc.Metadata));
  }

  publish(events: SnapshotEvent[]): Promise<Result<EventAck[]>> {
    if (events.length === 0) return Promise.resolve(ok([]));
    return new Promise((resolve) => {
      const pending = new Map(events.map((e) => [e.eventId, e]));
      const acks = new Map<string, EventAck>();
      let settled = false;
      const finish = (result: Result<EventAck[]>) => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const call: ClientDuplexStream<PublishRequest, PublishAck__Output> = this.client.publish(this.metadata(), { deadline: this.deadline() });
      call.on("data", (ack: PublishAck__Output) => {
        if (!pending.has(ack.eventId)) return;
        pending.delete(ack.eventId);
        acks.set(ack.eventId, { eventId: ack.eventId, outcome: ack.outcome as AckOutcome, error: ack.error });
        if (pending.size === 0) {
          call.end();
          finish(ok(events.map((e) => acks.get(e.eventId)!)));
        }
      });
      call.on("error", (err: ServiceError) => finish(this.failure(err)));
      call.on("end", () => {
        if (pending.size > 0) finish(fail(new UnavailableError(`collector closed the stream with ${pending.size} events unacknowledged`), true));
      });
      for (const event of events) call.write({ event });
    });
  }

  hasDigests(digests: string[]): Promise<Result<Set<string>>> {
    return new Promise((resolve) => {
      this.client.hasDigests({ digests }, this.metadata(), { deadline: this.deadline() }, (err, res) => {
        if (err) resolve(this.failure(err));
        else resolve(ok(new Set(res?.present ?? [])));
      });
    });
  }

  putBlob(digest: string, data: Buffer): Promise<Result<void>> {
    return new Promise((resolve) => {
      const call = this.client.putBlob(this.metadata(), { deadline: this.deadline() }, (err) => {
        if (err) resolve(this.failure(err));
        else resolve(ok(undefined));
      });
      for (let offset = 0; offset === 0 || offset < data.length; offset += BLOB_CHUNK_BYTES) {
        const chunk = data.subarray(offset, offset + BLOB_CHUNK_BYTES);
        call.write(offset === 0 ? { digest, totalBytes: data.length, data: chunk } : { data: chunk });
      }
      call.end();
    });
  }

  close(): Promise<void> {
    this.client.close();
    return Promise.resolve();
  }

  /** A failed call as our error; retryable where the same call may succeed later. */
  private failure(err: ServiceError): Result<never> {
    const { code, retryable } = errorCodeOfGrpcStatus(err.code, this.statuses);
    const detail = err.details || err.message;
    const address = this.options.address;
    if (code === "BAD_INPUT") return fail(new BadInputError(`collector refused the message: ${detail}`, { cause: err }), retryable);
    if (code === "TOO_LARGE") return fail(new TooLargeError(`collector refused the message as too large: ${detail}`, { cause: err }), retryable);
    if (err.code === this.statuses.UNAVAILABLE) return fail(new UnavailableError(`collector at ${address} is unavailable: ${detail}`, { cause: err }), retryable);
    return fail(new UnavailableError(`collector call failed (${err.code}): ${detail}`, { cause: err }), retryable);
  }

  private metadata(): Metadata {
    const m = new this.MetadataClass();
    if (this.options.token) m.set("authorization", `Bearer ${this.options.token}`);
    return m;
  }

  private deadline(): Date {
    return new Date(Date.now() + this.options.callTimeoutMs);
  }
}

async function waitReady(client: Client, timeoutMs: number): Promise<Result<void>> {
  const { connectivityState } = (await import("@grpc/grpc-js")).default;
  const channel = client.getChannel();
  const deadline = Date.now() + timeoutMs;
  // waitForReady would sit out the whole timeout on a refused connection; watching the state
  // lets a collector that is simply not running fail in milliseconds.
  let state = channel.getConnectivityState(true);
  while (state !== connectivityState.READY) {
    if (state === connectivityState.TRANSIENT_FAILURE) return fail(new Error("connection refused or failed"), true);
    if (state === connectivityState.SHUTDOWN) return fail(new Error("channel shut down"), false);
    const changed = await new Promise<boolean>((resolve) => channel.watchConnectivityState(state, deadline, (err) => resolve(!err)));
    if (!changed) return fail(new Error(`no connection within ${timeoutMs} ms`), true);
    state = channel.getConnectivityState(true);
  }
  return ok(undefined);
}
