// ClickHouse down at collector start (stopped) and mid-stream (SIGKILLed, a crash), by PID, and
// started again: the collector comes up anyway, acks nothing it could not store (the Publish
// stream ends UNAVAILABLE, so the agent keeps the events), and once ClickHouse is back every
// acked event is there and a resend stores the rest, each exactly once. Over NATS, an outage
// longer than max deliveries x ack wait, with two collectors sharing the consumer and one of them
// SIGKILLed while it holds messages, ends with every event stored once and nothing dead-lettered
// but the one message that is truly malformed.
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
import { encodeEvent } from "../../proto/event-codec.js";
import { startNatsServer } from "../helpers/nats-server.js";
import { connectNats, consumerInfo, publishBytes, readDeadLetters, waitFor } from "../helpers/nats-test-client.js";

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

void describe("collectors on NATS when ClickHouse goes away", () => {
  void it("hold what they took through an outage longer than max deliveries x ack wait, lose nothing when one is SIGKILLed, and dead-letter only the malformed", async () => {
    // Up, whether or not the tests above ran (the before hook leaves it down).
    await server.sql("SELECT 1").catch(() => server.start());
    const nats = await startNatsServer();
    const nc = await connectNats(nats.url);
    const collectors: CollectorProcess[] = [];
    try {
      // Two deliveries of a one-second ack wait: without the hold, any outage past ~2 s would
      // dead-letter good events.
      const natsEnv = {
        SNAPTRAIL_CLICKHOUSE_PASSWORD: TEST_PASSWORD,
        SNAPTRAIL_COLLECTOR_NATS_MAX_DELIVER: "2",
        SNAPTRAIL_COLLECTOR_NATS_ACK_WAIT_MS: "1000",
        SNAPTRAIL_COLLECTOR_NATS_NAK_DELAY_MS: "100",
        SNAPTRAIL_COLLECTOR_BATCH_MAX_EVENTS: "10",
      };
      for (let i = 0; i < 2; i++) {
        collectors.push(await startCollectorProcess({ store: server.storeUrl("natsoutage"), blobDir: join(dir, "blobs"), args: ["--nats", nats.url], env: natsEnv }));
      }
      const [a, b] = collectors as [CollectorProcess, CollectorProcess];
      const send = async (runId: string) => {
        for (const event of [startedEvent(runId), finishedEvent(runId)]) await publishBytes(nc, "snaptrail.events.kfp", encodeEvent(event), event.eventId);
      };
      await send("nats-before");
      await waitFor("the first run stored", async () => (await fetch(`${b.httpUrl}/api/v1/runs/nats-before`)).status === 200);

      await server.stop();
      const RUNS = 40;
      const ids = Array.from({ length: RUNS }, (_, i) => `nats-outage-${i}`);
      for (const id of ids) await send(id);
      const garbage = await publishBytes(nc, "snaptrail.events.kfp", new Uint8Array([0xff, 0x01, 0x02, 0x03, 0x04]), "garbage-during-outage");
      await waitFor("every message delivered to a collector", async () => (await consumerInfo(nc)).num_pending === 0);
      await waitFor("both collectors to have tried ClickHouse", () => collectors.every((c) => /ClickHouse is not reachable/.test(c.stderr())));
      const aHeld = /the store is unavailable/.test(a.stderr());
      await a.kill();
      // Past what max_deliver x ack_wait allowed before: A's messages go to B after one ack wait,
      // and B holds everything through several more.
      // The 4 s are the least time that proves the hold; how soon B pulls A's share after that
      // depends on the machine's load, so it is waited for, not timed.
      await new Promise((r) => setTimeout(r, 4000));
      await waitFor("everything delivered to B, who holds it", async () => (await consumerInfo(nc)).num_pending === 0, 60_000, 100);
      const held = await consumerInfo(nc);
      assert.ok(held.num_ack_pending >= 1, "held, not acked, while ClickHouse is down");

      await server.start();
      await waitFor("the consumer to drain", async () => {
        const info = await consumerInfo(nc);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      }, 60_000, 100);
      const dead = await readDeadLetters(nc);
      assert.deepEqual(dead.map((d) => d.originalSequence), [garbage.seq], "only the malformed message is dead-lettered");
      assert.match(dead[0]?.reason ?? "", /^undecodable/);
      for (const id of ["nats-before", ...ids]) {
        const res = await fetch(`${b.httpUrl}/api/v1/runs/${encodeURIComponent(id)}`);
        assert.equal(res.status, 200, `${id}: ${await res.clone().text()}`);
        const run = (await res.json()) as RunDetail;
        assert.equal(run.events.length, 2, `${id} stored exactly once`);
        assert.equal(run.status, "succeeded", id);
      }
      // Both collectors took a share (the load is still split during an outage), so the killed
      // one held messages that B stored.
      assert.ok(aHeld, "collector A held messages when it was killed");
      assert.match(b.stderr(), /the store is unavailable/);
      assert.match(b.stderr(), /the store answers again/);
    } catch (err) {
      console.error(collectors.map((c, i) => `=== collector ${i + 1} stderr\n${c.stderr().slice(-4000)}`).join("\n"));
      throw err;
    } finally {
      for (const c of collectors) await c.stop().catch(() => undefined);
      await nc.close();
      await nats.destroy();
    }
  });
});
