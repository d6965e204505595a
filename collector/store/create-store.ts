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

/**
 * The one place a Store is chosen: `sqlite:PATH` or a bare path opens the embedded SQLite file
 * (":memory:" for a throwaway one); `clickhouse://...` is reserved for the ClickHouse backend.
 */
export async function createStore(url: string): Promise<Store> {
  if (url.trim() === "") throw new ConfigError("store url is empty: give a SQLite file path or sqlite:PATH");
  const path = sqlitePathOf(url);
  if (path !== undefined) {
    if (path === "") throw new ConfigError(`store url ${url} names no file`);
    const { openSqliteStore } = await import("./sqlite-store.js");
    return openSqliteStore(path);
  }
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === "clickhouse" || scheme === "clickhouses") {
    throw new ConfigError("clickhouse store is not available yet: use a SQLite file (sqlite:PATH)");
  }
  throw new ConfigError(`unknown store url scheme "${scheme}:" in ${url}: use sqlite:PATH or a file path`);
}
