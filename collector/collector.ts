import { ensurePrivateDir, looserThanPrivate } from "../core/fs/private-files.js";
import type { Logger } from "pino";
import { ConfigError, errorMessage } from "../core/errors.js";
import { SNAPTRAIL_VERSION } from "../core/version.js";
import type { BlobStore } from "./blobs/blob-store.js";
import { createBlobStore } from "./blobs/create-blob-store.js";
import { FsBlobStore } from "./blobs/fs-blob-store.js";
import { exposedListeners, parseCollectorOptions, type CollectorOptions, type CollectorOptionsInput } from "./collector-options.js";
import { EventBatcher } from "./ingest/event-batcher.js";
import { startGrpcServer, type RunningGrpcServer } from "./ingest/grpc-server.js";
import type { RunningNatsIngest } from "./ingest/nats-consumer.js";
import { natsAuthOptions } from "../core/nats-credentials.js";
import { TokenAuthenticator } from "./auth/token-authenticator.js";
import { startHttpApi, type RunningHttpApi } from "./query/http-api.js";
import type { UiRouteDeps } from "./query/routes/ui-routes.js";
import type { CollectorResubmitter } from "./resubmit/collector-resubmitter.js";
import { Readiness, type ReadinessCheck } from "./readiness.js";
import { createStore, redactStoreUrl } from "./store/create-store.js";
import { ensureRedactionSalt, redactionSaltPath } from "./redaction-salt-file.js";
import { loadServerTls } from "./tls/server-tls.js";
import type { Store } from "./store/store.js";

export interface RunningCollector {
  /** "127.0.0.1:PORT": the port actually bound (when 0 was asked). */
  grpcAddress: string;
  /** "http://127.0.0.1:PORT". */
  httpUrl: string;
  store: Store;
  blobs: BlobStore;
  options: CollectorOptions;
  /** Stops accepting, acks what was taken in, commits pending batches, closes the database. Idempotent. */
  close(): Promise<void>;
}

export interface CollectorDeps {
  /** Defaults to pino on stderr at options.logLevel. */
  logger?: Logger;
  /** Resubmit through the collector: cli/ builds it with the adapters, which the collector may not import. */
  resubmitter?: CollectorResubmitter;
}

/**
 * Starts the collector: the store (SQLite by default, or ClickHouse), the blob store, gRPC ingest
 * and, with `nats`, NATS JetStream ingest (both through one micro-batcher), and the HTTP JSON API. Options given here get their defaults filled in;
 * resolve flags and env vars first with resolveCollectorOptions.
 */
export async function startCollector(input: CollectorOptionsInput = {}, deps: CollectorDeps = {}): Promise<RunningCollector> {
  const options = parseCollectorOptions(input);
  // Before anything opens: a collector asked for TLS starts with it or not at all.
  const tls = loadServerTls(options);
  const logger = deps.logger ?? (await createLogger(options.logLevel));
  noteExposure(options, tls !== undefined, logger);
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const store = await createStore(options.store, { logger: logger.child({ component: "store" }) });
    cleanups.unshift(() => store.close());
    try {
      ensurePrivateDir(options.blobDir);
      const loose = looserThanPrivate(options.blobDir);
      if (loose) logger.warn({ blobDir: options.blobDir, fix: `chmod 700 ${options.blobDir}` }, `the blob folder ${options.blobDir} is open beyond its owner (${loose}): it holds every team's code archives`);
    } catch (err) {
      throw new ConfigError(`cannot create blob directory ${options.blobDir}: ${errorMessage(err)}`, { cause: err });
    }
    noteRedactionSalt(options, logger);
    const blobs = await createBlobStore({
      dir: options.blobDir,
      maxBytes: options.maxArchiveBytes,
      ...(options.blobStore === "nats" ? { nats: options.nats, bucket: options.natsBlobBucket, replicas: options.natsReplicas, maxBucketBytes: options.natsBlobMaxBytes, ...natsAuthOptions(options) } : {}),
    });
    cleanups.unshift(() => blobs.close());
    if (blobs instanceof FsBlobStore) {
      void blobs.removeStaleTemporaryFiles().then(
        (removed) => removed > 0 && logger.info({ removed }, "removed temporary files of interrupted uploads"),
        () => undefined,
      );
    }
    // One authenticator for both faces: a token revoked anywhere is refused here within authCacheMs.
    const auth = options.auth === "tokens" ? new TokenAuthenticator(store, { cacheMs: options.authCacheMs }) : undefined;
    if (!auth) logger.info("auth is off (--auth none): anyone who reaches these ports may publish and read");
    else await noteNoTokens(store, logger, options.readyTimeoutMs);
    const batcher = new EventBatcher(
      store,
      { maxBatchEvents: options.batchMaxEvents, maxBatchDelayMs: options.batchMaxDelayMs, limits: { maxPackagesPerSnapshot: options.maxPackagesPerSnapshot } },
      logger.child({ component: "ingest" }),
    );
    cleanups.unshift(() => batcher.drain());
    const grpc: RunningGrpcServer = await startGrpcServer(
      { batcher, store, blobs, logger, ...(auth ? { auth } : {}), ...(tls ? { tls } : {}) },
      {
        listen: options.listen,
        maxMessageBytes: options.maxMessageBytes,
        maxArchiveBytes: options.maxArchiveBytes,
        maxStreamsPerConnection: options.grpcMaxStreamsPerConnection,
        maxOpenStreams: options.grpcMaxOpenStreams,
        streamIdleTimeoutMs: options.grpcStreamIdleTimeoutMs,
        maxConnectionIdleMs: options.grpcMaxConnectionIdleMs,
      },
    );
    cleanups.unshift(() => grpc.close(options.shutdownGraceMs));
    let nats: RunningNatsIngest | undefined;
    if (options.nats) {
      const { startNatsIngestWhenReachable } = await import("./ingest/nats-ingest-when-reachable.js");
      const ingest = await startNatsIngestWhenReachable({ batcher, store, blobs, logger }, { ...options, nats: options.nats });
      nats = ingest;
      cleanups.unshift(() => ingest.close());
    }
    const checks: ReadinessCheck[] = [
      { name: "store", ping: () => store.ping() },
      { name: "blobs", ping: () => blobs.ping() },
    ];
    const natsIngest = nats;
    if (natsIngest) checks.push({ name: "nats", ping: () => natsIngest.ping() });
    const readiness = new Readiness(checks, options.readyTimeoutMs, logger.child({ component: "readiness" }));
    const ui: UiRouteDeps = {
      links: { ...(options.linkAirflow ? { airflow: options.linkAirflow } : {}), ...(options.linkKfp ? { kfp: options.linkKfp } : {}) },
      resubmitAuditLog: options.resubmitAuditLog,
      maxArchiveBytes: options.maxArchiveBytes,
      ...(deps.resubmitter ? { resubmitter: deps.resubmitter } : {}),
    };
    const http: RunningHttpApi = await startHttpApi({ store, blobs, logger, readiness, ui, ...(auth ? { auth } : {}), ...(tls ? { tls } : {}) }, options.http);
    cleanups.unshift(() => http.close());

    logger.info(
      {
        grpc: grpc.address,
        http: http.url,
        store: redactStoreUrl(options.store),
        blobDir: options.blobDir,
        version: SNAPTRAIL_VERSION,
        tls: tls ? { subject: tls.subject, validTo: new Date(tls.validToMs).toISOString(), clientCertificates: tls.clientCa ? "required on gRPC" : "not asked" } : "off",
      },
      `collector listening: gRPC ${tls ? "(TLS) " : ""}${grpc.address}, HTTP ${http.url}`,
    );

    let closing: Promise<void> | undefined;
    return {
      grpcAddress: grpc.address,
      httpUrl: http.url,
      store,
      blobs,
      options,
      close() {
        closing ??= (async () => {
          // Unready first (a load balancer stops sending), gRPC next (no new events; open
          // streams get their acks), then the last batches, then HTTP, then the database.
          readiness.markStopping();
          await Promise.all([grpc.close(options.shutdownGraceMs), nats?.close()]);
          await batcher.drain();
          await http.close();
          await store.close();
          logger.info({ batches: batcher.stats.batches, events: batcher.stats.events }, "collector stopped");
        })();
        return closing;
      },
    };
  } catch (err) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw err;
  }
}

