import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AirflowResubmitter } from "../../adapters/airflow/airflow-resubmitter.js";
import type { RunDetail } from "../../core/api-types.js";
import { freePort } from "../helpers/free-port.js";

const run = (attributes: Record<string, string> = {}): RunDetail =>
  ({
    runId: "airflow:etl/manual__1/load[1]/1",
    orchestrator: "AIRFLOW",
    pipeline: "etl",
    pipelineRun: "manual__1",
    step: "load",
    orchestratorContext: { kind: "AIRFLOW", pipeline: "etl", pipelineRun: "manual__1", step: "load", attempt: 1, attributes },
  }) as unknown as RunDetail;

void describe("the Airflow resubmitter's dry run with Airflow away", () => {
  it("shows Airflow 3's and Airflow 2's requests, says why, and never the password", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await new AirflowResubmitter({ url, user: "ops", password: "s3cret", findStepRun: () => Promise.resolve(undefined) }).resubmit({ run: run(), dryRun: true });
    assert.ok(r.ok, r.ok ? "" : r.error.message);
    assert.match(r.value.detail, /^dry run: nothing sent to Airflow at http:\/\/127\.0\.0\.1:\d+ \(cannot be reached \(ECONNREFUSED\): the requests are Airflow 3 \(\/api\/v2\), then Airflow 2 \(\/api\/v1\)\); would pin load -> /);
    assert.deepEqual(
      r.value.commands.map((c) => c.split(" ").slice(0, 2).join(" ").replace(url, "")),
      ["POST /auth/token", "POST /api/v2/dags/etl/dagRuns", "POST /api/v1/dags/etl/dagRuns"],
    );
    assert.ok(!JSON.stringify(r.value).includes("s3cret"));
  });

  it("--in-place of one mapped task instance: Airflow 3's clear names [task, index]; Airflow 2's cannot, and the note says so", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await new AirflowResubmitter({ url, user: "ops", password: "s3cret", findStepRun: () => Promise.resolve(undefined) }).resubmit({ run: run({ map_index: "1" }), dryRun: true, overrides: { inPlace: true } });
    assert.ok(r.ok, r.ok ? "" : r.error.message);
    assert.match(r.value.commands.find((c) => c.includes("/api/v2/dags/etl/clearTaskInstances")) ?? "", /"task_ids":\[\["load",1\]\]/);
    assert.ok(!r.value.commands.some((c) => c.includes("/api/v1/")));
    assert.match(r.value.detail, /Airflow 2 \(\/api\/v1\): --in-place: load\[1\] is one instance of a mapped task/);
  });
});
