import { quoteClickHouseString as q, quoteClickHouseStrings as qList } from "./quote-clickhouse-string.js";

// Newest runs matching a filter, read from a table of fold rows sorted for the filter
// (runs_by_step: (pipeline, step, sort_unix_ms, run_id); runs_by_time: (sort_unix_ms, run_id)).
// Those tables hold only what lists filter and sort on (runs_by_step and runs_by_time: run_id,
// version, pipeline, step, status, environment_digest, sort_unix_ms), so writing them is cheap. A
// run has one row per fold and its pipeline, step or start time can change between folds, so a
// row counts only if it is its run's latest fold: its version is the version of the run's latest
// fold in runs_by_id, which is read in the same request with the columns the list returns.
//
// Why this is complete: every run's latest fold is a row of the table, with the run's current
// key and columns. Reading rows newest first down to some floor therefore sees every run whose
// latest fold matches and sorts above the floor; the rows that are not latest folds are dropped.
// The read keeps one row per run and place (LIMIT 1 BY run_id, sort_unix_ms: the highest
// version), which drops no latest fold: a latest fold holds its run's highest version anywhere.
// So once `limit` latest rows are seen they are the answer, in order. Otherwise read further:
// more rows (stale folds took the places) or, on runs_by_time, a wider window.
//
// ClickHouse 18.16 cannot read a sorting key backwards, so ORDER BY ... DESC LIMIT reads every
// row the WHERE keeps: on runs_by_time a time window (sort_unix_ms >= since, a range of the
// primary index) keeps that small. The first window is sized from the table's density to hold
// several times the rows needed; each retry widens it eight times, at worst to the whole table.

export type Rows = <T>(query: string) => Promise<T[]>;

export interface RunListRequest {
  database: string;
  /** Columns of runs_by_id returned for each run. */
  columns: readonly string[];
  /** SQL conditions on a fold row, already quoted. */
  conditions: string[];
  /** A pipeline is named: read runs_by_step, whose index starts with pipeline. */
  byStep: boolean;
  limit: number;
  /** No row the conditions keep sorts after this (a cursor, an until): the time window starts from it. */
  upTo?: number;
}

export type ListedRow = { run_id: string } & Record<string, unknown>;
type Candidate = { run_id: string; version: string | number; sort_unix_ms: string | number };

const WIDEN = 8;
/**
 * Past this many candidates the latest folds are asked for by the range the candidates were read
 * from, not by a list of their ids: 18.16 parses a long IN list slowly (about 25 ms for 2000 ids
 * before reading anything). The range holds every candidate (rows are only added, and a merge
 * keeps a run's row at its place), perhaps a few runs more, whose folds are read and not used.
 */
const MAX_LISTED_IDS = 256;

export async function listNewestRuns(rows: Rows, request: RunListRequest): Promise<ListedRow[]> {
  const { database, limit } = request;
  const table = `${database}.${request.byStep ? "runs_by_step" : "runs_by_time"}`;
  // Stale folds at a run's place are dropped by the read itself (LIMIT 1 BY below), so the first
  // read needs only a margin for runs whose place moved between folds; it used to ask for twice
  // the page, and looking up the latest folds of 2000 scattered run ids was most of a 1000-run
  // timeline's time.
  let fetch = limit + Math.ceil(limit / 8) + 16;
  let window: { hi: number; span: number; width: number } | undefined;
  if (!request.byStep) {
    const [stats] = await rows<{ hi: string | number; lo: string | number; n: string | number }>(
      `SELECT max(sort_unix_ms) AS hi, min(sort_unix_ms) AS lo, count() AS n FROM ${table}`,
    );
    const n = Number(stats?.n ?? 0);
    if (n === 0) return [];
    const hi = Math.min(Number(stats?.hi), request.upTo ?? Infinity);
    const span = hi - Number(stats?.lo) + 1;
    if (span <= 0) return []; // the bound is below every row
    window = { hi, span, width: Math.ceil(((fetch * WIDEN) / n) * span) };
  }
  for (;;) {
    const since = window && window.width < window.span ? window.hi - window.width : undefined;
    const where = [...request.conditions, ...(since === undefined ? [] : [`sort_unix_ms >= ${since}`])];
    // LIMIT 1 BY: of a run's rows at one place (its folds before a merge, most of them for the
    // newest runs) only the highest version; it is the latest fold's row if that fold is there.
    const candidates = await rows<Candidate>(
      `SELECT run_id, version, sort_unix_ms FROM ${table}` +
        (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "") +
        ` ORDER BY sort_unix_ms DESC, run_id DESC, version DESC LIMIT 1 BY run_id, sort_unix_ms LIMIT ${fetch}`,
    );
    const full = candidates.length === fetch;
    const ids = new Set(candidates.map((c) => c.run_id));
    const floor = candidates.at(-1);
    let idSet: string | undefined;
    if (ids.size > MAX_LISTED_IDS && floor) {
      const t = Math.floor(Number(floor.sort_unix_ms));
      const range = [...where, ...(full ? [`(sort_unix_ms > ${t} OR (sort_unix_ms = ${t} AND run_id >= ${q(floor.run_id)}))`] : [])];
      idSet = `(SELECT run_id FROM ${table}${range.length > 0 ? ` WHERE ${range.join(" AND ")}` : ""})`;
    } else if (ids.size > 0) {
      idSet = qList(ids);
    }
    const latest = idSet === undefined ? new Map<string, { version: string; row: ListedRow }>() : await latestFolds(rows, database, request.columns, idSet);
    const kept: ListedRow[] = [];
    for (const row of candidates) {
      const fold = latest.get(row.run_id);
      if (fold?.version !== String(row.version)) continue;
      latest.delete(row.run_id); // kept once, at its latest (first read) row
      kept.push(fold.row);
    }
    if (kept.length >= limit || (!full && since === undefined)) return kept.slice(0, limit);
    if (full) fetch *= 4;
    else if (window) window.width *= WIDEN;
  }
}

/**
 * Each run's latest fold in runs_by_id: its rows sorted by version, the first kept (LIMIT 1 BY).
 * The same answer as argMax over a tuple of the columns, which ClickHouse 18.16 built for every
 * row read: 25-45% of a 1000-run timeline's lookup.
 */
async function latestFolds(
  rows: Rows,
  database: string,
  columns: readonly string[],
  /** SQL for the run ids: a quoted list or a subquery. */
  runIds: string,
): Promise<Map<string, { version: string; row: ListedRow }>> {
  const latest = new Map<string, { version: string; row: ListedRow }>();
  for (const row of await rows<ListedRow & { version: string | number }>(
    `SELECT run_id, version, ${columns.join(", ")} FROM ${database}.runs_by_id WHERE run_id IN ${runIds} ` +
      "ORDER BY run_id, version DESC LIMIT 1 BY run_id",
  )) {
    latest.set(row.run_id, { version: String(row.version), row });
  }
  return latest;
}
