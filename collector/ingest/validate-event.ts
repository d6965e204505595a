import { DIGEST_PATTERN, snapshotDigest } from "../../core/digest.js";
import { errorMessage } from "../../core/errors.js";
import { MAX_OUTPUT_PATH_CHARS, MAX_OUTPUTS_PER_RUN } from "../../core/output-limits.js";
import { MAX_SCRIPT_BYTES } from "../../core/script-limits.js";
import type { OutputFile, RunStarted, SnapshotEvent, SnapshotKind } from "../../core/model.js";
import { eventPayloads } from "../store/run-fold.js";
import { checkLeftOut } from "./check-left-out.js";

// Validation every transport shares (gRPC and NATS JetStream). A message returned here becomes a
// REJECTED ack: resending the same event will not help. Nothing here throws for bad input.

export const MAX_EVENT_ID_CHARS = 200;
export const MAX_RUN_ID_CHARS = 500;

export interface EventLimits {
  /** An environment snapshot listing more packages is rejected before it is digested. */
  maxPackagesPerSnapshot?: number;
  /** The collector's clock, for the future bound on event times (tests pin it). */
  nowMs?: number;
}

/** 2000-01-01T00:00:00Z: no job snaptrail records ran before it; 0 still means "not given". */
export const MIN_EVENT_TIME_MS = Date.UTC(2000, 0, 1);
/** How far ahead of the collector's clock an agent's clock may run (skew between hosts). */
export const MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;
/** Ten years: longer than any job, and far inside what a Date can show. */
export const MAX_DURATION_MS = 10 * 366 * 24 * 60 * 60 * 1000;

const KINDS: readonly SnapshotKind[] = ["environment", "host", "code"];

export interface SnapshotRef {
  kind: SnapshotKind;
  digest: string;
  /** The event carries the body (else the collector must already hold it). */
  hasBody: boolean;
}

/** The snapshot digests a snapshotCaptured event names (none for other events). */
export function snapshotRefs(event: SnapshotEvent): SnapshotRef[] {
  const captured = event.snapshotCaptured;
  if (!captured) return [];
  const refs: SnapshotRef[] = [];
  for (const kind of KINDS) {
    const digest = captured[`${kind}Digest`];
    if (digest) refs.push({ kind, digest, hasBody: captured[kind] !== null && captured[kind] !== undefined });
  }
  return refs;
}

/**
 * The checks that need nothing but the event itself: ids, exactly one payload, digest syntax,
 * and every body present re-digested to the digest it was sent under. Returns the reason to
 * reject, or undefined.
 */
export function checkEvent(event: SnapshotEvent | null | undefined, limits: EventLimits = {}): string | undefined {
  if (!event) return "request carries no event";
  if (typeof event.eventId !== "string" || event.eventId === "") return "event_id is empty";
  if (event.eventId.length > MAX_EVENT_ID_CHARS) return `event_id is longer than ${MAX_EVENT_ID_CHARS} characters`;
  if (typeof event.runId !== "string" || event.runId === "") return "run_id is empty";
  if (event.runId.length > MAX_RUN_ID_CHARS) return `run_id is longer than ${MAX_RUN_ID_CHARS} characters`;
  const payloads = eventPayloads(event);
  if (payloads.length === 0) return "event carries no payload (run_started, snapshot_captured or run_finished)";
  if (payloads.length > 1) return `event carries more than one payload (${payloads.join(", ")})`;
  const badTime = checkTimes(event, limits.nowMs ?? Date.now());
  if (badTime) return badTime;
  if (event.runStarted) return checkScript(event.runStarted) ?? checkRunLinks(event.runStarted, event.runId);
  if (event.runFinished) return checkOutputs(event.runFinished.outputs);
  const captured = event.snapshotCaptured;
  if (!captured) return undefined;
  const packages = captured.environment?.packages?.length ?? 0;
  const maxPackages = limits.maxPackagesPerSnapshot;
  if (maxPackages !== undefined && packages > maxPackages) {
    return `environment snapshot lists ${packages} packages, over the collector's limit of ${maxPackages} (maxPackagesPerSnapshot)`;
  }
  for (const kind of KINDS) {
    const digest = captured[`${kind}Digest`] ?? "";
    const body = captured[kind];
    const hasBody = body !== null && body !== undefined;
    if (hasBody && digest === "") return `${kind} body sent without ${kind}_digest`;
    if (digest === "") continue;
    if (!DIGEST_PATTERN.test(digest)) return `${kind}_digest "${clip(digest)}" is not a sha256:<64 lowercase hex> digest`;
    if (!hasBody) continue;
    let actual: string;
    try {
      actual = snapshotDigest(kind, body);
    } catch (err) {
      return `${kind} body cannot be digested: ${errorMessage(err)}`;
    }
    if (actual !== digest) return `${kind} body does not match its digest (sent ${digest}, body digests to ${actual})`;
  }
  // The code archive itself is not required here: it is needed only for file-level diffs and
  // restore, and an agent may upload it after the event (HasDigests tells it what is missing).
  const archive = captured.code?.archiveDigest ?? "";
  if (archive !== "" && !DIGEST_PATTERN.test(archive)) {
    return `code archive_digest "${clip(archive)}" is not a sha256:<64 lowercase hex> digest`;
  }
  return checkLeftOut(captured.code);
}

/**
 * Checks that every digest sent without its body is already stored or carried by another
 * accepted event of the same batch. `rejected[i]` holds earlier rejections (from checkEvent)
 * and is not overwritten; the result is the complete list of rejections for the batch.
 */
