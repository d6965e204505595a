import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { airflow2ClearBody, airflow2TriggerBody } from "../../adapters/airflow/airflow2-api.js";
import { airflow3ClearBody, airflow3TriggerBody } from "../../adapters/airflow/airflow3-api.js";
import { airflowTrigger, parseExtraConf } from "../../adapters/airflow/airflow-trigger.js";
import type { RunDetail } from "../../core/api-types.js";
import { SnaptrailError } from "../../core/errors.js";

const run = (o: Partial<RunDetail> = {}): RunDetail =>
  ({
    runId: "airflow:etl/scheduled__2026-01-01/train/2",
    orchestrator: "AIRFLOW",
    pipeline: "etl",
    pipelineRun: "scheduled__2026-01-01",
    step: "train",
    orchestratorContext: { kind: "AIRFLOW", pipeline: "etl", pipelineRun: "scheduled__2026-01-01", step: "train", attempt: 2, attributes: {} },
    ...o,
  }) as RunDetail;

function badInput(f: () => unknown, message: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof SnaptrailError && e.code === "BAD_INPUT" && message.test(e.message));
}

void describe("the Airflow trigger request", () => {
  it("is a new DAG run of the run's DAG whose conf pins the tasks, the rest of --conf kept; Airflow 3's body has logical_date null, Airflow 2's none", () => {
    const t = airflowTrigger(run(), { train: "airflow:etl/scheduled__2026-01-01/train/2" }, { date: "2026-01-01" }, new Date("2026-12-07T05:00:00.123Z"), "abc123");
    assert.equal(t.dagId, "etl");
    const conf = { date: "2026-01-01", snaptrail_pin: { train: "airflow:etl/scheduled__2026-01-01/train/2" } };
    const note = "snaptrail resubmit airflow:etl/scheduled__2026-01-01/train/2";
    assert.deepEqual(t.run, { dagRunId: "snaptrail_rollback__20261207T050000Z_abc123", conf, note });
    assert.deepEqual(airflow3TriggerBody(t.run), { dag_run_id: "snaptrail_rollback__20261207T050000Z_abc123", logical_date: null, conf, note });
    assert.deepEqual(airflow2TriggerBody(t.run), { dag_run_id: "snaptrail_rollback__20261207T050000Z_abc123", conf, note });
  });

  it("clears a mapped task instance by [task, index] on Airflow 3 and refuses it on Airflow 2, whose task_ids are names", () => {
    const clear = { dagRunId: "r1", tasks: [{ taskId: "load", mapIndex: 1 }], downstream: false };
    assert.deepEqual(airflow3ClearBody(clear).task_ids, [["load", 1]]);
    badInput(() => airflow2ClearBody(clear), /load\[1\] is one instance of a mapped task, and Airflow 2's clearTaskInstances can only clear all of them/);
    assert.deepEqual(airflow2ClearBody({ ...clear, tasks: [{ taskId: "train" }], downstream: true }), {
      dry_run: false,
      only_failed: false,
      reset_dag_runs: true,
      dag_run_id: "r1",
      task_ids: ["train"],
      include_upstream: false,
      include_downstream: true,
    });
  });

  it("refuses a run without a DAG or task id", () => {
    badInput(() => airflowTrigger(run({ pipeline: "", orchestratorContext: null }), {}), /recorded no DAG id or task id/);
  });

  it("reads --conf as a JSON object and names what is wrong with anything else", () => {
    assert.deepEqual(parseExtraConf('{"a": 1}'), { a: 1 });
    assert.deepEqual(parseExtraConf(undefined), {});
    badInput(() => parseExtraConf("{a: 1}"), /--conf is not JSON: /);
    badInput(() => parseExtraConf("[1]"), /--conf must be a JSON object/);
    badInput(() => parseExtraConf('{"snaptrail_pin": {}}'), /--conf must not set snaptrail_pin/);
  });
});
