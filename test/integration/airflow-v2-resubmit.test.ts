import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AirflowResubmitter } from "../../adapters/airflow/airflow-resubmitter.js";
import type { RunDetail, RunSummary } from "../../core/api-types.js";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import type { SnaptrailError } from "../../core/errors.js";
import { AIRFLOW_PASSWORD, agentEnvFor, installAirflow, startAirflowStandalone, type AirflowInstall, type AirflowServer, rollbackDag, WORKER_TOML } from "../helpers/airflow.js";
import { checkInPlaceDownstream, checkPythonTaskRollback, endedTry } from "../helpers/airflow-rollback-checks.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { freePort } from "../helpers/free-port.js";
import { createVenv, pipInstall, runOrFail } from "../helpers/python-env.js";
import { runCli } from "../helpers/run-cli.js";

// `snaptrail resubmit` of an Airflow run against a real Airflow 2.11.2 (`airflow standalone`, its
// webserver's /api/v1 with basic auth, SequentialExecutor, loopback ports) with snaptrail-airflow
// installed: the adapter finds Airflow 2 by asking its version, triggers a DAG run whose pinned
// command task runs on the old packages, and `--in-place` clears just that task in its DAG run.


// A DAG file the worker cannot load (it raises under \`airflow tasks run\` only): the task never
// starts, the executor reports it failed while Airflow still has it queued, and Airflow 2.11's
// scheduler handles that failure itself (jobs/scheduler_job_runner.py, _process_executor_events),
// firing on_task_instance_failed in the scheduler with an ORM TaskInstance and a string.
const UNLOADABLE_DAG = `
import sys
from datetime import datetime

from airflow import DAG
from airflow.decorators import task

if sys.argv[1:3] == ["tasks", "run"]:
    raise RuntimeError("this worker cannot load the DAG file")

with DAG("snaptrail_unloadable", start_date=datetime(2026, 1, 1), schedule=None, catchup=False) as dag:
    @task
    def never_starts():
        print("never printed")

    never_starts()
`;

function sixOf(run: { environment: { packages: { name: string; version: string }[] } | null }): string | undefined {
  return run.environment?.packages.find((p) => p.name === "six")?.version;
}

