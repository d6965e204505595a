import type { ClickHouseClient } from "@clickhouse/client";
import { ConfigError } from "../../core/errors.js";
import { quoteClickHouseString } from "./quote-clickhouse-string.js";

// The ClickHouse schema, designed for the queries the Store answers (and the ones people run on
// it directly). ClickHouse enforces no uniqueness: every table is a ReplacingMergeTree whose
// sorting key is the identity, so background merges fold duplicates, and every read is written
// to be right before they have (argMax / LIMIT 1 BY / DISTINCT).
//
// - runs: one row per fold of a run's events, keyed on run_id; `version` = event count * 1e13 +
//   write time, so the fold of more events wins, then the later write. Reads take each run's
//   highest-version row (ORDER BY version DESC LIMIT 1 BY run_id; the writer's own check uses
//   argMax over a tuple, because argMax skips NULLs in a Nullable column).
// - events: the event without snapshot bodies, keyed on (run_id, event_id): a run's events are
//   one range of the primary index.
// - event_ids: event_id -> run_id, keyed on event_id: the de-duplication check is a point lookup
//   per id (small granules), whatever run the id came with.
// - snapshots: bodies stored once by digest, plus the two facts a run row needs from them
//   (host name, git commit); tiny granules because bodies are tens of kB.
// - packages: the environment exploded to (name, version, env_digest), sorted by name then
//   version, so "runs with pydantic 2.x" reads one range of the index.
//
// - runs_by_id (step 3) gains cache_key, cached_from, outputs (JSON, what `show` prints) and
//   outputs_stored; outputs (digest -> run) and runs_by_cache_key (key -> run) are indexes sorted
//   for `which` and cache lookups. Like the list tables they may hold rows of stale folds, so a
//   reader keeps a run only when its latest fold in runs_by_id still matches.
// - runs_by_id (step 4) gains parent_run_id; runs_by_parent (parent -> run) lists a job's step runs.
//
// Migrations: schema_migrations holds the applied versions. Every statement of every step must
// be idempotent (CREATE ... IF NOT EXISTS; 18.16 has no ALTER ... ADD COLUMN IF NOT EXISTS, so
// a step adding a column must check system.columns first): two collectors starting at once both
// run the missing steps and both record them, which is harmless. Never edit a released step.
//
// A schema that is already current gets no DDL at all, not even the idempotent CREATEs: on a
// cluster they run ON CLUSTER, which waits for every replica (distributed_ddl_task_timeout,
// 180 s by default), so a collector restarted while one replica is down would never become
// ready; and ClickHouse 18.16 crashes (SIGSEGV) on an ON CLUSTER query that reaches a server
// whose DDL worker has not yet connected to ZooKeeper (deploy/clickhouse/README.md).

export interface SchemaTarget {
  database: string;
  replicated: boolean;
  /** ON CLUSTER target for DDL; empty for one server. */
  cluster: string;
}

interface Migration {
  description: string;
  /** Columns added first, each only when system.columns lacks it (18.16 has no ADD COLUMN IF NOT EXISTS). */
  columns?: { table: string; name: string; type: string }[];
  statements(t: SchemaTarget): string[];
}

function engine(t: SchemaTarget, table: string, version = ""): string {
  if (!t.replicated) return `ReplacingMergeTree(${version})`;
  // {shard} and {replica} are macros of each server's config (deploy/clickhouse/README.md).
  const args = [`'/clickhouse/tables/{shard}/${t.database}/${table}'`, "'{replica}'", ...(version ? [version] : [])];
  return `ReplicatedReplacingMergeTree(${args.join(", ")})`;
}

const onCluster = (t: SchemaTarget): string => (t.cluster ? ` ON CLUSTER ${t.cluster}` : "");

