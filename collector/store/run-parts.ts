import { createRequire } from "node:module";
import { normalise } from "../../core/digest.js";
import type { SnapshotEvent, SnapshotKind } from "../../core/model.js";

// A run is an audit record: resubmit and restore act on it, so each of its parts is written
// once. The parts are the start, one snapshot slot per kind (environment, host, code) and the
// finish. An event for a part already held is a DUPLICATE when it says the same (a resend
// under a new event id), and REFUSED when it disagrees: whoever can publish must not be able to
// turn a succeeded run into a failed one or point its code at another archive. A capture may
// add kinds not yet recorded (and warnings): several writers of one run add, never overwrite.
// The stores check every event against this before storing it, and the fold applies the same
// rule in the order the collector received the events, as a backstop for writers the check
// cannot see (two collectors racing on ClickHouse).

const canonicalize = createRequire(import.meta.url)("canonicalize") as (input: unknown) => string | undefined;

const KINDS: readonly SnapshotKind[] = ["environment", "host", "code"];

/** What a run holds so far, part by part (first-held wins). */
export interface RunParts {
  /**
   * Canonical JSON of the held run_started payload. Nothing of it goes into a refusal: the reason
   * reaches whoever published, who need not be allowed to read the run (another team's command).
   */
  started?: { content: string };
  /** The held run_finished, and its outcome for refusals ("exit 0", "signal SIGKILL"). */
  finished?: { content: string; said: string };
  snapshots: Partial<Record<SnapshotKind, string>>;
  /** `source\0message` of every warning held. */
  warnings: Set<string>;
}

export type PartVerdict = { verdict: "NEW" } | { verdict: "DUPLICATE" } | { verdict: "REFUSED"; reason: string };

export function emptyParts(): RunParts {
  return { snapshots: {}, warnings: new Set() };
}

/** proto3 equality: absent and default are the same value, whichever way the event was decoded. */
function content(payload: unknown): string {
  return canonicalize(normalise(payload) ?? {}) ?? "{}";
}

const clip = (s: string, n = 60): string => (s.length > n ? `${s.slice(0, n - 3)}...` : s);


function describeFinished(event: SnapshotEvent): string {
  const done = event.runFinished;
  if (done?.signal) return `signal ${done.signal}`;
  if (done?.error) return `error ${JSON.stringify(clip(done.error))}`;
  return `exit ${done?.exitCode ?? 0}`;
}

const warningKey = (w: { source?: string | null; message?: string | null }): string => `${w.source ?? ""}\u0000${w.message ?? ""}`;

function refused(runId: string, what: string): PartVerdict {
  return { verdict: "REFUSED", reason: `run ${runId} already has ${what}; a run is an audit record written once` };
}

/**
 * What `event` would do to a run holding `parts`: add a part (NEW), repeat one (DUPLICATE) or
 * contradict one (REFUSED, with a reason naming the run and the part). A capture is judged
 * whole: one conflicting kind refuses all of it.
 */
export function judgeEvent(parts: RunParts, event: SnapshotEvent): PartVerdict {
  if (event.runStarted) {
    if (!parts.started) return { verdict: "NEW" };
    if (parts.started.content === content(event.runStarted)) return { verdict: "DUPLICATE" };
    return refused(event.runId, "a different run_started");
  }
  if (event.runFinished) {
    if (!parts.finished) return { verdict: "NEW" };
    if (parts.finished.content === content(event.runFinished)) return { verdict: "DUPLICATE" };
    return refused(event.runId, `a different run_finished (${parts.finished.said})`);
  }
  const captured = event.snapshotCaptured;
  if (!captured) return { verdict: "DUPLICATE" }; // carries nothing (validation refuses this earlier)
  let adds = false;
  for (const kind of KINDS) {
    const digest = digestOf(captured, kind);
    if (!digest) continue;
    const held = parts.snapshots[kind];
    if (held === undefined) adds = true;
    else if (held !== digest) return refused(event.runId, `a different ${kind} snapshot (${held}, not ${digest})`);
  }
  if (!adds) adds = (captured.warnings ?? []).some((w) => !parts.warnings.has(warningKey(w)));
  return { verdict: adds ? "NEW" : "DUPLICATE" };
}

/** Records what a NEW event adds (call only after judgeEvent said NEW). */
export function holdEvent(parts: RunParts, event: SnapshotEvent): void {
  if (event.runStarted) {
    parts.started = { content: content(event.runStarted) };
  } else if (event.runFinished) {
    parts.finished = { content: content(event.runFinished), said: describeFinished(event) };
  } else if (event.snapshotCaptured) {
    for (const kind of KINDS) {
      const digest = digestOf(event.snapshotCaptured, kind);
      if (digest && parts.snapshots[kind] === undefined) parts.snapshots[kind] = digest;
    }
    for (const w of event.snapshotCaptured.warnings ?? []) parts.warnings.add(warningKey(w));
  }
}

function digestOf(captured: NonNullable<SnapshotEvent["snapshotCaptured"]>, kind: SnapshotKind): string {
  const digest = kind === "environment" ? captured.environmentDigest : kind === "host" ? captured.hostDigest : captured.codeDigest;
  return digest ?? "";
}
