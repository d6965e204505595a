import type { EnvironmentSnapshot, SnapshotEvent, SnapshotKind } from "../../core/model.js";
import type { ClickHouseDatabase } from "./clickhouse-database.js";
import { normalisePackageName } from "./package-match.js";
import { quoteClickHouseStrings as qList } from "./quote-clickhouse-string.js";
import { eventPayloads, foldRun, foldRunParts, withoutSnapshotBodies, type RunState, type StoredEvent } from "./run-fold.js";
import { holdEvent, judgeEvent, type RunParts } from "./run-parts.js";
import { toRunRow, toStoredEvent, type RunRow, type SnapshotFactLookup, type StoredEventRow } from "./run-row.js";
import type { StoreOutcome } from "./store.js";

// The write path of the ClickHouse store: events, snapshot bodies and packages, then each
// touched run's fold as a new row of runs_by_id and of the tables that index it. Nothing is
// updated in place; readers take each run's latest fold.

// A fold is stored with version = events * VERSION_SCALE + write time: more events win, then the later write.
const VERSION_SCALE = 10_000_000_000_000;

/** Writes batches of events. Errors are ClickHouse's own: the store translates them at its boundary. */
export class ClickHouseWriter {
  private readonly facts = new Map<string, SnapshotFacts>();

  constructor(private readonly db: ClickHouseDatabase) {}

  /** Stores a batch whose events each carry exactly one payload (the store checks that first). */
  async append(events: SnapshotEvent[]): Promise<StoreOutcome[]> {
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
    const [knownRows, stored, { parts: held, written }] = await Promise.all([
      this.db.rows<{ event_id: string }>(`SELECT event_id FROM ${this.db.table("event_ids")} WHERE event_id IN ${qList(ids)}`),
      this.db.storedDigests(carried.keys()),
      this.heldParts(new Set(events.map((e) => e.runId))),
    ]);
    const known = new Set(knownRows.map((r) => r.event_id));
    const outcomes: StoreOutcome[] = [];
    const fresh: SnapshotEvent[] = [];
    // Events an earlier delivery wrote but died before recording (their ids are the commit):
    // their parts are held already, so judging them would call them duplicates of themselves and
    // leave them unrecorded for good. They are stored; only their ids are written now.
    const unrecorded: SnapshotEvent[] = [];
    for (const event of events) {
      if (known.has(event.eventId)) {
        outcomes.push("DUPLICATE");
        continue;
      }
      if (written.has(event.eventId)) {
        known.add(event.eventId);
        outcomes.push("STORED");
        unrecorded.push(event);
        continue;
      }
      // Exact for one collector; two racing on one run may both store, and the fold keeps the
      // part received first (run-fold.ts).
      const parts = held.get(event.runId)!;
      const verdict = judgeEvent(parts, event);
      if (verdict.verdict === "REFUSED") {
        outcomes.push({ outcome: "REFUSED", reason: verdict.reason });
        continue;
      }
      if (verdict.verdict === "DUPLICATE") {
        outcomes.push("DUPLICATE");
        continue;
      }
      holdEvent(parts, event);
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
      this.db.insert("packages", packageRows).then(() => this.db.insert("snapshots", snapshotRows)),
      this.db.insert(
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
      this.db.insert(
        "event_ids",
        [...fresh, ...unrecorded].map((e) => ({ event_id: e.eventId, run_id: e.runId })),
      ),
      this.refoldRuns(freshByRun, duplicateOnly, now),
    ]);
    return outcomes;
  }

