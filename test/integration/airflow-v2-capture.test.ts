import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { RunSummary } from "../../core/api-types.js";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { airflowDagsTest, agentEnvFor, installAirflow, type AirflowInstall } from "../helpers/airflow.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { REPO_ROOT } from "../helpers/deploy-validators.js";
import { commitRepo, git } from "../helpers/git.js";

// snaptrail-airflow in a real Airflow 2.11.2 (test/requirements/airflow-2.txt), pip-installed with
// the snaptrail wheel built from this tree: the same unedited example DAG as for Airflow 3 runs with
// `airflow dags test` (every task in one process, the policy and the listener as on a worker).
const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "airflow");

/** Airflow 2's own count of task instances marked `state`, from the dags test output. */
function marked(output: string, state: "SUCCESS" | "FAILED"): number {
  return output.split("\n").filter((l) => l.includes(`Marking task as ${state}.`)).length;
}

void describe("Airflow 2.11: every task recorded with no DAG edit (snaptrail-airflow, airflow dags test)", () => {
  let dir: string;
  let collector: CollectorProcess;
  let client: CollectorHttpClient;
  let airflow: AirflowInstall;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "snaptrail-airflow2-"));
    collector = await startCollectorProcess();
    client = new CollectorHttpClient(collector.httpUrl);
    airflow = await installAirflow(dir, agentEnvFor(collector, dir), 2);
    commitRepo(airflow.dags, Object.fromEntries(["snaptrail_example.py", "already_wrapped.py"].map((f) => [f, readFileSync(path.join(FIXTURES, f), "utf8")])));
  });

  after(async () => {
    await collector?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("records the command task, the Python task, each mapped task and the failing task once, under Airflow's ids", async () => {
    const output = await airflowDagsTest(airflow, "snaptrail_example");
    assert.equal(marked(output, "SUCCESS"), 4, output.slice(-6000));
    assert.equal(marked(output, "FAILED"), 1, output.slice(-6000));
    assert.match(output, /it's snaptrail_example \(extract\)/);

    const runs = await client.listRuns({ pipeline: "snaptrail_example" });
    const steps = new Map<string, RunSummary[]>();
    for (const r of runs) {
      const key = r.runId.split("/").slice(-2, -1)[0] ?? "";
      steps.set(key, [...(steps.get(key) ?? []), r]);
    }
    assert.deepEqual([...steps.keys()].sort(), ["broken", "extract", "load[0]", "load[1]", "transform"], runs.map((r) => r.runId).join("\n"));
    for (const [step, list] of steps) assert.equal(list.length, 1, `${step} recorded ${list.length} times`);
    const dagRun = runs[0]?.pipelineRun ?? "";
    assert.match(dagRun, /^manual__/);
    for (const r of runs) {
      assert.equal(r.orchestrator, "AIRFLOW");
      assert.equal(r.pipelineRun, dagRun);
      assert.match(r.runId, new RegExp(`^airflow:snaptrail_example/${dagRun.replace(/[.+]/g, "\\$&")}/[a-z]+(\\[\\d\\])?/1$`));
      assert.ok(r.environmentDigest, `${r.runId} has an environment snapshot`);
    }
    const status = Object.fromEntries(runs.map((r): [string, unknown] => [r.runId.split("/").slice(-2, -1)[0] ?? "", [r.status, r.exitCode]]));
    assert.deepEqual(status, { extract: ["succeeded", 0], transform: ["succeeded", 0], "load[0]": ["succeeded", 0], "load[1]": ["succeeded", 0], broken: ["failed", 1] });

    // The command task ran under the policy's `snaptrail wrap` once; the Python task in the worker's interpreter.
    const extract = await client.getRun(steps.get("extract")?.[0]?.runId ?? "");
    assert.deepEqual(extract.config?.argv.slice(0, 2), ["bash", "-c"]);
    assert.doesNotMatch(extract.config?.argv.join(" ") ?? "", /snaptrail wrap|__snaptrail_script/);
    const transform = await client.getRun(steps.get("transform")?.[0]?.runId ?? "");
    assert.equal(transform.environment?.interpreter?.executable, airflow.python);
    assert.ok(transform.environment?.packages.some((p) => p.name === "apache-airflow" && p.version === "2.11.2"), "the worker's packages");
    assert.ok(transform.code?.files.some((f) => f.path === "snaptrail_example.py"), "the DAG file is in the code snapshot");
    assert.equal(transform.gitCommit, git(airflow.dags, "rev-parse", "HEAD"));
    // One line per listener-recorded task; the failure's own words reach it (the hook gets `error`).
    assert.equal(output.split("\n").filter((l) => l.includes("snaptrail: recorded the task as")).length, 4, "transform, load[0], load[1], broken");
    assert.match(output, /snaptrail: recorded the task as failed \(broken on purpose\)/);
  });

  it("leaves a DAG that already calls snaptrail wrap as it is: wrapped once, recorded once", async () => {
    const output = await airflowDagsTest(airflow, "snaptrail_already_wrapped");
    assert.equal(marked(output, "SUCCESS"), 1, output.slice(-6000));
    assert.match(output, /featurized/);
    const runs = await client.listRuns({ pipeline: "snaptrail_already_wrapped" });
    assert.equal(runs.length, 1, runs.map((r) => r.runId).join(", "));
    const run = await client.getRun(runs[0]?.runId ?? "");
    assert.deepEqual(run.config?.argv, ["python3", "-c", 'print("featurized")']);
  });

  it("a pinned command task that cannot be restored does not run; a pinned Python task says it is not restored", async () => {
    const [transform] = await client.listRuns({ pipeline: "snaptrail_example", step: "transform" });
    assert.ok(transform);
    const output = await airflowDagsTest(airflow, "snaptrail_example", { snaptrail_pin: { transform: transform.runId, extract: "airflow:snaptrail_example/no-such/extract/1" } });
    // The command task: not run on today's code under a rollback's name.
    assert.match(output, /restore of airflow:snaptrail_example\/no-such\/extract\/1 failed: .*the command was not run/);
    assert.doesNotMatch(output.split("restore of airflow:")[1] ?? "", /it's snaptrail_example \(extract\)/);
    // The Python task: runs in the worker's environment and says so, in the log and in its record.
    assert.match(output, new RegExp(`snaptrail: transform is pinned to ${transform.runId.replace(/[.+[\]]/g, "\\$&")}, but a Python task runs in this worker's environment: it is NOT restored`));
    const runs = await client.listRuns({ pipeline: "snaptrail_example", step: "transform" });
    const rerun = await client.getRun(runs.find((r) => r.runId !== transform.runId)?.runId ?? "");
    assert.equal(rerun.status, "succeeded");
    assert.equal(rerun.rollbackOf, null, "not recorded as a rollback");
    assert.match(rerun.environment?.env.find((e) => e.name === "SNAPTRAIL_AIRFLOW_NOT_RESTORED")?.value ?? "", /^pinned to airflow:snaptrail_example\/.*; a Python task ran in the worker's environment$/);
    const extract = (await client.listRuns({ pipeline: "snaptrail_example", step: "extract" })).find((r) => r.pipelineRun === rerun.pipelineRun);
    assert.equal(extract?.status, "failed");
  });

  it("never fails a task when the agent is missing: every task ends as it would without snaptrail", async () => {
    const output = await airflowDagsTest({ ...airflow, env: { ...airflow.env, SNAPTRAIL_AIRFLOW_BIN: path.join(dir, "no-such-snaptrail") } }, "snaptrail_example");
    assert.equal(marked(output, "SUCCESS"), 4, output.slice(-4000));
    assert.equal(marked(output, "FAILED"), 1, output.slice(-4000));
    assert.match(output, /snaptrail: \S+no-such-snaptrail not found: the command runs unrecorded/);
    assert.match(output, /snaptrail: not recording this task: /);
  });
});
