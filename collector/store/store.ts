import type { CacheHit, OutputProducer, RunDetail, RunListPosition, RunQuery, RunSummary, StoredSnapshot } from "../../core/api-types.js";
import type { Role } from "../../core/auth/roles.js";
import type { SnapshotEvent } from "../../core/model.js";

export type { StoredSnapshot } from "../../core/api-types.js";

/**
 * A refused event: it contradicts a part its run already holds (run-parts.ts), so nothing of it
 * was stored. Never retryable: the same event is refused again.
 */
export interface StoreRefusal {
  outcome: "REFUSED";
  reason: string;
}

/** Per event: stored, already held (same event id, or the same part said again), or refused. */
export type StoreOutcome = "STORED" | "DUPLICATE" | StoreRefusal;

/**
 * An API token as stored: never the token, only its secret's SHA-256. Records are never deleted
 * (revoking one sets revokedUnixMs): who could do what, and when, stays on record.
 */
export interface StoredToken {
  id: string;
  name: string;
  role: Role;
  secretSha256: string;
  createdUnixMs: number;
  /** Refused from then on; null for a token that does not expire. */
  expiresUnixMs: number | null;
  revokedUnixMs: number | null;
}

export function isRefusal(outcome: StoreOutcome): outcome is StoreRefusal {
  return typeof outcome === "object";
}

/**
 * The collector's database. Implementations: sqlite (sqlite-store.ts, the embedded default) and
 * clickhouse (clickhouse-store.ts), chosen in create-store.ts; both build their rows in run-row.ts.
 * Events reaching `append` are validated: ids present, snapshot bodies match their digests,
 * referenced digests exist.
 */
export interface Store {
  /**
   * Stores the events and the snapshot bodies they carry, de-duplicated on event id and
   * digest. An event that says again what its run holds is DUPLICATE; one that contradicts it
   * (each part of a run is written once, run-parts.ts) is refused and not stored, judged in
   * batch order (of two conflicting events in one batch the first is stored). Resolves only
   * once the batch is durable: the caller acks after this.
   */
  append(events: SnapshotEvent[]): Promise<StoreOutcome[]>;
  /** The subset of these snapshot digests that is stored. */
  hasSnapshots(digests: string[]): Promise<Set<string>>;
  getSnapshot(digest: string): Promise<StoredSnapshot | undefined>;
  listRuns(query: RunQuery): Promise<RunSummary[]>;
  /** listRuns, and where the page after it starts (null when no run follows). */
  listRunPage(query: RunQuery): Promise<{ runs: RunSummary[]; next: RunListPosition | null }>;
  getRun(runId: string): Promise<RunDetail | undefined>;
  /**
   * The versions of package `name` (any spelling: normalised as PEP 503) that each of these
   * environment snapshots holds, by environment digest, each list sorted; an environment without
   * the package is not a key. Answers which version each run of a package search had.
   */
  packageVersions(name: string, environmentDigests: string[]): Promise<Map<string, string[]>>;
  /** Run ids starting with `prefix`, at most `limit`: lets people type a unique prefix. */
  findRunIds(prefix: string, limit: number): Promise<string[]>;
  /** Runs that recorded an output with this content digest, newest first, at most `limit`. */
  findRunsByOutput(digest: string, limit: number): Promise<OutputProducer[]>;
  /**
   * Candidates for a cache hit on `cacheKey`, newest first, at most `limit`: succeeded runs
   * that ran their command (not cache hits themselves) and stored every output they declared.
   * Whether the blobs are still there is the caller's check (the store does not hold blobs).
   */
  findCacheHits(cacheKey: string, limit: number): Promise<CacheHit[]>;
  /** Keeps a new token record (ids are random; an id already stored is a bug, refused). */
  createToken(token: StoredToken): Promise<void>;
  getToken(id: string): Promise<StoredToken | undefined>;
  /** Every token record, newest first, revoked and expired ones included. */
  listTokens(): Promise<StoredToken[]>;
  /** Marks a token revoked at `atUnixMs`; false when no such token. Revoking twice keeps the first time. */
  revokeToken(id: string, atUnixMs: number): Promise<boolean>;
  /**
   * Resolves when the store could take a write now (reached, migrated, not locked), else throws
   * UNAVAILABLE: the collector's readiness. Reads and writes nothing.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}
