import { shellJoin } from "../../core/diff/shell-quote.js";
import { BadInputError, NotFoundError, SubmitRefusedError } from "../../core/errors.js";
import type { Result } from "../../core/result.js";
import type { RunDetail } from "../../core/api-types.js";
import { submissionResult, type Resubmission, type ResubmitRequest, type Resubmitter } from "../resubmitter.js";
import { KfpApiClient, type KfpApiClientOptions } from "./kfp-api-client.js";

/** The pipeline parameter deploy/kubeflow's with_snaptrail(pin=...) adds; each wrapped component reads it as SNAPTRAIL_PIN. */
export const PIN_PARAMETER = "snaptrail_pin";

/** The fields of a v2beta1 Run this adapter reads (backend/api/v2beta1/run.proto). */
interface KfpRun {
  run_id?: string;
  display_name?: string;
  experiment_id?: string;
  pipeline_version_id?: string;
  pipeline_version_reference?: { pipeline_id?: string; pipeline_version_id?: string };
  pipeline_spec?: Record<string, unknown>;
  runtime_config?: { parameters?: Record<string, unknown>; pipeline_root?: string };
  service_account?: string;
}

interface KfpPipelineVersion {
  pipeline_spec?: Record<string, unknown>;
}

export type KfpResubmitterOptions = KfpApiClientOptions;

