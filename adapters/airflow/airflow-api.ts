// What the Airflow resubmitter needs from Airflow's REST API, one interface for both API
// generations: Airflow 3's /api/v2 with a JWT (airflow3-api.ts) and Airflow 2's /api/v1 with basic
// auth (airflow2-api.ts). create-airflow-api.ts picks one from the version the server reports.

/** A new DAG run: its id, its conf (with the pins) and a note. */
export interface NewDagRun {
  dagRunId: string;
  conf: Record<string, unknown>;
  note: string;
}

/** Clear tasks of one DAG run so they run again there; upstream never, only failed ones never. */
export interface ClearTasks {
  dagRunId: string;
  tasks: { taskId: string; mapIndex?: number }[];
  downstream: boolean;
}

/** The Airflow Variable that holds `--in-place` pins for one DAG run. */
export interface PinVariable {
  key: string;
  value: string;
  description: string;
}

export interface AirflowApi {
  /** "Airflow 3.1.8 (/api/v2)": for messages. */
  readonly label: string;
  /** The requests `trigger` sends, one shell-quoted line each, credentials hidden. */
  triggerRequests(dagId: string, run: NewDagRun): string[];
  /** Triggers the DAG run; its dag_run_id as Airflow answered it. Throws our errors, saying nothing was submitted. */
  trigger(dagId: string, run: NewDagRun): Promise<string>;
  /** The requests `pinAndClear` sends. */
  pinAndClearRequests(dagId: string, pin: PinVariable, clear: ClearTasks): string[];
  /**
   * Sets the pin Variable, then clears the tasks; the names of the task instances cleared. A
   * refusal after the Variable was set says so.
   */
  pinAndClear(dagId: string, pin: PinVariable, clear: ClearTasks): Promise<string[]>;
}

export interface AirflowApiOptions {
  /** http://HOST:PORT, checked (orchestratorBaseUrl). */
  base: string;
  /** What the server reported: "3.1.8". */
  version: string;
  user: string;
  password: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The task instances of a clear, as messages name them: "train", "load[1]". */
export function clearedNames(clear: ClearTasks): string {
  return clear.tasks.map((t) => JSON.stringify(t.mapIndex !== undefined ? [t.taskId, t.mapIndex] : t.taskId)).join(", ");
}
