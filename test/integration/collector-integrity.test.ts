// A run is an audit record the whole team reads: no single event, however absurd, may break the
// run list for everyone. Each case here came from probing a running collector as an attacker.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CollectorClient } from "../../proto/generated/snaptrail/v1/Collector.js";
import { finishedEvent, startedEvent } from "../helpers/collector-fixtures.js";
import { collectorClient, publish } from "../helpers/collector-grpc-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { runCli } from "../helpers/run-cli.js";

void describe("collector process: event times", () => {
  let collector: CollectorProcess;
  let client: CollectorClient;

  before(async () => {
    collector = await startCollectorProcess();
    client = await collectorClient(collector.grpcAddress);
  });
  after(async () => {
    client?.close();
    await collector?.stop();
  });

  void it("REJECTS absurd event times and durations, naming the field, and the run list keeps working", async () => {
    const absurd = [1e16, 2 ** 53 - 1, 2 ** 64 - 1, Date.now() + 30 * 24 * 3600 * 1000, 5];
    for (const [i, time] of absurd.entries()) {
      const { acks, error } = await publish(client, [startedEvent(`local:absurd/${i}`, { time })]);
      assert.equal(error, undefined);
      assert.equal(acks[0]?.outcome, "REJECTED", `time ${time}`);
      assert.match(acks[0]?.error ?? "", /time_unix_ms/);
    }
    const longJob = finishedEvent("local:absurd/duration", { durationMs: 2 ** 64 - 1 });
    const { acks } = await publish(client, [longJob]);
    assert.equal(acks[0]?.outcome, "REJECTED");
    assert.match(acks[0]?.error ?? "", /duration_ms/);

    const { acks: good } = await publish(client, [startedEvent("local:sane/1", { time: Date.now() })]);
    assert.equal(good[0]?.outcome, "STORED");
    const res = await fetch(`${collector.httpUrl}/api/v1/runs`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { runs: { runId: string }[] };
    assert.deepEqual(body.runs.map((r) => r.runId), ["local:sane/1"]);
    const cli = await runCli(["runs", "--collector-http", collector.httpUrl]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout.toString(), /local:sane\/1/);
  });
});
