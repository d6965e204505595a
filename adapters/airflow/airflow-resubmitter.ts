import { BadInputError, ConfigError, SubmitRefusedError } from "../../core/errors.js";
import type { Result } from "../../core/result.js";
import { submissionResult, type Resubmission, type ResubmitRequest, type Resubmitter } from "../resubmitter.js";
import { orchestratorBaseUrl } from "../orchestrator-base-url.js";
import type { ClearTasks, PinVariable } from "./airflow-api.js";
import { airflowIds, airflowTrigger } from "./airflow-trigger.js";
import type { AirflowApi } from "./airflow-api.js";
import { airflowApisForDryRun, createAirflowApi } from "./create-airflow-api.js";

export interface AirflowResubmitterOptions {
  /** Airflow's API server (Airflow 3) or webserver (Airflow 2), http://HOST:PORT (the address its UI is on). */
  url: string;
  user: string;
  /** Never printed: a dry run shows <hidden>. */
  password: string;
  /** More of the DAG run's conf (`--conf`). */
  extraConf?: Record<string, unknown>;
  /** The recorded run of another task of the same DAG run (`--step TASK`), or undefined when there is none. */
  findStepRun: (dagId: string, dagRunId: string, taskId: string) => Promise<string | undefined>;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Airflow through its REST API, Airflow 3 (/api/v2) or Airflow 2 (/api/v1), whichever the server
 * reports (create-airflow-api.ts): a new DAG run whose conf pins the run's task, and any --step
 * task, to their recorded runs. Airflow's trigger API cannot pick an old DAG version: the pinned
 * task runs today's DAG definition, and the agent restores that task's recorded code and environment.
 */
export class AirflowResubmitter implements Resubmitter {
  readonly kind = "AIRFLOW" as const;
  private readonly base: string;

  constructor(private readonly options: AirflowResubmitterOptions) {
    this.base = orchestratorBaseUrl("--airflow", options.url, "Airflow's API server");
  }

  resubmit(request: ResubmitRequest): Promise<Result<Resubmission>> {
    return submissionResult(() => this.submit(request));
  }

