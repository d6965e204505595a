import type { ClickHouseClient } from "@clickhouse/client";
import type { CacheHit, OutputProducer, RunDetail, RunQuery, RunStatus, RunSummary } from "../../core/api-types.js";
import { SnaptrailError } from "../../core/errors.js";
import type { EnvironmentSnapshot, SnapshotEvent, SnapshotKind } from "../../core/model.js";
import type { ClickHouseStoreOptions } from "./clickhouse-store-options.js";
import { migrateClickHouse, type SchemaTarget } from "./clickhouse-schema.js";
import { listNewestRuns } from "./clickhouse-run-list.js";
import { DEFAULT_LIST_LIMIT, clampLimit } from "./list-limit.js";
import { normalisePackageName, versionMatcher } from "./package-match.js";
import { quoteClickHouseString as q, quoteClickHouseStrings as qList } from "./quote-clickhouse-string.js";
import { newestVerified } from "./clickhouse-run-index.js";
import { eventPayloads, foldRun, withoutSnapshotBodies, type RunState, type StoredEvent } from "./run-fold.js";
import {
  rowOutputs,
  toRunDetail,
  toRunRow,
  toStoredEvent,
  toSummary,
  type RunColumn,
  type RunRow,
  type SnapshotFactLookup,
  type StoredEventRow,
  type StoredRunRow,
} from "./run-row.js";
import type { Store, StoreOutcome, StoredSnapshot } from "./store.js";
import { translateClickHouseError } from "./translate-clickhouse-error.js";

export interface ClickHouseStoreLogger {
  warn(obj: object, msg: string): void;
}

// Columns of a run, in the order of the argMax tuple. Summary columns first: lists read only them.
const SUMMARY_COLUMNS = [
  "orchestrator",
  "pipeline",
  "pipeline_run",
  "step",
  "attempt",
  "status",
  "started_unix_ms",
  "finished_unix_ms",
  "exit_code",
  "signal",
  "duration_ms",
  "hostname",
  "environment_digest",
  "host_digest",
  "code_digest",
  "git_commit",
  "rollback_of",
  "cache_key",
  "cached_from",
  "sort_unix_ms",
] as const satisfies readonly RunColumn[];
const DETAIL_COLUMNS = [...SUMMARY_COLUMNS, "config", "orchestrator_context", "agent_version", "warnings", "outputs", "outputs_stored"] as const;

// A fold is stored with version = events * VERSION_SCALE + write time: more events win, then the later write.
const VERSION_SCALE = 10_000_000_000_000;

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

type EventRow = StoredEventRow & { run_id: string };

const num = (v: unknown): number => Number(v);
const STATUSES: ReadonlySet<string> = new Set<RunStatus>(["running", "succeeded", "failed"]);

export class ClickHouseStore implements Store {
  private readonly t: SchemaTarget;
  private readying: Promise<void> | undefined;
  private closed = false;
  private readonly facts = new Map<string, SnapshotFacts>();

  constructor(
    private readonly client: ClickHouseClient,
    options: ClickHouseStoreOptions,
  ) {
    this.t = { database: options.database, replicated: options.replicated, cluster: options.cluster };
  }

