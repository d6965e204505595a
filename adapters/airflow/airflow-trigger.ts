import { randomBytes } from "node:crypto";
import type { RunDetail } from "../../core/api-types.js";
import { BadInputError } from "../../core/errors.js";
import type { NewDagRun } from "./airflow-api.js";

/** A new DAG run of a recorded run's DAG; each API generation makes its own request body of it. */
export interface AirflowTrigger {
  dagId: string;
  run: NewDagRun;
}

/** The task an Airflow run belongs to, and its DAG and DAG run, from the run's recorded context. */
export function airflowIds(run: RunDetail): { dagId: string; dagRunId: string; taskId: string } {
  const dagId = run.orchestratorContext?.pipeline || run.pipeline;
  const taskId = run.orchestratorContext?.step || run.step;
  const dagRunId = run.orchestratorContext?.pipelineRun || run.pipelineRun;
  if (!dagId || !taskId) throw new BadInputError(`${run.runId} recorded no DAG id or task id, so it cannot be sent back to Airflow`);
  return { dagId, dagRunId, taskId };
}

/** `--conf`: more of the DAG run's conf, a JSON object; the pins are added to it. */
export function parseExtraConf(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new BadInputError(`--conf is not JSON: ${(err as Error).message} (expected an object, e.g. '{"date": "2026-01-01"}')`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new BadInputError("--conf must be a JSON object (the DAG run's conf), not an array or a single value");
  for (const key of ["snaptrail_pin", "snaptrail_restore"]) {
    if (key in parsed) throw new BadInputError(`--conf must not set ${key}: resubmit sets it from the run (use --step for more pinned tasks)`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * The DAG run that re-runs a recorded run's DAG with `pins` ({task_id: run id}) in its conf as
 * snaptrail_pin: the policy's wrapper and the listener hand it to the agent as SNAPTRAIL_PIN, so
 * each pinned task runs on its recorded code and environment; the other tasks run as today.
 */
export function airflowTrigger(run: RunDetail, pins: Record<string, string>, extraConf: Record<string, unknown> = {}, now = new Date(), suffix = randomBytes(3).toString("hex")): AirflowTrigger {
  const { dagId } = airflowIds(run);
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const dagRunId = `snaptrail_rollback__${stamp}_${suffix}`;
  return {
    dagId,
    run: { dagRunId, conf: { ...extraConf, snaptrail_pin: pins }, note: `snaptrail resubmit ${run.runId}` },
  };
}
