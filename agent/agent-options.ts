import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { resolveOptions, type OptionSources } from "../core/config/resolve-options.js";

const count = () => z.coerce.number({ error: "must be a number" }).int("must be a whole number").positive("must be positive");

const nameList = () => z.union([z.array(z.string()), z.string().transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))]);

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, "expected HOST:PORT");

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
  /** Fingerprint cache folder; "" turns the cache off. Unset: $XDG_CACHE_HOME/snaptrail or ~/.cache/snaptrail. */
  cacheDir: z.string().optional(),
  rollbackOf: z.string().optional(),
  /** The collector's HTTP query API: restores and cache lookups read from it. */
  collectorHttp: z.string().url("expected http://HOST:PORT").default("http://127.0.0.1:8077"),
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
  cacheDir: "SNAPTRAIL_CACHE_DIR",
  retryForMs: "SNAPTRAIL_RETRY_FOR_MS",
  spoolDir: "SNAPTRAIL_SPOOL_DIR",
  maxSpoolBytes: "SNAPTRAIL_MAX_SPOOL_BYTES",
  collectorHttp: "SNAPTRAIL_COLLECTOR_HTTP",
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
