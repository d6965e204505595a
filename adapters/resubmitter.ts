import type { RunDetail } from "../core/api-types.js";
import type { OrchestratorKind } from "../core/model.js";
import { SnaptrailError } from "../core/errors.js";
import { fail, ok, type Result } from "../core/result.js";

// `snaptrail resubmit` talks to every orchestrator through this one interface (a Resubmitter,
// not agent/orchestrator/, which only detects where a job runs); each adapter implements it and
// adapters/create-resubmitter.ts picks one from the run's orchestrator kind.

/** What the user asked to change from the recorded submission; everything else is as recorded. */
export interface ResubmitOverrides {
  /** A GRES request as sbatch takes it ("gpu:3"); replaces the recorded one. */
  gres?: string;
  partition?: string;
  /** A time limit in Slurm's format ("30", "1:00:00", "2-00:00:00"). */
  time?: string;
  /** Rerun only this step (Airflow task, KFP component); orchestrators without steps refuse it. */
  step?: string;
  /** Airflow: re-run the run's task in its original DAG run (clear it) instead of a new DAG run. */
  inPlace?: boolean;
  /** With inPlace: clear the task's downstream tasks too. */
  downstream?: boolean;
}

export interface ResubmitRequest {
  /** The run to send back, with the snapshots it is pinned to. */
  run: RunDetail;
  /** Print what would be submitted instead of submitting it. */
  dryRun: boolean;
  overrides?: ResubmitOverrides;
}

export interface Resubmission {
  /** The orchestrator's own id for the new run (Airflow dag_run id, Slurm job id, KFP run id); "" on a dry run. */
  externalId: string;
  /** The run id snaptrail will see from the new run's agent, when it can be predicted. */
  expectedRunId?: string;
  detail: string;
  /** The exact commands run (or, on a dry run, that would run), each as a shell-quoted line. */
  commands: string[];
  /** The batch script submitted (or that would be), where the orchestrator takes one. */
  script?: string;
  /** A run re-run here (LOCAL): its exit status, which `resubmit` exits with. */
  exitCode?: number;
}

export interface Resubmitter {
  readonly kind: OrchestratorKind;
  resubmit(request: ResubmitRequest): Promise<Result<Resubmission>>;
  close(): Promise<void>;
}

/**
 * A submission as a Result: our errors are expected outcomes (an orchestrator away for now is
 * retryable), anything else is a bug and still throws.
 */
export async function submissionResult(submit: () => Promise<Resubmission>): Promise<Result<Resubmission>> {
  try {
    return ok(await submit());
  } catch (err) {
    if (err instanceof SnaptrailError) return fail(err, err.code === "UNAVAILABLE");
    throw err;
  }
}