function table(t: SchemaTarget, name: string, columns: string, options: { version?: string; orderBy: string; granularity?: number }): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${t.database}.${name}${onCluster(t)} (${columns}) ` +
    `ENGINE = ${engine(t, name, options.version)} ORDER BY ${options.orderBy}` +
    (options.granularity ? ` SETTINGS index_granularity = ${options.granularity}` : "")
  );
}

const RUN_COLUMNS = `run_id String, version UInt64, event_count UInt32, orchestrator String, pipeline String, pipeline_run String,
         step String, attempt Int32, status String, started_unix_ms Nullable(Int64), finished_unix_ms Nullable(Int64),
         exit_code Nullable(Int32), signal String, error String, duration_ms Nullable(Int64), hostname String,
         environment_digest String, host_digest String, code_digest String, git_commit String, rollback_of String,
         config String, orchestrator_context String, agent_version String, warnings String, sort_unix_ms Int64,
         updated_unix_ms Int64`;

// What lists filter and sort on; the columns they return come from runs_by_id.
const LIST_COLUMNS =
  "run_id String, version UInt64, pipeline String, step String, status String, environment_digest String, sort_unix_ms Int64";
const LIST_COLUMN_NAMES = "run_id, version, pipeline, step, status, environment_digest, sort_unix_ms";
// The columns of step 1's runs table, by name: a copy into runs_by_id must not depend on the
// columns later steps add to runs_by_id (a collector still running step 2 while another has
// run step 3 would otherwise fail on the column count).
const RUN_COLUMN_NAMES = RUN_COLUMNS.split(",").map((c) => c.trim().split(/\s+/)[0]).join(", ");

const MIGRATIONS: readonly Migration[] = [
  {
    description: "runs, events, event_ids, snapshots, packages",
    statements: (t) => [
      table(
        t,
        "runs",
        RUN_COLUMNS,
        { version: "version", orderBy: "run_id", granularity: 1024 },
      ),
      table(
        t,
        "events",
        "event_id String, run_id String, type String, time_unix_ms Int64, received_unix_ms Int64, body String",
        { orderBy: "(run_id, event_id)", granularity: 256 },
      ),
      table(t, "event_ids", "event_id String, run_id String", { orderBy: "event_id", granularity: 1024 }),
      table(
        t,
        "snapshots",
        "digest String, kind String, body String, hostname String, git_commit String, stored_unix_ms Int64",
        { orderBy: "digest", granularity: 32 },
      ),
      table(t, "packages", "env_digest String, name String, version String", { orderBy: "(name, version, env_digest)" }),
    ],
  },
  {
    // Lists at a million runs: argMax over every run matching a filter took 0.1-1.6 s. Each fold is
    // now written three times, sorted for the three ways runs are found: by id (point reads, fine
    // granules so a list of ids reads little), by (pipeline, step, time) and by time. A list reads
    // the newest rows of one of the last two and keeps a row only if it is its run's latest fold
    // (clickhouse-run-list.ts). `runs` (step 1) is copied and no longer written or read.
    description: "runs_by_id, runs_by_step, runs_by_time (fold rows sorted for lookups and lists), copied from runs",
    statements: (t) => [
      table(t, "runs_by_id", RUN_COLUMNS, { version: "version", orderBy: "run_id", granularity: 64 }),
      table(t, "runs_by_step", LIST_COLUMNS, { version: "version", orderBy: "(pipeline, step, sort_unix_ms, run_id)", granularity: 256 }),
      table(t, "runs_by_time", LIST_COLUMNS, { version: "version", orderBy: "(sort_unix_ms, run_id)", granularity: 1024 }),
      // A second run of this step copies again: the copies are equal rows, which reads keep once.
      `INSERT INTO ${t.database}.runs_by_id (${RUN_COLUMN_NAMES}) SELECT ${RUN_COLUMN_NAMES} FROM ${t.database}.runs`,
      `INSERT INTO ${t.database}.runs_by_step (${LIST_COLUMN_NAMES}) SELECT ${LIST_COLUMN_NAMES} FROM ${t.database}.runs`,
      `INSERT INTO ${t.database}.runs_by_time (${LIST_COLUMN_NAMES}) SELECT ${LIST_COLUMN_NAMES} FROM ${t.database}.runs`,
    ],
  },
  {
    description: "outputs and cache: runs_by_id gains cache_key, cached_from, outputs, outputs_stored; outputs and runs_by_cache_key",
    columns: [
      { table: "runs_by_id", name: "cache_key", type: "String DEFAULT ''" },
      { table: "runs_by_id", name: "cached_from", type: "String DEFAULT ''" },
      { table: "runs_by_id", name: "outputs", type: "String DEFAULT '[]'" },
      { table: "runs_by_id", name: "outputs_stored", type: "UInt8 DEFAULT 0" },
    ],
    statements: (t) => [
      table(t, "outputs", "digest String, run_id String, path String, size UInt64, version UInt64, sort_unix_ms Int64", {
        version: "version",
        orderBy: "(digest, run_id, path)",
        granularity: 256,
      }),
      table(t, "runs_by_cache_key", "cache_key String, run_id String, version UInt64, sort_unix_ms Int64", {
        version: "version",
        orderBy: "(cache_key, sort_unix_ms, run_id)",
        granularity: 256,
      }),
    ],
  },
  {
    // parent_run_id is part of a run's start, written once, so a run's row in runs_by_parent
    // never moves to another parent (a race two collectors lost is checked against the fold).
    description: "job and step runs: runs_by_id gains parent_run_id; runs_by_parent (parent -> children)",
    columns: [{ table: "runs_by_id", name: "parent_run_id", type: "String DEFAULT ''" }],
    statements: (t) => [
      table(t, "runs_by_parent", "parent_run_id String, run_id String, version UInt64, sort_unix_ms Int64", {
        version: "version",
        orderBy: "(parent_run_id, sort_unix_ms, run_id)",
        granularity: 256,
      }),
    ],
  },
  {
    // Shared by every replica, so a token made or revoked on one host holds on all of them.
    // A revocation is a newer row of the same id; readers take each id's latest.
    description: "API tokens (hashed; revoked ones stay on record)",
    statements: (t) => [
      table(
        t,
        "tokens",
        "id String, version UInt64, name String, role String, secret_sha256 String, created_unix_ms Int64, expires_unix_ms Nullable(Int64), revoked_unix_ms Nullable(Int64)",
        { version: "version", orderBy: "id", granularity: 256 },
      ),
    ],
  },
];

export const CLICKHOUSE_SCHEMA_VERSION = MIGRATIONS.length;

/** Creates the database and brings it to CLICKHOUSE_SCHEMA_VERSION; refuses a newer schema. */
export async function migrateClickHouse(client: ClickHouseClient, t: SchemaTarget): Promise<number> {
  const installed = await installedVersion(client, t);
  refuseNewer(installed, t);
  if (installed === CLICKHOUSE_SCHEMA_VERSION) return CLICKHOUSE_SCHEMA_VERSION;
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${t.database}${onCluster(t)}` });
  await client.command({
    query: table(t, "schema_migrations", "version UInt32, description String, applied_unix_ms Int64", { orderBy: "version" }),
  });
  const current = await appliedVersion(client, t);
  refuseNewer(current, t);
  for (let version = current + 1; version <= CLICKHOUSE_SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version - 1]!;
    for (const column of step.columns ?? []) await addColumnIfMissing(client, t, column);
    for (const query of step.statements(t)) await client.command({ query });
    await client.insert({
      table: `${t.database}.schema_migrations`,
      values: [{ version, description: step.description, applied_unix_ms: Date.now() }],
      format: "JSONEachRow",
    });
  }
  return CLICKHOUSE_SCHEMA_VERSION;
}

