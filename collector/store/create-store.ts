import { ConfigError } from "../../core/errors.js";
import type { Store } from "./store.js";

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/** The file a store URL names, for `sqlite:PATH` or a bare path; undefined for other schemes. */
export function sqlitePathOf(url: string): string | undefined {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive ("C:\\db"), and ":memory:" has none.
  if (scheme === undefined || scheme.length === 1) return url;
  if (scheme !== "sqlite") return undefined;
  const rest = url.slice("sqlite:".length);
  // sqlite:///abs/path.db and sqlite://rel.db are accepted beside sqlite:/abs/path.db.
  return rest.startsWith("//") ? rest.slice(2) : rest;
}

export interface CreateStoreDeps {
  /** Where the ClickHouse password comes from (SNAPTRAIL_CLICKHOUSE_PASSWORD[_FILE]); process.env by default. */
  env?: NodeJS.ProcessEnv;
  logger?: { warn(obj: object, msg: string): void };
}

/**
 * The one place a Store is chosen: `sqlite:PATH` or a bare path opens the embedded SQLite file
 * (":memory:" for a throwaway one); `clickhouse://USER@HOST:PORT/DB` (`clickhouses://` for
 * HTTPS) opens ClickHouse over its HTTP interface. Each backend's module, and its client
 * library, is loaded only when chosen.
 */
export async function createStore(url: string, deps: CreateStoreDeps = {}): Promise<Store> {
  if (url.trim() === "") throw new ConfigError("store url is empty: give a SQLite file path or sqlite:PATH");
  const path = sqlitePathOf(url);
  if (path !== undefined) {
    if (path === "") throw new ConfigError(`store url ${url} names no file`);
    const { openSqliteStore } = await import("./sqlite-store.js");
    return openSqliteStore(path, deps.logger ? { logger: deps.logger } : {});
  }
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === "clickhouse" || scheme === "clickhouses") {
    const [{ parseClickHouseUrl }, { openClickHouseStore }] = await Promise.all([
      import("./clickhouse-store-options.js"),
      import("./clickhouse-store.js"),
    ]);
    return openClickHouseStore(parseClickHouseUrl(url, deps.env ?? process.env), deps.logger);
  }
  throw new ConfigError(`unknown store url scheme "${scheme}:" in ${url}: use sqlite:PATH, a file path or clickhouse://USER@HOST:PORT/DB`);
}

/** A store URL fit for logs: a password never belongs in one, but hide it if someone put it there. */
export function redactStoreUrl(url: string): string {
  return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^@/:]*):[^@/]*@/, "$1:***@");
}