  /** Migrates once; after a failure the next call tries again. */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new SnaptrailError("UNAVAILABLE", "the ClickHouse store is closed"));
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
        throw new SnaptrailError("BAD_INPUT", `event ${event.eventId} must carry exactly one payload (validate before append)`);
      }
    }
    return this.guard("store events", () => this.appendBatch(events));
  }

  hasSnapshots(digests: string[]): Promise<Set<string>> {
    return this.guard("look up snapshots", () => this.storedDigests(digests));
  }

  getSnapshot(digest: string): Promise<StoredSnapshot | undefined> {
    return this.guard("read a snapshot", async () => {
      const [row] = await this.rows<{ digest: string; kind: SnapshotKind; body: string }>(
        `SELECT digest, kind, body FROM ${this.table("snapshots")} WHERE digest = ${q(digest)} LIMIT 1`,
      );
      return row ? { digest: row.digest, kind: row.kind, body: JSON.parse(row.body) as object } : undefined;
    });
  }

  async listRuns(query: RunQuery): Promise<RunSummary[]> {
    // Input errors come first, without a round trip, in the same order as SQLite.
    let matcher: ReturnType<typeof versionMatcher> | undefined;
    if (query.version !== undefined) {
      if (query.package === undefined) throw new SnaptrailError("BAD_INPUT", "version needs package: which package's version?");
      matcher = versionMatcher(query.version);
    }
    return this.guard("list runs", async () => {
      const limit = clampLimit(query.limit, DEFAULT_LIST_LIMIT);
      if (query.status !== undefined && !STATUSES.has(query.status)) return [];
      // Conditions on fold rows; clickhouse-run-list.ts keeps a row only if it is its run's latest
      // fold (a run whose step or environment changed between folds must not match on an old row).
      const conditions: string[] = [];
      if (query.pipeline !== undefined) conditions.push(`pipeline = ${q(query.pipeline)}`);
      if (query.step !== undefined) conditions.push(`step = ${q(query.step)}`);
      if (query.status !== undefined) conditions.push(`status = ${q(query.status)}`);
      if (query.package !== undefined) {
        const envs = await this.environmentsWith(normalisePackageName(query.package), matcher);
        if (envs === undefined) return [];
        conditions.push(`environment_digest IN (${envs})`);
      }
      const rows = await listNewestRuns((sql) => this.rows(sql), {
        database: this.t.database,
        columns: SUMMARY_COLUMNS,
        conditions,
        byStep: query.pipeline !== undefined,
        limit,
      });
      return rows.map((row) => toSummary(row as StoredRunRow));
    });
  }

  getRun(runId: string): Promise<RunDetail | undefined> {
    return this.guard("read a run", async () => {
      // The fold and its events are two independent point reads: ask for both at once.
      const [[row], events] = await Promise.all([
        this.latestRuns(DETAIL_COLUMNS, [runId]),
        this.rows<EventRow>(
          `SELECT run_id, event_id, type, time_unix_ms, received_unix_ms FROM ${this.table("events")} ` +
            `WHERE run_id = ${q(runId)} ORDER BY time_unix_ms, event_id LIMIT 1 BY event_id`,
        ),
      ]);
      if (!row) return undefined;
      const digests = [row.environment_digest, row.host_digest, row.code_digest].filter((d): d is string => typeof d === "string" && d !== "");
      const bodies = new Map<string, string>();
      if (digests.length > 0) {
        for (const s of await this.rows<{ digest: string; body: string }>(
          `SELECT digest, body FROM ${this.table("snapshots")} WHERE digest IN ${qList(new Set(digests))} LIMIT 1 BY digest`,
        )) {
          bodies.set(s.digest, s.body);
        }
      }
      return toRunDetail(row, events, (digest) => bodies.get(digest));
    });
  }

  findRunIds(prefix: string, limit: number): Promise<string[]> {
    return this.guard("look up run ids", async () => {
      // A range of the primary index; U+10FFFF sorts (as UTF-8 bytes) after every character a run id can hold.
      const rows = await this.rows<{ run_id: string }>(
        `SELECT DISTINCT run_id FROM ${this.table("runs_by_id")} WHERE run_id >= ${q(prefix)} AND run_id < ${q(`${prefix}\u{10FFFF}`)} ` +
          `ORDER BY run_id LIMIT ${clampLimit(limit, DEFAULT_LIST_LIMIT)}`,
      );
      return rows.map((r) => r.run_id).filter((id) => id.startsWith(prefix));
    });
  }

  findRunsByOutput(digest: string, limit: number): Promise<OutputProducer[]> {
    const max = clampLimit(limit, DEFAULT_LIST_LIMIT);
    return this.guard("look up runs by output", async () => {
      const found = await newestVerified({
        limit: max,
        candidates: (fetch) =>
          this.rows(
            `SELECT run_id, max(sort_unix_ms) AS sort_unix_ms FROM ${this.table("outputs")} WHERE digest = ${q(digest)} ` +
              `GROUP BY run_id ORDER BY sort_unix_ms DESC, run_id DESC LIMIT ${fetch}`,
          ),
        verify: async (runIds) => {
          const rows = await this.latestRuns([...SUMMARY_COLUMNS, "outputs"], runIds);
          return rows.map((row) => {
            const outputs = rowOutputs(row).filter((o) => o.digest === digest);
            return { runId: row.run_id, sortUnixMs: num(row.sort_unix_ms), item: outputs.length > 0 ? { row, outputs } : undefined };
          });
        },
      });
      return found.flatMap(({ row, outputs }) => outputs.map((o) => ({ run: toSummary(row), path: o.path, size: Number(o.size) }))).slice(0, max);
    });
  }

  findCacheHits(cacheKey: string, limit: number): Promise<CacheHit[]> {
    return this.guard("look up cache hits", async () => {
      const found = await newestVerified({
        limit: clampLimit(limit, DEFAULT_LIST_LIMIT),
        candidates: (fetch) =>
          this.rows(
            `SELECT run_id, max(sort_unix_ms) AS sort_unix_ms FROM ${this.table("runs_by_cache_key")} WHERE cache_key = ${q(cacheKey)} ` +
              `GROUP BY run_id ORDER BY sort_unix_ms DESC, run_id DESC LIMIT ${fetch}`,
          ),
        verify: async (runIds) => {
          const rows = await this.latestRuns([...SUMMARY_COLUMNS, "outputs", "outputs_stored"], runIds);
          return rows.map((row) => {
            const usable = row.cache_key === cacheKey && row.status === "succeeded" && !row.cached_from && num(row.outputs_stored) === 1;
            return {
              runId: row.run_id,
              sortUnixMs: num(row.sort_unix_ms),
              item: usable ? { run: toSummary(row), outputs: rowOutputs(row) } : undefined,
            };
          });
        },
      });
      return found;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  private table(name: string): string {
    return `${this.t.database}.${name}`;
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

  private async rows<T>(query: string): Promise<T[]> {
    const result = await this.client.query({ query, format: "JSONEachRow" });
    return result.json<T>();
  }

  private async insert(table: string, values: object[]): Promise<void> {
    if (values.length === 0) return;
    await this.client.insert({ table: this.table(table), values, format: "JSONEachRow" });
  }

  private async storedDigests(digests: Iterable<string>): Promise<Set<string>> {
    const wanted = new Set(digests);
    const present = new Set<string>();
    if (wanted.size === 0) return present;
    for (const row of await this.rows<{ digest: string }>(
      `SELECT DISTINCT digest FROM ${this.table("snapshots")} WHERE digest IN ${qList(wanted)}`,
    )) {
      present.add(row.digest);
    }
    return present;
  }

  /**
   * A subquery selecting the environments holding `name` at a matching version, or undefined
   * when none can. A PEP 440 specifier is evaluated here on the package's distinct versions (a
   * few dozen even at a million runs), then becomes an exact IN list.
   */
  private async environmentsWith(name: string, matcher: ReturnType<typeof versionMatcher> | undefined): Promise<string | undefined> {
    const packages = this.table("packages");
    if (matcher === undefined) return `SELECT env_digest FROM ${packages} WHERE name = ${q(name)}`;
    if (matcher.kind === "exact") return `SELECT env_digest FROM ${packages} WHERE name = ${q(name)} AND version = ${q(matcher.version)}`;
    const versions = await this.rows<{ version: string }>(`SELECT DISTINCT version FROM ${packages} WHERE name = ${q(name)}`);
    const matching = versions.map((v) => v.version).filter((v) => matcher.matches(v));
    if (matching.length === 0) return undefined;
    return `SELECT env_digest FROM ${packages} WHERE name = ${q(name)} AND version IN ${qList(matching)}`;
  }

  /** The latest fold of each of these runs: argMax over a tuple, points of runs_by_id's index. */
  private async latestRuns(columns: readonly RunColumn[], runIds: string[]): Promise<StoredRunRow[]> {
    const unpack = columns.map((c, i) => `tupleElement(latest, ${i + 1}) AS ${c}`).join(", ");
    return this.rows<StoredRunRow>(
      `SELECT run_id, ${unpack} FROM (` +
        `SELECT run_id, argMax((${columns.join(", ")}), version) AS latest FROM ${this.table("runs_by_id")}` +
        ` WHERE run_id IN ${qList(runIds)} GROUP BY run_id)`,
    );
  }

  private async appendBatch(events: SnapshotEvent[]): Promise<StoreOutcome[]> {
    const now = Date.now();
    // Snapshot bodies carried by the batch, by digest. Asked about together with the event ids.
    const carried = new Map<string, { kind: SnapshotKind; body: object }>();
    for (const event of events) {
      const c = event.snapshotCaptured;
      if (!c) continue;
      for (const [kind, digest, body] of [
        ["environment", c.environmentDigest, c.environment],
        ["host", c.hostDigest, c.host],
        ["code", c.codeDigest, c.code],
      ] as const) {
        if (digest && body && !carried.has(digest)) carried.set(digest, { kind, body });
      }
    }
    const ids = new Set(events.map((e) => e.eventId));
    const [knownRows, stored] = await Promise.all([
      this.rows<{ event_id: string }>(`SELECT event_id FROM ${this.table("event_ids")} WHERE event_id IN ${qList(ids)}`),
      this.storedDigests(carried.keys()),
    ]);
    const known = new Set(knownRows.map((r) => r.event_id));
    const outcomes: StoreOutcome[] = [];
    const fresh: SnapshotEvent[] = [];
    for (const event of events) {
      if (known.has(event.eventId)) {
        outcomes.push("DUPLICATE");
        continue;
      }
      known.add(event.eventId); // a second copy in this batch is a duplicate of the first
      outcomes.push("STORED");
      fresh.push(event);
    }

    // Bodies of new events, stored once by digest: packages first, then the snapshot (its row is
    // what hasSnapshots reports, so it must come after what it implies).
    const bodies = new Map<string, { kind: SnapshotKind; body: object }>();
    for (const event of fresh) {
      const c = event.snapshotCaptured;
      if (!c) continue;
      for (const digest of [c.environmentDigest, c.hostDigest, c.codeDigest]) {
        const found = digest ? carried.get(digest) : undefined;
        if (digest && found && !stored.has(digest)) bodies.set(digest, found);
      }
    }
    const newSnapshots = [...bodies];
    const packageRows: object[] = [];
    for (const [digest, { kind, body }] of newSnapshots) {
      if (kind !== "environment") continue;
      const seen = new Set<string>();
      for (const pkg of (body as Partial<EnvironmentSnapshot>).packages ?? []) {
        if (!pkg?.name) continue;
        const row = { env_digest: digest, name: normalisePackageName(pkg.name), version: pkg.version ?? "" };
        const key = `${row.name}\u0000${row.version}`;
        if (!seen.has(key)) packageRows.push(row);
        seen.add(key);
      }
    }
    const snapshotRows = newSnapshots.map(([digest, { kind, body }]) => ({
      digest,
      kind,
      body: JSON.stringify(body),
      hostname: kind === "host" ? stringField(body, ["hostname"]) : "",
      git_commit: kind === "code" ? stringField(body, ["git", "commit"]) : "",
      stored_unix_ms: now,
    }));
    for (const row of snapshotRows) this.rememberFacts(row);

    // The event_ids rows are the commit: an event whose id is recorded is an event that is
    // stored, with its snapshots. Snapshots and events are independent until then, so they are
    // written at once; a crash before the ids leaves copies that the next delivery writes again
    // (reads keep one).
    const received = fresh.map((event) => receivedEvent(event, now));
    await Promise.all([
      this.insert("packages", packageRows).then(() => this.insert("snapshots", snapshotRows)),
      this.insert(
        "events",
        received.map((e) => ({
          event_id: e.eventId,
          run_id: e.event.runId,
          type: e.type,
          time_unix_ms: e.timeUnixMs,
          received_unix_ms: now,
          body: JSON.stringify(e.event),
        })),
      ),
    ]);
    // Runs with new events are folded again; runs seen only in duplicates too when their row
    // lags their events (a collector that died between writing events and the run row). The fold
    // needs the events written, not their ids: the ids and the fold are written at once. Either
    // may be lost in a crash and the next delivery repairs it (ids missing: the events are fresh
    // again; fold missing: the run is behind its events).
    const freshByRun = new Map<string, StoredEvent[]>();
    for (const e of received) {
      let list = freshByRun.get(e.event.runId);
      if (!list) freshByRun.set(e.event.runId, (list = []));
      list.push(e);
    }
    const duplicateOnly = new Set(events.map((e) => e.runId).filter((id) => !freshByRun.has(id)));
    await Promise.all([
      this.insert(
        "event_ids",
        fresh.map((e) => ({ event_id: e.eventId, run_id: e.runId })),
      ),
      this.refoldRuns(freshByRun, duplicateOnly, now),
    ]);
    return outcomes;
  }

  /**
   * Writes the new fold of every run in `fresh` and of every run in `onlyIfBehind` whose stored
   * fold counts fewer events than are stored. A run whose only stored events are this batch's
   * (counted after they were written) is folded from the batch in memory; the others (events in
   * earlier batches, or copies from another collector) re-read their events. Counting after
   * writing keeps two collectors racing on one run right: each counts its own events, so at
   * least the later one sees both and re-reads, and its fold (more events) wins.
   */
  private async refoldRuns(fresh: Map<string, StoredEvent[]>, onlyIfBehind: Set<string>, now: number): Promise<void> {
    const all = new Set([...fresh.keys(), ...onlyIfBehind]);
    if (all.size === 0) return;
    const counts = new Map(
      (
        await this.rows<{ run_id: string; n: string | number }>(
          `SELECT run_id, count() AS n FROM ${this.table("events")} WHERE run_id IN ${qList(all)} GROUP BY run_id`,
        )
      ).map((c) => [c.run_id, num(c.n)]),
    );
    const byRun = new Map<string, Map<string, StoredEvent>>();
    const reread = new Set([...all].filter((id) => onlyIfBehind.has(id) || (counts.get(id) ?? 0) > (fresh.get(id)?.length ?? 0)));
    for (const [runId, list] of fresh) {
      if (!reread.has(runId)) byRun.set(runId, new Map(list.map((e) => [e.eventId, e])));
    }
    if (reread.size > 0) {
      for (const row of await this.rows<EventRow>(
        `SELECT run_id, event_id, type, time_unix_ms, received_unix_ms, body FROM ${this.table("events")} WHERE run_id IN ${qList(reread)}`,
      )) {
        let events = byRun.get(row.run_id);
        if (!events) byRun.set(row.run_id, (events = new Map<string, StoredEvent>()));
        const stored = toStoredEvent(row);
        // Copies of one event (two collectors raced on it): the first received is the one kept.
        const previous = events.get(row.event_id);
        if (!previous || stored.receivedUnixMs < previous.receivedUnixMs) events.set(row.event_id, stored);
      }
    }
    const behind = onlyIfBehind.size > 0 ? await this.behindRuns(onlyIfBehind, byRun) : new Set<string>();
    const states: { state: RunState; events: number }[] = [];
    for (const runId of all) {
      const events = byRun.get(runId);
      if (!events || (!fresh.has(runId) && !behind.has(runId))) continue;
      states.push({ state: foldRun(runId, [...events.values()]), events: events.size });
    }
    const facts = await this.snapshotFacts(states.flatMap(({ state }) => [state.hostDigest, state.codeDigest]));
    const lookup: SnapshotFactLookup = {
      hostname: (digest) => facts.get(digest)?.hostname || null,
      gitCommit: (digest) => facts.get(digest)?.git_commit || null,
    };
    const rows = states.map(({ state, events }) => ({
      ...withBlankText(toRunRow(state, lookup, now)),
      version: events * VERSION_SCALE + now,
      event_count: events,
    }));
    // The three at once. A list row whose version is not (yet) in runs_by_id is never shown
    // (clickhouse-run-list.ts); a fold in runs_by_id missing from a list table after a crash is
    // seen as behind by the next delivery of any of the run's events (behindRuns).
    const listRows = rows.map((r) => ({
      run_id: r.run_id,
      version: r.version,
      pipeline: r.pipeline,
      step: r.step,
      status: r.status,
      environment_digest: r.environment_digest,
      sort_unix_ms: r.sort_unix_ms,
    }));
    // Index rows for `which` and cache lookups; readers check them against the latest fold.
    const outputRows = states.flatMap(({ state: s }, i) =>
      s.outputs
        .filter((o) => o.digest !== "")
        .map((o) => ({ digest: o.digest, run_id: s.runId, path: o.path, size: o.size, version: rows[i]!.version, sort_unix_ms: s.sortUnixMs })),
    );
    const cacheRows = rows.filter((r) => r.cache_key !== "").map((r) => ({ cache_key: r.cache_key, run_id: r.run_id, version: r.version, sort_unix_ms: r.sort_unix_ms }));
    await Promise.all([
      this.insert("runs_by_step", listRows),
      this.insert("runs_by_time", listRows),
      this.insert("outputs", outputRows),
      this.insert("runs_by_cache_key", cacheRows),
      this.insert("runs_by_id", rows),
    ]);
  }

  /**
   * Runs whose stored fold lags: it counts fewer events than are stored, or a list table lacks
   * it (a crash between the fold's writes). Only runs seen in nothing but duplicates get here:
   * the latest folds' own keys make both list tables' lookups ranges of their indexes.
   */
  private async behindRuns(runIds: Set<string>, byRun: Map<string, Map<string, StoredEvent>>): Promise<Set<string>> {
    type Head = { run_id: string; version: string | number; n: string | number; pipeline: string; step: string; sort_unix_ms: string | number };
    const heads = await this.rows<Head>(
      `SELECT run_id, tupleElement(h, 1) AS version, tupleElement(h, 2) AS n, tupleElement(h, 3) AS pipeline, tupleElement(h, 4) AS step, ` +
        `tupleElement(h, 5) AS sort_unix_ms FROM (SELECT run_id, argMax((version, event_count, pipeline, step, sort_unix_ms), version) AS h ` +
        `FROM ${this.table("runs_by_id")} WHERE run_id IN ${qList(runIds)} GROUP BY run_id)`,
    );
    const behind = new Set([...runIds].filter((id) => !heads.some((h) => h.run_id === id && num(h.n) >= (byRun.get(id)?.size ?? 0))));
    if (heads.length === 0) return behind;
    const ids = qList(heads.map((h) => h.run_id));
    const versions = (sql: string) => this.rows<{ run_id: string; version: string | number }>(sql).then((r) => new Set(r.map((x) => `${x.run_id}\u0000${String(x.version)}`)));
    const [byStep, byTime] = await Promise.all([
      versions(
        `SELECT run_id, version FROM ${this.table("runs_by_step")} WHERE pipeline IN ${qList(heads.map((h) => h.pipeline))} ` +
          `AND step IN ${qList(heads.map((h) => h.step))} AND run_id IN ${ids}`,
      ),
      versions(`SELECT run_id, version FROM ${this.table("runs_by_time")} WHERE sort_unix_ms IN (${heads.map((h) => num(h.sort_unix_ms)).join(", ")}) AND run_id IN ${ids}`),
    ]);
    for (const h of heads) {
      const key = `${h.run_id}\u0000${String(h.version)}`;
      if (!byStep.has(key) || !byTime.has(key)) behind.add(h.run_id);
    }
    return behind;
  }

  /** Host name and git commit of host and code snapshots: content-addressed, so cached for good. */
  private async snapshotFacts(digests: (string | null)[]): Promise<Map<string, SnapshotFacts>> {
    const wanted = new Set(digests.filter((d): d is string => !!d));
    const missing = [...wanted].filter((d) => !this.facts.has(d));
    if (missing.length > 0) {
      for (const f of await this.rows<SnapshotFacts & { digest: string }>(
        `SELECT digest, hostname, git_commit FROM ${this.table("snapshots")} WHERE digest IN ${qList(missing)} LIMIT 1 BY digest`,
      )) {
        this.rememberFacts(f);
      }
    }
    const found = new Map<string, SnapshotFacts>();
    for (const d of wanted) {
      const f = this.facts.get(d);
      if (f) found.set(d, f);
    }
    return found;
  }

  private rememberFacts(row: SnapshotFacts & { digest: string }): void {
    if (this.facts.size >= MAX_CACHED_FACTS) this.facts.clear();
    this.facts.set(row.digest, { hostname: row.hostname, git_commit: row.git_commit });
  }
}

interface SnapshotFacts {
  hostname: string;
  git_commit: string;
}
const MAX_CACHED_FACTS = 100_000;

/** An event just received, as the fold sees it (toStoredEvent reads the same back from the events table). */
function receivedEvent(event: SnapshotEvent, now: number): StoredEvent {
  return {
    eventId: event.eventId,
    type: eventPayloads(event)[0]!,
    timeUnixMs: Number(event.timeUnixMs ?? 0),
    receivedUnixMs: now,
    event: withoutSnapshotBodies(event),
  };
}

function stringField(body: object, path: string[]): string {
  let value: unknown = body;
  for (const key of path) value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value : "";
}

type TextOrNullColumn = { [K in keyof RunRow]: RunRow[K] extends string | null ? (null extends RunRow[K] ? K : never) : never }[keyof RunRow];
type ClickHouseRunRow = { [K in keyof RunRow]: K extends TextOrNullColumn ? string : RunRow[K] };

// ClickHouse 18.16 has Nullable numbers here but plain String text: absent text is written "".
const TEXT_OR_NULL: Record<TextOrNullColumn, true> = {
  signal: true,
  error: true,
  environment_digest: true,
  host_digest: true,
  code_digest: true,
  git_commit: true,
  rollback_of: true,
  cache_key: true,
  cached_from: true,
  config: true,
  orchestrator_context: true,
};

function withBlankText(row: RunRow): ClickHouseRunRow {
  const out: Record<string, unknown> = { ...row };
  for (const column of Object.keys(TEXT_OR_NULL) as TextOrNullColumn[]) out[column] = row[column] ?? "";
  return out as ClickHouseRunRow;
}
