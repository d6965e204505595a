import type * as grpc from "@grpc/grpc-js";
import type { Logger } from "pino";
import { DIGEST_PATTERN } from "../../core/digest.js";
import { BadInputError, errorMessage, TooLargeError, UnavailableError } from "../../core/errors.js";
import { decodeMessage } from "../../proto/event-codec.js";
import type { BlobChunk__Output } from "../../proto/generated/snaptrail/v1/BlobChunk.js";
import type { HasDigestsRequest__Output } from "../../proto/generated/snaptrail/v1/HasDigestsRequest.js";
import type { HasDigestsResponse } from "../../proto/generated/snaptrail/v1/HasDigestsResponse.js";
import type { PublishAck } from "../../proto/generated/snaptrail/v1/PublishAck.js";
import type { PublishRequest__Output } from "../../proto/generated/snaptrail/v1/PublishRequest.js";
import type { PutBlobResponse } from "../../proto/generated/snaptrail/v1/PutBlobResponse.js";
import { loadCollectorGrpc } from "../../proto/grpc-definition.js";
import { grpcAuthInterceptor } from "../auth/grpc-auth-interceptor.js";
import { missingGrpcPermissions } from "../auth/route-permissions.js";
import { buildQueryService } from "../query/grpc/build-query-service.js";
import type { TokenAuthenticator } from "../auth/token-authenticator.js";
import type { ServerTls } from "../tls/server-tls.js";
import type { BlobStore } from "../blobs/blob-store.js";
import { collectorDefault, splitHostPort } from "../collector-options.js";
import type { Store } from "../store/store.js";
import type { EventBatcher } from "./event-batcher.js";
import { findInvalidUtf8 } from "./find-invalid-utf8.js";
import { serviceError, toServiceError } from "./grpc-service-error.js";
import { grpcCallLimiter } from "./grpc-call-limits.js";

export interface GrpcServerOptions {
  /** HOST:PORT; port 0 binds a free port. */
  listen: string;
  /** Larger messages are refused by gRPC with RESOURCE_EXHAUSTED. */
  maxMessageBytes: number;
  /** Larger PutBlob uploads are refused with RESOURCE_EXHAUSTED. */
  maxArchiveBytes: number;
  /** A Publish stream stops being read while this many of its events await their acks. */
  maxInFlightPerStream?: number;
  /** HasDigests answers at most this many digests per call. */
  maxDigestsPerCall?: number;
  /** HTTP/2 streams one connection may have open at once (default: the collector option's). */
  maxStreamsPerConnection?: number;
  /** Calls open at once across all connections; more are refused with RESOURCE_EXHAUSTED. */
  maxOpenStreams?: number;
  /** A call waiting on its client with no complete message for this long ends with DEADLINE_EXCEEDED. */
  streamIdleTimeoutMs?: number;
  /** A connection with no call open this long gets a GOAWAY. */
  maxConnectionIdleMs?: number;
}

export interface GrpcServerDeps {
  batcher: EventBatcher;
  store: Store;
  blobs: BlobStore;
  logger: Logger;
  /** Tokens and roles on every method (GRPC_METHOD_PERMISSIONS); absent: open (loopback use). */
  auth?: TokenAuthenticator;
  /** TLS (and with clientCa, a client certificate from every agent); absent: plaintext. */
  tls?: ServerTls;
}

export interface RunningGrpcServer {
  /** "HOST:PORT" with the port actually bound. */
  address: string;
  /**
   * Stops accepting calls; open Publish streams get the acks for events already taken in and
   * then end with UNAVAILABLE (the agent reconnects elsewhere or later). Calls still running
   * after `graceMs` are cut.
   */
  close(graceMs: number): Promise<void>;
}

type GrpcModule = Omit<typeof grpc, "default">;

interface PublishStream {
  /** Events submitted whose acks are not written yet. */
  pending: number;
  /** No more events are taken from this stream; it ends once `pending` reaches 0. */
  stopping: { code: grpc.status; details: string } | undefined;
  /** The client half-closed: end once every ack is written. */
  clientDone: boolean;
  /** The call is over (ended by us, or cancelled by the client). */
  over: boolean;
  stop(code: grpc.status, details: string): void;
}

/**
 * Starts the gRPC server: the Collector service (Publish, HasDigests, PutBlob) for agents and the
 * Query service (collector/query/grpc/) for programs. grpc-js is loaded here, lazily.
 */
