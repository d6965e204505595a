import { shellJoin } from "../../core/diff/shell-quote.js";
import { ConfigError, SubmitRefusedError, UnauthenticatedError } from "../../core/errors.js";
import { clearedNames, type AirflowApi, type AirflowApiOptions, type ClearTasks, type NewDagRun, type PinVariable } from "./airflow-api.js";
import { airflowCall, detailOf, throwIfRefused, type AirflowCallOptions } from "./airflow-http.js";

/** TriggerDAGRunPostBody (apache-airflow-core 3.1.8): logical_date is required and may be null (Airflow picks). */
export function airflow3TriggerBody(run: NewDagRun): { dag_run_id: string; logical_date: null; conf: Record<string, unknown>; note: string } {
  return { dag_run_id: run.dagRunId, logical_date: null, conf: run.conf, note: run.note };
}

/** ClearTaskInstancesBody: a mapped task instance as [task_id, map_index]. */
export function airflow3ClearBody(clear: ClearTasks): Record<string, unknown> {
  return {
    dry_run: false,
    only_failed: false,
    reset_dag_runs: true,
    dag_run_id: clear.dagRunId,
    task_ids: clear.tasks.map((t) => (t.mapIndex !== undefined ? [t.taskId, t.mapIndex] : t.taskId)),
    include_upstream: false,
    include_downstream: clear.downstream,
  };
}

/** Airflow 3: a JWT from POST /auth/token, then /api/v2 with `Authorization: Bearer`. */
export class Airflow3Api implements AirflowApi {
  readonly label: string;

  constructor(private readonly o: AirflowApiOptions) {
    this.label = `Airflow ${o.version} (/api/v2)`;
  }

  private tokenRequest(): string {
    return shellJoin(["POST", `${this.o.base}/auth/token`, JSON.stringify({ username: this.o.user, password: "<hidden>" })]);
  }

  triggerRequests(dagId: string, run: NewDagRun): string[] {
    return [this.tokenRequest(), shellJoin(["POST", this.dagRunsUrl(dagId), "Authorization: Bearer <token>", JSON.stringify(airflow3TriggerBody(run))])];
  }

  async trigger(dagId: string, run: NewDagRun): Promise<string> {
    const auth = { Authorization: `Bearer ${await this.token()}` };
    const res = await this.call(this.dagRunsUrl(dagId), { headers: auth, body: airflow3TriggerBody(run) });
    if (res.status === 401) throw new UnauthenticatedError(`Airflow at ${this.o.base} refused the token it issued for ${this.o.user} (HTTP 401: ${detailOf(res)}); nothing was submitted`);
    if (res.status === 403) throwIfRefused(res, `Airflow at ${this.o.base}: ${this.o.user} may not trigger DAG ${dagId}`, "nothing was submitted");
    if (res.status === 404) throwIfRefused(res, `Airflow at ${this.o.base} has no DAG ${dagId}`, "nothing was submitted");
    throwIfRefused(res, `Airflow at ${this.o.base} refused the new run of ${dagId}`, "nothing was submitted");
    const id = (res.json as { dag_run_id?: unknown } | undefined)?.dag_run_id;
    return typeof id === "string" ? id : run.dagRunId;
  }

  pinAndClearRequests(dagId: string, pin: PinVariable, clear: ClearTasks): string[] {
    return [
      this.tokenRequest(),
      shellJoin(["POST", `${this.o.base}/api/v2/variables`, "Authorization: Bearer <token>", JSON.stringify(pin)]),
      shellJoin(["POST", this.clearUrl(dagId), "Authorization: Bearer <token>", JSON.stringify(airflow3ClearBody(clear))]),
    ];
  }

  async pinAndClear(dagId: string, pin: PinVariable, clear: ClearTasks): Promise<string[]> {
    const headers = { Authorization: `Bearer ${await this.token()}` };
    let res = await this.call(`${this.o.base}/api/v2/variables`, { headers, body: pin });
    if (res.status === 409) res = await this.call(`${this.o.base}/api/v2/variables/${encodeURIComponent(pin.key)}`, { headers, body: pin, method: "PATCH" });
    throwIfRefused(res, `Airflow at ${this.o.base} would not set the pin Variable ${pin.key}`, "nothing was cleared");
    const body = airflow3ClearBody(clear);
    res = await this.call(this.clearUrl(dagId), { headers, body });
    throwIfRefused(res, `Airflow at ${this.o.base} would not clear ${clearedNames(clear)} in DAG run ${clear.dagRunId} of ${dagId}`, `the pin Variable ${pin.key} was set, but nothing was cleared`);
    const cleared = (res.json as { task_instances?: { task_id?: string; map_index?: number }[] } | undefined)?.task_instances ?? [];
    return cleared.map((t) => `${t.task_id ?? "?"}${typeof t.map_index === "number" && t.map_index >= 0 ? `[${t.map_index}]` : ""}`);
  }

  private dagRunsUrl(dagId: string): string {
    return `${this.o.base}/api/v2/dags/${encodeURIComponent(dagId)}/dagRuns`;
  }

  private clearUrl(dagId: string): string {
    return `${this.o.base}/api/v2/dags/${encodeURIComponent(dagId)}/clearTaskInstances`;
  }

  private async token(): Promise<string> {
    const res = await this.call(`${this.o.base}/auth/token`, { body: { username: this.o.user, password: this.o.password } });
    if (res.status === 401 || res.status === 403) throw new UnauthenticatedError(`Airflow at ${this.o.base} refused the credentials of ${this.o.user} (HTTP ${res.status}: ${detailOf(res)}); nothing was submitted`);
    if (res.status === 404) throw new ConfigError(`Airflow ${this.o.version} at ${this.o.base} has no /auth/token (a proxy in front of it?); nothing was submitted`);
    const token = (res.json as { access_token?: unknown } | undefined)?.access_token;
    if (res.status < 200 || res.status >= 300 || typeof token !== "string") throw new SubmitRefusedError(`Airflow at ${this.o.base} gave no token (HTTP ${res.status}: ${detailOf(res)}); nothing was submitted`);
    return token;
  }

  private call(url: string, o: AirflowCallOptions) {
    return airflowCall(this.o.base, url, { ...o, ...(this.o.timeoutMs !== undefined ? { timeoutMs: this.o.timeoutMs } : {}), ...(this.o.fetch ? { fetch: this.o.fetch } : {}) });
  }
}
