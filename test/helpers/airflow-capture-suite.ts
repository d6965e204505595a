import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { RunSummary } from "../../core/api-types.js";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { airflowDagsTest, agentEnvFor, installAirflow, type AirflowInstall, type AirflowMajor } from "./airflow.js";
import { startCollectorProcess, type CollectorProcess } from "./collector-process.js";
import { REPO_ROOT } from "./deploy-validators.js";
import { commitRepo, git } from "./git.js";

// The capture suite, run on a real Airflow 3.1.8 (airflow-capture.test.ts) and 2.11.2
// (airflow-v2-capture.test.ts): snaptrail-airflow pip-installed with the snaptrail wheel built from
// this tree; DAGs that know nothing of snaptrail run with `airflow dags test` (every task in one
// process, the policy and the listener as on a worker) against a real collector.
const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "airflow");

function byStep(runs: RunSummary[]): Map<string, RunSummary[]> {
  const m = new Map<string, RunSummary[]>();
  for (const r of runs) {
    const key = r.runId.split("/").slice(-2, -1)[0] ?? "";
    m.set(key, [...(m.get(key) ?? []), r]);
  }
  return m;
}

/** Airflow's own count of task instances that ended in `state`, from the dags test output (each version words it its own way). */
function ended(major: AirflowMajor, output: string, state: "success" | "failed"): number {
  const says = major === 3 ? (l: string) => l.includes("Task instance state updated") && l.includes(`new_state=${state}`) : (l: string) => l.includes(`Marking task as ${state.toUpperCase()}.`);
  return output.split("\n").filter(says).length;
}

/** What the worker's environment holds of Airflow itself. */
const AIRFLOW_PACKAGE: Record<AirflowMajor, { name: string; version: string }> = {
  3: { name: "apache-airflow-core", version: "3.1.8" },
  2: { name: "apache-airflow", version: "2.11.2" },
};

