import type { CacheHit, OutputProducer, RunDetail, RunListPosition, RunQuery, RunStatus, RunSummary } from "../../core/api-types.js";
import type { SnapshotKind } from "../../core/model.js";
import type { ClickHouseDatabase } from "./clickhouse-database.js";
import { newestVerified } from "./clickhouse-run-index.js";
import { listNewestRuns } from "./clickhouse-run-list.js";
import { DEFAULT_LIST_LIMIT, clampLimit } from "./list-limit.js";
import { normalisePackageName, type VersionMatcher } from "./package-match.js";
import { quoteClickHouseString as q, quoteClickHouseStrings as qList } from "./quote-clickhouse-string.js";
import { MAX_CHILDREN, rowOutputs, SUMMARY_COLUMNS, toRunDetail, toSummary, type RunColumn, type StoredEventRow, type StoredRunRow } from "./run-row.js";
import type { StoredSnapshot } from "./store.js";

// The read path of the ClickHouse store: every answer comes from each run's latest fold in
// runs_by_id (its highest version), found through tables sorted for the question asked.

// Columns of a run a detail reads: the summary's, then the rest (lists read only the summary's).
const DETAIL_COLUMNS = [...SUMMARY_COLUMNS, "config", "orchestrator_context", "agent_version", "warnings", "outputs", "outputs_stored"] as const;

const STATUSES: ReadonlySet<string> = new Set<RunStatus>(["running", "succeeded", "failed"]);

/**
 * Reads runs, snapshots and indexes. Errors are ClickHouse's own: the store translates them at
 * its boundary and checks its input before any round trip.
 */
export class ClickHouseReader {
  constructor(private readonly db: ClickHouseDatabase) {}

  hasSnapshots(digests: string[]): Promise<Set<string>> {
    return this.db.storedDigests(digests);
  }

  async getSnapshot(digest: string): Promise<StoredSnapshot | undefined> {
    const [row] = await this.db.rows<{ digest: string; kind: SnapshotKind; body: string }>(
      `SELECT digest, kind, body FROM ${this.db.table("snapshots")} WHERE digest = ${q(digest)} LIMIT 1`,
    );
    return row ? { digest: row.digest, kind: row.kind, body: JSON.parse(row.body) as object } : undefined;
  }

  /** `matcher` is the query's version matcher, already checked against its package. */
  async listRuns(query: RunQuery, matcher: VersionMatcher | undefined): Promise<{ runs: RunSummary[]; next: RunListPosition | null }> {
    const limit = clampLimit(query.limit, DEFAULT_LIST_LIMIT);
    const none = { runs: [], next: null };
    if (query.status !== undefined && !STATUSES.has(query.status)) return none;
    // Conditions on fold rows; clickhouse-run-list.ts keeps a row only if it is its run's latest
    // fold (a run whose step or environment changed between folds must not match on an old row).
    const conditions: string[] = [];
    if (query.pipeline !== undefined) conditions.push(`pipeline = ${q(query.pipeline)}`);
    if (query.step !== undefined) conditions.push(`step = ${q(query.step)}`);
    if (query.status !== undefined) conditions.push(`status = ${q(query.status)}`);
    if (query.environment !== undefined) conditions.push(`environment_digest = ${q(query.environment)}`);
    // A run's parent is written once, so its rows in runs_by_parent name it for good; the fold
    // check below drops a run only where two collectors raced on its start.
    if (query.parent !== undefined) conditions.push(`run_id IN (SELECT run_id FROM ${this.db.table("runs_by_parent")} WHERE parent_run_id = ${q(query.parent)})`);
    // The orchestrator is written once, with the run's start, so any fold that names it names it for good.
    if (query.orchestrator !== undefined) {
      conditions.push(`run_id IN (SELECT run_id FROM ${this.db.table("runs_by_id")} WHERE orchestrator = ${q(query.orchestrator)})`);
    }
    let upTo: number | undefined;
    if (query.since !== undefined) conditions.push(`sort_unix_ms >= ${Math.floor(query.since)}`);
    if (query.until !== undefined) {
      conditions.push(`sort_unix_ms < ${Math.floor(query.until)}`);
      upTo = Math.floor(query.until) - 1;
    }
    if (query.after !== undefined) {
      const t = Math.floor(query.after.sortUnixMs);
      conditions.push(`(sort_unix_ms < ${t} OR (sort_unix_ms = ${t} AND run_id < ${q(query.after.runId)}))`);
      upTo = upTo === undefined ? t : Math.min(upTo, t);
    }
    if (query.package !== undefined) {
      const envs = await this.environmentsWith(normalisePackageName(query.package), matcher);
      if (envs === undefined) return none;
      conditions.push(`environment_digest IN (${envs})`);
    }
    // One run more than asked: whether a next page exists.
    const rows = await listNewestRuns((sql) => this.db.rows(sql), {
      database: this.db.name,
      columns: SUMMARY_COLUMNS,
      conditions,
      byStep: query.pipeline !== undefined,
      limit: limit + 1,
      ...(upTo === undefined ? {} : { upTo }),
    });
    const kept = rows.filter(
      (row) =>
        (query.parent === undefined || row.parent_run_id === query.parent) &&
        (query.orchestrator === undefined || row.orchestrator === query.orchestrator),
    );
    const page = kept.slice(0, limit);
    const last = page.at(-1);
    return {
      runs: page.map((row) => toSummary(row as StoredRunRow)),
      next: kept.length > limit && last ? { sortUnixMs: Number(last.sort_unix_ms), runId: last.run_id } : null,
    };
  }

