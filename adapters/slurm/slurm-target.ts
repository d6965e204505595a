import type { RunDetail } from "../../core/api-types.js";

/** Slurm's run ids are `slurm:<cluster>/<job>[.<step>]`; the new job's is predictable from its id. */
export function expectedSlurmRunId(run: RunDetail, jobId: string): string | undefined {
  const m = /^slurm:([^/]+)\//.exec(run.runId);
  return m ? `slurm:${m[1]}/${jobId}` : undefined;
}

/** A folder name for one resubmit: the run id made path-safe, and the time, so two never collide. */
export function resubmitStamp(run: RunDetail, now: Date = new Date()): string {
  const id = run.runId.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[-.]+/, "").slice(0, 80);
  const time = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${id || "run"}-${time}-${process.pid}`;
}
