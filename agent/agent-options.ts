import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_COLLECTOR_HTTP } from "../core/collector-http-client.js";
import { resolveOptions, type OptionSources } from "../core/config/resolve-options.js";

const count = () => z.coerce.number({ error: "must be a number" }).int("must be a whole number").positive("must be positive");

const nameList = () => z.union([z.array(z.string()), z.string().transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))]);

/** Paths: a JSON array, or one string split on ":" like PATH (env vars). */
const pathList = () => z.union([z.array(z.string()), z.string().transform((s) => s.split(path.delimiter).filter(Boolean))]);

const flag = () =>
  z.union([
    z.boolean(),
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(["1", "true", "yes", "on", "0", "false", "no", "off"], { error: 'must be "1"/"true" or "0"/"false"' }))
      .transform((s) => ["1", "true", "yes", "on"].includes(s)),
  ]);

const hostPort = z.string().regex(/^(grpcs?:\/\/)?([^\s:/]+|\[[0-9a-fA-F:]+\]):\d{1,5}$/, "expected HOST:PORT, or grpcs://HOST:PORT for TLS");

/**
 * Files of the work tree that commonly hold secrets: left out of the code snapshot (no content,
 * no hash, not in the archive or the patch), tracked or not. Patterns are matched against the
 * path relative to the work tree root, case-insensitively: one without "/" matches the last part
 * of any path; one with "/" matches the last parts of a path ("**" spans folders, a trailing "/"
 * means everything under that folder); "!" keeps files an earlier pattern left out. `secretFiles`
 * (SNAPTRAIL_SECRET_FILES) adds patterns after these, so "!fixtures/test.key" keeps one.
 * .npmrc is on the list: it is where npm's auth tokens go, and a project rarely needs it restored.
 */
export const DEFAULT_SECRET_FILES: readonly string[] = [
  ".env",
  ".env.*",
  "*.env",
  "!.env.example",
  "!.env.sample",
  "!.env.template",
  "!.env.dist",
  "*.pem",
  "*.key",
  "*.p12",
  "*.pfx",
  "*.jks",
  "*.keystore",
  "*.ppk",
  "id_rsa",
  "id_dsa",
  "id_ecdsa",
  "id_ed25519",
  "id_ecdsa_sk",
  "id_ed25519_sk",
  ".netrc",
  "_netrc",
  ".pgpass",
  ".my.cnf",
  ".pypirc",
  ".npmrc",
  ".git-credentials",
  ".docker/config.json",
  ".aws/credentials",
  ".config/gcloud/",
  "application_default_credentials.json",
  "credentials.json",
  "client_secret*.json",
  ".azure/",
  ".kube/config",
  "kubeconfig",
  "kubeconfig.yaml",
  "kubeconfig.yml",
  "kubeconfig.json",
  "*.kubeconfig",
];

