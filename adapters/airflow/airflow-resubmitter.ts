import { shellJoin } from "../../core/diff/shell-quote.js";
import { BadInputError, ConfigError, errorMessage, ForbiddenError, NotFoundError, SubmitRefusedError, UnauthenticatedError, UnavailableError } from "../../core/errors.js";
import type { Result } from "../../core/result.js";
import { submissionResult, type Resubmission, type ResubmitRequest, type Resubmitter } from "../resubmitter.js";
import { airflowIds, airflowTrigger } from "./airflow-trigger.js";
import { orchestratorBaseUrl } from "../orchestrator-base-url.js";

export interface AirflowResubmitterOptions {
  /** Airflow's API server, http://HOST:PORT (the address its UI is on). */
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

interface Answer {
  status: number;
  text: string;
  json: unknown;
}

/** FastAPI's error answer: {"detail": "text"} or {"detail": [{"loc": [...], "msg": "..."}]}. */
function detailOf(a: Answer): string {
  const detail = (a.json as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail.map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).join(".")}: ${d.msg ?? JSON.stringify(d)}`).join("; ");
  }
  return a.text.trim().slice(0, 2000);
}

/**
 * Airflow 3 through its REST API: a token from POST /auth/token, then a new DAG run
 * (POST /api/v2/dags/{dag_id}/dagRuns) whose conf pins the run's task, and any --step task, to
 * their recorded runs. Airflow's trigger API cannot pick an old DAG version: the pinned task runs
 * today's DAG definition, and the agent restores that task's recorded code and environment.
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
    const endpoint = `${this.base}/api/v2/dags/${encodeURIComponent(trigger.dagId)}/dagRuns`;
    const commands = [
      shellJoin(["POST", `${this.base}/auth/token`, JSON.stringify({ username: this.options.user, password: "<hidden>" })]),
      shellJoin(["POST", endpoint, "Authorization: Bearer <token>", JSON.stringify(trigger.body)]),
    ];
    const pinned = Object.entries(pins).map(([task, ref]) => `${task} -> ${ref}`).join(", ");
    if (request.dryRun) return { externalId: "", detail: `dry run: nothing sent to Airflow at ${this.base}; would pin ${pinned}`, commands };

    const token = await this.token();
    const res = await this.call(endpoint, { Authorization: `Bearer ${token}` }, trigger.body);
    if (res.status === 401) throw new UnauthenticatedError(`Airflow at ${this.base} refused the token it issued for ${this.options.user} (HTTP 401: ${detailOf(res)}); nothing was submitted`);
    if (res.status === 403) throw new ForbiddenError(`Airflow at ${this.base}: ${this.options.user} may not trigger DAG ${trigger.dagId} (HTTP 403: ${detailOf(res)}); nothing was submitted`);
    if (res.status === 404) throw new NotFoundError(`Airflow at ${this.base} has no DAG ${trigger.dagId} (HTTP 404: ${detailOf(res)}); nothing was submitted`);
    if (res.status < 200 || res.status >= 300) throw new SubmitRefusedError(`Airflow at ${this.base} refused the new run of ${trigger.dagId} (HTTP ${res.status}): ${detailOf(res)}; nothing was submitted`);
    const dagRunId = (res.json as { dag_run_id?: unknown } | undefined)?.dag_run_id;
    const externalId = typeof dagRunId === "string" ? dagRunId : trigger.dagRunId;
    return {
      externalId,
      expectedRunId: `airflow:${part(trigger.dagId)}/${part(externalId)}/${part(ids.taskId)}/1`,
      detail: `triggered DAG run ${externalId} of ${trigger.dagId} through ${this.base}, pinning ${pinned}`,
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
    const clear = {
      dry_run: false,
      only_failed: false,
      reset_dag_runs: true,
      dag_run_id: ids.dagRunId,
      task_ids: Object.keys(pins).map((t) => (t === ids.taskId && mapIndex !== undefined && /^\d+$/.test(mapIndex) ? [t, Number(mapIndex)] : t)),
      include_upstream: false,
      include_downstream: request.overrides?.downstream === true,
    };
    const variable = { key, value: JSON.stringify(pins), description: `snaptrail resubmit --in-place ${run.runId}` };
    const clearUrl = `${this.base}/api/v2/dags/${encodeURIComponent(ids.dagId)}/clearTaskInstances`;
    const commands = [
      shellJoin(["POST", `${this.base}/auth/token`, JSON.stringify({ username: this.options.user, password: "<hidden>" })]),
      shellJoin(["POST", `${this.base}/api/v2/variables`, "Authorization: Bearer <token>", JSON.stringify(variable)]),
      shellJoin(["POST", clearUrl, "Authorization: Bearer <token>", JSON.stringify(clear)]),
    ];
    const pinned = Object.entries(pins).map(([task, ref]) => `${task} -> ${ref}`).join(", ");
    if (request.dryRun) return { externalId: "", detail: `dry run: nothing sent to Airflow at ${this.base}; would pin ${pinned} in DAG run ${ids.dagRunId} and clear it`, commands };
    const auth = { Authorization: `Bearer ${await this.token()}` };
    let res = await this.call(`${this.base}/api/v2/variables`, auth, variable);
    if (res.status === 409) res = await this.call(`${this.base}/api/v2/variables/${encodeURIComponent(key)}`, auth, variable, "PATCH");
    this.refused(res, `set the pin Variable ${key}`, "nothing was cleared");
    res = await this.call(clearUrl, auth, clear);
    this.refused(res, `clear ${clear.task_ids.map((t) => JSON.stringify(t)).join(", ")} in DAG run ${ids.dagRunId} of ${ids.dagId}`, `the pin Variable ${key} was set, but nothing was cleared`);
    const cleared = (res.json as { task_instances?: { task_id?: string; map_index?: number }[] } | undefined)?.task_instances ?? [];
    if (cleared.length === 0) throw new SubmitRefusedError(`Airflow at ${this.base} cleared no task instance of ${ids.taskId} in DAG run ${ids.dagRunId} (is the DAG run still there?); the pin Variable ${key} was set`);
    const names = cleared.map((t) => `${t.task_id ?? "?"}${typeof t.map_index === "number" && t.map_index >= 0 ? `[${t.map_index}]` : ""}`);
    return { externalId: ids.dagRunId, detail: `cleared ${names.join(", ")} in DAG run ${ids.dagRunId} of ${ids.dagId} through ${this.base}, pinning ${pinned} (Variable ${key})`, commands };
  }

  /** Airflow's refusal as our error; `after` says what state it leaves. */
  private refused(res: Answer, what: string, after: string): void {
    if (res.status >= 200 && res.status < 300) return;
    const why = `Airflow at ${this.base} would not ${what} (HTTP ${res.status}: ${detailOf(res)}); ${after}`;
    if (res.status === 401) throw new UnauthenticatedError(why);
    if (res.status === 403) throw new ForbiddenError(why);
    if (res.status === 404) throw new NotFoundError(why);
    throw new SubmitRefusedError(why);
  }

  private async token(): Promise<string> {
    if (this.options.password === "") throw new ConfigError("Airflow needs a password: set SNAPTRAIL_AIRFLOW_PASSWORD or give --airflow-password-file");
    const res = await this.call(`${this.base}/auth/token`, {}, { username: this.options.user, password: this.options.password });
    if (res.status === 401 || res.status === 403) throw new UnauthenticatedError(`Airflow at ${this.base} refused the credentials of ${this.options.user} (HTTP ${res.status}: ${detailOf(res)}); nothing was submitted`);
    if (res.status === 404) throw new ConfigError(`Airflow at ${this.base} has no /auth/token: it is not an Airflow 3 API server (Airflow 2's /api/v1 is not supported yet); nothing was submitted`);
    const token = (res.json as { access_token?: unknown } | undefined)?.access_token;
    if (res.status < 200 || res.status >= 300 || typeof token !== "string") throw new SubmitRefusedError(`Airflow at ${this.base} gave no token (HTTP ${res.status}: ${detailOf(res)}); nothing was submitted`);
    return token;
  }

  private async call(url: string, headers: Record<string, string>, body: unknown, method = "POST"): Promise<Answer> {
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(url, {
        method,
        headers: { "content-type": "application/json", accept: "application/json", ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? errorMessage(err);
      throw new UnavailableError(`Airflow at ${this.base} cannot be reached (${cause}); nothing was submitted`, { cause: err });
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON: a proxy's page; the status and the text say what happened.
    }
    return { status: res.status, text, json };
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