/** Auth on with no token that can sign in: every call will be refused until an admin makes one. */
async function noteNoTokens(store: Store, logger: Logger, waitMs: number): Promise<void> {
  const now = Date.now();
  let tokens: Awaited<ReturnType<Store["listTokens"]>>;
  try {
    // Bounded: a store that is down or slow at start (ClickHouse) is the readiness check's to report.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timed out")), waitMs)));
    tokens = await Promise.race([store.listTokens(), late]).finally(() => clearTimeout(timer));
  } catch {
    return;
  }
  const active = tokens.filter((t) => (t.revokedUnixMs === null || t.revokedUnixMs > now) && (t.expiresUnixMs === null || t.expiresUnixMs > now));
  if (active.length === 0) {
    logger.warn(
      { auth: "tokens", tokens: tokens.length },
      "auth is on (--auth tokens) but the store holds no active token: every call is refused until you run `snaptrail token create --role admin` (and agent tokens) against this store",
    );
  }
}

/**
 * --insecure lets a collector listen beyond loopback without TLS or tokens: said at every start,
 * at warn level, naming what is missing, so nobody forgets it was set.
 */
function noteExposure(options: CollectorOptions, tls: boolean, logger: Logger): void {
  const exposed = exposedListeners(options);
  const missing = [tls ? "" : "TLS", options.auth === "tokens" ? "" : "auth tokens"].filter(Boolean);
  if (exposed.length > 0 && missing.length > 0) {
    logger.warn(
      { insecure: true, listeners: exposed.map((key) => options[key]), missing },
      `--insecure: listening on ${exposed.map((key) => options[key]).join(" and ")} beyond loopback without ${missing.join(" and ")}; anyone who reaches these ports can read every run and publish`,
    );
  } else if (options.insecure) {
    logger.info("--insecure is set but has no effect: every listener is on loopback, or TLS and auth tokens are on");
  }
}

async function createLogger(level: CollectorOptions["logLevel"]): Promise<Logger> {
  const { pino } = await import("pino");
  // Synchronous writes to stderr: the last lines before a crash or SIGKILL are not lost.
  return pino({ level, name: "snaptrail-collector" }, pino.destination({ dest: 2, sync: true }));
}

/**
 * The installation's redaction salt is made on first start, so agents can be given it
 * (`snaptrail collector redaction-salt`). Only its path is logged, never the salt: logs travel.
 * A salt that cannot be made is a warning, not a failed start: ingest does not need it.
 */
function noteRedactionSalt(options: CollectorOptions, logger: Logger): void {
  const file = redactionSaltPath(options);
  try {
    const r = ensureRedactionSalt(file);
    if (r.created) logger.info({ saltFile: file }, "made the installation's redaction salt; give it to agents (snaptrail collector redaction-salt)");
    if (r.loose) logger.warn({ saltFile: file }, "the redaction salt file can be read by others than its owner: chmod 600 it");
  } catch (err) {
    logger.warn({ saltFile: file, err: errorMessage(err) }, "no redaction salt: agents keep the public default salt");
  }
}
