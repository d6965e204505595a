import { readFileSync } from "node:fs";
import { ConfigError, errorMessage } from "../../core/errors.js";

export const CLICKHOUSE_PASSWORD_ENV = "SNAPTRAIL_CLICKHOUSE_PASSWORD";
export const CLICKHOUSE_PASSWORD_FILE_ENV = "SNAPTRAIL_CLICKHOUSE_PASSWORD_FILE";

export interface ClickHouseStoreOptions {
  /** "http://host:port" or "https://host:port": the HTTP interface, not the native TCP port. */
  httpUrl: string;
  username: string;
  password: string;
  /** One word: [A-Za-z_][A-Za-z0-9_]*, so it goes into SQL text unquoted and needs no escaping. */
  database: string;
  /** Tables as Replicated*MergeTree (a cluster with ZooKeeper and {shard}/{replica} macros). */
  replicated: boolean;
  /** Run DDL with ON CLUSTER this cluster (a remote_servers entry); empty: on this server only. */
  cluster: string;
  /** One HTTP request to ClickHouse (query or insert) gives up after this long. */
  requestTimeoutMs: number;
}

// Every ClickHouse store default lives here.
export const CLICKHOUSE_DEFAULTS = {
  username: "default",
  port: { http: 8123, https: 8443 },
  requestTimeoutMs: 30_000,
} as const;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses clickhouse://USER@HOST:PORT/DB (clickhouses:// for HTTPS) with optional
 * ?replicated=1&cluster=NAME&timeout_ms=N. The password comes from SNAPTRAIL_CLICKHOUSE_PASSWORD
 * or the file named by SNAPTRAIL_CLICKHOUSE_PASSWORD_FILE, never from the URL: a URL ends up on
 * command lines, in `ps` and in logs.
 */
export function parseClickHouseUrl(url: string, env: NodeJS.ProcessEnv = process.env): ClickHouseStoreOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new ConfigError(`store url ${url} is not a valid URL: ${errorMessage(err)}`, { cause: err });
  }
  const scheme = parsed.protocol.replace(/:$/, "").toLowerCase();
  if (scheme !== "clickhouse" && scheme !== "clickhouses") throw new ConfigError(`store url ${url} is not clickhouse://`);
  if (parsed.password !== "") {
    throw new ConfigError(
      `store url must not carry a password: set ${CLICKHOUSE_PASSWORD_ENV} or ${CLICKHOUSE_PASSWORD_FILE_ENV} instead`,
    );
  }
  if (parsed.hostname === "") throw new ConfigError(`store url ${redact(url)} names no host: clickhouse://USER@HOST:PORT/DB`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!IDENTIFIER.test(database)) {
    throw new ConfigError(`store url ${redact(url)}: database "${database}" must be one word of letters, digits and _ (clickhouse://USER@HOST:PORT/DB)`);
  }
  const https = scheme === "clickhouses";
  const port = parsed.port || String(https ? CLICKHOUSE_DEFAULTS.port.https : CLICKHOUSE_DEFAULTS.port.http);
  const cluster = parsed.searchParams.get("cluster") ?? "";
  if (cluster !== "" && !IDENTIFIER.test(cluster)) throw new ConfigError(`store url: cluster "${cluster}" must be one word of letters, digits and _`);
  const replicated = parsed.searchParams.get("replicated");
  if (replicated !== null && !["0", "1", "true", "false"].includes(replicated)) {
    throw new ConfigError(`store url: replicated must be 1 or 0, got "${replicated}"`);
  }
  const timeout = parsed.searchParams.get("timeout_ms");
  const requestTimeoutMs = timeout === null ? CLICKHOUSE_DEFAULTS.requestTimeoutMs : Number(timeout);
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs <= 0) throw new ConfigError(`store url: timeout_ms must be a positive whole number, got "${timeout}"`);
  for (const key of parsed.searchParams.keys()) {
    if (!["cluster", "replicated", "timeout_ms"].includes(key)) throw new ConfigError(`store url: unknown parameter "${key}" (known: replicated, cluster, timeout_ms)`);
  }
  return {
    httpUrl: `${https ? "https" : "http"}://${parsed.hostname}:${port}`,
    username: parsed.username === "" ? CLICKHOUSE_DEFAULTS.username : decodeURIComponent(parsed.username),
    password: readPassword(env),
    database,
    replicated: replicated === "1" || replicated === "true",
    cluster,
    requestTimeoutMs,
  };
}

function readPassword(env: NodeJS.ProcessEnv): string {
  const file = env[CLICKHOUSE_PASSWORD_FILE_ENV];
  const direct = env[CLICKHOUSE_PASSWORD_ENV];
  if (file !== undefined && file !== "") {
    if (direct !== undefined && direct !== "") throw new ConfigError(`set ${CLICKHOUSE_PASSWORD_ENV} or ${CLICKHOUSE_PASSWORD_FILE_ENV}, not both`);
    try {
      // One trailing newline is what editors and `echo` leave; it is not part of the password.
      return readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch (err) {
      throw new ConfigError(`cannot read ${CLICKHOUSE_PASSWORD_FILE_ENV} ${file}: ${errorMessage(err)}`, { cause: err });
    }
  }
  return direct ?? "";
}

/** The URL without anything secret, for messages (there is no password in it, but be sure). */
export function redact(url: string): string {
  return url.replace(/\/\/([^@/]*):[^@/]*@/, "//$1:***@");
}
