import type { RunDetail, RunSummary } from "../../core/api-types.js";
import type { OrchestratorKind, OutputFile, SnapshotEvent } from "../../core/model.js";
import { emptyParts, holdEvent, judgeEvent, type RunParts } from "./run-parts.js";

// A run's row is a pure function of the set of its events, so events may arrive in any order
// (finished before started, a retried capture) and every store backend agrees on the result.
// Each part is written once (run-parts.ts): the fold takes the part the collector received
// first, never the one whose own time_unix_ms is earliest (the sender controls that).

export type EventType = "runStarted" | "snapshotCaptured" | "runFinished";

const EVENT_TYPES: readonly EventType[] = ["runStarted", "snapshotCaptured", "runFinished"];

/** The payloads an event carries (a valid event carries exactly one). */
export function eventPayloads(event: Partial<SnapshotEvent>): EventType[] {
  return EVENT_TYPES.filter((t) => event[t] !== undefined && event[t] !== null);
}

/** The event as kept in the events table: snapshot bodies live in the snapshots table. */
export function withoutSnapshotBodies(event: SnapshotEvent): SnapshotEvent {
  const captured = event.snapshotCaptured;
  if (!captured) return event;
  return { ...event, snapshotCaptured: { ...captured, environment: null, host: null, code: null } };
}

export interface StoredEvent {
  eventId: string;
  type: EventType;
  timeUnixMs: number;
  receivedUnixMs: number;
  /** The event without snapshot bodies. */
  event: SnapshotEvent;
}

/**
 * A run's fold: the fields a RunSummary and a RunDetail show, as the events say them (times as
 * Unix ms; the git commit and a missing host name come from the snapshots when the row is built).
 */
export interface RunState
  extends Omit<RunSummary, "startedAt" | "finishedAt" | "gitCommit">,
    Pick<RunDetail, "outputs" | "config" | "orchestratorContext" | "agentVersion" | "warnings"> {
  startedUnixMs: number | null;
  finishedUnixMs: number | null;
  error: string | null;
  /** What "newest first" orders by: the start time, else the earliest event time seen. */
  sortUnixMs: number;
}

const KINDS: ReadonlySet<string> = new Set(["LOCAL", "AIRFLOW", "KUBEFLOW", "SLURM"]);

export function orchestratorKind(kind: unknown): OrchestratorKind {
  return typeof kind === "string" && KINDS.has(kind) ? (kind as OrchestratorKind) : "LOCAL";
}

/** The order the collector received events in (its own clock), then event id for a tie. */
function compareReceived(a: StoredEvent, b: StoredEvent): number {
  if (a.receivedUnixMs !== b.receivedUnixMs) return a.receivedUnixMs - b.receivedUnixMs;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

const nonEmpty = (s: string | null | undefined): string | null => (s ? s : null);
const positive = (n: number): number | null => (n > 0 ? n : null);

/**
 * Folds a run's events in the order the collector received them (received time, then event id):
 * each part is taken from the first event that holds it, an event that contradicts a part
 * already held is left out whole (as the stores refuse it: run-parts.ts), and warnings
 * accumulate (de-duplicated). The stores' check makes the order matter only where two
 * collectors raced on one run.
 */
export function foldRun(runId: string, events: readonly StoredEvent[]): RunState {
  return foldRunParts(runId, events).state;
}

/** The fold and the parts it holds: what the stores judge a new event against. */
export function foldRunParts(runId: string, events: readonly StoredEvent[]): { state: RunState; parts: RunParts } {
  const state: RunState = {
    runId,
    orchestrator: "LOCAL",
    pipeline: "",
    pipelineRun: "",
    step: "",
    attempt: 0,
    status: "running",
    startedUnixMs: null,
    finishedUnixMs: null,
    exitCode: null,
    signal: null,
    error: null,
    durationMs: null,
    hostname: "",
    environmentDigest: null,
    hostDigest: null,
    codeDigest: null,
    rollbackOf: null,
    parentRunId: null,
    cacheKey: null,
    cachedFrom: null,
    outputs: [],
    config: null,
    orchestratorContext: null,
    agentVersion: "",
    warnings: [],
    sortUnixMs: 0,
  };
  const seenWarnings = new Set<string>();
  let earliestTime: number | null = null;
  let earliestReceived: number | null = null;
  let finished = false;
  const parts = emptyParts();
  for (const stored of [...events].sort(compareReceived)) {
    const { event } = stored;
    earliestReceived = Math.min(earliestReceived ?? Infinity, stored.receivedUnixMs);
    if (judgeEvent(parts, event).verdict !== "NEW") continue;
    holdEvent(parts, event);
    if (stored.timeUnixMs > 0) earliestTime = Math.min(earliestTime ?? Infinity, stored.timeUnixMs);
    if (event.runStarted) {
      const started = event.runStarted;
      const ctx = started.orchestrator;
      state.orchestrator = orchestratorKind(ctx?.kind);
      state.pipeline = ctx?.pipeline ?? "";
      state.pipelineRun = ctx?.pipelineRun ?? "";
      state.step = ctx?.step ?? "";
      state.attempt = ctx?.attempt ?? 0;
      state.orchestratorContext = ctx ?? null;
      state.config = started.config ?? null;
      state.hostname = started.hostname ?? "";
      state.agentVersion = started.agentVersion ?? "";
      state.rollbackOf = nonEmpty(started.rollbackOf);
      state.parentRunId = nonEmpty(started.parentRunId);
      state.cacheKey = nonEmpty(started.cacheKey);
      state.cachedFrom = nonEmpty(started.cachedFrom);
      state.startedUnixMs = positive(stored.timeUnixMs);
    } else if (event.snapshotCaptured) {
      const captured = event.snapshotCaptured;
      state.environmentDigest ??= nonEmpty(captured.environmentDigest);
      state.hostDigest ??= nonEmpty(captured.hostDigest);
      state.codeDigest ??= nonEmpty(captured.codeDigest);
      for (const w of captured.warnings ?? []) {
        const key = `${w.source}\u0000${w.message}`;
        if (seenWarnings.has(key)) continue;
        seenWarnings.add(key);
        state.warnings.push({ source: w.source ?? "", message: w.message ?? "" });
      }
    } else if (event.runFinished) {
      const done = event.runFinished;
      finished = true;
      state.finishedUnixMs = positive(stored.timeUnixMs);
      state.exitCode = done.exitCode ?? 0;
      state.signal = nonEmpty(done.signal);
      state.error = nonEmpty(done.error);
      state.durationMs = done.durationMs ?? null;
      state.outputs = normaliseOutputs(done.outputs);
    }
  }
  if (finished) state.status = state.exitCode === 0 && !state.signal && !state.error ? "succeeded" : "failed";
  state.sortUnixMs = state.startedUnixMs ?? earliestTime ?? earliestReceived ?? 0;
  return { state, parts };
}

/** Outputs as every store keeps them: every field present, numbers as numbers, sorted by path. */
export function normaliseOutputs(outputs: readonly Partial<OutputFile>[] | null | undefined): OutputFile[] {
  return (outputs ?? [])
    .map((o) => ({ path: o.path ?? "", digest: o.digest ?? "", size: Number(o.size ?? 0), mode: o.mode ?? 0, stored: o.stored === true }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A run can stand in for its command only when every output it declared was found and kept. */
export function allOutputsStored(outputs: readonly OutputFile[]): boolean {
  return outputs.every((o) => o.stored && o.digest !== "");
}