  /**
   * What each run holds now, and the ids of the events written for them: one read of the batch's
   * runs' events (bodies without snapshots, small).
   */
  private async heldParts(runIds: Set<string>): Promise<{ parts: Map<string, RunParts>; written: Set<string> }> {
    const written = new Set<string>();
    const byRun = new Map<string, Map<string, StoredEvent>>([...runIds].map((id) => [id, new Map()]));
    for (const row of await this.db.rows<StoredEventRow & { run_id: string }>(
      `SELECT run_id, event_id, type, time_unix_ms, received_unix_ms, body FROM ${this.db.table("events")} WHERE run_id IN ${qList(runIds)}`,
    )) {
      written.add(row.event_id);
      const events = byRun.get(row.run_id);
      const stored = toStoredEvent(row);
      const previous = events?.get(row.event_id);
      if (!previous || stored.receivedUnixMs < previous.receivedUnixMs) events?.set(row.event_id, stored);
    }
    return { parts: new Map([...byRun].map(([id, events]) => [id, foldRunParts(id, [...events.values()]).parts])), written };
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
        await this.db.rows<{ run_id: string; n: string | number }>(
          `SELECT run_id, count() AS n FROM ${this.db.table("events")} WHERE run_id IN ${qList(all)} GROUP BY run_id`,
        )
      ).map((c) => [c.run_id, Number(c.n)]),
    );
    const byRun = new Map<string, Map<string, StoredEvent>>();
    const reread = new Set([...all].filter((id) => onlyIfBehind.has(id) || (counts.get(id) ?? 0) > (fresh.get(id)?.length ?? 0)));
    for (const [runId, list] of fresh) {
      if (!reread.has(runId)) byRun.set(runId, new Map(list.map((e) => [e.eventId, e])));
    }
    if (reread.size > 0) {
      for (const row of await this.db.rows<StoredEventRow & { run_id: string }>(
        `SELECT run_id, event_id, type, time_unix_ms, received_unix_ms, body FROM ${this.db.table("events")} WHERE run_id IN ${qList(reread)}`,
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
    const parentRows = rows.filter((r) => r.parent_run_id !== "").map((r) => ({ parent_run_id: r.parent_run_id, run_id: r.run_id, version: r.version, sort_unix_ms: r.sort_unix_ms }));
    const cacheRows = rows.filter((r) => r.cache_key !== "").map((r) => ({ cache_key: r.cache_key, run_id: r.run_id, version: r.version, sort_unix_ms: r.sort_unix_ms }));
    await Promise.all([
      this.db.insert("runs_by_step", listRows),
      this.db.insert("runs_by_time", listRows),
      this.db.insert("outputs", outputRows),
      this.db.insert("runs_by_cache_key", cacheRows),
      this.db.insert("runs_by_parent", parentRows),
      this.db.insert("runs_by_id", rows),
    ]);
  }

  /**
   * Runs whose stored fold lags: it counts fewer events than are stored, or a list table lacks
   * it (a crash between the fold's writes). Only runs seen in nothing but duplicates get here:
   * the latest folds' own keys make both list tables' lookups ranges of their indexes.
   */
  private async behindRuns(runIds: Set<string>, byRun: Map<string, Map<string, StoredEvent>>): Promise<Set<string>> {
    type Head = { run_id: string; version: string | number; n: string | number; pipeline: string; step: string; sort_unix_ms: string | number };
    const heads = await this.db.rows<Head>(
      `SELECT run_id, tupleElement(h, 1) AS version, tupleElement(h, 2) AS n, tupleElement(h, 3) AS pipeline, tupleElement(h, 4) AS step, ` +
        `tupleElement(h, 5) AS sort_unix_ms FROM (SELECT run_id, argMax((version, event_count, pipeline, step, sort_unix_ms), version) AS h ` +
        `FROM ${this.db.table("runs_by_id")} WHERE run_id IN ${qList(runIds)} GROUP BY run_id)`,
    );
    const behind = new Set([...runIds].filter((id) => !heads.some((h) => h.run_id === id && Number(h.n) >= (byRun.get(id)?.size ?? 0))));
    if (heads.length === 0) return behind;
    const ids = qList(heads.map((h) => h.run_id));
    const versions = (sql: string) => this.db.rows<{ run_id: string; version: string | number }>(sql).then((r) => new Set(r.map((x) => `${x.run_id}\u0000${String(x.version)}`)));
    const [byStep, byTime] = await Promise.all([
      versions(
        `SELECT run_id, version FROM ${this.db.table("runs_by_step")} WHERE pipeline IN ${qList(heads.map((h) => h.pipeline))} ` +
          `AND step IN ${qList(heads.map((h) => h.step))} AND run_id IN ${ids}`,
      ),
      versions(`SELECT run_id, version FROM ${this.db.table("runs_by_time")} WHERE sort_unix_ms IN (${heads.map((h) => Number(h.sort_unix_ms)).join(", ")}) AND run_id IN ${ids}`),
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
      for (const f of await this.db.rows<SnapshotFacts & { digest: string }>(
        `SELECT digest, hostname, git_commit FROM ${this.db.table("snapshots")} WHERE digest IN ${qList(missing)} LIMIT 1 BY digest`,
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
  parent_run_id: true,
  config: true,
  orchestrator_context: true,
};

function withBlankText(row: RunRow): ClickHouseRunRow {
  const out: Record<string, unknown> = { ...row };
  for (const column of Object.keys(TEXT_OR_NULL) as TextOrNullColumn[]) out[column] = row[column] ?? "";
  return out as ClickHouseRunRow;
}
