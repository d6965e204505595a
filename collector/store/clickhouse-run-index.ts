// Newest runs found through an index table (outputs, runs_by_cache_key) whose rows may belong
// to stale folds of a run: each candidate is checked against the run's latest fold, and the
// order is the latest fold's sort time.
//
// Why this is complete: a run's latest fold wrote an index row with the run's current sort time,
// so ranking candidates by the largest sort time of their rows ranks a run at or above its true
// place. When a read is cut at `fetch` candidates, every run left out sorts at or below the
// smallest rank read (the floor); verified runs at or above the floor are therefore the true
// newest, and once `limit` of them are found they are the answer. Otherwise read further.

export interface IndexCandidate {
  run_id: string;
  sort_unix_ms: string | number;
}

export interface Verified<T> {
  runId: string;
  /** The latest fold's sort time. */
  sortUnixMs: number;
  /** Undefined when the latest fold no longer matches. */
  item: T | undefined;
}

export interface NewestVerifiedRequest<T> {
  limit: number;
  /** At most `fetch` candidates, ordered by sort_unix_ms DESC, run_id DESC. */
  candidates(fetch: number): Promise<IndexCandidate[]>;
  verify(runIds: string[]): Promise<Verified<T>[]>;
}

export async function newestVerified<T>(request: NewestVerifiedRequest<T>): Promise<T[]> {
  const { limit } = request;
  let fetch = limit * 2 + 16;
  for (;;) {
    const candidates = await request.candidates(fetch);
    if (candidates.length === 0) return [];
    const verified = (await request.verify(candidates.map((c) => c.run_id))).filter((v): v is Verified<T> & { item: T } => v.item !== undefined);
    verified.sort((a, b) => b.sortUnixMs - a.sortUnixMs || (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0));
    const full = candidates.length === fetch;
    if (!full) return verified.slice(0, limit).map((v) => v.item);
    const floor = Number(candidates[candidates.length - 1]!.sort_unix_ms);
    const sure = verified.filter((v) => v.sortUnixMs > floor);
    if (sure.length >= limit) return sure.slice(0, limit).map((v) => v.item);
    fetch *= 4;
  }
}
