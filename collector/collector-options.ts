import { dirname, join } from "node:path";
import { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { sqlitePathOf } from "./store/create-store.js";

const MIB = 1024 * 1024;
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/;

/** Splits "HOST:PORT" and "[v6]:PORT"; throws ConfigError naming `key` otherwise. */
export function splitHostPort(address: string, key = "address"): { host: string; port: number } {
  const match = HOST_PORT.exec(address);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new ConfigError(`invalid option ${key}: "${address}" is not HOST:PORT`);
  return { host: match[1]!, port };
}

const hostPort = z
  .string()
  .regex(HOST_PORT, "expected HOST:PORT, e.g. 127.0.0.1:50051 (port 0 picks a free one)")
  .refine((s) => Number(HOST_PORT.exec(s)?.[2]) <= 65535, "port must be at most 65535");

const httpUrl = z.string().regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, "expected http(s)://HOST[:PORT][/PATH]").transform((u) => u.replace(/\/+$/, ""));

const bytes = z.coerce.number().int("must be a whole number of bytes").positive("must be positive");

// Every collector default lives here.
export const collectorOptionsSchema = z.object({
  /** The SQLite file (or sqlite:PATH): the shorthand for `store` when that is not given. */
  dbPath: z.string().min(1, "must not be empty").default("./snaptrail.db"),
  /** The store URL: sqlite:PATH or clickhouse://USER@HOST:PORT/DB; defaults to dbPath. */
  store: z.string().min(1, "must not be empty").optional(),
  /** Code archives; defaults to "<dbPath>.blobs" next to the database. */
  blobDir: z.string().min(1, "must not be empty").optional(),
  /**
   * Where code archives and cached outputs are kept: fs (blobDir) or nats (the JetStream object
   * store of the `nats` server: collector replicas then need no shared filesystem).
   */
  blobStore: z.enum(["fs", "nats"]).default("fs"),
  /** The object store bucket of blobStore nats; the agents' upload bucket is another one. */
  natsBlobBucket: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, - and _ only").default("snaptrail-collector-blobs"),
  /**
   * none: anyone who reaches the ports may publish and read (loopback use); tokens: every HTTP
   * route and gRPC method needs an API token whose role allows it (snaptrail token create).
   */
  auth: z.enum(["none", "tokens"]).default("none"),
  /** PEM certificate (chain, leaf first) of both listeners, gRPC and HTTP: TLS on when given, with tlsKey. */
  tlsCert: z.string().min(1, "must not be empty").optional(),
  /** Its PEM private key (unencrypted; keep the file 0600). */
  tlsKey: z.string().min(1, "must not be empty").optional(),
  /** PEM CA bundle: gRPC ingest then asks every agent for a client certificate it signed (mutual TLS). */
  tlsClientCa: z.string().min(1, "must not be empty").optional(),
  /**
   * Listen on a non-loopback address without TLS and auth tokens anyway (a private network the
   * operator vouches for); the collector then warns at every start.
   */
  insecure: z
    .union([z.boolean(), z.string().trim().toLowerCase().pipe(z.enum(["1", "true", "yes", "0", "false", "no"], { error: 'must be "1"/"true" or "0"/"false"' }))])
    .transform((v) => v === true || v === "1" || v === "true" || v === "yes")
    .default(false),
  /** How long a token record is trusted before it is read again: the bound on revocation and expiry. */
  authCacheMs: z.coerce.number().int().min(0).max(60_000).default(5000),
  /**
   * The size limit of natsBlobBucket (applied to an existing bucket too); -1 for none. A blob that
   * does not fit is refused (UNAVAILABLE, naming this option) and nothing of it is kept.
   */
  natsBlobMaxBytes: z.coerce
    .number()
    .int("must be a whole number of bytes")
    .refine((n) => n === -1 || n > 0, "must be positive, or -1 for no limit")
    .default(8 * 1024 * MIB),
  /** How long /readyz waits for each check (store, blobs, NATS) before calling it not ready. */
  readyTimeoutMs: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** gRPC ingest address. Loopback by default: opening it wider is a deliberate choice. */
  listen: hostPort.default("127.0.0.1:50051"),
  /** HTTP JSON query API address. */
  http: hostPort.default("127.0.0.1:8077"),
  maxMessageBytes: bytes.default(16 * MIB),
  maxArchiveBytes: bytes.default(512 * MIB),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Micro-batching: commit when this many events wait... */
  batchMaxEvents: z.coerce.number().int().min(1).max(10_000).default(1024),
  /** ...or this many milliseconds after the first one arrived. */
  batchMaxDelayMs: z.coerce.number().int().min(0).max(1000).default(5),
  /** How long close() lets open calls finish before cutting them. */
  shutdownGraceMs: z.coerce.number().int().min(0).default(5000),
  /** An environment snapshot listing more packages than this is REJECTED (before it is digested). */
  maxPackagesPerSnapshot: z.coerce.number().int().positive().default(20_000),

  // The web UI: links back to the orchestrators' own UIs from a run page.
  /** Airflow's web UI, http(s)://HOST[:PORT][/PATH]: a run page links to its task instance there. */
  linkAirflow: httpUrl.optional(),
  /** Kubeflow Pipelines' web UI: a run page links to its KFP run there. */
  linkKfp: httpUrl.optional(),

  // Resubmit through the collector (POST /api/v1/runs/:id/resubmit, operators): off until it has
  // orchestrator credentials of its own.
  /** Slurm runs: sbatch on a login node over SSH, ssh://USER@HOST[:PORT]. */
  resubmitSlurmVia: z.string().regex(/^ssh:\/\/[^\s/]+$/, "expected ssh://USER@HOST[:PORT]").optional(),
  /** Slurm runs: sbatch on the collector's own host. */
  resubmitSlurmLocal: z.preprocess((v) => (v === "true" || v === "1" ? true : v === "false" || v === "0" ? false : v), z.boolean()).default(false),
  /** The SSH private key for resubmitSlurmVia (default: ssh-agent, then ~/.ssh/id_*). */
  resubmitSshIdentity: z.string().min(1, "must not be empty").optional(),
  /** The known_hosts file that must hold the login node's key (default ~/.ssh/known_hosts). */
  resubmitSshKnownHosts: z.string().min(1, "must not be empty").optional(),
  /** snaptrail on the cluster, for the restore before the job runs (default: snaptrail on PATH). */
  resubmitRemoteSnaptrail: z.string().min(1, "must not be empty").optional(),
  /** The collector's HTTP address as the cluster reaches it (default: the http address). */
  resubmitClusterCollectorHttp: httpUrl.optional(),
  /** Absolute folder on the cluster where the old code and venvs are restored (default ~/.cache/snaptrail/resubmits of the login user). */
  resubmitRestoreDir: z.string().regex(/^\//, "must be an absolute path").optional(),
  /** JSON lines, one per resubmission request and outcome, with who asked; default beside the blob folder. */
  resubmitAuditLog: z.string().min(1, "must not be empty").optional(),
  /** Airflow runs: Airflow 3's API server, http(s)://HOST[:PORT]. */
  resubmitAirflow: httpUrl.optional(),
  /** The Airflow user the collector triggers DAG runs as (default admin). */
  resubmitAirflowUser: z.string().min(1, "must not be empty").optional(),
  /** A file holding that user's password (first line); read at each resubmission, so it can rotate. */
  resubmitAirflowPasswordFile: z.string().min(1, "must not be empty").optional(),
  /** Kubeflow runs: the KFP API, http(s)://HOST[:PORT]. */
  resubmitKfp: httpUrl.optional(),
  /** A file holding the KFP bearer token; read at each resubmission, so it can rotate. */
  resubmitKfpTokenFile: z.string().min(1, "must not be empty").optional(),

  // gRPC resource limits: what idle or slow clients can hold.
  /** HTTP/2 streams (calls) one connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS). */
  grpcMaxStreamsPerConnection: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /** gRPC calls open at once across all connections; one more is refused with RESOURCE_EXHAUSTED. */
  grpcMaxOpenStreams: z.coerce.number().int().min(1).max(1_000_000).default(4096),
  /** A call waiting on its client that gets no complete message for this long ends with DEADLINE_EXCEEDED. */
  grpcStreamIdleTimeoutMs: z.coerce.number().int().min(100).default(60_000),
  /** A connection with no call open for this long is closed (GOAWAY); agents reconnect when they need to. */
  grpcMaxConnectionIdleMs: z.coerce.number().int().min(1000).default(300_000),

  // NATS JetStream ingest: off unless `nats` is given.
  /** nats://HOST:PORT (comma-separated for a cluster): consume events from JetStream too. */
  nats: z.string().regex(/^(nats|tls):\/\/\S+$|^[^\s:/]+:\d{1,5}$/, "expected nats://HOST:PORT").optional(),
  /** The collector's NATS user, when the server asks for one (deploy/nats/nats-server.conf). */
  natsUser: z.string().min(1, "must not be empty").optional(),
  /** A file holding its NATS password (first line). */
  natsPasswordFile: z.string().min(1, "must not be empty").optional(),
  /** The events stream (subjects snaptrail.events.>), created or checked at start. */
  natsStream: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only").default("SNAPTRAIL_EVENTS"),
  /** The durable pull consumer every collector shares (they split the load). */
  natsConsumer: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only").default("snaptrail-collector"),
  /** Where poison messages go, subjects snaptrail.deadletter.>. */
  natsDeadLetterStream: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only").default("SNAPTRAIL_DEADLETTER"),
  /** limits keeps events for natsMaxAgeMs (replayable); workqueue drops each once acked. Fixed once the stream exists. */
  natsRetention: z.enum(["limits", "workqueue"]).default("limits"),
  natsStorage: z.enum(["file", "memory"]).default("file"),
  natsReplicas: z.coerce.number().int().min(1).max(5).default(1),
  natsMaxAgeMs: z.coerce.number().int().positive().default(7 * 24 * 3600 * 1000),
  natsMaxBytes: bytes.default(8 * 1024 * MIB),
  /** JetStream drops a resend with the same Nats-Msg-Id (event_id) inside this window; the store de-dupes after it. */
  natsDuplicateWindowMs: z.coerce.number().int().positive().default(120_000),
  /** Deliveries of one message before it is dead-lettered: no poison-message loop. */
  natsMaxDeliver: z.coerce.number().int().min(2).max(1000).default(10),
  /** A message not acked this long after delivery (a collector died holding it) is delivered again. */
  natsAckWaitMs: z.coerce.number().int().min(1000).default(30_000),
  /** Redelivery delay after a store failure, doubled per delivery up to 30 s. */
  natsNakDelayMs: z.coerce.number().int().min(0).default(1000),
  /** Messages delivered and not yet acked, across all collectors. */
  natsMaxAckPending: z.coerce.number().int().min(1).default(4096),
});

type Shape = typeof collectorOptionsSchema.shape;

/** One option's default, for parts started without a whole options object (tests, embedders). */
export function collectorDefault<K extends keyof Shape>(key: K): z.output<Shape[K]> {
  return collectorOptionsSchema.shape[key].parse(undefined) as z.output<Shape[K]>;
}

export type CollectorOptionsInput = z.input<typeof collectorOptionsSchema>;
export type CollectorOptions = Omit<z.output<typeof collectorOptionsSchema>, "blobDir" | "store" | "resubmitAuditLog"> & { blobDir: string; store: string; resubmitAuditLog: string };

/** Environment variables, one per option. The limits carry COLLECTOR_ so they never collide with the agent's. */
export const COLLECTOR_ENV_NAMES: Readonly<Record<keyof CollectorOptions, string>> = {
  dbPath: "SNAPTRAIL_DB",
  store: "SNAPTRAIL_STORE",
  blobDir: "SNAPTRAIL_BLOB_DIR",
  blobStore: "SNAPTRAIL_BLOB_STORE",
  auth: "SNAPTRAIL_AUTH",
  authCacheMs: "SNAPTRAIL_COLLECTOR_AUTH_CACHE_MS",
  tlsCert: "SNAPTRAIL_COLLECTOR_TLS_CERT",
  tlsKey: "SNAPTRAIL_COLLECTOR_TLS_KEY",
  tlsClientCa: "SNAPTRAIL_COLLECTOR_TLS_CLIENT_CA",
  insecure: "SNAPTRAIL_COLLECTOR_INSECURE",
  natsBlobBucket: "SNAPTRAIL_COLLECTOR_NATS_BLOB_BUCKET",
  natsBlobMaxBytes: "SNAPTRAIL_COLLECTOR_NATS_BLOB_MAX_BYTES",
  readyTimeoutMs: "SNAPTRAIL_COLLECTOR_READY_TIMEOUT_MS",
  listen: "SNAPTRAIL_LISTEN",
  http: "SNAPTRAIL_HTTP",
  maxMessageBytes: "SNAPTRAIL_COLLECTOR_MAX_MESSAGE_BYTES",
  maxArchiveBytes: "SNAPTRAIL_COLLECTOR_MAX_ARCHIVE_BYTES",
  logLevel: "SNAPTRAIL_LOG_LEVEL",
  batchMaxEvents: "SNAPTRAIL_COLLECTOR_BATCH_MAX_EVENTS",
  batchMaxDelayMs: "SNAPTRAIL_COLLECTOR_BATCH_MAX_DELAY_MS",
  shutdownGraceMs: "SNAPTRAIL_COLLECTOR_SHUTDOWN_GRACE_MS",
  maxPackagesPerSnapshot: "SNAPTRAIL_COLLECTOR_MAX_PACKAGES",
  linkAirflow: "SNAPTRAIL_COLLECTOR_LINK_AIRFLOW",
  linkKfp: "SNAPTRAIL_COLLECTOR_LINK_KFP",
  resubmitSlurmVia: "SNAPTRAIL_COLLECTOR_RESUBMIT_SLURM_VIA",
  resubmitSlurmLocal: "SNAPTRAIL_COLLECTOR_RESUBMIT_SLURM_LOCAL",
  resubmitSshIdentity: "SNAPTRAIL_COLLECTOR_RESUBMIT_SSH_IDENTITY",
  resubmitSshKnownHosts: "SNAPTRAIL_COLLECTOR_RESUBMIT_SSH_KNOWN_HOSTS",
  resubmitRemoteSnaptrail: "SNAPTRAIL_COLLECTOR_RESUBMIT_REMOTE_SNAPTRAIL",
  resubmitClusterCollectorHttp: "SNAPTRAIL_COLLECTOR_RESUBMIT_CLUSTER_COLLECTOR_HTTP",
  resubmitRestoreDir: "SNAPTRAIL_COLLECTOR_RESUBMIT_RESTORE_DIR",
  resubmitAuditLog: "SNAPTRAIL_COLLECTOR_RESUBMIT_AUDIT_LOG",
  resubmitAirflow: "SNAPTRAIL_COLLECTOR_RESUBMIT_AIRFLOW",
  resubmitAirflowUser: "SNAPTRAIL_COLLECTOR_RESUBMIT_AIRFLOW_USER",
  resubmitAirflowPasswordFile: "SNAPTRAIL_COLLECTOR_RESUBMIT_AIRFLOW_PASSWORD_FILE",
  resubmitKfp: "SNAPTRAIL_COLLECTOR_RESUBMIT_KFP",
  resubmitKfpTokenFile: "SNAPTRAIL_COLLECTOR_RESUBMIT_KFP_TOKEN_FILE",
  grpcMaxStreamsPerConnection: "SNAPTRAIL_COLLECTOR_GRPC_MAX_STREAMS_PER_CONNECTION",
  grpcMaxOpenStreams: "SNAPTRAIL_COLLECTOR_GRPC_MAX_OPEN_STREAMS",
  grpcStreamIdleTimeoutMs: "SNAPTRAIL_COLLECTOR_GRPC_STREAM_IDLE_TIMEOUT_MS",
  grpcMaxConnectionIdleMs: "SNAPTRAIL_COLLECTOR_GRPC_MAX_CONNECTION_IDLE_MS",
  nats: "SNAPTRAIL_COLLECTOR_NATS_URL",
  natsUser: "SNAPTRAIL_COLLECTOR_NATS_USER",
  natsPasswordFile: "SNAPTRAIL_COLLECTOR_NATS_PASSWORD_FILE",
  natsStream: "SNAPTRAIL_COLLECTOR_NATS_STREAM",
  natsConsumer: "SNAPTRAIL_COLLECTOR_NATS_CONSUMER",
  natsDeadLetterStream: "SNAPTRAIL_COLLECTOR_NATS_DEAD_LETTER_STREAM",
  natsRetention: "SNAPTRAIL_COLLECTOR_NATS_RETENTION",
  natsStorage: "SNAPTRAIL_COLLECTOR_NATS_STORAGE",
  natsReplicas: "SNAPTRAIL_COLLECTOR_NATS_REPLICAS",
  natsMaxAgeMs: "SNAPTRAIL_COLLECTOR_NATS_MAX_AGE_MS",
  natsMaxBytes: "SNAPTRAIL_COLLECTOR_NATS_MAX_BYTES",
  natsDuplicateWindowMs: "SNAPTRAIL_COLLECTOR_NATS_DUPLICATE_WINDOW_MS",
  natsMaxDeliver: "SNAPTRAIL_COLLECTOR_NATS_MAX_DELIVER",
  natsAckWaitMs: "SNAPTRAIL_COLLECTOR_NATS_ACK_WAIT_MS",
  natsNakDelayMs: "SNAPTRAIL_COLLECTOR_NATS_NAK_DELAY_MS",
  natsMaxAckPending: "SNAPTRAIL_COLLECTOR_NATS_MAX_ACK_PENDING",
};

export interface CollectorOptionSources {
  /** Command-line values by option name; undefined entries are ignored. */
  flags?: Partial<Record<keyof CollectorOptions, unknown>>;
  env?: NodeJS.ProcessEnv;
}

function validate(values: Record<string, unknown>, origin: Record<string, string>): CollectorOptions {
  const result = collectorOptionsSchema.safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join(".") || "options";
    const from = origin[String(issue.path[0])];
    throw new ConfigError(`invalid option ${key}${from ? ` (from ${from})` : ""}: ${issue.message}`);
  }
  const options = result.data;
  const store = options.store ?? options.dbPath;
  let blobDir = options.blobDir;
  if (blobDir === undefined) {
    const dbFile = sqlitePathOf(store);
    if (dbFile === undefined || dbFile === ":memory:" || dbFile === "") {
      const key = options.store === undefined ? "dbPath" : "store";
      throw new ConfigError(`invalid option blobDir: required when ${key} is ${store} (no file to put it beside)`);
    }
    blobDir = `${dbFile}.blobs`;
  }
  const named = (key: string): string => `${key}${origin[key] ? ` (from ${origin[key]})` : ""}`;
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
    throw new ConfigError(options.tlsCert ? `invalid option ${named("tlsCert")}: needs tlsKey too (--tls-key, env SNAPTRAIL_COLLECTOR_TLS_KEY)` : `invalid option ${named("tlsKey")}: needs tlsCert too (--tls-cert, env SNAPTRAIL_COLLECTOR_TLS_CERT)`);
  }
  if (options.tlsClientCa !== undefined && options.tlsCert === undefined) {
    throw new ConfigError(`invalid option ${named("tlsClientCa")}: mutual TLS needs TLS first: give tlsCert and tlsKey (--tls-cert, --tls-key)`);
  }
  refuseExposure(options, origin);
  if (options.blobStore === "nats" && options.nats === undefined) {
    throw new ConfigError(`invalid option blobStore${origin.blobStore ? ` (from ${origin.blobStore})` : ""}: nats needs the nats option (the NATS server whose object store keeps the blobs)`);
  }
  if (options.resubmitSlurmVia !== undefined && options.resubmitSlurmLocal) {
    throw new ConfigError(`invalid option resubmitSlurmVia${origin.resubmitSlurmVia ? ` (from ${origin.resubmitSlurmVia})` : ""}: resubmitSlurmVia and resubmitSlurmLocal exclude each other: say one way to submit Slurm jobs`);
  }
  // Beside the blob folder (not in it: blobs are named by digest there).
  // A half-given orchestrator would fail at the first resubmission: refuse it at start instead.
  if (options.resubmitAirflow !== undefined && options.resubmitAirflowPasswordFile === undefined) {
    throw new ConfigError("invalid option resubmitAirflow: it needs resubmitAirflowPasswordFile (--resubmit-airflow-password-file, env SNAPTRAIL_COLLECTOR_RESUBMIT_AIRFLOW_PASSWORD_FILE)");
  }
  if (options.resubmitKfp !== undefined && options.resubmitKfpTokenFile === undefined) {
    throw new ConfigError("invalid option resubmitKfp: it needs resubmitKfpTokenFile (--resubmit-kfp-token-file, env SNAPTRAIL_COLLECTOR_RESUBMIT_KFP_TOKEN_FILE)");
  }
  const resubmitAuditLog = options.resubmitAuditLog ?? join(dirname(blobDir), "snaptrail-resubmits.jsonl");
  return { ...options, store, blobDir, resubmitAuditLog };
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this host only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
}

