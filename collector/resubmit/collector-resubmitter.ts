import type { RunDetail } from "../../core/api-types.js";
import type { OrchestratorKind } from "../../core/model.js";
import type { Result } from "../../core/result.js";

// The collector resubmits through adapters/, which it may not import (layer rule): cli/ builds one
// of these with adapters/create-resubmitter.ts from the collector's resubmit settings and hands
// it in. The collector only asks it and records who asked.

export interface CollectorResubmission {
  /** The orchestrator's id for the new job; "" on a dry run. */
  externalId: string;
  expectedRunId?: string;
  detail: string;
  commands: string[];
  script?: string;
}

export interface CannotSubmit {
  code: "NOT_CONFIGURED" | "NOT_SUPPORTED";
  message: string;
}

export interface CollectorResubmitter {
  /** Orchestrator kinds it can submit with the credentials it was given. */
  readonly kinds: readonly OrchestratorKind[];
  /**
   * Why a run of this kind cannot be submitted from the collector, naming the setting; undefined
   * when it can. NOT_CONFIGURED: credentials missing (501); NOT_SUPPORTED: never from here (409).
   */
  cannotSubmit(kind: OrchestratorKind): CannotSubmit | undefined;
  /** The transport flags a `snaptrail resubmit` command needs to do what this one does (["--via", URL]). */
  cliFlags(kind: OrchestratorKind): string[];
  /** `collectorHttp`: this collector as the caller reached it, when no cluster address is configured. */
  resubmit(run: RunDetail, dryRun: boolean, collectorHttp: string): Promise<Result<CollectorResubmission>>;
}

/** The settings that give the collector orchestrator credentials, for messages. */
export const RESUBMIT_SETTINGS =
  "--resubmit-slurm-via ssh://USER@HOST[:PORT] with --resubmit-ssh-identity and --resubmit-ssh-known-hosts, or --resubmit-slurm-local (env SNAPTRAIL_COLLECTOR_RESUBMIT_SLURM_VIA, SNAPTRAIL_COLLECTOR_RESUBMIT_SLURM_LOCAL)";
export const RESUBMIT_AIRFLOW_SETTINGS =
  "--resubmit-airflow URL with --resubmit-airflow-user and --resubmit-airflow-password-file (env SNAPTRAIL_COLLECTOR_RESUBMIT_AIRFLOW, _AIRFLOW_USER, _AIRFLOW_PASSWORD_FILE)";
export const RESUBMIT_KFP_SETTINGS = "--resubmit-kfp URL with --resubmit-kfp-token-file (env SNAPTRAIL_COLLECTOR_RESUBMIT_KFP, _KFP_TOKEN_FILE)";

/** A collector started without any: it can say so, and nothing more. */
export const NO_RESUBMITTER: CollectorResubmitter = {
  kinds: [],
  cannotSubmit: (kind) => ({ code: "NOT_CONFIGURED", message: `this collector holds no orchestrator credentials for ${kind} runs: start it with ${RESUBMIT_SETTINGS}` }),
  cliFlags: () => [],
  resubmit: () => Promise.reject(new Error("NO_RESUBMITTER cannot resubmit: check cannotSubmit first")),
};
