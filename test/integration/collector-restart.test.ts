// Nothing acknowledged is lost: SIGKILL the collector mid-stream, restart it on the same file,
// and every acked event is there. SIGTERM drains: open streams get their acks, then UNAVAILABLE.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import type { RunSummary } from "../../core/api-types.js";
import type { PublishAck__Output } from "../../proto/generated/snaptrail/v1/PublishAck.js";
import { startedEvent } from "../helpers/collector-fixtures.js";
import { collectorClient, publish } from "../helpers/collector-grpc-client.js";
import { startCollectorProcess } from "../helpers/collector-process.js";

async function listRunIds(httpUrl: string): Promise<Set<string>> {
  const res = await fetch(`${httpUrl}/api/v1/runs?limit=1000`);
  assert.equal(res.status, 200);
  return new Set(((await res.json()) as { runs: RunSummary[] }).runs.map((r) => r.runId));
}

void describe("collector durability across process death", () => {
  void it("keeps every acked event after SIGKILL and a restart", async (t) => {
    const first = await startCollectorProcess();
    const client = await collectorClient(first.grpcAddress);
    const STREAMS = 4;
    const PER_STREAM = 200;
    const acked = new Set<string>();
    let killed: Promise<void> | undefined;
    const streams = Array.from({ length: STREAMS }, (_, s) => {
      return new Promise<grpc.StatusObject>((resolve) => {
        const call = client.publish();
        call.on("data", (ack: PublishAck__Output) => {
          assert.equal(ack.outcome, "STORED", ack.error);
          acked.add(ack.eventId);
          if (acked.size >= 150) killed ??= first.kill();
        });
        call.on("error", () => undefined);
        call.on("status", resolve);
        for (let i = 0; i < PER_STREAM; i++) call.write({ event: startedEvent(`crash-${s}-${i}`, { eventId: `crash-${s}-${i}`, time: 1_714_000_000_000 + i }) });
        call.end();
      });
    });
    const statuses = await Promise.all(streams);
    await killed;
    client.close();
    assert.ok(acked.size >= 150, `only ${acked.size} acks before the kill`);
    // Streams the kill cut short end with UNAVAILABLE (the agent's cue to retry).
    for (const st of statuses) assert.ok(st.code === grpc.status.OK || st.code === grpc.status.UNAVAILABLE, `${st.code} ${st.details}`);

    const second = await startCollectorProcess({ db: first.db });
    try {
      const stored = await listRunIds(second.httpUrl);
      const lost = [...acked].filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `acked events lost after SIGKILL (${acked.size} acked, ${stored.size} stored)`);
      t.diagnostic(`${acked.size} acked before SIGKILL, ${stored.size} of ${STREAMS * PER_STREAM} stored`);
      // An agent resending everything from its spool gets DUPLICATE for what was acked.
      const again = await collectorClient(second.grpcAddress);
      const events = [...acked].slice(0, 100).map((id) => startedEvent(id, { eventId: id }));
      const { acks, error } = await publish(again, events);
      again.close();
      assert.equal(error, undefined);
      assert.ok(acks.every((a) => a.outcome === "DUPLICATE"));
    } finally {
      const exit = await second.stop();
      assert.deepEqual(exit, { code: 0, signal: null }, second.stderr());
    }
  });

  void it("drains on SIGTERM: an open stream gets its acks, then UNAVAILABLE, and the process exits 0", async () => {
    const collector = await startCollectorProcess();
    const client = await collectorClient(collector.grpcAddress);
    const call = client.publish();
    const acks: PublishAck__Output[] = [];
    let threeAcked: () => void = () => undefined;
    const gotThree = new Promise<void>((r) => (threeAcked = r));
    call.on("data", (ack: PublishAck__Output) => {
      acks.push(ack);
      if (acks.length === 3) threeAcked();
    });
    call.on("error", () => undefined);
    const status = new Promise<grpc.StatusObject>((r) => call.on("status", r));
    for (const id of ["term-1", "term-2", "term-3"]) call.write({ event: startedEvent(id) });
    await gotThree;
    // The stream stays open (no end()): the collector must close it itself.
    const exit = await collector.stop();
    const final = await status;
    client.close();
    assert.deepEqual(exit, { code: 0, signal: null }, collector.stderr());
    assert.equal(final.code, grpc.status.UNAVAILABLE);
    assert.match(final.details, /shutting down/);
    assert.deepEqual(acks.map((a) => a.outcome), ["STORED", "STORED", "STORED"]);
    assert.match(collector.stderr(), /collector stopped/);

    const again = await startCollectorProcess({ db: collector.db });
    try {
      const stored = await listRunIds(again.httpUrl);
      for (const id of ["term-1", "term-2", "term-3"]) assert.ok(stored.has(id), id);
    } finally {
      await again.stop();
    }
  });
});
