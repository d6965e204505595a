import assert from "node:assert/strict";
import { describe, it } from "node:test";
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
  it("is a new DAG run of the run's DAG whose conf pins the tasks, logical_date null, the rest of --conf kept", () => {
    const t = airflowTrigger(run(), { train: "airflow:etl/scheduled__2026-01-01/train/2" }, { date: "2026-01-01" }, new Date("2026-12-07T05:00:00.123Z"), "abc123");
    assert.equal(t.dagId, "etl");
    assert.deepEqual(t.body, {
      dag_run_id: "snaptrail_rollback__20261207T050000Z_abc123",
      logical_date: null,
      conf: { date: "2026-01-01", snaptrail_pin: { train: "airflow:etl/scheduled__2026-01-01/train/2" } },
      note: "snaptrail resubmit airflow:etl/scheduled__2026-01-01/train/2",
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