export async function checkReferences(
  events: readonly SnapshotEvent[],
  hasSnapshots: (digests: string[]) => Promise<Set<string>>,
  rejected: readonly (string | undefined)[] = [],
): Promise<(string | undefined)[]> {
  const errors = events.map((_, i) => rejected[i]);
  const refs = events.map((e, i) => (errors[i] === undefined ? snapshotRefs(e) : []));
  const bare = new Set<string>();
  for (const list of refs) for (const r of list) if (!r.hasBody) bare.add(r.digest);
  if (bare.size === 0) return errors;
  const stored = await hasSnapshots([...bare]);
  // Rejecting an event withdraws the bodies it carried, which may strand another event's
  // reference: repeat until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    const carried = new Set<string>();
    refs.forEach((list, i) => {
      if (errors[i] === undefined) for (const r of list) if (r.hasBody) carried.add(r.digest);
    });
    refs.forEach((list, i) => {
      if (errors[i] !== undefined) return;
      const missing = list.find((r) => !r.hasBody && !stored.has(r.digest) && !carried.has(r.digest));
      if (missing) {
        errors[i] = `${missing.kind} snapshot ${missing.digest} is not stored and its body was not sent`;
        changed = true;
      }
    });
  }
  return errors;
}

/**
 * Times every reader turns into dates and sorts by: one absurd value (1e16, 2^64-1) stored once
 * would break every listing that reaches it, and a far-future time would pin a run to the top of
 * "newest first" for ever.
 */
function checkTimes(event: SnapshotEvent, nowMs: number): string | undefined {
  const time = event.timeUnixMs;
  if (time !== 0) {
    if (!Number.isSafeInteger(time) || time < MIN_EVENT_TIME_MS) {
      return `time_unix_ms ${String(time)} is not a time after 2000-01-01 in milliseconds since the epoch`;
    }
    if (time > nowMs + MAX_CLOCK_SKEW_MS) {
      // No date in the message: a time this far out may be past what a Date can hold.
      return `time_unix_ms ${time} is more than a day ahead of the collector's clock (${nowMs})`;
    }
  }
  const duration = event.runFinished?.durationMs ?? 0;
  if (!Number.isSafeInteger(duration) || duration < 0 || duration > MAX_DURATION_MS) {
    return `run_finished.duration_ms ${String(duration)} is not a duration of at most ten years in milliseconds`;
  }
  return undefined;
}

function checkScript(started: Partial<RunStarted>): string | undefined {
  const script = started.config?.script ?? "";
  // Characters first: a string under the byte bound in UTF-16 units needs no encoding to prove it.
  if (script.length * 3 <= MAX_SCRIPT_BYTES) return undefined;
  const bytes = Buffer.byteLength(script, "utf8");
  if (bytes > MAX_SCRIPT_BYTES) return `run_started.config.script is ${bytes} bytes, over the limit of ${MAX_SCRIPT_BYTES} (Slurm's default max_script_size)`;
  return undefined;
}

function checkRunLinks(started: Partial<RunStarted>, runId: string): string | undefined {
  const parent = started.parentRunId ?? "";
  if (parent.length > MAX_RUN_ID_CHARS) return `parent_run_id is longer than ${MAX_RUN_ID_CHARS} characters`;
  if (parent !== "" && parent === runId) return "parent_run_id names the run itself: a run cannot be its own parent";
  const key = started.cacheKey ?? "";
  if (key !== "" && !DIGEST_PATTERN.test(key)) return `cache_key "${clip(key)}" is not a sha256:<64 lowercase hex> digest`;
  const from = started.cachedFrom ?? "";
  if (from.length > MAX_RUN_ID_CHARS) return `cached_from is longer than ${MAX_RUN_ID_CHARS} characters`;
  if (from !== "" && key === "") return "cached_from is set without cache_key: a cached run names the key it was found under";
  return undefined;
}

/** Bounded, well-formed and unambiguous: one entry per path. */
function checkOutputs(outputs: readonly Partial<OutputFile>[] | null | undefined): string | undefined {
  const list = outputs ?? [];
  if (list.length > MAX_OUTPUTS_PER_RUN) return `run_finished lists ${list.length} outputs, over the limit of ${MAX_OUTPUTS_PER_RUN}`;
  const seen = new Set<string>();
  for (const [i, o] of list.entries()) {
    const path = o.path ?? "";
    const where = `output ${i} (${JSON.stringify(clip(path))})`;
    if (path === "") return `output ${i} has an empty path`;
    if (path.length > MAX_OUTPUT_PATH_CHARS) return `output ${i} has a path longer than ${MAX_OUTPUT_PATH_CHARS} characters`;
    if (path.includes("\u0000")) return `${where} has a NUL character in its path`;
    if (seen.has(path)) return `${where} is listed twice`;
    seen.add(path);
    const digest = o.digest ?? "";
    if (digest !== "" && !DIGEST_PATTERN.test(digest)) return `${where} digest "${clip(digest)}" is not a sha256:<64 lowercase hex> digest`;
    const size = Number(o.size ?? 0);
    if (!Number.isSafeInteger(size) || size < 0) return `${where} size ${String(o.size)} is not a byte count`;
    if (digest === "" && (size !== 0 || o.stored)) return `${where} has no digest (missing output) but a size or stored flag`;
    const mode = o.mode ?? 0;
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) return `${where} mode ${mode} is not a set of permission bits (0 to 0o7777)`;
  }
  return undefined;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
