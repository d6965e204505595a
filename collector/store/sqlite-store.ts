import { existsSync } from "node:fs";
import { ensurePrivateFile, looserThanPrivate } from "../../core/fs/private-files.js";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import type Sqlite from "better-sqlite3";
import type { CacheHit, OutputProducer, RunDetail, RunListPosition, RunQuery, RunSummary } from "../../core/api-types.js";
import { BadInputError, ConfigError, errorMessage, SnaptrailError, UnavailableError } from "../../core/errors.js";
import type { EnvironmentSnapshot, SnapshotEvent, SnapshotKind } from "../../core/model.js";
import { DEFAULT_LIST_LIMIT, clampLimit } from "./list-limit.js";
import { normalisePackageName, versionMatcher, type VersionMatcher } from "./package-match.js";
import { eventPayloads, foldRun, foldRunParts, withoutSnapshotBodies, type EventType, type StoredEvent } from "./run-fold.js";
import { holdEvent, judgeEvent, type RunParts } from "./run-parts.js";
import { LIST_ROW_COLUMNS, MAX_CHILDREN, rowFromValues, rowOutputs, toRunDetail, toRunRow, toStoredEvent, toSummary, type RunRow, type SnapshotFactLookup } from "./run-row.js";
import { startCheckpointer, type Checkpointer } from "./sqlite-checkpointer.js";
import { migrate } from "./sqlite-schema.js";
import { SqliteTokens } from "./sqlite-tokens.js";
import type { Store, StoreOutcome, StoredSnapshot, StoredToken } from "./store.js";

export { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from "./list-limit.js";

const LIST_COLUMNS = LIST_ROW_COLUMNS.map((c) => `r.${c}`).join(", ");

export interface SqliteStoreOptions {
  /** How long a statement waits for another connection's lock before failing. */
  busyTimeoutMs?: number;
  /** Told once when the database file is open to group or others. */
  logger?: { warn(obj: object, msg: string): void };
}

interface EventRow {
  event_id: string;
  type: EventType;
  time_unix_ms: number;
  received_unix_ms: number;
  body: string;
}

interface SnapshotRow {
  digest: string;
  kind: SnapshotKind;
  body: string;
}

/**
 * Opens (creating when needed) a SQLite store: WAL journal, synchronous=FULL so a committed
 * batch survives power loss, schema migrated to the current version. better-sqlite3 is loaded
 * here, lazily, so nothing that merely imports the Store types pays for the native module.
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  const Database = createRequire(import.meta.url)("better-sqlite3") as typeof Sqlite;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let db: Sqlite.Database | undefined;
  try {
    if (path !== ":memory:") {
      // SQLite creates the -wal and -shm files with the database file's mode: a private file
      // made here before SQLite opens it keeps all three private.
      ensurePrivateFile(resolve(path));
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        const loose = existsSync(file) ? looserThanPrivate(file) : undefined;
        if (loose) options.logger?.warn({ file, fix: `chmod 600 ${file}` }, `the store's file ${file} is readable beyond its owner (${loose}): it holds every team's runs`);
      }
    }
    db = new Database(path, { timeout: busyTimeoutMs });
    db.pragma(`busy_timeout = ${Math.floor(busyTimeoutMs)}`);
    const mode = db.pragma("journal_mode = WAL", { simple: true }) as string;
    if (path !== ":memory:" && mode.toLowerCase() !== "wal") {
      throw new Error(`journal_mode is ${mode}, WAL could not be enabled`);
    }
    db.pragma("synchronous = FULL");
    // 64 MiB of page cache (default 2 MiB): event ids are random UUIDs, so inserts touch pages
    // all over the primary-key index; with the default cache ingest slows as the file grows.
    db.pragma("cache_size = -65536");
    migrate(db);
    const opened = db;
    let checkpointer: Checkpointer | undefined;
    if (path !== ":memory:") {
      opened.pragma("wal_autocheckpoint = 0");
      checkpointer = startCheckpointer(resolve(path), busyTimeoutMs, () => {
        // The worker is gone: the ingest thread checkpoints again, as SQLite does by default.
        if (opened.open) opened.pragma("wal_autocheckpoint = 1000");
      });
    }
    return new SqliteStore(db, checkpointer);
  } catch (err) {
    db?.close();
    if (err instanceof SnaptrailError) throw err;
    throw new ConfigError(`cannot open SQLite database ${path}: ${errorMessage(err)}`, { cause: err });
  }
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

function prepareStatements(db: Sqlite.Database) {
  return {
    insertEvent: db.prepare<[string, string, string, number, number, string]>(
      "INSERT OR IGNORE INTO events (event_id, run_id, type, time_unix_ms, received_unix_ms, body) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    hasEvent: db.prepare<[string], { n: number }>("SELECT 1 AS n FROM events WHERE event_id = ?"),
    insertSnapshot: db.prepare<[string, string, string, number]>(
      "INSERT OR IGNORE INTO snapshots (digest, kind, body, stored_unix_ms) VALUES (?, ?, ?, ?)",
    ),
    insertPackage: db.prepare<[string, string, string]>("INSERT OR IGNORE INTO packages (env_digest, name, version) VALUES (?, ?, ?)"),
    eventsOfRun: db.prepare<[string], EventRow>(
      "SELECT event_id, type, time_unix_ms, received_unix_ms, body FROM events WHERE run_id = ? ORDER BY time_unix_ms, event_id",
    ),
    snapshotField: db.prepare<[string, string], { value: unknown }>("SELECT json_extract(body, ?) AS value FROM snapshots WHERE digest = ?"),
    upsertRun: db.prepare(`
      INSERT INTO runs (run_id, orchestrator, pipeline, pipeline_run, step, attempt, status, started_unix_ms,
        finished_unix_ms, exit_code, signal, error, duration_ms, hostname, environment_digest, host_digest, code_digest,
        git_commit, rollback_of, cache_key, cached_from, parent_run_id, outputs, outputs_stored, config, orchestrator_context, agent_version,
        warnings, sort_unix_ms, updated_unix_ms)
      VALUES (@run_id, @orchestrator, @pipeline, @pipeline_run, @step, @attempt, @status, @started_unix_ms,
        @finished_unix_ms, @exit_code, @signal, @error, @duration_ms, @hostname, @environment_digest, @host_digest,
        @code_digest, @git_commit, @rollback_of, @cache_key, @cached_from, @parent_run_id, @outputs, @outputs_stored, @config,
        @orchestrator_context, @agent_version, @warnings,
        @sort_unix_ms, @updated_unix_ms)
      ON CONFLICT (run_id) DO UPDATE SET orchestrator = excluded.orchestrator, pipeline = excluded.pipeline,
        pipeline_run = excluded.pipeline_run, step = excluded.step, attempt = excluded.attempt, status = excluded.status,
        started_unix_ms = excluded.started_unix_ms, finished_unix_ms = excluded.finished_unix_ms,
        exit_code = excluded.exit_code, signal = excluded.signal, error = excluded.error,
        duration_ms = excluded.duration_ms, hostname = excluded.hostname,
        environment_digest = excluded.environment_digest, host_digest = excluded.host_digest,
        code_digest = excluded.code_digest, git_commit = excluded.git_commit, rollback_of = excluded.rollback_of,
        cache_key = excluded.cache_key, cached_from = excluded.cached_from, parent_run_id = excluded.parent_run_id,
        outputs = excluded.outputs,
        outputs_stored = excluded.outputs_stored, config = excluded.config, orchestrator_context = excluded.orchestrator_context,
        agent_version = excluded.agent_version, warnings = excluded.warnings, sort_unix_ms = excluded.sort_unix_ms,
        updated_unix_ms = excluded.updated_unix_ms`),
    getRun: db.prepare<[string], RunRow>("SELECT * FROM runs WHERE run_id = ?"),
    children: db.prepare<[string, number], { run_id: string }>(
      "SELECT run_id FROM runs WHERE parent_run_id = ? ORDER BY sort_unix_ms DESC, run_id DESC LIMIT ?",
    ),
    getSnapshot: db.prepare<[string], SnapshotRow>("SELECT digest, kind, body FROM snapshots WHERE digest = ?"),
    hasSnapshots: db.prepare<[string], { digest: string }>(
      "SELECT digest FROM snapshots WHERE digest IN (SELECT value FROM json_each(?))",
    ),
    deleteOutputs: db.prepare<[string]>("DELETE FROM outputs WHERE run_id = ?"),
    insertOutput: db.prepare<[string, string, string, number]>("INSERT OR IGNORE INTO outputs (digest, run_id, path, size) VALUES (?, ?, ?, ?)"),
    runsByOutput: db.prepare<[string, number], RunRow & { output_path: string; output_size: number }>(
      "SELECT r.*, o.path AS output_path, o.size AS output_size FROM outputs o JOIN runs r ON r.run_id = o.run_id " +
        "WHERE o.digest = ? ORDER BY r.sort_unix_ms DESC, r.run_id DESC, o.path LIMIT ?",
    ),
    cacheHits: db.prepare<[string, number], RunRow>(
      "SELECT * FROM runs WHERE cache_key = ? AND status = 'succeeded' AND cached_from IS NULL AND outputs_stored = 1 " +
        "ORDER BY sort_unix_ms DESC, run_id DESC LIMIT ?",
    ),
    packageVersions: db.prepare<[string, string], { env_digest: string; version: string }>(
      "SELECT env_digest, version FROM packages WHERE name = ? AND env_digest IN (SELECT value FROM json_each(?)) ORDER BY env_digest, version",
    ),
    packageVersionsByName: db.prepare<[string], { version: string }>("SELECT DISTINCT version FROM packages WHERE name = ?"),
    findRunIds: db.prepare<[string, string, number], { run_id: string }>(
      "SELECT run_id FROM runs WHERE run_id >= ? AND run_id < ? ORDER BY run_id LIMIT ?",
    ),
  };
}

export class SqliteStore implements Store {
  private readonly db: Sqlite.Database;
  private readonly stmt: ReturnType<typeof prepareStatements>;
  private readonly appendTx: Sqlite.Transaction<(events: SnapshotEvent[]) => StoreOutcome[]>;
  private readonly listCache = new Map<string, Sqlite.Statement>();
  private readonly facts: SnapshotFactLookup = {
    hostname: (digest) => this.snapshotString(digest, "$.hostname"),
    gitCommit: (digest) => this.snapshotString(digest, "$.git.commit"),
  };
  private readonly tokens: SqliteTokens;
  private closed = false;

  constructor(
    db: Sqlite.Database,
    private readonly checkpointer?: Checkpointer,
  ) {
    this.db = db;
    this.stmt = prepareStatements(db);
    this.tokens = new SqliteTokens(db);
    this.appendTx = db.transaction((events: SnapshotEvent[]) => this.appendSync(events));
  }

  append(events: SnapshotEvent[]): Promise<StoreOutcome[]> {
    return settle(() => (events.length === 0 ? [] : this.appendTx.immediate(events)));
  }

  hasSnapshots(digests: string[]): Promise<Set<string>> {
    return settle(() => {
      const present = new Set<string>();
      if (digests.length === 0) return present;
      for (const row of this.stmt.hasSnapshots.all(JSON.stringify([...new Set(digests)]))) present.add(row.digest);
      return present;
    });
  }

  getSnapshot(digest: string): Promise<StoredSnapshot | undefined> {
    return settle(() => {
      const row = this.stmt.getSnapshot.get(digest);
      return row ? { digest: row.digest, kind: row.kind, body: JSON.parse(row.body) as object } : undefined;
    });
  }

  listRuns(query: RunQuery): Promise<RunSummary[]> {
    return settle(() => this.listRunsSync(query).runs);
  }

  listRunPage(query: RunQuery): Promise<{ runs: RunSummary[]; next: RunListPosition | null }> {
    return settle(() => this.listRunsSync(query));
  }

  getRun(runId: string): Promise<RunDetail | undefined> {
    return settle(() => this.getRunSync(runId));
  }

  packageVersions(name: string, environmentDigests: string[]): Promise<Map<string, string[]>> {
    return settle(() => {
      const found = new Map<string, string[]>();
      if (environmentDigests.length === 0) return found;
      const digests = JSON.stringify([...new Set(environmentDigests)]);
      for (const row of this.stmt.packageVersions.iterate(normalisePackageName(name), digests)) {
        const versions = found.get(row.env_digest);
        if (versions) versions.push(row.version);
        else found.set(row.env_digest, [row.version]);
      }
      return found;
    });
  }

  findRunIds(prefix: string, limit: number): Promise<string[]> {
    return settle(() => {
      // A range scan on the primary key; U+10FFFF sorts after every character a run id can hold.
      const rows = this.stmt.findRunIds.all(prefix, `${prefix}\u{10FFFF}`, clampLimit(limit, DEFAULT_LIST_LIMIT));
      return rows.map((r) => r.run_id).filter((id) => id.startsWith(prefix));
    });
  }

  findRunsByOutput(digest: string, limit: number): Promise<OutputProducer[]> {
    return settle(() =>
      this.stmt.runsByOutput.all(digest, clampLimit(limit, DEFAULT_LIST_LIMIT)).map((row) => ({
        run: toSummary(row),
        path: row.output_path,
        size: row.output_size,
      })),
    );
  }

  findCacheHits(cacheKey: string, limit: number): Promise<CacheHit[]> {
    return settle(() =>
      this.stmt.cacheHits.all(cacheKey, clampLimit(limit, DEFAULT_LIST_LIMIT)).map((row) => ({
        run: toSummary(row),
        outputs: rowOutputs(row),
      })),
    );
  }

  createToken(token: StoredToken): Promise<void> {
    return settle(() => this.tokens.create(token));
  }

  getToken(id: string): Promise<StoredToken | undefined> {
    return settle(() => this.tokens.get(id));
  }

  listTokens(): Promise<StoredToken[]> {
    return settle(() => this.tokens.list());
  }

  revokeToken(id: string, atUnixMs: number): Promise<boolean> {
    return settle(() => this.tokens.revokeAt(id, atUnixMs));
  }

  ping(): Promise<void> {
    return settle(() => {
      if (this.closed) throw new UnavailableError("the SQLite store is closed");
      // Takes and gives back the write lock, waiting at most 100 ms: another process holding it
      // (a backup, a stuck writer) makes the collector unready instead of freezing this thread
      // for the whole busy timeout.
      const busyTimeoutMs = this.db.pragma("busy_timeout", { simple: true }) as number;
      this.db.pragma(`busy_timeout = ${Math.min(100, busyTimeoutMs)}`);
      try {
        this.db.exec("BEGIN IMMEDIATE");
        this.db.exec("ROLLBACK");
      } catch (err) {
        throw new UnavailableError(`the SQLite database cannot take a write now: ${errorMessage(err)}`, { cause: err });
      } finally {
        this.db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.checkpointer?.close();
    this.db.close();
  }

  private appendSync(events: SnapshotEvent[]): StoreOutcome[] {
    const now = Date.now();
    const outcomes: StoreOutcome[] = [];
    // Each touched run's events and parts, read once inside this write transaction (the check
    // is exact), then kept up to date with what the batch stores and folded from memory.
    const runs = new Map<string, { events: StoredEvent[]; parts: RunParts; touched?: boolean }>();
    for (const event of events) {
      const [type, ...extra] = eventPayloads(event);
      if (!type || extra.length > 0) {
        throw new BadInputError(`event ${event.eventId} must carry exactly one payload (validate before append)`);
      }
      let run = runs.get(event.runId);
      if (!run) {
        const stored = this.stmt.eventsOfRun.all(event.runId).map(toStoredEvent);
        runs.set(event.runId, (run = { events: stored, parts: foldRunParts(event.runId, stored).parts }));
      }
      const verdict = judgeEvent(run.parts, event);
      if (verdict.verdict !== "NEW") {
        // A known event id is a DUPLICATE whatever it now says.
        const known = verdict.verdict === "DUPLICATE" || this.stmt.hasEvent.get(event.eventId) !== undefined;
        outcomes.push(known ? "DUPLICATE" : { outcome: "REFUSED", reason: verdict.reason });
        continue;
      }
      const body = JSON.stringify(withoutSnapshotBodies(event));
      const inserted = this.stmt.insertEvent.run(event.eventId, event.runId, type, Number(event.timeUnixMs ?? 0), now, body);
      if (inserted.changes === 0) {
        outcomes.push("DUPLICATE");
        continue;
      }
      holdEvent(run.parts, event);
      // As toStoredEvent would read it back (a JSON round trip drops undefined fields).
      run.events.push({ eventId: event.eventId, type, timeUnixMs: Number(event.timeUnixMs ?? 0), receivedUnixMs: now, event: JSON.parse(body) as SnapshotEvent });
      run.touched = true;
      outcomes.push("STORED");
      const captured = event.snapshotCaptured;
      if (captured) {
        this.insertSnapshot("environment", captured.environmentDigest, captured.environment, now);
        this.insertSnapshot("host", captured.hostDigest, captured.host, now);
        this.insertSnapshot("code", captured.codeDigest, captured.code, now);
      }
    }
    for (const [runId, run] of runs) if (run.touched) this.recomputeRun(runId, run.events, now);
    return outcomes;
  }

  private insertSnapshot(kind: SnapshotKind, digest: string, body: object | null | undefined, now: number): void {
    if (!digest || !body) return;
    const inserted = this.stmt.insertSnapshot.run(digest, kind, JSON.stringify(body), now);
    if (inserted.changes === 0 || kind !== "environment") return;
    for (const pkg of (body as Partial<EnvironmentSnapshot>).packages ?? []) {
      if (pkg?.name) this.stmt.insertPackage.run(digest, normalisePackageName(pkg.name), pkg.version ?? "");
    }
  }

  private snapshotString(digest: string, path: string): string | null {
    const value = this.stmt.snapshotField.get(path, digest)?.value;
    return typeof value === "string" && value !== "" ? value : null;
  }

  private recomputeRun(runId: string, events: readonly StoredEvent[], now: number): void {
    const s = foldRun(runId, events);
    this.stmt.upsertRun.run(toRunRow(s, this.facts, now));
    this.stmt.deleteOutputs.run(runId);
    for (const o of s.outputs) if (o.digest !== "") this.stmt.insertOutput.run(o.digest, runId, o.path, o.size);
  }

  private listRunsSync(query: RunQuery): { runs: RunSummary[]; next: RunListPosition | null } {
    const limit = clampLimit(query.limit, DEFAULT_LIST_LIMIT);
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    if (query.pipeline !== undefined) {
      where.push("r.pipeline = @pipeline");
      params.pipeline = query.pipeline;
    }
    if (query.step !== undefined) {
      where.push("r.step = @step");
      params.step = query.step;
    }
    if (query.status !== undefined) {
      where.push("r.status = @status");
      params.status = query.status;
    }
    if (query.parent !== undefined) {
      where.push("r.parent_run_id = @parent");
      params.parent = query.parent;
    }
    if (query.environment !== undefined) {
      where.push("r.environment_digest = @environment");
      params.environment = query.environment;
    }
    if (query.orchestrator !== undefined) {
      where.push("r.orchestrator = @orchestrator");
      params.orchestrator = query.orchestrator;
    }
    if (query.since !== undefined) {
      where.push("r.sort_unix_ms >= @since");
      params.since = query.since;
    }
    if (query.until !== undefined) {
      where.push("r.sort_unix_ms < @until");
      params.until = query.until;
    }
    if (query.after !== undefined) {
      where.push("(r.sort_unix_ms < @afterTime OR (r.sort_unix_ms = @afterTime AND r.run_id < @afterId))");
      params.afterTime = query.after.sortUnixMs;
      params.afterId = query.after.runId;
    }
    let matcher: VersionMatcher | undefined;
    if (query.version !== undefined) {
      if (query.package === undefined) throw new BadInputError("version needs package: which package's version?");
      matcher = versionMatcher(query.version);
    }
    if (query.package !== undefined) {
      const pkg = normalisePackageName(query.package);
      params.pkg = pkg;
      if (matcher?.kind === "exact") {
        params.version = matcher.version;
        where.push("EXISTS (SELECT 1 FROM packages p WHERE p.env_digest = r.environment_digest AND p.name = @pkg AND p.version = @version)");
      } else if (matcher?.kind === "specifier") {
        // The specifier is evaluated once per distinct version of the package (a few dozen, read
        // from packages_by_name_version), not once per run: testing each run in PEP 440 terms
        // read the package's runs one by one with no LIMIT, all of them when few matched.
        const versions = this.stmt.packageVersionsByName.all(pkg).map((r) => r.version).filter((v) => matcher.matches(v));
        if (versions.length === 0) return { runs: [], next: null };
        params.versions = JSON.stringify(versions);
        // The unary + keeps p.version out of index choice: SQLite otherwise probes
        // packages_by_name_version once per listed version for every run (4 ms a page here)
        // instead of one primary-key lookup per run and a test against the materialised list.
        where.push(
          "EXISTS (SELECT 1 FROM packages p WHERE p.env_digest = r.environment_digest AND p.name = @pkg AND +p.version IN (SELECT value FROM json_each(@versions)))",
        );
      } else {
        where.push("EXISTS (SELECT 1 FROM packages p WHERE p.env_digest = r.environment_digest AND p.name = @pkg)");
      }
    }
    // The summary's columns only: a list never shows config, outputs or warnings, and decoding
    // them cost as much as the rest of a 1000-run page.
    const sql =
      `SELECT ${LIST_COLUMNS} FROM runs r` +
      (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "") +
      " ORDER BY r.sort_unix_ms DESC, r.run_id DESC LIMIT @limit";
    // One run more than asked: whether a next page exists.
    params.limit = limit + 1;
    const rows = (this.prepareList(sql).all(params) as unknown[][]).map(rowFromValues);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    return { runs: page.map(toSummary), next: more && last ? { sortUnixMs: Number(last.sort_unix_ms), runId: last.run_id } : null };
  }

  /** A list statement, cached by its text; it reads rows as arrays (rowFromValues). */
  private prepareList(sql: string): Sqlite.Statement {
    let stmt = this.listCache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql).raw(true);
      this.listCache.set(sql, stmt);
    }
    return stmt;
  }

  private getRunSync(runId: string): RunDetail | undefined {
    const row = this.stmt.getRun.get(runId);
    if (!row) return undefined;
    const children = this.stmt.children.all(runId, MAX_CHILDREN).map((r) => r.run_id);
    return toRunDetail(row, this.stmt.eventsOfRun.all(runId), (digest) => this.stmt.getSnapshot.get(digest)?.body, children);
  }
}
