import type { RunDetail, RunEventRef, RunStatus, RunSummary } from "../../core/api-types.js";
import { errorMessage, InternalError } from "../../core/errors.js";
import type { CaptureWarning, CodeSnapshot, EnvironmentSnapshot, HostSnapshot, OrchestratorContext, OutputFile, RunConfig, SnapshotEvent } from "../../core/model.js";
import { allOutputsStored, orchestratorKind, type EventType, type RunState, type StoredEvent } from "./run-fold.js";

// A run's row, the one shape every store backend writes from a fold and reads a RunSummary and a
// RunDetail from. Backends differ only in how they keep a column (ClickHouse has no NULL text),
// so reading is tolerant of both spellings and every backend answers the same.

/** The columns a fold becomes, as written by SQLite (ClickHouse writes absent text as ""). */
export interface RunRow {
  run_id: string;
  orchestrator: string;
  pipeline: string;
  pipeline_run: string;
  step: string;
  attempt: number;
  status: RunStatus;
  started_unix_ms: number | null;
  finished_unix_ms: number | null;
  exit_code: number | null;
  signal: string | null;
  error: string | null;
  duration_ms: number | null;
  hostname: string;
  environment_digest: string | null;
  host_digest: string | null;
  code_digest: string | null;
  git_commit: string | null;
  rollback_of: string | null;
  cache_key: string | null;
  cached_from: string | null;
  parent_run_id: string | null;
  /** JSON: OutputFile[]. */
  outputs: string;
  /** 1 when every declared output was found and kept (a cache hit can stand in for the run). */
  outputs_stored: number;
  /** JSON: RunConfig. */
  config: string | null;
  /** JSON: OrchestratorContext. */
  orchestrator_context: string | null;
  agent_version: string;
  /** JSON: CaptureWarning[]. */
  warnings: string;
  sort_unix_ms: number;
  updated_unix_ms: number;
}

export type RunColumn = Exclude<keyof RunRow, "run_id">;

/**
 * A run row as a backend reads it back: some columns only (a list reads the summary's), numbers
 * possibly as strings (ClickHouse's 64-bit integers), absent text as NULL or "".
 */
export type StoredRunRow = { run_id: string } & Partial<Record<RunColumn, string | number | null>>;

/** What a row takes from the run's snapshots when the run's own events do not say it. */
export interface SnapshotFactLookup {
  /** The host name a host snapshot records; null when it records none. */
  hostname(hostDigest: string): string | null;
  /** The git commit a code snapshot records; null when it records none. */
  gitCommit(codeDigest: string): string | null;
}