  private apiOptions() {
    const o = this.options;
    return { base: this.base, user: o.user, password: o.password, ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}), ...(o.fetch ? { fetch: o.fetch } : {}) };
  }

  /**
   * A dry run asks the server its version (which API to show) and sends nothing else; with
   * Airflow away it shows both APIs' requests and says why. `requests` makes one API's lines.
   */
  private async dryRun(requests: (api: AirflowApi) => string[], would: string): Promise<Resubmission> {
    const { apis, unreachable } = await airflowApisForDryRun(this.apiOptions());
    const commands: string[] = [];
    const skipped: string[] = [];
    for (const api of apis) {
      try {
        commands.push(...requests(api));
      } catch (err) {
        // With the version unknown, one API's refusal (Airflow 2 and a mapped --in-place) is a note, not the answer.
        if (apis.length === 1 || !(err instanceof BadInputError)) throw err;
        skipped.push(`${api.label}: ${err.message}`);
      }
    }
    const to = apis.length === 1 ? `${apis[0]?.label ?? "Airflow"} at ${this.base}` : `Airflow at ${this.base} (${unreachable ?? "its version is unknown"}: the requests are ${apis.map((a) => a.label).join(", then ")})`;
    return { externalId: "", detail: `dry run: nothing sent to ${to}; would ${would}${skipped.length > 0 ? `; ${skipped.join("; ")}` : ""}`, commands };
  }

  private needPassword(): void {
    if (this.options.password === "") throw new ConfigError("Airflow needs a password: set SNAPTRAIL_AIRFLOW_PASSWORD or give --airflow-password-file");
  }

  private async submit(request: ResubmitRequest): Promise<Resubmission> {
    const { run } = request;
    const ids = airflowIds(run);
    const pins: Record<string, string> = { [ids.taskId]: run.runId };
    const step = request.overrides?.step;
    if (step !== undefined && step !== ids.taskId) {
      const other = await this.options.findStepRun(ids.dagId, ids.dagRunId, step);
      if (other === undefined) throw new BadInputError(`--step ${step}: no recorded run of task ${step} in DAG run ${ids.dagRunId} of ${ids.dagId}; nothing was submitted`);
      pins[step] = other;
    }
    for (const o of ["gres", "partition", "time"] as const) {
      if (request.overrides?.[o] !== undefined) throw new BadInputError(`--${o} is for Slurm runs; ${run.runId} is an Airflow run`);
    }
    if (request.overrides?.inPlace) return this.inPlace(request, pins);
    if (request.overrides?.downstream) throw new BadInputError("--downstream goes with --in-place (a new DAG run runs every task anyway)");
    const trigger = airflowTrigger(run, pins, this.options.extraConf);
    const pinned = Object.entries(pins).map(([task, ref]) => `${task} -> ${ref}`).join(", ");
    if (request.dryRun) return this.dryRun((a) => a.triggerRequests(trigger.dagId, trigger.run), `pin ${pinned}`);
    this.needPassword();
    const api = await createAirflowApi(this.apiOptions());
    const commands = api.triggerRequests(trigger.dagId, trigger.run);
    const externalId = await api.trigger(trigger.dagId, trigger.run);
    return {
      externalId,
      expectedRunId: `airflow:${part(trigger.dagId)}/${part(externalId)}/${part(ids.taskId)}/1`,
      detail: `triggered DAG run ${externalId} of ${trigger.dagId} through ${api.label} at ${this.base}, pinning ${pinned}`,
      commands,
    };
  }

  /**
   * `--in-place`: the task runs again in its original DAG run, upstream results kept. A cleared
   * task keeps its DAG run's conf, so the pin goes into an Airflow Variable named after the DAG
   * run (pinVariableKey), which the listener reads at the task's start: Airflow's own store,
   * reachable from every worker through the API the task already talks to, no collector lookup
   * on the task's path. The pin stays for later tries of that task in that DAG run.
   */
  private async inPlace(request: ResubmitRequest, pins: Record<string, string>): Promise<Resubmission> {
    const { run } = request;
    const ids = airflowIds(run);
    if (this.options.extraConf && Object.keys(this.options.extraConf).length > 0) throw new BadInputError("--conf does not apply with --in-place: a cleared task keeps its DAG run's conf");
    const key = pinVariableKey(ids.dagId, ids.dagRunId);
    const mapIndex = run.orchestratorContext?.attributes.map_index;
    const clear: ClearTasks = {
      dagRunId: ids.dagRunId,
      tasks: Object.keys(pins).map((t) => (t === ids.taskId && mapIndex !== undefined && /^\d+$/.test(mapIndex) ? { taskId: t, mapIndex: Number(mapIndex) } : { taskId: t })),
      downstream: request.overrides?.downstream === true,
    };
    const variable: PinVariable = { key, value: JSON.stringify(pins), description: `snaptrail resubmit --in-place ${run.runId}` };
    const pinned = Object.entries(pins).map(([task, ref]) => `${task} -> ${ref}`).join(", ");
    if (request.dryRun) return this.dryRun((a) => a.pinAndClearRequests(ids.dagId, variable, clear), `pin ${pinned} in DAG run ${ids.dagRunId} and clear it`);
    this.needPassword();
    const api = await createAirflowApi(this.apiOptions());
    const commands = api.pinAndClearRequests(ids.dagId, variable, clear);
    const names = await api.pinAndClear(ids.dagId, variable, clear);
    if (names.length === 0) throw new SubmitRefusedError(`${api.label} at ${this.base} cleared no task instance of ${ids.taskId} in DAG run ${ids.dagRunId} of ${ids.dagId} (is the DAG run still there?); the pin Variable ${key} was set`);
    return { externalId: ids.dagRunId, detail: `cleared ${names.join(", ")} in DAG run ${ids.dagRunId} of ${ids.dagId} through ${api.label} at ${this.base}, pinning ${pinned} (Variable ${key})`, commands };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The Airflow Variable that holds `--in-place` pins for one DAG run (deploy/airflow's listener reads it). */
export function pinVariableKey(dagId: string, dagRunId: string): string {
  return `snaptrail_pin__${dagId}__${dagRunId}`;
}

/** As agent/orchestrator/run-id-for.ts escapes an id part. */
function part(text: string): string {
  return text.replace(/%/g, "%25").replace(/\//g, "%2F");
}
