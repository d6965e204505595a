import type { RunDetail } from "../core/api-types.js";
import type { OrchestratorKind } from "../core/model.js";
import type { Result } from "../core/result.js";

// `snaptrail resubmit` talks to every orchestrator through this one interface (a Resubmitter,
// not agent/orchestrator/, which only detects where a job runs); the Airflow,
// Kubeflow and Slurm adapters implement it in later issues and are chosen in one factory.
export interface ResubmitRequest {
  /** The run to send back, with the snapshots it is pinned to. */
  run: RunDetail;
  /** Print what would be submitted instead of submitting it. */
  dryRun: boolean;
}

export interface Resubmission {
  /** The orchestrator's own id for the new run (Airflow dag_run id, Slurm job id, KFP run id). */
  externalId: string;
  /** The run id snaptrail will see from the new run's agent, when it can be predicted. */
  expectedRunId?: string;
  detail: string;
}

export interface Resubmitter {
  readonly kind: OrchestratorKind;
  resubmit(request: ResubmitRequest): Promise<Result<Resubmission>>;
  close(): Promise<void>;
}