/** The row a fold is stored as. */
export function toRunRow(s: RunState, facts: SnapshotFactLookup, now: number): RunRow {
  return {
    run_id: s.runId,
    orchestrator: s.orchestrator,
    pipeline: s.pipeline,
    pipeline_run: s.pipelineRun,
    step: s.step,
    attempt: s.attempt,
    status: s.status,
    started_unix_ms: s.startedUnixMs,
    finished_unix_ms: s.finishedUnixMs,
    exit_code: s.exitCode,
    signal: s.signal,
    error: s.error,
    duration_ms: s.durationMs,
    hostname: s.hostname || ((s.hostDigest ? facts.hostname(s.hostDigest) : null) ?? ""),
    environment_digest: s.environmentDigest,
    host_digest: s.hostDigest,
    code_digest: s.codeDigest,
    git_commit: s.codeDigest ? facts.gitCommit(s.codeDigest) : null,
    rollback_of: s.rollbackOf,
    cache_key: s.cacheKey,
    cached_from: s.cachedFrom,
    parent_run_id: s.parentRunId,
    outputs: JSON.stringify(s.outputs),
    outputs_stored: allOutputsStored(s.outputs) ? 1 : 0,
    config: s.config ? JSON.stringify(s.config) : null,
    orchestrator_context: s.orchestratorContext ? JSON.stringify(s.orchestratorContext) : null,
    agent_version: s.agentVersion,
    warnings: JSON.stringify(s.warnings),
    sort_unix_ms: s.sortUnixMs,
    updated_unix_ms: now,
  };
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/**
 * An ISO 8601 time for a stored Unix-ms time: every time the API shows goes through here. A time
 * no Date can hold (stored before ingest checked times) reads as unknown: one such row must not
 * fail a listing for everyone.
 */
export function iso(ms: number | null): string | null {
  if (ms === null) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A JSON column of a run row; absent (NULL or "") is null, and text that is not JSON is an INTERNAL error. */
export function parseRunColumn<T>(text: unknown): T | null {
  if (typeof text !== "string" || text === "") return null;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new InternalError(`a stored run column is not JSON: ${errorMessage(err)}`, { cause: err });
  }
}

/** The outputs a row records, sorted by path (as the fold wrote them). */
export function rowOutputs(row: StoredRunRow): OutputFile[] {
  return parseRunColumn<OutputFile[]>(row.outputs) ?? [];
}

/** The columns toSummary reads (besides run_id): a list selects these, not the detail's JSON columns. */
export const SUMMARY_COLUMNS = [
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
  "parent_run_id",
  "sort_unix_ms",
] as const satisfies readonly RunColumn[];

/** A list's columns, in the order rowFromValues reads them. */
export const LIST_ROW_COLUMNS = ["run_id", ...SUMMARY_COLUMNS] as const;
const at = Object.fromEntries(LIST_ROW_COLUMNS.map((c, i) => [c, i])) as Record<(typeof LIST_ROW_COLUMNS)[number], number>;

/**
 * A list row read as values in LIST_ROW_COLUMNS order (better-sqlite3's raw mode): the native
 * addon setting 22 named properties per row cost twice as much as SQLite's read of a 1000-run
 * page, and an object literal with fixed keys is cheap.
 */
export function rowFromValues(v: readonly unknown[]): StoredRunRow {
  const col = (c: RunColumn) => v[at[c as (typeof LIST_ROW_COLUMNS)[number]]] as string | number | null;
  return {
    run_id: String(v[0]),
    orchestrator: col("orchestrator"),
    pipeline: col("pipeline"),
    pipeline_run: col("pipeline_run"),
    step: col("step"),
    attempt: col("attempt"),
    status: col("status"),
    started_unix_ms: col("started_unix_ms"),
    finished_unix_ms: col("finished_unix_ms"),
    exit_code: col("exit_code"),
    signal: col("signal"),
    duration_ms: col("duration_ms"),
    hostname: col("hostname"),
    environment_digest: col("environment_digest"),
    host_digest: col("host_digest"),
    code_digest: col("code_digest"),
    git_commit: col("git_commit"),
    rollback_of: col("rollback_of"),
    cache_key: col("cache_key"),
    cached_from: col("cached_from"),
    parent_run_id: col("parent_run_id"),
    sort_unix_ms: col("sort_unix_ms"),
  };
}

export function toSummary(row: StoredRunRow): RunSummary {
  return {
    runId: row.run_id,
    orchestrator: orchestratorKind(row.orchestrator),
    pipeline: String(row.pipeline ?? ""),
    pipelineRun: String(row.pipeline_run ?? ""),
    step: String(row.step ?? ""),
    attempt: num(row.attempt ?? 0),
    status: (row.status ?? "running") as RunStatus,
    startedAt: iso(numOrNull(row.started_unix_ms)),
    finishedAt: iso(numOrNull(row.finished_unix_ms)),
    durationMs: numOrNull(row.duration_ms),
    exitCode: numOrNull(row.exit_code),
    signal: strOrNull(row.signal),
    hostname: String(row.hostname ?? ""),
    environmentDigest: strOrNull(row.environment_digest),
    hostDigest: strOrNull(row.host_digest),
    codeDigest: strOrNull(row.code_digest),
    gitCommit: strOrNull(row.git_commit),
    rollbackOf: strOrNull(row.rollback_of),
    cacheKey: strOrNull(row.cache_key),
    cachedFrom: strOrNull(row.cached_from),
    parentRunId: strOrNull(row.parent_run_id),
  };
}

/** A row of the events table as a backend reads it (numbers possibly as strings; the body only when asked for). */
export interface StoredEventRow {
  event_id: string;
  type: EventType;
  time_unix_ms: string | number;
  received_unix_ms: string | number;
  body?: string;
}

/** An event read back from the events table, as the fold takes it. */
export function toStoredEvent(row: StoredEventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    timeUnixMs: num(row.time_unix_ms),
    receivedUnixMs: num(row.received_unix_ms),
    event: JSON.parse(row.body ?? "{}") as SnapshotEvent,
  };
}

/** How many of a run's children its detail lists (newest first): a job may have thousands of steps. */
export const MAX_CHILDREN = 100;

/**
 * A run's detail: its row, its events (in time, event id order), the bodies of its snapshots,
 * which `snapshotBody` finds by digest (undefined when not stored), and its children's ids.
 */
export function toRunDetail(
  row: StoredRunRow,
  events: readonly StoredEventRow[],
  snapshotBody: (digest: string) => string | undefined,
  children: readonly string[],
): RunDetail {
  const body = <T>(digest: unknown): T | null => {
    const text = typeof digest === "string" && digest !== "" ? snapshotBody(digest) : undefined;
    return text === undefined ? null : (JSON.parse(text) as T);
  };
  const refs: RunEventRef[] = events.map((e) => ({ eventId: e.event_id, type: e.type, timeUnixMs: num(e.time_unix_ms) }));
  return {
    ...toSummary(row),
    orchestratorContext: parseRunColumn<OrchestratorContext>(row.orchestrator_context),
    config: parseRunColumn<RunConfig>(row.config),
    agentVersion: String(row.agent_version ?? ""),
    environment: body<EnvironmentSnapshot>(row.environment_digest),
    host: body<HostSnapshot>(row.host_digest),
    code: body<CodeSnapshot>(row.code_digest),
    warnings: parseRunColumn<CaptureWarning[]>(row.warnings) ?? [],
    outputs: rowOutputs(row),
    events: refs,
    children: [...children],
  };
}
