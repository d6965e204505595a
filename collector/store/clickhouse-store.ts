import type { ClickHouseClient } from "@clickhouse/client";
import type { CacheHit, OutputProducer, RunDetail, RunListPosition, RunQuery, RunSummary } from "../../core/api-types.js";
import { BadInputError, SnaptrailError, UnavailableError } from "../../core/errors.js";
import type { SnapshotEvent } from "../../core/model.js";
import { ClickHouseDatabase } from "./clickhouse-database.js";
import { ClickHouseReader } from "./clickhouse-reader.js";
import type { ClickHouseStoreOptions } from "./clickhouse-store-options.js";
import { migrateClickHouse, type SchemaTarget } from "./clickhouse-schema.js";
import { ClickHouseTokens } from "./clickhouse-tokens.js";
import { ClickHouseWriter } from "./clickhouse-writer.js";
import { versionMatcher, type VersionMatcher } from "./package-match.js";
import { eventPayloads } from "./run-fold.js";
import type { Store, StoreOutcome, StoredSnapshot, StoredToken } from "./store.js";
import { translateClickHouseError } from "./translate-clickhouse-error.js";

export interface ClickHouseStoreLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Opens the ClickHouse store and migrates the schema. When ClickHouse cannot be reached the
 * store opens anyway and every call retries the migration first and fails with UNAVAILABLE
 * until it succeeds: the collector comes up, acks nothing, and agents keep their events.
 * Wrong credentials or a newer schema fail here, at once. @clickhouse/client is loaded here,
 * lazily: nothing else in snaptrail imports it.
 */
export async function openClickHouseStore(options: ClickHouseStoreOptions, logger?: ClickHouseStoreLogger): Promise<ClickHouseStore> {
  const { createClient, ClickHouseLogLevel } = await import("@clickhouse/client");
  const client = createClient({
    url: options.httpUrl,
    username: options.username,
    password: options.password,
    request_timeout: options.requestTimeoutMs,
    // Failures reach the caller as errors and are logged by the collector once, translated.
    log: { level: ClickHouseLogLevel.OFF },
    // A server restart leaves idle sockets dead: drop them well before the server would.
    keep_alive: { enabled: true, idle_socket_ttl: 1500 },
  });
  const store = new ClickHouseStore(client, options);
  try {
    await store.ready();
  } catch (err) {
    if (err instanceof SnaptrailError && err.code === "UNAVAILABLE") {
      logger?.warn({ err: err.message }, "ClickHouse is not reachable yet: nothing will be acked until it is");
      return store;
    }
    await client.close();
    throw err;
  }
  return store;
}

/**
 * The Store on ClickHouse: the write path (clickhouse-writer.ts) and the read path
 * (clickhouse-reader.ts) behind one boundary that migrates first, checks input before any round
 * trip and translates ClickHouse's errors.
 */
export class ClickHouseStore implements Store {
  private readonly t: SchemaTarget;
  private readonly writer: ClickHouseWriter;
  private readonly reader: ClickHouseReader;
  private readonly tokens: ClickHouseTokens;
  private readying: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly client: ClickHouseClient,
    options: ClickHouseStoreOptions,
  ) {
    this.t = { database: options.database, replicated: options.replicated, cluster: options.cluster };
    const db = new ClickHouseDatabase(client, options.database);
    this.writer = new ClickHouseWriter(db);
    this.reader = new ClickHouseReader(db);
    this.tokens = new ClickHouseTokens(db);
  }

  /** Migrates once; after a failure the next call tries again. */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new UnavailableError("the ClickHouse store is closed"));
    this.readying ??= migrateClickHouse(this.client, this.t).then(
      () => undefined,
      (err: unknown) => {
        this.readying = undefined;
        throw translateClickHouseError(err, "migrate the schema");
      },
    );
    return this.readying;
  }

  async append(events: SnapshotEvent[]): Promise<StoreOutcome[]> {
    if (events.length === 0) return [];
    for (const event of events) {
      const [type, ...extra] = eventPayloads(event);
      if (!type || extra.length > 0) {
        throw new BadInputError(`event ${event.eventId} must carry exactly one payload (validate before append)`);
      }
    }
    return this.guard("store events", () => this.writer.append(events));
  }

  hasSnapshots(digests: string[]): Promise<Set<string>> {
    return this.guard("look up snapshots", () => this.reader.hasSnapshots(digests));
  }

  getSnapshot(digest: string): Promise<StoredSnapshot | undefined> {
    return this.guard("read a snapshot", () => this.reader.getSnapshot(digest));
  }

  async listRuns(query: RunQuery): Promise<RunSummary[]> {
    return (await this.listRunPage(query)).runs;
  }

  async listRunPage(query: RunQuery): Promise<{ runs: RunSummary[]; next: RunListPosition | null }> {
    // Input errors come first, without a round trip, in the same order as SQLite.
    let matcher: VersionMatcher | undefined;
    if (query.version !== undefined) {
      if (query.package === undefined) throw new BadInputError("version needs package: which package's version?");
      matcher = versionMatcher(query.version);
    }
    return this.guard("list runs", () => this.reader.listRuns(query, matcher));
  }

  getRun(runId: string): Promise<RunDetail | undefined> {
    return this.guard("read a run", () => this.reader.getRun(runId));
  }

  packageVersions(name: string, environmentDigests: string[]): Promise<Map<string, string[]>> {
    return this.guard("look up package versions", () => this.reader.packageVersions(name, environmentDigests));
  }

  findRunIds(prefix: string, limit: number): Promise<string[]> {
    return this.guard("look up run ids", () => this.reader.findRunIds(prefix, limit));
  }

  findRunsByOutput(digest: string, limit: number): Promise<OutputProducer[]> {
    return this.guard("look up runs by output", () => this.reader.findRunsByOutput(digest, limit));
  }

  findCacheHits(cacheKey: string, limit: number): Promise<CacheHit[]> {
    return this.guard("look up cache hits", () => this.reader.findCacheHits(cacheKey, limit));
  }

  createToken(token: StoredToken): Promise<void> {
    return this.guard("store a token", () => this.tokens.create(token));
  }

  getToken(id: string): Promise<StoredToken | undefined> {
    return this.guard("read a token", () => this.tokens.get(id));
  }

  listTokens(): Promise<StoredToken[]> {
    return this.guard("list tokens", () => this.tokens.list());
  }

  revokeToken(id: string, atUnixMs: number): Promise<boolean> {
    return this.guard("revoke a token", () => this.tokens.revokeAt(id, atUnixMs));
  }

  /** Migrated (so a first start is unready until the schema exists) and answering a query. */
  ping(): Promise<void> {
    return this.guard("answer a ping", async () => {
      const answer = await this.client.query({ query: "SELECT 1", format: "JSONEachRow" });
      await answer.json();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  /** Every call: migrated first, ClickHouse errors translated at this boundary. */
  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    await this.ready();
    try {
      return await fn();
    } catch (err) {
      throw translateClickHouseError(err, what);
    }
  }
}