/** An id part as the agent writes it (agent/orchestrator/run-id-for.ts): "/" and "%" escaped. */
function idPart(text: string): string {
  return text.replace(/%/g, "%25").replace(/\//g, "%2F");
}

/**
 * The root parameters a pipeline spec declares. A version's spec is the PipelineSpec itself, or,
 * when the pipeline carries Kubernetes settings (kfp-kubernetes), {pipeline_spec, platform_spec}.
 */
export function declaredParameters(spec: Record<string, unknown> | undefined): string[] | undefined {
  if (spec === undefined) return undefined;
  const inner = (spec.pipeline_spec ?? spec.pipelineSpec ?? spec) as { root?: { inputDefinitions?: { parameters?: unknown } } };
  const params = inner.root?.inputDefinitions?.parameters;
  return typeof params === "object" && params !== null ? Object.keys(params) : [];
}

/** The pins a run already carries (a rollback of a rollback), as the JSON object the agent reads. */
function recordedPins(value: unknown): Record<string, string> {
  if (typeof value !== "string" || value.trim() === "") return {};
  try {
    const parsed = JSON.parse(value) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}

/**
 * Kubeflow Pipelines through its v2beta1 REST API: reads the recorded run's KFP run
 * (GET /apis/v2beta1/runs/{id}) for its pipeline version and runtime parameters, checks that the
 * version still exists and was compiled with with_snaptrail's pin parameter, then creates a run of
 * the same version with the same parameters and this run's component pinned
 * (POST /apis/v2beta1/runs, `snaptrail_pin` = {"<step>": "<run id>"}). The pinned component
 * restores the recorded code and environment before it runs and records its run with rollback_of.
 */
export class KfpResubmitter implements Resubmitter {
  readonly kind = "KUBEFLOW" as const;
  private readonly api: KfpApiClient;

  constructor(options: KfpResubmitterOptions) {
    this.api = new KfpApiClient(options);
  }

  resubmit(request: ResubmitRequest): Promise<Result<Resubmission>> {
    return submissionResult(() => this.submit(request));
  }

  private async submit(request: ResubmitRequest): Promise<Resubmission> {
    const { run } = request;
    refuseOverrides(run, request);
    const kfpRunId = run.pipelineRun;
    const step = run.step;
    if (run.orchestrator !== "KUBEFLOW") throw new BadInputError(`${run.runId} is a ${run.orchestrator} run, not a Kubeflow Pipelines run: --kfp does not apply`);
    if (kfpRunId === "" || step === "") {
      throw new BadInputError(`${run.runId} recorded no KFP run id or task name (KFP_RUN_ID, KFP_TASK_NAME: with_snaptrail in deploy/kubeflow sets them), so there is no KFP run to send back`);
    }
    const runPath = `/apis/v2beta1/runs/${encodeURIComponent(kfpRunId)}`;
    let original: KfpRun;
    try {
      original = await this.api.get<KfpRun>(runPath, `reading KFP run ${kfpRunId}`);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError(`KFP at ${this.api.base} has no run ${kfpRunId} (the run ${run.runId} was recorded in; deleted, or another KFP?); nothing was submitted`, { cause: err });
      throw err;
    }
    const ref = original.pipeline_version_reference;
    const pipelineId = ref?.pipeline_id ?? "";
    const versionId = ref?.pipeline_version_id || original.pipeline_version_id || "";
    let spec: Record<string, unknown> | undefined;
    let source: Record<string, unknown>;
    let from: string;
    if (versionId !== "") {
      const versionPath = `/apis/v2beta1/pipelines/${encodeURIComponent(pipelineId)}/versions/${encodeURIComponent(versionId)}`;
      try {
        spec = (await this.api.get<KfpPipelineVersion>(versionPath, `reading pipeline version ${versionId}`)).pipeline_spec;
      } catch (err) {
        if (err instanceof NotFoundError) {
          throw new NotFoundError(`pipeline version ${versionId} of pipeline ${pipelineId}, which KFP run ${kfpRunId} ran, no longer exists in KFP at ${this.api.base}; nothing was submitted`, { cause: err });
        }
        throw err;
      }
      source = { pipeline_version_reference: { pipeline_id: pipelineId, pipeline_version_id: versionId } };
      from = `pipeline version ${versionId}`;
    } else if (original.pipeline_spec !== undefined) {
      spec = original.pipeline_spec;
      source = { pipeline_spec: original.pipeline_spec };
      from = `the pipeline spec KFP run ${kfpRunId} was created with`;
    } else {
      throw new SubmitRefusedError(`KFP run ${kfpRunId} names neither a pipeline version nor a pipeline spec, so there is nothing to run again; nothing was submitted`);
    }
    const declared = declaredParameters(spec) ?? [];
    if (!declared.includes(PIN_PARAMETER)) {
      throw new BadInputError(
        `${from} has no ${PIN_PARAMETER} parameter, so the new run could not pin ${step}: compile the pipeline with \`${PIN_PARAMETER}: str = ""\` in its signature and with_snaptrail(..., pin=${PIN_PARAMETER}) (deploy/kubeflow/README.md); nothing was submitted`,
      );
    }
    const parameters = { ...(original.runtime_config?.parameters ?? {}) };
    const pins = { ...recordedPins(parameters[PIN_PARAMETER]), [step]: run.runId };
    parameters[PIN_PARAMETER] = JSON.stringify(pins);
    const body = {
      display_name: `snaptrail rollback of ${run.runId}`.slice(0, 255),
      description: `Created by snaptrail resubmit from KFP run ${kfpRunId}${original.display_name ? ` (${original.display_name})` : ""}: same ${versionId !== "" ? "pipeline version" : "pipeline spec"} and parameters, ${step} pinned to ${run.runId}.`,
      ...(original.experiment_id ? { experiment_id: original.experiment_id } : {}),
      ...source,
      runtime_config: { parameters, ...(original.runtime_config?.pipeline_root ? { pipeline_root: original.runtime_config.pipeline_root } : {}) },
      ...(original.service_account ? { service_account: original.service_account } : {}),
    };
    const shownBody = "pipeline_spec" in source ? { ...body, pipeline_spec: "<the original run's pipeline spec>" } : body;
    const commands = [
      shellJoin(["GET", `${this.api.base}${runPath}`, "Authorization: Bearer <token>"]),
      shellJoin(["POST", `${this.api.base}/apis/v2beta1/runs`, "Authorization: Bearer <token>", JSON.stringify(shownBody)]),
    ];
    if (request.dryRun) return { externalId: "", detail: `dry run: nothing submitted to KFP at ${this.api.base}`, commands };
    const created = await this.api.post<KfpRun>("/apis/v2beta1/runs", body, `creating the rollback run of ${kfpRunId}`);
    const newId = created.run_id ?? "";
    if (newId === "") throw new SubmitRefusedError(`KFP at ${this.api.base} answered the new run without a run_id: it may or may not have been created; look for "${body.display_name}" in KFP before resubmitting again`);
    return {
      externalId: newId,
      expectedRunId: `kfp:${idPart(newId)}/${idPart(step)}`,
      detail: `created KFP run ${newId} ("${body.display_name}") from ${from} with the parameters of KFP run ${kfpRunId} and ${step} pinned to ${run.runId}`,
      commands,
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function refuseOverrides(run: RunDetail, request: ResubmitRequest): void {
  const o = request.overrides ?? {};
  const asked = (["gres", "partition", "time"] as const).filter((k) => o[k] !== undefined);
  if (asked.length > 0) throw new BadInputError(`--${asked.join(", --")} apply to Slurm; ${run.runId} goes back to Kubeflow Pipelines as recorded`);
  if (o.step !== undefined && o.step !== run.step) {
    throw new BadInputError(`--step ${o.step}: a KFP resubmit runs the whole pipeline again with ${run.step || "this run's component"} pinned; resubmit the run of ${o.step} to pin that one`);
  }
}
