// ClickHouse down at collector start (stopped) and mid-stream (SIGKILLed, a crash), by PID, and
// started again: the collector comes up anyway, acks nothing it could not store (the Publish
// stream ends UNAVAILABLE, so the agent keeps the events), and once ClickHouse is back every
// acked event is there and a resend stores the rest, each exactly once.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import type { RunDetail, RunSummary } from "../../core/api-types.js";
import type { SnapshotEvent } from "../../core/model.js";
import type { PublishAck__Output } from "../../proto/generated/snaptrail/v1/PublishAck.js";
import { startClickHouseServer, TEST_PASSWORD, type ClickHouseServer } from "../helpers/clickhouse-server.js";
import { finishedEvent, startedEvent } from "../helpers/collector-fixtures.js";
import { collectorClient, publish } from "../helpers/collector-grpc-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";

let server: ClickHouseServer;
let collector: CollectorProcess;
const dir = mkdtempSync(join(tmpdir(), "snaptrail-chfaults-"));

before(async () => {
  server = await startClickHouseServer();
  await server.kill(); // down before the collector starts (nothing stored yet: no need for a slow clean stop)
  collector = await startCollectorProcess({
    store: server.storeUrl("faults"),
    blobDir: join(dir, "blobs"),
    // Small batches: the mid-stream kill must land while most events are still unstored, and one
    // batch of a whole stream is stored faster than the kill lands.
    env: { SNAPTRAIL_CLICKHOUSE_PASSWORD: TEST_PASSWORD, SNAPTRAIL_COLLECTOR_BATCH_MAX_EVENTS: "20" },
  });
});
after(async () => {
  await collector?.stop();
  await server?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function runIds(): Promise<string[]> {
  const res = await fetch(`${collector.httpUrl}/api/v1/runs?limit=1000`);
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { runs: RunSummary[] }).runs.map((r) => r.runId).sort();
}

async function runDetail(id: string): Promise<RunDetail> {
  const res = await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(id)}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as RunDetail;
}

void describe("collector on ClickHouse when ClickHouse goes away", () => {
  void it("starts while ClickHouse is down, acks nothing, and stores everything once it is up", async () => {
    assert.match(collector.stderr(), /ClickHouse is not reachable yet/);
    const client = await collectorClient(collector.grpcAddress);
    try {
      const events = [startedEvent("down-1"), startedEvent("down-2"), finishedEvent("down-1")];
      const down = await publish(client, events);
      assert.deepEqual(down.acks, []);
      assert.equal(down.error?.code, grpc.status.UNAVAILABLE);
      assert.match(down.error?.details ?? "", /ClickHouse is not reachable/);
      const query = await fetch(`${collector.httpUrl}/api/v1/runs`);
      assert.ok(query.status >= 500, `a query while ClickHouse is down answered ${query.status}`);

      await server.start();
      const up = await publish(client, events); // the agent's retry
      assert.equal(up.error, undefined);
      assert.deepEqual(up.acks.map((a) => a.outcome), ["STORED", "STORED", "STORED"]);
      assert.deepEqual(await runIds(), ["down-1", "down-2"]);
      assert.equal((await runDetail("down-1")).status, "succeeded");
    } finally {
      client.close();
    }
  });

  void it("loses nothing acked when ClickHouse stops mid-stream, and a resend stores the rest once", async () => {
    const client = await collectorClient(collector.grpcAddress);
    const STREAMS = 3;
    const PER_STREAM = 300;
    const all: SnapshotEvent[][] = Array.from({ length: STREAMS }, (_, s) =>
      Array.from({ length: PER_STREAM }, (_, i) => startedEvent(`mid-${s}-${i}`, { time: 1_714_000_000_000 + i })),
    );
    const acked = new Set<string>();
    let stopped: Promise<void> | undefined;
    try {
      const statuses = await Promise.all(
        all.map(
          (events) =>
            new Promise<grpc.StatusObject>((resolve) => {
              const call = client.publish();
              call.on("data", (ack: PublishAck__Output) => {
                assert.equal(ack.outcome, "STORED", ack.error);
                acked.add(ack.eventId);
                if (acked.size >= 100) stopped ??= server.kill();
              });
              call.on("error", () => undefined);
              call.on("status", resolve);
              for (const event of events) call.write({ event });
              call.end();
            }),
        ),
      );
      await stopped;
      const total = STREAMS * PER_STREAM;
      assert.ok(acked.size >= 100 && acked.size < total, `acked ${acked.size} of ${total}: the stop did not land mid-stream`);
      assert.ok(
        statuses.some((s) => s.code === grpc.status.UNAVAILABLE),
        `no stream ended UNAVAILABLE: ${statuses.map((s) => s.code).join(",")}`,
      );

      await server.start();
      // Every acked event is stored, before any resend.
      const stored = new Set(await runIds());
      for (const id of acked) assert.ok(stored.has(id.replace(/#started$/, "")), `acked ${id} is missing after the restart`);
      // The agent resends what was not acked (resending everything is the harsher test).
      for (const events of all) {
        const again = await publish(client, events, 60_000);
        assert.equal(again.error, undefined);
        assert.equal(again.acks.length, PER_STREAM);
        for (const ack of again.acks) {
          if (acked.has(ack.eventId)) assert.equal(ack.outcome, "DUPLICATE", ack.eventId);
        }
      }
      const ids = (await runIds()).filter((id) => id.startsWith("mid-"));
      assert.equal(ids.length, total);
      for (const id of ["mid-0-0", "mid-1-150", "mid-2-299"]) assert.equal((await runDetail(id)).events.length, 1, id);
    } finally {
      client.close();
    }
  });
});