  async getRun(runId: string): Promise<RunDetail | undefined> {
    // The fold, its events, its children and its snapshots' bodies are independent reads: ask
    // for all at once. The bodies are those of every digest any of the run's folds names (a
    // fold only adds snapshots, so that is the latest fold's, possibly with a stale race's);
    // asking after the fold was read cost a fourth round trip on every run page and compare.
    const [[row], events, children, snapshots] = await Promise.all([
      this.latestRuns(DETAIL_COLUMNS, [runId]),
      this.db.rows<StoredEventRow>(
        `SELECT run_id, event_id, type, time_unix_ms, received_unix_ms FROM ${this.db.table("events")} ` +
          `WHERE run_id = ${q(runId)} ORDER BY time_unix_ms, event_id LIMIT 1 BY event_id`,
      ),
      this.db.rows<{ run_id: string }>(
        `SELECT run_id, max(sort_unix_ms) AS s FROM ${this.db.table("runs_by_parent")} WHERE parent_run_id = ${q(runId)} ` +
          `GROUP BY run_id ORDER BY s DESC, run_id DESC LIMIT ${MAX_CHILDREN}`,
      ),
      this.db.rows<{ digest: string; body: string }>(
        `SELECT digest, body FROM ${this.db.table("snapshots")} WHERE digest IN (` +
          `SELECT arrayJoin([environment_digest, host_digest, code_digest]) AS d FROM ${this.db.table("runs_by_id")} ` +
          `WHERE run_id = ${q(runId)} AND d != '') LIMIT 1 BY digest`,
      ),
    ]);
    if (!row) return undefined;
    const bodies = new Map(snapshots.map((s) => [s.digest, s.body]));
    return toRunDetail(
      row,
      events,
      (digest) => bodies.get(digest),
      children.map((c) => c.run_id),
    );
  }

  async packageVersions(name: string, environmentDigests: string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    if (environmentDigests.length === 0) return found;
    // A range of the packages table's index (name first); DISTINCT: a snapshot stored twice (two collectors) wrote its rows twice.
    for (const row of await this.db.rows<{ env_digest: string; version: string }>(
      `SELECT DISTINCT env_digest, version FROM ${this.db.table("packages")} WHERE name = ${q(normalisePackageName(name))} ` +
        `AND env_digest IN ${qList(new Set(environmentDigests))} ORDER BY env_digest, version`,
    )) {
      const versions = found.get(row.env_digest);
      if (versions) versions.push(row.version);
      else found.set(row.env_digest, [row.version]);
    }
    return found;
  }

  async findRunIds(prefix: string, limit: number): Promise<string[]> {
    // A range of the primary index; U+10FFFF sorts (as UTF-8 bytes) after every character a run id can hold.
    const rows = await this.db.rows<{ run_id: string }>(
      `SELECT DISTINCT run_id FROM ${this.db.table("runs_by_id")} WHERE run_id >= ${q(prefix)} AND run_id < ${q(`${prefix}\u{10FFFF}`)} ` +
        `ORDER BY run_id LIMIT ${clampLimit(limit, DEFAULT_LIST_LIMIT)}`,
    );
    return rows.map((r) => r.run_id).filter((id) => id.startsWith(prefix));
  }

