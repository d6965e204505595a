import { randomUUID } from "node:crypto";
import type { RunFinished, SnapshotEvent } from "../../core/model.js";
import { SNAPTRAIL_VERSION } from "../../core/version.js";
import type { CaptureResult } from "../capture/capture-types.js";

// Each event gets a fresh id: the collector de-duplicates resends of the same event on it.
function envelope(runId: string): Pick<SnapshotEvent, "eventId" | "runId" | "timeUnixMs"> {
  return { eventId: randomUUID(), runId, timeUnixMs: Date.now() };
}

/** How a run relates to others: restored from one, or its outputs reused from one. */
export interface RunLinks {
  rollbackOf?: string;
  cacheKey?: string;
  cachedFrom?: string;
}

export function runStartedEvent(capture: CaptureResult, links: RunLinks = {}): SnapshotEvent {
  return {
    ...envelope(capture.runId),
    payload: "runStarted",
    runStarted: {
      orchestrator: capture.orchestrator,
      config: capture.config,
      hostname: capture.host.hostname,
      agentVersion: SNAPTRAIL_VERSION,
      rollbackOf: links.rollbackOf ?? "",
      cacheKey: links.cacheKey ?? "",
      cachedFrom: links.cachedFrom ?? "",
      parentRunId: capture.parentRunId,
    },
  };
}

/** Bodies travel only for digests the collector does not hold (`present`). */
export function snapshotCapturedEvent(capture: CaptureResult, present: ReadonlySet<string>): SnapshotEvent {
  const { digests } = capture;
  return {
    ...envelope(capture.runId),
    payload: "snapshotCaptured",
    snapshotCaptured: {
      environmentDigest: digests.environment,
      environment: present.has(digests.environment) ? null : capture.environment,
      hostDigest: digests.host,
      host: present.has(digests.host) ? null : capture.host,
      codeDigest: digests.code ?? "",
      code: digests.code === null || present.has(digests.code) ? null : capture.code,
      warnings: capture.warnings,
      captureMs: Math.round(capture.captureMs),
    },
  };
}

export function runFinishedEvent(runId: string, finished: RunFinished): SnapshotEvent {
  return { ...envelope(runId), payload: "runFinished", runFinished: finished };
}