/** The listeners (by option name) bound beyond loopback. */
export function exposedListeners(options: Pick<CollectorOptions, "listen" | "http">): ("listen" | "http")[] {
  return (["listen", "http"] as const).filter((key) => !isLoopbackHost(splitHostPort(options[key], key).host));
}

/**
 * A collector reachable from other hosts holds every team's code and environments: it needs TLS
 * (tokens and archives would travel in clear) and tokens (anyone could read and publish), or
 * the operator's explicit --insecure. Checked before anything binds.
 */
function refuseExposure(options: z.output<typeof collectorOptionsSchema>, origin: Record<string, string>): void {
  if (options.insecure) return;
  const exposed = exposedListeners(options);
  if (exposed.length === 0) return;
  const missing = [options.tlsCert === undefined ? "TLS (--tls-cert FILE --tls-key FILE, env SNAPTRAIL_COLLECTOR_TLS_CERT/_KEY)" : "", options.auth !== "tokens" ? "auth (--auth tokens, env SNAPTRAIL_AUTH=tokens; make tokens with `snaptrail token create`)" : ""].filter(Boolean);
  if (missing.length === 0) return;
  const where = exposed.map((key) => `${options[key]} (${key}${origin[key] ? `, from ${origin[key]}` : ""})`).join(" and ");
  throw new ConfigError(
    `refusing to listen on ${where} beyond loopback without ${missing.join(" and ")}: anyone who reaches the port could read every run and publish. Enable them, bind to 127.0.0.1, or give --insecure (env SNAPTRAIL_COLLECTOR_INSECURE=1) to accept the risk on a network you trust`,
  );
}

