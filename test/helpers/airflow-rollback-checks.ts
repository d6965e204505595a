// Checks shared by the Airflow 3 and 2 resubmit suites. A Python task's rollback: the @task of
// rollbackDag (featurize) resubmitted from its good run, as a new DAG run and then --in-place, must
// run in a venv rebuilt from that run's snapshot, which the task itself proves by writing the toml
// version it imported.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { CollectorHttpClient } from "../../core/collector-http-client.js";
import { taskLog, WORKER_TOML, type AirflowInstall } from "./airflow.js";
import { runOrFail } from "./python-env.js";
import { runCli } from "./run-cli.js";

export interface PythonRollbackContext {
  airflow: AirflowInstall;
  airflowUrl: string;
  passwordFile: string;
  collectorHttp: string;
  client: CollectorHttpClient;
  /** The file rollbackDag's tasks append their lines to. */
  out: string;
  /** Waits for a DAG run of snaptrail_rollback to end; its state. */
  waitForDagRun(dagRunId: string): Promise<string>;
}

function tomlOf(run: { environment: { packages: { name: string; version: string }[] } | null }): string | undefined {
  return run.environment?.packages.find((p) => p.name === "toml")?.version;
}

export async function checkPythonTaskRollback(c: PythonRollbackContext): Promise<void> {
  const [featurize] = (await c.client.listRuns({ pipeline: "snaptrail_rollback", step: "featurize" })).filter((r) => r.pipelineRun === "good_run");
  assert.ok(featurize);
  assert.equal(tomlOf(await c.client.getRun(featurize.runId)), WORKER_TOML.old);
  const before = readFileSync(c.out, "utf8").split("\n").filter(Boolean);
  const r = await runCli(["resubmit", featurize.runId, "--json", "--airflow", c.airflowUrl, "--airflow-password-file", c.passwordFile, "--collector-http", c.collectorHttp]);
  assert.equal(r.code, 0, r.stderr);
  const answer = JSON.parse(r.stdout.toString()) as { jobId: string; expectedRunId: string };
  assert.equal(await c.waitForDagRun(answer.jobId), "success", taskLog(c.airflow, "snaptrail_rollback", answer.jobId, "featurize"));
  // From inside: the pinned Python task imported the old toml; the unpinned command task ran today's six.
  assert.deepEqual(readFileSync(c.out, "utf8").split("\n").filter(Boolean).slice(before.length), ["prepare ran", "train 1.17.0", `featurize ${WORKER_TOML.old}`, "report ran"]);
  const rerun = await c.client.getRun(answer.expectedRunId);
  assert.equal(rerun.status, "succeeded");
  assert.equal(rerun.rollbackOf, featurize.runId);
  assert.equal(tomlOf(rerun), WORKER_TOML.old);
  assert.notEqual(rerun.environment?.interpreter?.executable, c.airflow.python, "a rebuilt venv, not the worker's interpreter");
  // The worker's own environment really is newer.
  assert.equal((await runOrFail(c.airflow.python, ["-c", "import toml; print(toml.__version__)"], { env: c.airflow.env })).trim(), WORKER_TOML.new);

  // --in-place: the @task alone again in its own DAG run (pinned through the Variable), restored; the venv is now cached.
  const upTo = readFileSync(c.out, "utf8").split("\n").filter(Boolean);
  const inPlace = await runCli(["resubmit", featurize.runId, "--in-place", "--airflow", c.airflowUrl, "--airflow-password-file", c.passwordFile, "--collector-http", c.collectorHttp]);
  assert.equal(inPlace.code, 0, inPlace.stderr);
  const retry = await endedTry(c.client, "featurize", 2);
  assert.equal(retry?.status, "succeeded", taskLog(c.airflow, "snaptrail_rollback", "good_run", "featurize", 2));
  assert.equal(retry?.rollbackOf, featurize.runId);
  assert.equal(retry && tomlOf(retry), WORKER_TOML.old);
  assert.equal(await c.waitForDagRun("good_run"), "success");
  assert.deepEqual(readFileSync(c.out, "utf8").split("\n").filter(Boolean).slice(upTo.length), [`featurize ${WORKER_TOML.old}`], "only featurize ran again");
}

/** The record of one try of a task of snaptrail_rollback's good_run once it has ended (or whatever it is after 240 s). */
export async function endedTry(client: CollectorHttpClient, step: string, tryNumber: number): Promise<Awaited<ReturnType<CollectorHttpClient["getRun"]>> | undefined> {
  const id = `airflow:snaptrail_rollback/good_run/${step}/${tryNumber}`;
  const deadline = Date.now() + 240_000;
  let run = await client.getRun(id).catch(() => undefined);
  while (run?.status !== "succeeded" && run?.status !== "failed" && Date.now() < deadline) {
    await new Promise((res) => setTimeout(res, 1000));
    run = await client.getRun(id).catch(() => undefined);
  }
  return run;
}

/**
 * `--in-place --downstream` of the command task's good run: train and everything after it run again in
 * good_run, prepare does not; only train is pinned, so featurize runs on today's toml and is no rollback.
 * Run after checkPythonTaskRollback (train and featurize have had two tries each by then).
 */
export async function checkInPlaceDownstream(c: PythonRollbackContext, trainRunId: string): Promise<void> {
  const upTo = readFileSync(c.out, "utf8").split("\n").filter(Boolean);
  const r = await runCli(["resubmit", trainRunId, "--in-place", "--downstream", "--airflow", c.airflowUrl, "--airflow-password-file", c.passwordFile, "--collector-http", c.collectorHttp]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), /cleared .*train.* in DAG run good_run of snaptrail_rollback/);
  const train = await endedTry(c.client, "train", 3);
  assert.equal(train?.status, "succeeded", taskLog(c.airflow, "snaptrail_rollback", "good_run", "train", 3));
  assert.equal(train?.rollbackOf, trainRunId);
  const report = await endedTry(c.client, "report", 2);
  assert.equal(report?.status, "succeeded", taskLog(c.airflow, "snaptrail_rollback", "good_run", "report", 2));
  assert.equal(await c.waitForDagRun("good_run"), "success");
  const featurize = await c.client.getRun("airflow:snaptrail_rollback/good_run/featurize/3");
  assert.deepEqual([featurize.status, featurize.rollbackOf, tomlOf(featurize)], ["succeeded", null, WORKER_TOML.new], "downstream and unpinned: today's environment");
  // From inside, in order; prepare (upstream) did not run again.
  assert.deepEqual(readFileSync(c.out, "utf8").split("\n").filter(Boolean).slice(upTo.length), ["train 1.16.0", `featurize ${WORKER_TOML.new}`, "report ran"]);
  const prepares = await c.client.listRuns({ pipeline: "snaptrail_rollback", step: "prepare" });
  assert.equal(prepares.filter((p) => p.pipelineRun === "good_run").length, 1);
}
