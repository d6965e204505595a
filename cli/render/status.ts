import type { RunSummary } from "../../core/api-types.js";
import type { Palette, Paint } from "./format.js";

export function statusPaint(status: RunSummary["status"], c: Palette): Paint {
  return status === "succeeded" ? c.green : status === "failed" ? c.red : c.yellow;
}

/** "0", "1", "SIGKILL" or "-" while running. */
export function exitText(r: Pick<RunSummary, "exitCode" | "signal">): string {
  if (r.signal) return r.signal;
  return r.exitCode === null ? "-" : String(r.exitCode);
}

/** "nightly_train/train", "nightly_train", or "-". */
export function pipelineStep(r: Pick<RunSummary, "pipeline" | "step">): string {
  if (r.pipeline && r.step) return `${r.pipeline}/${r.step}`;
  return r.pipeline || r.step || "-";
}
