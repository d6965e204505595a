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

/** "+<n>" for a second or later attempt; the first keeps the plain id. */
function retry(attempt: number): string {
  return attempt > 0 ? `+${attempt}` : "";
}

/** 20240501T120000 (UTC). */
function compactUtc(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "");
}

/**
 * The run's id, derived from the orchestrator's own ids so that a retried DELIVERY of the same
 * run gets the same id, while a retried ATTEMPT (a new try, a requeue, a KFP retry, another map
 * index) gets a new one: a run is an audit record written once, so two attempts sharing an id
 * would see the second refused.
 * - `airflow:<dag>/<dag_run>/<task>[<map_index>]/<try>` (`[<map_index>]` only for a mapped task:
 *   Airflow task ids cannot hold brackets; AIRFLOW_CTX_MAP_INDEX, which snaptrail's Airflow
 *   integration exports, since Airflow itself does not)
 * - `slurm:<cluster|default>/<job>[_<array_task>][+<restart>][.<step>]` (`+<restart>` is
 *   SLURM_RESTART_COUNT when a requeued job runs again)
 * - `kfp:<run>/<task>[+<retry>]` (`+<retry>` is KFP_RETRY_COUNT when above 0)
 * - local: SNAPTRAIL_RUN_ID when set, else `local:<hostname>/<YYYYMMDDTHHMMSS>-<6 random hex>`
 *   (UTC), new for every run.
 * "/" and "%" inside a part are percent-escaped.
 */
/**
 * The run this one is a part of, or "" for a run that stands alone: a Slurm step run
 * (`slurm:c/123.0`) belongs to its job run (`slurm:c/123`). Other kinds have no parent yet.
 */
export function parentRunIdFor(ctx: OrchestratorContext, env: NodeJS.ProcessEnv): string {
  return ctx.kind === "SLURM" && ctx.step !== "" ? runIdFor({ ...ctx, step: "" }, env) : "";
}

export function runIdFor(ctx: OrchestratorContext, env: NodeJS.ProcessEnv, clock: RunIdClock = {}): string {
  const explicit = env.SNAPTRAIL_RUN_ID?.trim() ?? "";
  switch (ctx.kind) {
    case "AIRFLOW": {
      const mapIndex = ctx.attributes.map_index ?? "";
      const mapped = /^\d+$/.test(mapIndex) ? `[${mapIndex}]` : "";
      return `airflow:${part(ctx.pipeline)}/${part(ctx.pipelineRun)}/${part(ctx.step)}${mapped}/${ctx.attempt || 1}`;
    }
    case "SLURM": {
      const cluster = env.SLURM_CLUSTER_NAME?.trim() || "default";
      const step = ctx.step !== "" ? `.${part(ctx.step)}` : "";
      return `slurm:${part(cluster)}/${part(ctx.pipelineRun)}${retry(ctx.attempt)}${step}`;
    }
    case "KUBEFLOW":
      return `kfp:${part(ctx.pipelineRun)}/${part(ctx.step)}${retry(ctx.attempt)}`;
    default: {
      if (explicit !== "") return explicit;
      const host = clock.hostname ?? os.hostname();
      const suffix = clock.suffix ?? randomBytes(3).toString("hex");
      return `local:${part(host)}/${compactUtc(clock.now ?? new Date())}-${suffix}`;
    }
  }
}