// Every agent default lives here.
export const agentOptionsSchema = z.object({
  collector: hostPort.default("127.0.0.1:50051"),
  transport: z.enum(["grpc", "nats"], { error: 'must be "grpc" or "nats"' }).default("grpc"),
  /** NATS server URL(s) for transport "nats", comma-separated for a cluster. */
  nats: z
    .string()
    .regex(/^(nats|tls|ws|wss):\/\/[^\s]+$|^[^\s:/]+:\d{1,5}$/, "expected nats://HOST:PORT (or HOST:PORT)")
    .default("nats://127.0.0.1:4222"),
  python: z.string().optional(),
  codeDir: z.string().optional(),
  maxArchiveBytes: count().default(100 * 1024 * 1024),
  /** Connecting runs beside the job; this bounds how long the job's end may wait for it. */
  connectTimeoutMs: count().default(1500),
  callTimeoutMs: count().default(10_000),
  /**
   * The most the wrapped job's end waits for outstanding acks before they go to the spool. 500 ms:
   * a healthy collector acks the last event in a few ms over a connection already open, so this
   * only bites when it is down or stalled, and then a local fsync is cheaper than waiting.
   */
  finishTimeoutMs: count().default(500),
  /** While the job runs, how long one send keeps retrying a retryable failure before spooling. */
  retryForMs: count().default(5000),
  /** Durable local spool for events not yet acked; "" turns it off. Unset: defaultSpoolDir(). */
  spoolDir: z.string().optional(),
  /** Spool size bound (events and code archives); when full, the oldest files are dropped and counted. */
  maxSpoolBytes: count().default(256 * 1024 * 1024),
  envAllow: nameList().default([]),
  /** Env var names or PREFIX_* patterns never recorded, even when allowed: the site's deny list. */
  envDeny: nameList().default([]),
  /** More secret-file patterns (see DEFAULT_SECRET_FILES), after the defaults; "!PATTERN" keeps files. */
  secretFiles: nameList().default([]),
  /**
   * The installation's redaction salt (`snaptrail collector redaction-salt` prints it). Unset: the
   * file redactionSaltFile names, else the public default (markers can then be checked offline).
   */
  redactionSalt: z.string().min(1, "must not be empty").optional(),
  /** A file holding the redaction salt (its first line), readable only by who runs the jobs. */
  redactionSaltFile: z.string().min(1, "must not be empty").optional(),
  /** Fingerprint cache folder; "" turns the cache off. Unset: $XDG_CACHE_HOME/snaptrail or ~/.cache/snaptrail. */
  cacheDir: z.string().optional(),
  rollbackOf: z.string().optional(),
  /** Files the run produces (`--output`), relative to the working directory; a directory means every file under it. */
  outputs: pathList().default([]),
  /** Files the command reads (`--input`), part of the cache key. */
  inputs: pathList().default([]),
  /** `--cache`: skip the command when a successful run with the same key stored its outputs. */
  cache: flag().default(false),
  /** The NATS user for transport "nats" (NATS's authorization decides what it may do). */
  natsUser: z.string().min(1, "must not be empty").optional(),
  /** A file holding that user's NATS password (its first line). */
  natsPasswordFile: z.string().min(1, "must not be empty").optional(),
  /** The collector's API token (role agent), sent over gRPC and HTTP; never recorded. */
  token: z.string().min(1, "must not be empty").optional(),
  /** A file holding the API token (its first line): keeps it off command lines. */
  tokenFile: z.string().min(1, "must not be empty").optional(),
  /** PEM CA bundle the collector's certificate must chain to (grpcs:// and https:// addresses); unset: Node's built-in roots. */
  tlsCa: z.string().min(1, "must not be empty").optional(),
  /** PEM client certificate for a collector that asks for one (mutual TLS), with tlsKey. */
  tlsCert: z.string().min(1, "must not be empty").optional(),
  /** Its PEM private key. */
  tlsKey: z.string().min(1, "must not be empty").optional(),
  /** The collector's HTTP query API, for cache lookups and downloads. */
  collectorHttp: z.string().regex(/^https?:\/\/[^\s]+$/, "expected http://HOST:PORT, or https://HOST:PORT for TLS").default(DEFAULT_COLLECTOR_HTTP),
  /**
   * Hashing outputs runs after the command ends and delays wrap's exit by that much: it stops at
   * this bound (10 s hashes several GB); what is left unhashed is named in one warning.
   */
  outputHashTimeoutMs: count().default(10_000),
  /** An output above this is not uploaded for the cache (the run is then no cache source). */
  maxCacheOutputBytes: count().default(256 * 1024 * 1024),
  /** How long wrap waits after a successful cached command for its outputs to upload before spooling them. */
  cacheUploadTimeoutMs: count().default(60_000),
  /** Run the command in the code and environment of this run or snapshot (run id, prefix or sha256:...). */
  restore: z.string().optional(),
  /** How a restore brings the environment back (see `snaptrail restore --env`). */
  restoreEnv: z.enum(["rebuild", "verify", "image", "none"], { error: 'must be "rebuild", "verify", "image" or "none"' }).default("rebuild"),
  /** Where a restore puts the code; unset: a fresh folder under the cache folder's restores/. */
  restoreInto: z.string().optional(),
  /** Step pins: {"step": "RUN_OR_SNAPSHOT"} as JSON, or step=REF,step=REF; only pinned steps restore. */
  pin: z.union([z.string(), z.record(z.string(), z.string()).transform((pins) => JSON.stringify(pins))]).optional(),
});

