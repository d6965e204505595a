import { randomBytes } from "node:crypto";
import os from "node:os";
import type { OrchestratorContext } from "../../core/model.js";

export interface RunIdClock {
  now?: Date;
  hostname?: string;
  /** 6 hex digits; random by default. */
  suffix?: string;
}

/** An id part with "/" (the separator) and "%" escaped, so ids always split back into parts. */
function part(text: string): string {
  return text.replace(/%/g, "%25").replace(/\//g, "%2F");
}

/** 20240501T120000 (UTC). */
function compactUtc(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "");
}

/**
 * The run's id, derived from the orchestrator's own ids so that a retried delivery of the same
 * run gets the same id:
 * - `airflow:<dag>/<dag_run>/<task>/<try>`
 * - `slurm:<cluster|default>/<job>[_<array_task>][.<step>]`
 * - `kfp:<run>/<task>`
 * - local: SNAPTRAIL_RUN_ID when set, else `local:<hostname>/<YYYYMMDDTHHMMSS>-<6 random hex>`
 *   (UTC), new for every run.
 * "/" and "%" inside a part are percent-escaped.
 */
export function runIdFor(ctx: OrchestratorContext, env: NodeJS.ProcessEnv, clock: RunIdClock = {}): string {
  const explicit = env.SNAPTRAIL_RUN_ID?.trim() ?? "";
  switch (ctx.kind) {
    case "AIRFLOW":
      return `airflow:${part(ctx.pipeline)}/${part(ctx.pipelineRun)}/${part(ctx.step)}/${ctx.attempt || 1}`;
    case "SLURM": {
      const cluster = env.SLURM_CLUSTER_NAME?.trim() || "default";
      const step = ctx.step !== "" ? `.${part(ctx.step)}` : "";
      return `slurm:${part(cluster)}/${part(ctx.pipelineRun)}${step}`;
    }
    case "KUBEFLOW":
      return `kfp:${part(ctx.pipelineRun)}/${part(ctx.step)}`;
    default: {
      if (explicit !== "") return explicit;
      const host = clock.hostname ?? os.hostname();
      const suffix = clock.suffix ?? randomBytes(3).toString("hex");
      return `local:${part(host)}/${compactUtc(clock.now ?? new Date())}-${suffix}`;
    }
  }
}