  async findRunsByOutput(digest: string, limit: number): Promise<OutputProducer[]> {
    const max = clampLimit(limit, DEFAULT_LIST_LIMIT);
    const found = await newestVerified({
      limit: max,
      candidates: (fetch) =>
        this.db.rows(
          `SELECT run_id, max(sort_unix_ms) AS sort_unix_ms FROM ${this.db.table("outputs")} WHERE digest = ${q(digest)} ` +
            `GROUP BY run_id ORDER BY sort_unix_ms DESC, run_id DESC LIMIT ${fetch}`,
        ),
      verify: async (runIds) => {
        const rows = await this.latestRuns([...SUMMARY_COLUMNS, "outputs"], runIds);
        return rows.map((row) => {
          const outputs = rowOutputs(row).filter((o) => o.digest === digest);
          return { runId: row.run_id, sortUnixMs: Number(row.sort_unix_ms), item: outputs.length > 0 ? { row, outputs } : undefined };
        });
      },
    });
    return found.flatMap(({ row, outputs }) => outputs.map((o) => ({ run: toSummary(row), path: o.path, size: Number(o.size) }))).slice(0, max);
  }

  findCacheHits(cacheKey: string, limit: number): Promise<CacheHit[]> {
    return newestVerified({
      limit: clampLimit(limit, DEFAULT_LIST_LIMIT),
      candidates: (fetch) =>
        this.db.rows(
          `SELECT run_id, max(sort_unix_ms) AS sort_unix_ms FROM ${this.db.table("runs_by_cache_key")} WHERE cache_key = ${q(cacheKey)} ` +
            `GROUP BY run_id ORDER BY sort_unix_ms DESC, run_id DESC LIMIT ${fetch}`,
        ),
      verify: async (runIds) => {
        const rows = await this.latestRuns([...SUMMARY_COLUMNS, "outputs", "outputs_stored"], runIds);
        return rows.map((row) => {
          const usable = row.cache_key === cacheKey && row.status === "succeeded" && !row.cached_from && Number(row.outputs_stored) === 1;
          return {
            runId: row.run_id,
            sortUnixMs: Number(row.sort_unix_ms),
            item: usable ? { run: toSummary(row), outputs: rowOutputs(row) } : undefined,
          };
        });
      },
    });
  }

  /**
   * A subquery selecting the environments holding `name` at a matching version, or undefined
   * when none can. A PEP 440 specifier is evaluated here on the package's distinct versions (a
   * few dozen even at a million runs), then becomes an exact IN list.
   */
  private async environmentsWith(name: string, matcher: VersionMatcher | undefined): Promise<string | undefined> {
    const packages = this.db.table("packages");
    if (matcher === undefined) return `SELECT env_digest FROM ${packages} WHERE name = ${q(name)}`;
    if (matcher.kind === "exact") return `SELECT env_digest FROM ${packages} WHERE name = ${q(name)} AND version = ${q(matcher.version)}`;
    const versions = await this.db.rows<{ version: string }>(`SELECT DISTINCT version FROM ${packages} WHERE name = ${q(name)}`);
    const matching = versions.map((v) => v.version).filter((v) => matcher.matches(v));
    if (matching.length === 0) return undefined;
    return `SELECT env_digest FROM ${packages} WHERE name = ${q(name)} AND version IN ${qList(matching)}`;
  }

  /**
   * The latest fold of each of these runs, points of runs_by_id's index: the highest version's
   * row (LIMIT 1 BY, as clickhouse-run-list.ts reads them; cheaper than argMax over a tuple).
   */
  private async latestRuns(columns: readonly RunColumn[], runIds: string[]): Promise<StoredRunRow[]> {
    return this.db.rows<StoredRunRow>(
      `SELECT run_id, ${columns.join(", ")} FROM ${this.db.table("runs_by_id")} WHERE run_id IN ${qList(runIds)} ` +
        "ORDER BY run_id, version DESC LIMIT 1 BY run_id",
    );
  }
}