void describe("Airflow 2.11: snaptrail resubmit over /api/v1 with basic auth (airflow standalone)", () => {
  let dir: string;
  let collector: CollectorProcess;
  let client: CollectorHttpClient;
  let airflow: AirflowInstall;
  let server: AirflowServer;
  let jobPython: string;
  let out: string;
  let passwordFile: string;
  let good: RunSummary;

  async function api(p: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; json: unknown; text: string }> {
    const res = await fetch(`${server.api}${p}`, {
      method: init.method ?? "GET",
      headers: { ...(await server.headers()), "content-type": "application/json" },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // an HTML error page
    }
    return { status: res.status, json, text };
  }

  async function waitForDagRun(dagRunId: string, dagId = "snaptrail_rollback"): Promise<string> {
    const deadline = Date.now() + 240_000;
    let state = "";
    while (Date.now() < deadline) {
      const res = await api(`/dags/${dagId}/dagRuns/${encodeURIComponent(dagRunId)}`);
      state = (res.json as { state?: string } | undefined)?.state ?? "";
      if (state === "success" || state === "failed") return state;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`DAG run ${dagRunId} still ${state || "unknown"} after 240 s\n${server.server.output(4000)}`);
  }

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "snaptrail-airflow2-rs-"));
    collector = await startCollectorProcess();
    client = new CollectorHttpClient(collector.httpUrl);
    airflow = await installAirflow(dir, agentEnvFor(collector, dir), 2);
    const jobVenv = path.join(dir, "job-venv");
    jobPython = await createVenv(jobVenv, ["six==1.16.0"]);
    out = path.join(dir, "seen-by-tasks.txt");
    writeFileSync(out, "");
    writeFileSync(path.join(airflow.dags, "snaptrail_rollback.py"), rollbackDag(jobVenv, out));
    writeFileSync(path.join(airflow.dags, "snaptrail_unloadable.py"), UNLOADABLE_DAG);
    // The Python task imports toml from the worker's own environment.
    await pipInstall(airflow.python, [`toml==${WORKER_TOML.old}`]);
    passwordFile = path.join(dir, "airflow-password");
    writeFileSync(passwordFile, `${AIRFLOW_PASSWORD}\n`, { mode: 0o600 });
    server = await startAirflowStandalone(airflow);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const res = await api("/dags/snaptrail_rollback");
      if (res.status === 200) break;
      if (Date.now() > deadline) throw new Error(`the DAG never appeared: HTTP ${res.status} ${res.text.slice(0, 500)}\n${server.server.output(4000)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    // The good run: triggered as any user would, on six 1.16.0.
    const res = await api("/dags/snaptrail_rollback/dagRuns", { method: "POST", body: { dag_run_id: "good_run", conf: {} } });
    assert.equal(res.status, 200, res.text);
    assert.equal(await waitForDagRun("good_run"), "success", server.server.output(4000));
    const runs = await client.listRuns({ pipeline: "snaptrail_rollback", step: "train" });
    assert.equal(runs.length, 1);
    good = runs[0] as RunSummary;
    // Then the environment moves on: an upgrade the DAG never saw.
    await pipInstall(jobPython, ["six==1.17.0"]);
    await pipInstall(airflow.python, [`toml==${WORKER_TOML.new}`]);
  });

  after(async () => {
    await server?.stop();
    await collector?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the good run was recorded under Airflow's ids with the job venv's packages", async () => {
    assert.equal(good.runId, "airflow:snaptrail_rollback/good_run/train/1");
    assert.equal(good.status, "succeeded");
    assert.equal(sixOf(await client.getRun(good.runId)), "1.16.0");
    assert.deepEqual(readFileSync(out, "utf8").split("\n").filter(Boolean), ["prepare ran", "train 1.16.0", `featurize ${WORKER_TOML.old}`, "report ran"]);
  });

  it("a dry run finds Airflow 2 by its version and prints the /api/v1 request, no password", async () => {
    const r = await runCli(["resubmit", good.runId, "--dry-run", "--airflow", server.url, "--airflow-password-file", passwordFile, "--collector-http", collector.httpUrl]);
    assert.equal(r.code, 0, r.stderr);
    const text = r.stdout.toString();
    assert.match(text, /POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/dags\/snaptrail_rollback\/dagRuns 'Authorization: Basic <admin:hidden>' .*"snaptrail_pin":\{"train":"airflow:snaptrail_rollback\/good_run\/train\/1"\}/);
    assert.match(text, /nothing sent to Airflow 2\.11\.2 \(\/api\/v1\)/);
    assert.doesNotMatch(text, /auth\/token|\/api\/v2/);
    assert.doesNotMatch(text, new RegExp(AIRFLOW_PASSWORD));
  });

  it("resubmit triggers a new DAG run whose pinned task runs on the old packages and is recorded as a rollback", async () => {
    const r = await runCli(["resubmit", good.runId, "--json", "--airflow", server.url, "--airflow-password-file", passwordFile, "--collector-http", collector.httpUrl]);
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout.toString()) as { jobId: string; expectedRunId: string; rollbackOf: string };
    assert.match(answer.jobId, /^snaptrail_rollback__\d{8}T\d{6}Z_[0-9a-f]{6}$/);
    assert.equal(await waitForDagRun(answer.jobId), "success", server.server.output(4000));
    // From inside the task: the old six; the unpinned tasks ran as today.
    assert.deepEqual(readFileSync(out, "utf8").split("\n").filter(Boolean), ["prepare ran", "train 1.16.0", `featurize ${WORKER_TOML.old}`, "report ran", "prepare ran", "train 1.16.0", `featurize ${WORKER_TOML.new}`, "report ran"]);
    assert.equal(answer.expectedRunId, `airflow:snaptrail_rollback/${answer.jobId}/train/1`);
    const rerun = await client.getRun(answer.expectedRunId);
    assert.equal(rerun.status, "succeeded");
    assert.equal(rerun.rollbackOf, good.runId);
    assert.equal(sixOf(rerun), "1.16.0");
    // Today's job venv really is newer: the rollback did not just find the old one.
    assert.equal((await runOrFail(jobPython, ["-c", "import six; print(six.__version__)"])).trim(), "1.17.0");
  });

  it("--in-place re-runs only the task in its original DAG run, pinned through a Variable: its upstream task does not run again", async () => {
    const before = readFileSync(out, "utf8").split("\n").filter(Boolean);
    const r = await runCli(["resubmit", good.runId, "--in-place", "--airflow", server.url, "--airflow-password-file", passwordFile, "--collector-http", collector.httpUrl]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.toString(), /cleared train in DAG run good_run of snaptrail_rollback through Airflow 2\.11\.2 \(\/api\/v1\) .*pinning train -> airflow:snaptrail_rollback\/good_run\/train\/1/);
    const variable = await api(`/variables/${encodeURIComponent("snaptrail_pin__snaptrail_rollback__good_run")}`);
    assert.deepEqual(JSON.parse((variable.json as { value: string }).value), { train: good.runId });
    const rerun = await endedTry(client, "train", 2);
    assert.equal(rerun?.status, "succeeded", server.server.output(4000));
    assert.equal(rerun?.rollbackOf, good.runId);
    assert.equal(rerun && sixOf(rerun), "1.16.0");
    assert.equal(await waitForDagRun("good_run"), "success");
    // From inside: train ran once more on the old six; prepare (upstream) and report (downstream) did not.
    assert.deepEqual(readFileSync(out, "utf8").split("\n").filter(Boolean), [...before, "train 1.16.0"]);
    const prepares = await client.listRuns({ pipeline: "snaptrail_rollback", step: "prepare" });
    assert.equal(prepares.filter((p) => p.pipelineRun === "good_run").length, 1);
    const tries = await api("/dags/snaptrail_rollback/dagRuns/good_run/taskInstances/prepare");
    assert.equal((tries.json as { try_number: number }).try_number, 1, "Airflow ran prepare once in good_run");
  });

  it("bad input: wrong password, an unreachable Airflow, a DAG that is gone; nothing is submitted", async () => {
    const common = ["--collector-http", collector.httpUrl];
    const wrong = path.join(dir, "wrong-password");
    writeFileSync(wrong, "not-the-password\n");
    let r = await runCli(["resubmit", good.runId, "--airflow", server.url, "--airflow-password-file", wrong, ...common]);
    assert.notEqual(r.code, 0);
    // Airflow 2 answers a wrong password as its anonymous Public role: 403, told apart from a user without permission.
    assert.match(r.stderr, /Airflow at http:\/\/127\.0\.0\.1:\d+ refused the credentials of admin \(HTTP 403: Forbidden; with them Airflow 2 cannot even read DAG snaptrail_rollback, HTTP 403: a wrong password, or \[api\] auth_backends without basic_auth\); nothing was submitted/);
    assert.doesNotMatch(r.stderr, /not-the-password/);
    r = await runCli(["resubmit", good.runId, "--in-place", "--airflow", server.url, "--airflow-password-file", wrong, ...common]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /refused the credentials of admin \(HTTP 403.*nothing was submitted/);

    r = await runCli(["resubmit", good.runId, "--airflow", `http://127.0.0.1:${await freePort()}`, "--airflow-password-file", passwordFile, ...common]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Airflow at http:\/\/127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\); nothing was submitted/);

    const env = { ...process.env, SNAPTRAIL_COLLECTOR: collector.grpcAddress, SNAPTRAIL_SPOOL_DIR: "" };
    const gone = await runCli(["wrap", "--", "true"], { env: { ...env, AIRFLOW_CTX_DAG_ID: "deleted_dag", AIRFLOW_CTX_DAG_RUN_ID: "old", AIRFLOW_CTX_TASK_ID: "t", AIRFLOW_CTX_TRY_NUMBER: "1" } });
    assert.equal(gone.code, 0, gone.stderr);
    r = await runCli(["resubmit", "airflow:deleted_dag/old/t/1", "--airflow", server.url, "--airflow-password-file", passwordFile, ...common]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Airflow at http:\/\/127\.0\.0\.1:\d+ has no DAG deleted_dag \(HTTP 404: DAG with dag_id: 'deleted_dag' not found\); nothing was submitted/);
    assert.equal(r.code, 2, "NOT_FOUND's exit status");

    // The error codes, from the adapter itself against the same server.
    const outcome = async (run: RunDetail, password: string, url = server.url, user = "admin") => {
      const res = await new AirflowResubmitter({ url, user, password, findStepRun: () => Promise.resolve(undefined) }).resubmit({ run, dryRun: false });
      return res.ok ? { code: "submitted", message: "" } : { code: `${(res.error as SnaptrailError).code}${res.retryable ? " (retryable)" : ""}`, message: res.error.message };
    };
    const codeOf = async (...a: Parameters<typeof outcome>) => (await outcome(...a)).code;
    const goodRun = await client.getRun(good.runId);
    assert.equal(await codeOf(goodRun, "not-the-password"), "UNAUTHENTICATED");
    assert.equal(await codeOf(goodRun, AIRFLOW_PASSWORD, `http://127.0.0.1:${await freePort()}`), "UNAVAILABLE (retryable)");
    assert.equal(await codeOf(await client.getRun("airflow:deleted_dag/old/t/1"), AIRFLOW_PASSWORD), "NOT_FOUND");
    // A real user who may read the DAG but not trigger it (FAB's Viewer) gets the same 403 as a
    // wrong password from Airflow 2; told apart, it is FORBIDDEN.
    const viewer = ["users", "create", "--username", "viewer", "--password", "viewer-pw", "--role", "Viewer", "--firstname", "V", "--lastname", "W", "--email", "viewer@example.com"];
    await runOrFail(airflow.python, ["-m", "airflow", ...viewer], { env: airflow.env, cwd: dir, timeoutMs: 120_000 });
    const denied = await outcome(goodRun, "viewer-pw", server.url, "viewer");
    assert.equal(denied.code, "FORBIDDEN", denied.message);
    assert.match(denied.message, /viewer may not trigger DAG snaptrail_rollback \(HTTP 403: Forbidden\); nothing was submitted/);

    // None of these made a DAG run: only the good run and the resubmitted one exist.
    const runs = await api("/dags/snaptrail_rollback/dagRuns");
    assert.equal((runs.json as { total_entries: number }).total_entries, 2);
  });

  it("the requests conform to the OpenAPI document the Airflow 2.11.2 wheel ships, and a renamed field is refused", async () => {
    const bodies: Record<string, unknown>[] = [];
    for (const extra of [[], ["--in-place"]]) {
      const r = await runCli(["resubmit", good.runId, "--dry-run", "--json", ...extra, "--airflow", server.url, "--collector-http", collector.httpUrl]);
      assert.equal(r.code, 0, r.stderr);
      for (const c of (JSON.parse(r.stdout.toString()) as { commands: string[] }).commands) {
        bodies.push(JSON.parse(/'(\{.*\})'$/.exec(c)?.[1] ?? "null") as Record<string, unknown>);
      }
    }
    // The trigger, then --in-place's Variable and clear.
    const [trigger, variable, clear] = bodies;
    assert.ok(trigger && variable && clear, JSON.stringify(bodies));
    // v1.yaml's schemas leave additionalProperties open (Airflow's marshmallow schemas refuse unknown
    // fields at run time): so besides the schema itself, every field must be one the schema declares
    // and lets a client write (not readOnly).
    const check = `
import json, sys, pathlib, yaml, jsonschema, airflow.api_connexion as api
spec = yaml.safe_load((pathlib.Path(api.__file__).parent / "openapi" / "v1.yaml").read_text())
schemas = spec["components"]["schemas"]
def props(s):
    s = schemas[s["$ref"].split("/")[-1]] if "$ref" in s else s
    out = dict(s.get("properties", {}))
    for part in s.get("allOf", []):
        out.update(props(part))
    return out
name, body = sys.argv[1], json.loads(sys.argv[2])
schema = {"$ref": "#/components/schemas/" + name, "components": spec["components"]}
errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(body)]
declared = props(schemas[name])
errors += [f"{k!r} is not a field of {name}" for k in body if k not in declared]
errors += [f"{k!r} is read-only in {name}" for k in body if declared.get(k, {}).get("readOnly")]
print(json.dumps(sorted(errors)))
`;
    const errorsOf = async (schema: string, b: unknown) => JSON.parse(await runOrFail(airflow.python, ["-c", check, schema, JSON.stringify(b)], { env: airflow.env })) as string[];
    assert.deepEqual(await errorsOf("DAGRun", trigger), []);
    assert.deepEqual(await errorsOf("Variable", variable), []);
    assert.deepEqual(await errorsOf("ClearTaskInstances", clear), []);
    const { dag_run_id, ...rest } = trigger;
    const renamed = { ...rest, dagRunId: dag_run_id };
    assert.deepEqual(await errorsOf("DAGRun", renamed), ["'dagRunId' is not a field of DAGRun"]);
    // And the real server refuses it, in its own words; no DAG run is made.
    const res = await api("/dags/snaptrail_rollback/dagRuns", { method: "POST", body: renamed });
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /dagRunId.*Unknown field/);
    assert.equal(((await api("/dags/snaptrail_rollback/dagRuns")).json as { total_entries: number }).total_entries, 2);
  });

  it("resubmit of a @task's run, new DAG run and --in-place: its Python task runs in a venv rebuilt from its snapshot, on the old package, recorded as a rollback", async () => {
    await checkPythonTaskRollback({ airflow, airflowUrl: server.url, passwordFile, collectorHttp: collector.httpUrl, client, out, waitForDagRun: (id) => waitForDagRun(id) });
  });

  it("--in-place --downstream re-runs the task and what follows it in its DAG run: only the pinned task is restored", async () => {
    await checkInPlaceDownstream({ airflow, airflowUrl: server.url, passwordFile, collectorHttp: collector.httpUrl, client, out, waitForDagRun: (id) => waitForDagRun(id) }, good.runId);
  });

  it("a task the executor reports failed before it started: the scheduler's listener says so in one line, nothing is recorded", async () => {
    const res = await api("/dags/snaptrail_unloadable/dagRuns", { method: "POST", body: { dag_run_id: "unloadable_run", conf: {} } });
    assert.equal(res.status, 200, res.text);
    assert.equal(await waitForDagRun("unloadable_run", "snaptrail_unloadable"), "failed", server.server.output(4000));
    // In the scheduler (standalone's output), with the executor's words as the error string.
    const deadline = Date.now() + 60_000;
    const line = /scheduler +\| .*snaptrail: never_starts failed outside its task process: Executor .* reported that the task instance .* finished with state failed/;
    while (!line.test(server.server.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    assert.match(server.server.output(), line);
    assert.deepEqual(await client.listRuns({ pipeline: "snaptrail_unloadable" }), []);
  });
});
