import type { RunSummary } from "../../core/api-types.js";
import { alignRows, cell, formatDuration, formatTime, palette, shortCommit, shortDigest, type RenderOptions } from "./format.js";
import { exitText, pipelineStep, statusPaint } from "./status.js";

/** `snaptrail runs`: one aligned line per run under a header. */
export function renderRunsTable(runs: readonly RunSummary[], opts: RenderOptions): string {
  const c = palette(opts);
  if (runs.length === 0) return `${c.dim("No runs match.")}\n`;
  const header = ["RUN", "PIPELINE/STEP", "STATUS", "STARTED", "DURATION", "EXIT", "ENV", "COMMIT"].map((h) => cell(h, c.bold));
  const rows = runs.map((r) => [
    cell(r.runId),
    cell(pipelineStep(r)),
    // A cache hit ran nothing: say so where people look for how a run went.
    cell(r.cachedFrom ? `${r.status} (cached)` : r.status, statusPaint(r.status, c)),
    cell(formatTime(r.startedAt)),
    cell(formatDuration(r.durationMs)),
    cell(exitText(r), r.exitCode !== null && r.exitCode !== 0 ? c.red : undefined),
    cell(shortDigest(r.environmentDigest), c.dim),
    cell(shortCommit(r.gitCommit), c.dim),
  ]);
  return `${alignRows([header, ...rows]).join("\n")}\n`;
}