/** Fills defaults and validates options given in code (no env vars read). */
export function parseCollectorOptions(input: CollectorOptionsInput = {}): CollectorOptions {
  const origin: Record<string, string> = {};
  for (const key of Object.keys(input)) origin[key] = "options";
  return validate({ ...input }, origin);
}

/** flag > env var > default, validated; messages name the key and where its value came from. */
export function resolveCollectorOptions(sources: CollectorOptionSources): CollectorOptions {
  const values: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const [key, name] of Object.entries(COLLECTOR_ENV_NAMES)) {
    const value = sources.env?.[name];
    if (value !== undefined && value !== "") {
      values[key] = value;
      origin[key] = `env var ${name}`;
    }
  }
  const fromEnv = { store: values.store !== undefined, dbPath: values.dbPath !== undefined };
  for (const [key, value] of Object.entries(sources.flags ?? {})) {
    if (value === undefined) continue;
    values[key] = value;
    origin[key] = "command line";
  }
  // --store and --db name the same thing: both at one level is a mistake; a flag beats an env var.
  if (values.store !== undefined && values.dbPath !== undefined) {
    const level = (from: string | undefined): string => (from?.startsWith("env var") ? "env" : String(from));
    if (level(origin.store) === level(origin.dbPath)) {
      throw new ConfigError(`invalid option store (from ${origin.store}): give store or dbPath (--store or --db), not both`);
    }
    if (fromEnv.store && origin.store !== "command line") delete values.store;
    else if (fromEnv.dbPath && origin.dbPath !== "command line") delete values.dbPath;
  }
  return validate(values, origin);
}