export function airflowCaptureSuite(major: AirflowMajor): void {
  void describe(`Airflow ${major === 3 ? "3.1" : "2.11"}: every task recorded with no DAG edit (snaptrail-airflow, airflow dags test)`, () => {
    let dir: string;
    let collector: CollectorProcess;
    let client: CollectorHttpClient;
    let airflow: AirflowInstall;

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), `snaptrail-airflow${major}-`));
      collector = await startCollectorProcess();
      client = new CollectorHttpClient(collector.httpUrl);
      airflow = await installAirflow(dir, agentEnvFor(collector, dir), major);
      // The DAG folder as git-sync keeps it: a git work tree, so the DAG file's code is captured.
      commitRepo(airflow.dags, Object.fromEntries(["snaptrail_example.py", "already_wrapped.py", "custom_operator.py"].map((f) => [f, readFileSync(path.join(FIXTURES, f), "utf8")])));
    });

    after(async () => {
      await collector?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("records the command task, the Python task, each mapped task and the failing task once, under Airflow's ids", async () => {
      const output = await airflowDagsTest(airflow, "snaptrail_example");
      assert.equal(ended(major, output, "success"), 4, output.slice(-4000));
      assert.equal(ended(major, output, "failed"), 1, output.slice(-4000));
      // The script ran verbatim under the wrapper: quotes, a parenthesis and a rendered template.
      assert.match(output, /it's snaptrail_example \(extract\)/);

      const runs = await client.listRuns({ pipeline: "snaptrail_example" });
      const steps = byStep(runs);
      assert.deepEqual([...steps.keys()].sort(), ["broken", "extract", "load[0]", "load[1]", "transform"]);
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

      // The command task ran under `snaptrail wrap` once (the policy's wrapper, no second agent).
      const extract = await client.getRun(steps.get("extract")?.[0]?.runId ?? "");
      assert.deepEqual(extract.config?.argv.slice(0, 2), ["bash", "-c"]);
      assert.doesNotMatch(extract.config?.argv.join(" ") ?? "", /snaptrail wrap|__snaptrail_script/);
      // A Python task: the worker's own interpreter and the DAG file's code.
      const transform = await client.getRun(steps.get("transform")?.[0]?.runId ?? "");
      assert.equal(transform.environment?.interpreter?.executable, airflow.python);
      assert.ok(transform.environment?.packages.some((p) => p.name === AIRFLOW_PACKAGE[major].name && p.version === AIRFLOW_PACKAGE[major].version), "the worker's packages");
      assert.ok(transform.code?.files.some((f) => f.path === "snaptrail_example.py"), "the DAG file is in the code snapshot");
      assert.equal(transform.gitCommit, git(airflow.dags, "rev-parse", "HEAD"));
      // Airflow's task log says what the agent did, one line per task.
      assert.equal(output.split("\n").filter((l) => l.includes("snaptrail: recorded the task as")).length, 4, "transform, load[0], load[1], broken");
      // The failure's own words reach the listener (the hook gets `error`).
      assert.match(output, /snaptrail: recorded the task as failed \(broken on purpose\)/);
    });

    it("leaves a DAG that already calls snaptrail wrap as it is: wrapped once, recorded once", async () => {
      const output = await airflowDagsTest(airflow, "snaptrail_already_wrapped");
      assert.equal(ended(major, output, "success"), 1, output.slice(-4000));
      assert.match(output, /featurized/);
      const runs = await client.listRuns({ pipeline: "snaptrail_already_wrapped" });
      assert.equal(runs.length, 1, runs.map((r) => r.runId).join(", "));
      const run = await client.getRun(runs[0]?.runId ?? "");
      assert.deepEqual(run.config?.argv, ["python3", "-c", 'print("featurized")']);
      assert.match(run.runId, /^airflow:snaptrail_already_wrapped\/manual__[^/]+\/featurize\/1$/);
    });

    it("pinned Python tasks, mapped too, run in the restored environment and are recorded as rollbacks; one whose restore fails does not run", async () => {
      const good = await client.listRuns({ pipeline: "snaptrail_example" });
      const goodRun = (step: string) => good.find((r) => r.runId.split("/").slice(-2, -1)[0] === step)?.runId ?? "";
      const original = await client.getRun(goodRun("transform"));
      const gone = "airflow:snaptrail_example/no-such/broken/1";
      const output = await airflowDagsTest(airflow, "snaptrail_example", { snaptrail_pin: { transform: goodRun("transform"), load: goodRun("load[0]"), broken: gone } });
      // Each call ran in the venv rebuilt from the pinned run's packages, on the restored DAG file.
      assert.match(output, new RegExp(`snaptrail: transform is pinned to ${goodRun("transform").replace(/[.+[\]]/g, "\\$&")}: it runs in the restored environment`));
      const pythons = [...output.matchAll(/transform ran on (\S+)/g)].map((m) => m[1]);
      assert.equal(pythons.length, 1, output.slice(-4000));
      assert.notEqual(pythons[0], airflow.python, "not the worker's interpreter");
      // Its return value came back to the worker as the task's XCom, and the mapped task expanded over it.
      assert.match(output, /Returned value was: \[1, 2\]/);
      assert.match(output, /load 1/);
      assert.match(output, /load 2/);
      const dagRun = (await client.listRuns({ pipeline: "snaptrail_example", step: "transform" })).find((r) => r.runId !== goodRun("transform"))?.pipelineRun ?? "";
      const rerun = await client.getRun(`airflow:snaptrail_example/${dagRun}/transform/1`);
      assert.equal(rerun.status, "succeeded");
      assert.equal(rerun.rollbackOf, goodRun("transform"));
      assert.equal(rerun.environment?.interpreter?.executable, pythons[0]);
      // As sets: the test worker sees pip and setuptools twice (its venv and the Airflow venv it layers on).
      const versions = (r: typeof original) => [...new Set((r.environment?.packages ?? []).map((p) => `${p.name}==${p.version}`))].sort();
      assert.deepEqual(versions(rerun), versions(original), "the pinned run's packages, rebuilt");
      assert.equal(rerun.codeDigest, original.codeDigest, "the pinned run's code, restored");
      for (const index of [0, 1]) {
        const load = await client.getRun(`airflow:snaptrail_example/${dagRun}/load[${index}]/1`);
        assert.deepEqual([load.status, load.rollbackOf], ["succeeded", goodRun("load[0]")], `load[${index}]`);
      }
      // A pinned Python task that cannot be restored: not run on today's environment under a rollback's name.
      assert.match(output, /restore of airflow:snaptrail_example\/no-such\/broken\/1 failed: .*the command was not run/);
      assert.doesNotMatch(output, /broken on purpose/);
      const broken = await client.getRun(`airflow:snaptrail_example/${dagRun}/broken/1`);
      assert.equal(broken.status, "failed");
      assert.equal(ended(major, output, "failed"), 1, output.slice(-4000));
    });

    it("a pinned task of an operator whose call cannot move runs in the worker's environment and says so, in its log and its record", async () => {
      await airflowDagsTest(airflow, "snaptrail_custom_operator");
      const [score] = await client.listRuns({ pipeline: "snaptrail_custom_operator", step: "score" });
      assert.ok(score);
      const output = await airflowDagsTest(airflow, "snaptrail_custom_operator", { snaptrail_pin: { score: score.runId } });
      assert.equal(ended(major, output, "success"), 1, output.slice(-4000));
      assert.match(output, /snaptrail: score is pinned to \S+, but ScoreOperator is not a Python callable operator: it runs in this worker's environment, NOT restored/);
      const runs = await client.listRuns({ pipeline: "snaptrail_custom_operator", step: "score" });
      const rerun = await client.getRun(runs.find((r) => r.runId !== score.runId)?.runId ?? "");
      assert.equal(rerun.status, "succeeded");
      assert.equal(rerun.rollbackOf, null, "not recorded as a rollback");
      assert.equal(rerun.environment?.interpreter?.executable, airflow.python);
      assert.equal(rerun.environment?.env.find((e) => e.name === "SNAPTRAIL_AIRFLOW_NOT_RESTORED")?.value, `pinned to ${score.runId}; ran in the worker's environment: ScoreOperator is not a Python callable operator`);
    });

    it("never fails a task when the agent is missing: every task ends as it would without snaptrail", async () => {
      const output = await airflowDagsTest({ ...airflow, env: { ...airflow.env, SNAPTRAIL_AIRFLOW_BIN: path.join(dir, "no-such-snaptrail") } }, "snaptrail_example");
      assert.equal(ended(major, output, "success"), 4, output.slice(-4000));
      assert.equal(ended(major, output, "failed"), 1, output.slice(-4000));
      assert.match(output, /snaptrail: \S+no-such-snaptrail not found: the command runs unrecorded/);
      assert.match(output, /snaptrail: not recording this task: /);
    });
  });
}