function refuseNewer(version: number, t: SchemaTarget): void {
  if (version > CLICKHOUSE_SCHEMA_VERSION) {
    throw new ConfigError(
      `ClickHouse schema version ${version} in database ${t.database} is newer than this collector understands (${CLICKHOUSE_SCHEMA_VERSION}); upgrade snaptrail`,
    );
  }
}

/** The applied version, or 0 where there is no schema_migrations table yet: a read, never DDL. */
async function installedVersion(client: ClickHouseClient, t: SchemaTarget): Promise<number> {
  const result = await client.query({
    query: `SELECT count() AS n FROM system.tables WHERE database = ${quoteClickHouseString(t.database)} AND name = 'schema_migrations'`,
    format: "JSONEachRow",
  });
  const rows = await result.json<{ n: number | string }>();
  return Number(rows[0]?.n ?? 0) > 0 ? appliedVersion(client, t) : 0;
}

export async function appliedVersion(client: ClickHouseClient, t: SchemaTarget): Promise<number> {
  const result = await client.query({ query: `SELECT max(version) AS v FROM ${t.database}.schema_migrations`, format: "JSONEachRow" });
  const rows = await result.json<{ v: number | string }>();
  return Number(rows[0]?.v ?? 0);
}

async function hasColumn(client: ClickHouseClient, t: SchemaTarget, table: string, name: string): Promise<boolean> {
  // Identifiers only come from this file's constants; the database name is checked at parse time.
  const result = await client.query({
    query: `SELECT count() AS n FROM system.columns WHERE database = '${t.database}' AND table = '${table}' AND name = '${name}'`,
    format: "JSONEachRow",
  });
  const rows = await result.json<{ n: number | string }>();
  return Number(rows[0]?.n ?? 0) > 0;
}

/** Safe twice and from two collectors at once: a lost race ("already exists") is checked, not trusted. */
async function addColumnIfMissing(client: ClickHouseClient, t: SchemaTarget, c: { table: string; name: string; type: string }): Promise<void> {
  if (await hasColumn(client, t, c.table, c.name)) return;
  try {
    await client.command({ query: `ALTER TABLE ${t.database}.${c.table}${onCluster(t)} ADD COLUMN ${c.name} ${c.type}` });
  } catch (err) {
    if (!(await hasColumn(client, t, c.table, c.name))) throw err;
  }
}
