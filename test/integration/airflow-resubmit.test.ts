import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { RunSummary } from "../../core/api-types.js";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { AIRFLOW_PASSWORD, airflowToken, agentEnvFor, installAirflow, startAirflowStandalone, type AirflowInstall, type AirflowServer, rollbackDag, WORKER_TOML } from "../helpers/airflow.js";
import { checkInPlaceDownstream, checkPythonTaskRollback, endedTry } from "../helpers/airflow-rollback-checks.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { freePort } from "../helpers/free-port.js";
import { createVenv, pipInstall, runOrFail } from "../helpers/python-env.js";
import { runCli } from "../helpers/run-cli.js";

// `snaptrail resubmit` of an Airflow run against a real Airflow 3.1.8 (`airflow standalone`,
// LocalExecutor, loopback ports) with snaptrail-airflow installed: the command task's recorded run
// is sent back through the REST API, and the new DAG run's pinned task runs on the old packages.


async function waitForDagRun(url: string, dagId: string, dagRunId: string): Promise<string> {
  const deadline = Date.now() + 240_000;
  let state = "";
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/api/v2/dags/${dagId}/dagRuns/${encodeURIComponent(dagRunId)}`, { headers: { Authorization: `Bearer ${await airflowToken(url)}` } });
    if (res.ok) {
      state = ((await res.json()) as { state: string }).state;
      if (state === "success" || state === "failed") return state;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`DAG run ${dagRunId} still ${state || "unknown"} after 240 s`);
}

function sixOf(run: { environment: { packages: { name: string; version: string }[] } | null }): string | undefined {
  return run.environment?.packages.find((p) => p.name === "six")?.version;
}

void describe("Airflow: snaptrail resubmit triggers a DAG run pinned to the recorded run (airflow standalone)", () => {
  let dir: string;
  let collector: CollectorProcess;
  let client: CollectorHttpClient;
  let airflow: AirflowInstall;
  let server: AirflowServer;
  let jobPython: string;
  let out: string;
  let passwordFile: string;
  let good: RunSummary;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "snaptrail-airflow-rs-"));
    collector = await startCollectorProcess();
    client = new CollectorHttpClient(collector.httpUrl);
    airflow = await installAirflow(dir, agentEnvFor(collector, dir));
    const jobVenv = path.join(dir, "job-venv");
    jobPython = await createVenv(jobVenv, ["six==1.16.0"]);
    out = path.join(dir, "seen-by-tasks.txt");
    writeFileSync(out, "");
    writeFileSync(path.join(airflow.dags, "snaptrail_rollback.py"), rollbackDag(jobVenv, out));
    // The Python task imports toml from the worker's own environment.
    await pipInstall(airflow.python, [`toml==${WORKER_TOML.old}`]);
    passwordFile = path.join(dir, "airflow-password");
    writeFileSync(passwordFile, `${AIRFLOW_PASSWORD}\n`, { mode: 0o600 });
    server = await startAirflowStandalone(airflow);
    // The dag processor parses the new file within a few seconds.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const res = await fetch(`${server.url}/api/v2/dags/snaptrail_rollback`, { headers: { Authorization: `Bearer ${await airflowToken(server.url)}` } });
      if (res.ok) break;
      if (Date.now() > deadline) throw new Error(`the DAG never appeared: HTTP ${res.status}\n${server.server.output(4000)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    // The good run: triggered as any user would, on six 1.16.0.
    const token = await airflowToken(server.url);
    const res = await fetch(`${server.url}/api/v2/dags/snaptrail_rollback/dagRuns`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ dag_run_id: "good_run", logical_date: null, conf: {} }),
    });
    assert.equal(res.status, 200, await res.text());
    assert.equal(await waitForDagRun(server.url, "snaptrail_rollback", "good_run"), "success", server.server.output(4000));
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
    const report = await client.listRuns({ pipeline: "snaptrail_rollback", step: "report" });
    assert.deepEqual(report.map((r) => r.runId), ["airflow:snaptrail_rollback/good_run/report/1"]);
  });

  it("a dry run prints the requests, no password, and sends nothing", async () => {
    const r = await runCli(["resubmit", good.runId, "--dry-run", "--airflow", server.url, "--airflow-password-file", passwordFile, "--collector-http", collector.httpUrl]);
    assert.equal(r.code, 0, r.stderr);
    const text = r.stdout.toString();
    assert.match(text, /POST http:\/\/127\.0\.0\.1:\d+\/auth\/token .*<hidden>/);
    assert.match(text, /POST http:\/\/127\.0\.0\.1:\d+\/api\/v2\/dags\/snaptrail_rollback\/dagRuns .*"snaptrail_pin":\{"train":"airflow:snaptrail_rollback\/good_run\/train\/1"\}/);
    assert.doesNotMatch(text, new RegExp(AIRFLOW_PASSWORD));
  });

  it("resubmit triggers a new DAG run whose pinned task runs on the old packages and is recorded as a rollback", async () => {
    const r = await runCli(["resubmit", good.runId, "--json", "--airflow", server.url, "--airflow-password-file", passwordFile, "--collector-http", collector.httpUrl]);
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout.toString()) as { jobId: string; expectedRunId: string; rollbackOf: string };
    assert.match(answer.jobId, /^snaptrail_rollback__\d{8}T\d{6}Z_[0-9a-f]{6}$/);
    assert.equal(answer.rollbackOf, good.runId);
    assert.equal(await waitForDagRun(server.url, "snaptrail_rollback", answer.jobId), "success", server.server.output(4000));
    // From inside the task: the old six; the unpinned task ran as today.
    assert.deepEqual(readFileSync(out, "utf8").split("\n").filter(Boolean), ["prepare ran", "train 1.16.0", `featurize ${WORKER_TOML.old}`, "report ran", "prepare ran", "train 1.16.0", `featurize ${WORKER_TOML.new}`, "report ran"]);
    assert.equal(answer.expectedRunId, `airflow:snaptrail_rollback/${answer.jobId}/train/1`);
    const rerun = await client.getRun(answer.expectedRunId);
    assert.equal(rerun.status, "succeeded");
    assert.equal(rerun.rollbackOf, good.runId);
    assert.equal(sixOf(rerun), "1.16.0");
    // The listener ends a Python task's record right after Airflow marks the task done: wait for it.
    const reportId = `airflow:snaptrail_rollback/${answer.jobId}/report/1`;
    let report = await client.getRun(reportId).catch(() => undefined);
    for (let i = 0; i < 60 && report?.status !== "succeeded"; i++) {
      await new Promise((res) => setTimeout(res, 500));
      report = await client.getRun(reportId).catch(() => undefined);
    }
    assert.equal(report?.status, "succeeded");
    assert.equal(report?.rollbackOf, null, "only the pinned task is a rollback");
    // Today's job venv really is newer: the rollback did not just find the old one.
    assert.equal((await runOrFail(jobPython, ["-c", "import six; print(six.__version__)"])).trim(), "1.17.0");
  });

  it("--in-place re-runs only the task in its original DAG run, pinned: its upstream task does not run again", async () => {
    const before = readFileSync(out, "utf8").split("\n").filter(Boolean);
    const r = await runCli(["resubmit", good.runId, "--in-place", "--airflow", server.url, "--airflow-password-file", passwordFile, "--collector-http", collector.httpUrl]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.toString(), /cleared train in DAG run good_run of snaptrail_rollback .*pinning train -> airflow:snaptrail_rollback\/good_run\/train\/1/);
    // The second try of train in good_run, recorded as a rollback on the old packages.
    const rerun = await endedTry(client, "train", 2);
    assert.equal(rerun?.status, "succeeded", server.server.output(4000));
    assert.equal(rerun?.rollbackOf, good.runId);
    assert.equal(rerun && sixOf(rerun), "1.16.0");
    assert.equal(await waitForDagRun(server.url, "snaptrail_rollback", "good_run"), "success");
    // From inside: train ran once more on the old six; prepare (upstream) and report (downstream) did not.
    assert.deepEqual(readFileSync(out, "utf8").split("\n").filter(Boolean), [...before, "train 1.16.0"]);
    const prepares = await client.listRuns({ pipeline: "snaptrail_rollback", step: "prepare" });
    assert.equal(prepares.filter((p) => p.pipelineRun === "good_run").length, 1);
  });

  it("bad input: wrong credentials, an unreachable Airflow, a DAG that is gone, a conf that is not JSON, a run from elsewhere", async () => {
    const common = ["--collector-http", collector.httpUrl];
    const wrong = path.join(dir, "wrong-password");
    writeFileSync(wrong, "not-the-password\n");
    let r = await runCli(["resubmit", good.runId, "--airflow", server.url, "--airflow-password-file", wrong, ...common]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Airflow at http:\/\/127\.0\.0\.1:\d+ refused the credentials of admin \(HTTP 401.*nothing was submitted/);
    assert.doesNotMatch(r.stderr, /not-the-password/);

    r = await runCli(["resubmit", good.runId, "--airflow", `http://127.0.0.1:${await freePort()}`, "--airflow-password-file", passwordFile, ...common]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Airflow at http:\/\/127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\); nothing was submitted/);

    r = await runCli(["resubmit", good.runId, "--conf", "{not json", "--airflow", server.url, "--airflow-password-file", passwordFile, ...common]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--conf is not JSON/);

    // Runs recorded by the agent for a DAG Airflow does not have, and for no orchestrator at all.
    const env = { ...process.env, SNAPTRAIL_COLLECTOR: collector.grpcAddress, SNAPTRAIL_SPOOL_DIR: "" };
    const gone = await runCli(["wrap", "--", "true"], { env: { ...env, AIRFLOW_CTX_DAG_ID: "deleted_dag", AIRFLOW_CTX_DAG_RUN_ID: "old", AIRFLOW_CTX_TASK_ID: "t", AIRFLOW_CTX_TRY_NUMBER: "1" } });
    assert.equal(gone.code, 0, gone.stderr);
    r = await runCli(["resubmit", "airflow:deleted_dag/old/t/1", "--airflow", server.url, "--airflow-password-file", passwordFile, ...common]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Airflow at http:\/\/127\.0\.0\.1:\d+ has no DAG deleted_dag \(HTTP 404.*nothing was submitted/);

    const local = await runCli(["wrap", "--", "true"], { env: { ...env, SNAPTRAIL_RUN_ID: "local:elsewhere/1" } });
    assert.equal(local.code, 0, local.stderr);
    r = await runCli(["resubmit", "local:elsewhere/1", "--airflow", server.url, ...common]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /local:elsewhere\/1 is a LOCAL run, not an Airflow run: --airflow and --conf do not apply/);

    // None of these made a DAG run: only the good run and the resubmitted one exist.
    const res = await fetch(`${server.url}/api/v2/dags/snaptrail_rollback/dagRuns`, { headers: { Authorization: `Bearer ${await airflowToken(server.url)}` } });
    assert.equal(((await res.json()) as { total_entries: number }).total_entries, 2);
  });

  it("the trigger body conforms to the OpenAPI document the Airflow wheel ships, and a renamed field does not", async () => {
    const r = await runCli(["resubmit", good.runId, "--dry-run", "--json", "--airflow", server.url, "--collector-http", collector.httpUrl]);
    assert.equal(r.code, 0, r.stderr);
    const commands = (JSON.parse(r.stdout.toString()) as { commands: string[] }).commands;
    const body = JSON.parse(/'(\{.*\})'$/.exec(commands[1] ?? "")?.[1] ?? "null") as Record<string, unknown>;
    assert.ok(body, commands.join("\n"));
    const check = `
import json, sys, pathlib, yaml, jsonschema, airflow.api_fastapi.core_api as api
spec = yaml.safe_load((pathlib.Path(api.__file__).parent / "openapi" / "v2-rest-api-generated.yaml").read_text())
schema = {"$ref": "#/components/schemas/TriggerDAGRunPostBody", "components": spec["components"]}
v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
print(json.dumps(sorted(e.message for e in v.iter_errors(json.loads(sys.argv[1])))))
`;
    const errorsOf = async (b: unknown) => JSON.parse(await runOrFail(airflow.python, ["-c", check, JSON.stringify(b)], { env: airflow.env })) as string[];
    assert.deepEqual(await errorsOf(body), []);
    const { logical_date, ...rest } = body;
    const renamed = await errorsOf({ ...rest, logicalDate: logical_date });
    assert.ok(renamed.some((e) => /'logical_date' is a required property/.test(e)), renamed.join("\n"));
    assert.ok(renamed.some((e) => /Additional properties are not allowed \('logicalDate' was unexpected\)/.test(e)), renamed.join("\n"));
  });

  it("resubmit of a @task's run, new DAG run and --in-place: its Python task runs in a venv rebuilt from its snapshot, on the old package, recorded as a rollback", async () => {
    await checkPythonTaskRollback({ airflow, airflowUrl: server.url, passwordFile, collectorHttp: collector.httpUrl, client, out, waitForDagRun: (id) => waitForDagRun(server.url, "snaptrail_rollback", id) });
  });

  it("--in-place --downstream re-runs the task and what follows it in its DAG run: only the pinned task is restored", async () => {
    await checkInPlaceDownstream({ airflow, airflowUrl: server.url, passwordFile, collectorHttp: collector.httpUrl, client, out, waitForDagRun: (id) => waitForDagRun(server.url, "snaptrail_rollback", id) }, good.runId);
  });
});