export async function startGrpcServer(deps: GrpcServerDeps, options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const grpcLib: GrpcModule = (await import("@grpc/grpc-js")).default;
  const { service, queryService } = await loadCollectorGrpc();
  // Every method says who may call it, checked before anything listens (as the HTTP API does for
  // its routes): a method without a line would be refused to everyone with --auth tokens, and
  // open to everyone without it.
  const unlisted = missingGrpcPermissions([service, queryService].flatMap((s) => Object.values(s).map((m) => m.path)));
  if (unlisted.length > 0) throw new Error(`gRPC method ${unlisted.join(", ")} has no entry in GRPC_METHOD_PERMISSIONS`);
  const { logger } = deps;
  const log = logger.child({ component: "grpc" });
  const maxInFlight = options.maxInFlightPerStream ?? 1024;
  const maxDigests = options.maxDigestsPerCall ?? 10_000;
  const streams = new Set<PublishStream>();
  let closing = false;

  const limiter = grpcCallLimiter(
    grpcLib,
    {
      maxOpenCalls: options.maxOpenStreams ?? collectorDefault("grpcMaxOpenStreams"),
      idleTimeoutMs: options.streamIdleTimeoutMs ?? collectorDefault("grpcStreamIdleTimeoutMs"),
    },
    log,
  );
  const server = new grpcLib.Server({
    "grpc.max_receive_message_length": options.maxMessageBytes,
    "grpc.max_send_message_length": options.maxMessageBytes,
    "grpc.max_concurrent_streams": options.maxStreamsPerConnection ?? collectorDefault("grpcMaxStreamsPerConnection"),
    "grpc.max_connection_idle_ms": options.maxConnectionIdleMs ?? collectorDefault("grpcMaxConnectionIdleMs"),
    // The limiter first: a flood of calls with bad tokens is bounded like any other.
    interceptors: deps.auth ? [limiter.interceptor, grpcAuthInterceptor(grpcLib, deps.auth, log)] : [limiter.interceptor],
  });

  // Publish takes raw bytes (identity deserializer) and decodes them here, so a frame that is
  // not a PublishRequest ends the call with INVALID_ARGUMENT rather than grpc-js's INTERNAL.
  const publishDefinition = service.Publish!;
  const definition: grpc.ServiceDefinition = {
    ...service,
    Publish: { ...publishDefinition, requestDeserialize: (bytes: Buffer) => bytes },
  };

  function publish(call: grpc.ServerDuplexStream<Buffer, PublishAck>): void {
    const peer = call.getPeer();
    const stream: PublishStream = {
      pending: 0,
      stopping: undefined,
      clientDone: false,
      over: false,
      stop(code, details) {
        stream.stopping ??= { code, details };
        settle();
      },
    };
    streams.add(stream);

    const finish = (status?: { code: grpc.status; details: string }): void => {
      if (stream.over) return;
      stream.over = true;
      streams.delete(stream);
      if (call.cancelled || call.destroyed) return;
      if (status) call.emit("error", Object.assign(new Error(status.details), status));
      else call.end();
    };
    function settle(): void {
      if (stream.over || stream.pending > 0) return;
      if (stream.stopping) finish(stream.stopping);
      else if (stream.clientDone) finish();
    }

    call.on("data", (bytes: Buffer) => {
      if (stream.over || stream.stopping) return; // not acked: the agent sends it again later
      let request: PublishRequest__Output;
      try {
        request = decodeMessage<PublishRequest__Output>("PublishRequest", bytes);
      } catch (err) {
        log.warn({ peer, err: errorMessage(err) }, "undecodable Publish message; ending the stream");
        stream.stop(grpcLib.status.INVALID_ARGUMENT, `PublishRequest could not be decoded: ${errorMessage(err)}`);
        return;
      }
      const badUtf8 = findInvalidUtf8("PublishRequest", bytes);
      stream.pending++;
      if (stream.pending >= maxInFlight && !call.isPaused()) call.pause();
      deps.batcher.submit(request.event, badUtf8 === undefined ? undefined : `string field ${badUtf8} is not valid UTF-8`).then(
        (ack) => {
          stream.pending--;
          if (ack.outcome === "REJECTED") log.info({ peer, eventId: ack.eventId, error: ack.error }, "event rejected");
          if (!stream.over && !call.cancelled && !call.destroyed) {
            call.write({ eventId: ack.eventId, outcome: ack.outcome, error: ack.error });
          }
          if (stream.pending < maxInFlight / 2 && call.isPaused() && !stream.over) call.resume();
          settle();
        },
        (err: unknown) => {
          stream.pending--;
          // Never ack what is not stored: end the stream so the agent retries from its spool.
          finish({ code: grpcLib.status.UNAVAILABLE, details: errorMessage(err) });
        },
      );
    });
    call.on("end", () => {
      stream.clientDone = true;
      settle();
    });
    call.on("cancelled", () => {
      stream.over = true;
      streams.delete(stream);
    });
    call.on("error", (err) => log.debug({ peer, err: errorMessage(err) }, "Publish stream error"));
    if (closing) stream.stop(grpcLib.status.UNAVAILABLE, "collector is shutting down");
  }

  function hasDigests(
    call: grpc.ServerUnaryCall<HasDigestsRequest__Output, HasDigestsResponse>,
    callback: grpc.sendUnaryData<HasDigestsResponse>,
  ): void {
    const digests = call.request.digests ?? [];
    if (digests.length > maxDigests) {
      callback(serviceError(grpcLib, grpcLib.status.INVALID_ARGUMENT, `at most ${maxDigests} digests per HasDigests call, got ${digests.length}`));
      return;
    }
    const wanted = [...new Set(digests.filter((d) => DIGEST_PATTERN.test(d)))];
    void (async () => {
      try {
        const snapshots = await deps.store.hasSnapshots(wanted);
        const rest = wanted.filter((d) => !snapshots.has(d));
        const blobs = await Promise.all(rest.map((d) => deps.blobs.has(d)));
        const blobSet = new Set(rest.filter((_, i) => blobs[i]));
        callback(null, { present: wanted.filter((d) => snapshots.has(d) || blobSet.has(d)) });
      } catch (err) {
        log.error({ err }, "HasDigests failed");
        callback(toServiceError(grpcLib, err));
      }
    })();
  }

  function putBlob(call: grpc.ServerReadableStream<BlobChunk__Output, PutBlobResponse>, callback: grpc.sendUnaryData<PutBlobResponse>): void {
    if (closing) {
      callback(serviceError(grpcLib, grpcLib.status.UNAVAILABLE, "collector is shutting down"));
      return;
    }
    void (async () => {
      try {
        const response = await receiveBlob(call, deps.blobs, options.maxArchiveBytes);
        log.debug({ digest: response.digest, bytes: response.bytes }, "blob stored");
        callback(null, response);
      } catch (err) {
        const e = toServiceError(grpcLib, err);
        (e.code === grpcLib.status.INTERNAL || e.code === grpcLib.status.UNAVAILABLE ? log.error : log.warn).call(
          log,
          { peer: call.getPeer(), err: errorMessage(err) },
          "PutBlob failed",
        );
        callback(e);
      }
    })();
  }

  server.addService(definition, { Publish: publish, HasDigests: hasDigests, PutBlob: putBlob });
  // GetBlob's chunks stay well under the largest message either side accepts.
  const blobChunkBytes = Math.max(1024, Math.min(1024 * 1024, Math.floor(options.maxMessageBytes / 2)));
  const query = buildQueryService(grpcLib, queryService, { store: deps.store, blobs: deps.blobs, log, blobChunkBytes });
  server.addService(query.definition, query.implementation);

  const { host } = splitHostPort(options.listen, "listen");
  const port = await new Promise<number>((resolve, reject) => {
    const tls = deps.tls;
    const credentials = tls
      ? grpcLib.ServerCredentials.createSsl(tls.clientCa ?? null, [{ private_key: tls.key, cert_chain: tls.cert }], tls.clientCa !== undefined)
      : grpcLib.ServerCredentials.createInsecure();
    server.bindAsync(options.listen, credentials, (err, bound) => {
      if (err) reject(new UnavailableError(`cannot listen for gRPC on ${options.listen}: ${err.message}`, { cause: err }));
      else resolve(bound);
    });
  });

  return {
    address: `${host}:${port}`,
    async close(graceMs: number): Promise<void> {
      closing = true;
      for (const stream of [...streams]) stream.stop(grpcLib.status.UNAVAILABLE, "collector is shutting down");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          log.warn({ graceMs }, "gRPC calls still open at shutdown; cutting them");
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

async function receiveBlob(
  call: AsyncIterable<BlobChunk__Output>,
  blobs: BlobStore,
  maxBytes: number,
): Promise<PutBlobResponse> {
  const chunks = call[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done) throw new BadInputError("PutBlob carried no chunk: the first must name digest and total_bytes");
  const { digest, totalBytes } = first.value;
  if (!DIGEST_PATTERN.test(digest)) {
    throw new BadInputError(`the first PutBlob chunk must name the digest as sha256:<64 hex>, got "${digest.slice(0, 80)}"`);
  }
  if (totalBytes > maxBytes) throw new TooLargeError(`blob of ${totalBytes} bytes is over the collector's limit of ${maxBytes} bytes`);
  let received = 0;
  async function* data(): AsyncGenerator<Uint8Array> {
    let chunk: BlobChunk__Output = first.value as BlobChunk__Output;
    for (;;) {
      received += chunk.data.length;
      if (received > maxBytes) throw new TooLargeError(`blob is over the collector's limit of ${maxBytes} bytes`);
      if (chunk.data.length > 0) yield chunk.data;
      const next = await chunks.next();
      if (next.done) break;
      chunk = next.value;
    }
    if (totalBytes > 0 && received !== totalBytes) {
      throw new BadInputError(`PutBlob received ${received} bytes but its first chunk announced ${totalBytes}`);
    }
  }
  const stored = await blobs.put(digest, data());
  return { digest, bytes: stored.bytes, alreadyPresent: stored.alreadyPresent };
}
