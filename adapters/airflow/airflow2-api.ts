import { shellJoin } from "../../core/diff/shell-quote.js";
import { BadInputError, ForbiddenError, UnauthenticatedError } from "../../core/errors.js";
import { clearedNames, type AirflowApi, type AirflowApiOptions, type ClearTasks, type NewDagRun, type PinVariable } from "./airflow-api.js";
import { airflowCall, detailOf, throwIfRefused, type AirflowAnswer, type AirflowCallOptions } from "./airflow-http.js";

/**
 * DAGRun as POST /api/v1/dags/{dag_id}/dagRuns takes it (airflow/api_connexion/openapi/v1.yaml,
 * 2.11.2). No logical_date: Airflow 2 fills in now, and a null one fails on its side
 * (pendulum.instance(None)); two DAG runs of one DAG may not share a logical date.
 */
export function airflow2TriggerBody(run: NewDagRun): { dag_run_id: string; conf: Record<string, unknown>; note: string } {
  return { dag_run_id: run.dagRunId, conf: run.conf, note: run.note };
}

/** ClearTaskInstances (v1.yaml): task_ids are names only; there is no way to name one map index. */
export function airflow2ClearBody(clear: ClearTasks): Record<string, unknown> {
  const mapped = clear.tasks.find((t) => t.mapIndex !== undefined);
  if (mapped) {
    throw new BadInputError(
      `--in-place: ${mapped.taskId}[${mapped.mapIndex}] is one instance of a mapped task, and Airflow 2's clearTaskInstances can only clear all of them (task_ids are names); nothing was submitted. Resubmit it as a new DAG run instead (without --in-place)`,
    );
  }
  return {
    dry_run: false,
    only_failed: false,
    reset_dag_runs: true,
    dag_run_id: clear.dagRunId,
    task_ids: clear.tasks.map((t) => t.taskId),
    include_upstream: false,
    include_downstream: clear.downstream,
  };
}

/**
 * Airflow 2: /api/v1 with HTTP basic auth on every request. Airflow 2 takes basic auth only when
 * `[api] auth_backends` names airflow.providers.fab.auth_manager.api.auth.backend.basic_auth (or
 * the older airflow.api.auth.backend.basic_auth). A wrong password is not a 401 there: the
 * request goes on as the anonymous `[fab] auth_role_public` role (Public, with no permissions)
 * and is refused with 403, as is a real user who may not trigger the DAG. So a 401/403 is told
 * apart by one more request: can these credentials read the DAG (any role but Public can)?
 */
export class Airflow2Api implements AirflowApi {
  readonly label: string;

  constructor(private readonly o: AirflowApiOptions) {
    this.label = `Airflow ${o.version} (/api/v1)`;
  }

  triggerRequests(dagId: string, run: NewDagRun): string[] {
    return [shellJoin(["POST", this.dagRunsUrl(dagId), `Authorization: Basic <${this.o.user}:hidden>`, JSON.stringify(airflow2TriggerBody(run))])];
  }

  async trigger(dagId: string, run: NewDagRun): Promise<string> {
    const res = await this.call(this.dagRunsUrl(dagId), { body: airflow2TriggerBody(run) });
    await this.refusedAccess(res, dagId, `trigger DAG ${dagId}`);
    if (res.status === 404) throwIfRefused(res, `Airflow at ${this.o.base} has no DAG ${dagId}`, "nothing was submitted");
    throwIfRefused(res, `Airflow at ${this.o.base} refused the new run of ${dagId}`, "nothing was submitted");
    const id = (res.json as { dag_run_id?: unknown } | undefined)?.dag_run_id;
    return typeof id === "string" ? id : run.dagRunId;
  }

  pinAndClearRequests(dagId: string, pin: PinVariable, clear: ClearTasks): string[] {
    const auth = `Authorization: Basic <${this.o.user}:hidden>`;
    return [
      shellJoin(["POST", `${this.o.base}/api/v1/variables`, auth, JSON.stringify(pin)]),
      shellJoin(["POST", this.clearUrl(dagId), auth, JSON.stringify(airflow2ClearBody(clear))]),
    ];
  }

  async pinAndClear(dagId: string, pin: PinVariable, clear: ClearTasks): Promise<string[]> {
    // Before anything is sent: a mapped task instance cannot be cleared alone here.
    const body = airflow2ClearBody(clear);
    // POST /api/v1/variables sets the key whether or not it exists (Variable.set).
    let res = await this.call(`${this.o.base}/api/v1/variables`, { body: pin });
    await this.refusedAccess(res, dagId, `set the Variable ${pin.key}`);
    throwIfRefused(res, `Airflow at ${this.o.base} would not set the pin Variable ${pin.key}`, "nothing was cleared");
    res = await this.call(this.clearUrl(dagId), { body });
    throwIfRefused(res, `Airflow at ${this.o.base} would not clear ${clearedNames(clear)} in DAG run ${clear.dagRunId} of ${dagId}`, `the pin Variable ${pin.key} was set, but nothing was cleared`);
    const cleared = (res.json as { task_instances?: { task_id?: string }[] } | undefined)?.task_instances ?? [];
    return cleared.map((t) => t.task_id ?? "?");
  }

  /** A 401 or 403 of the first request: wrong credentials, or a user who may not `what`. Nothing was submitted either way. */
  private async refusedAccess(res: AirflowAnswer, dagId: string, what: string): Promise<void> {
    if (res.status !== 401 && res.status !== 403) return;
    const check = await this.call(`${this.o.base}/api/v1/dags/${encodeURIComponent(dagId)}`, { method: "GET" });
    if (check.status >= 200 && check.status < 300) {
      throw new ForbiddenError(`Airflow at ${this.o.base}: ${this.o.user} may not ${what} (HTTP ${res.status}: ${detailOf(res)}); nothing was submitted`);
    }
    throw new UnauthenticatedError(
      `Airflow at ${this.o.base} refused the credentials of ${this.o.user} (HTTP ${res.status}: ${detailOf(res)}; with them Airflow 2 cannot even read DAG ${dagId}, HTTP ${check.status}: a wrong password, or [api] auth_backends without basic_auth); nothing was submitted`,
    );
  }

  private dagRunsUrl(dagId: string): string {
    return `${this.o.base}/api/v1/dags/${encodeURIComponent(dagId)}/dagRuns`;
  }

  private clearUrl(dagId: string): string {
    return `${this.o.base}/api/v1/dags/${encodeURIComponent(dagId)}/clearTaskInstances`;
  }

  private call(url: string, o: AirflowCallOptions): Promise<AirflowAnswer> {
    const basic = Buffer.from(`${this.o.user}:${this.o.password}`, "utf8").toString("base64");
    return airflowCall(this.o.base, url, {
      ...o,
      headers: { Authorization: `Basic ${basic}`, ...o.headers },
      ...(this.o.timeoutMs !== undefined ? { timeoutMs: this.o.timeoutMs } : {}),
      ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
    });
  }
}