export type AgentOptions = z.infer<typeof agentOptionsSchema>;

export const AGENT_ENV_NAMES = {
  collector: "SNAPTRAIL_COLLECTOR",
  transport: "SNAPTRAIL_TRANSPORT",
  nats: "SNAPTRAIL_NATS_URL",
  python: "SNAPTRAIL_PYTHON",
  codeDir: "SNAPTRAIL_CODE_DIR",
  maxArchiveBytes: "SNAPTRAIL_MAX_ARCHIVE_BYTES",
  connectTimeoutMs: "SNAPTRAIL_CONNECT_TIMEOUT_MS",
  callTimeoutMs: "SNAPTRAIL_CALL_TIMEOUT_MS",
  finishTimeoutMs: "SNAPTRAIL_FINISH_TIMEOUT_MS",
  envAllow: "SNAPTRAIL_ENV_ALLOW",
  envDeny: "SNAPTRAIL_ENV_DENY",
  secretFiles: "SNAPTRAIL_SECRET_FILES",
  redactionSalt: "SNAPTRAIL_REDACTION_SALT",
  redactionSaltFile: "SNAPTRAIL_REDACTION_SALT_FILE",
  cacheDir: "SNAPTRAIL_CACHE_DIR",
  retryForMs: "SNAPTRAIL_RETRY_FOR_MS",
  spoolDir: "SNAPTRAIL_SPOOL_DIR",
  maxSpoolBytes: "SNAPTRAIL_MAX_SPOOL_BYTES",
  outputs: "SNAPTRAIL_OUTPUTS",
  inputs: "SNAPTRAIL_INPUTS",
  cache: "SNAPTRAIL_CACHE",
  collectorHttp: "SNAPTRAIL_COLLECTOR_HTTP",
  token: "SNAPTRAIL_TOKEN",
  natsUser: "SNAPTRAIL_NATS_USER",
  natsPasswordFile: "SNAPTRAIL_NATS_PASSWORD_FILE",
  tokenFile: "SNAPTRAIL_TOKEN_FILE",
  tlsCa: "SNAPTRAIL_TLS_CA",
  tlsCert: "SNAPTRAIL_TLS_CERT",
  tlsKey: "SNAPTRAIL_TLS_KEY",
  outputHashTimeoutMs: "SNAPTRAIL_OUTPUT_HASH_TIMEOUT_MS",
  maxCacheOutputBytes: "SNAPTRAIL_MAX_CACHE_OUTPUT_BYTES",
  cacheUploadTimeoutMs: "SNAPTRAIL_CACHE_UPLOAD_TIMEOUT_MS",
  restore: "SNAPTRAIL_RESTORE",
  restoreEnv: "SNAPTRAIL_RESTORE_ENV",
  restoreInto: "SNAPTRAIL_RESTORE_INTO",
  pin: "SNAPTRAIL_PIN",
} as const;

export function resolveAgentOptions(sources: OptionSources): AgentOptions {
  return resolveOptions(agentOptionsSchema, AGENT_ENV_NAMES, {
    ...sources,
    file: sources.file ?? sources.env?.SNAPTRAIL_CONFIG,
  });
}

/** The per-user spool: $XDG_STATE_HOME/snaptrail/spool, else ~/.local/state/snaptrail/spool. */
export function defaultSpoolDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_STATE_HOME;
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, "snaptrail", "spool");
  const home = env.HOME !== undefined && env.HOME !== "" ? env.HOME : os.homedir();
  return path.join(home, ".local", "state", "snaptrail", "spool");
}

/** The spool folder these options name, or undefined when the spool is turned off (""). */
export function spoolDirFor(options: Pick<AgentOptions, "spoolDir">, env: NodeJS.ProcessEnv): string | undefined {
  if (options.spoolDir === undefined) return defaultSpoolDir(env);
  return options.spoolDir === "" ? undefined : path.resolve(options.spoolDir);
}
