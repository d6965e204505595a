// When the store cannot commit, a NATS message is never acked: it is nak'd with a delay and
// delivered again, stored once the store is back, and dead-lettered (not looped, not dropped)
// after natsMaxDeliver deliveries.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pino } from "pino";
import { FsBlobStore } from "../../collector/blobs/fs-blob-store.js";
import { parseCollectorOptions } from "../../collector/collector-options.js";
import { EventBatcher } from "../../collector/ingest/event-batcher.js";
import { startNatsIngest } from "../../collector/ingest/nats-consumer.js";
import { openSqliteStore } from "../../collector/store/sqlite-store.js";
import type { Store } from "../../collector/store/store.js";
import { encodeEvent } from "../../proto/event-codec.js";
import { startedEvent } from "../helpers/collector-fixtures.js";
import { startNatsServer } from "../helpers/nats-server.js";
import { connectNats, consumerInfo, publishBytes, readDeadLetters, waitFor } from "../helpers/nats-test-client.js";

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function setup(maxDeliver: number, ackWaitMs = 2000) {
  const server = await startNatsServer();
  cleanups.push(() => server.destroy());
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-nats-failing-"));
  cleanups.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
  const real = openSqliteStore(join(dir, "x.db"));
  const state = { broken: true, appends: 0, hang: false, release: [] as (() => void)[] };
  const diskFull = () => Promise.reject(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }));
  const store: Store = {
    append: (events) => {
      state.appends++;
      // A collector stuck (or crashing) on a message: it never answers.
      if (state.hang) return new Promise((_, reject) => state.release.push(() => reject(new Error("released"))));
      return state.broken ? diskFull() : real.append(events);
    },
    hasSnapshots: (d) => (state.broken ? diskFull() : real.hasSnapshots(d)),
    getSnapshot: (d) => real.getSnapshot(d),
    listRuns: (q) => real.listRuns(q),
    getRun: (id) => real.getRun(id),
    findRunIds: (p, l) => real.findRunIds(p, l),
    findRunsByOutput: (d, l) => real.findRunsByOutput(d, l),
    findCacheHits: (k, l) => real.findCacheHits(k, l),
    close: () => real.close(),
  };
  const logger = pino({ level: "silent" });
  const batcher = new EventBatcher(store, { maxBatchEvents: 100, maxBatchDelayMs: 2 }, logger);
  const options = parseCollectorOptions({
    dbPath: join(dir, "x.db"),
    nats: server.url,
    natsNakDelayMs: 50,
    natsMaxDeliver: maxDeliver,
    natsAckWaitMs: ackWaitMs,
  });
  const ingest = await startNatsIngest({ batcher, store, blobs: new FsBlobStore(join(dir, "blobs")), logger }, { ...options, nats: server.url });
  cleanups.push(async () => {
    state.hang = false;
    for (const release of state.release) release();
    await ingest.close();
    await batcher.drain();
    await real.close();
  });
  const nc = await connectNats(server.url);
  cleanups.push(() => nc.close());
  return { state, real, nc };
}

void describe("NATS ingest when the store fails", () => {
  void it("naks and redelivers until the store is back, then stores once", async () => {
    const { state, real, nc } = await setup(20);
    await publishBytes(nc, "snaptrail.events.local", encodeEvent(startedEvent("local:x/disk-full", { eventId: "disk-full-1" })), "disk-full-1");
    await waitFor("three failed tries", () => state.appends >= 3);
    assert.equal(await real.getRun("local:x/disk-full"), undefined);
    const info = await consumerInfo(nc);
    assert.equal(info.num_ack_pending + info.num_pending, 1, "not acked while the store fails");
    assert.ok(info.num_redelivered >= 1, "delivered again after a nak");
    state.broken = false;
    await waitFor("the event stored", async () => (await real.getRun("local:x/disk-full")) !== undefined);
    await waitFor("acked", async () => {
      const i = await consumerInfo(nc);
      return i.num_ack_pending === 0 && i.num_pending === 0;
    });
    assert.deepEqual(await readDeadLetters(nc), []);
  });

  void it("dead-letters a message still not stored after natsMaxDeliver deliveries: no endless loop", async () => {
    const { state, nc } = await setup(3);
    const sent = await publishBytes(nc, "snaptrail.events.slurm", encodeEvent(startedEvent("slurm:c/1", { eventId: "never-stored" })), "never-stored");
    await waitFor("a dead letter", async () => (await readDeadLetters(nc)).length === 1);
    const [dead] = await readDeadLetters(nc);
    assert.equal(dead?.originalSequence, sent.seq);
    assert.equal(dead?.deliveries, 3);
    assert.match(dead?.reason ?? "", /^not stored after 3 deliveries \(natsMaxDeliver\): .*database or disk is full/);
    assert.equal(dead?.subject, "snaptrail.deadletter.events.slurm");
    await waitFor("nothing pending", async () => {
      const i = await consumerInfo(nc);
      return i.num_ack_pending === 0 && i.num_pending === 0;
    });
    const tries = state.appends;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(state.appends, tries, "not delivered again after it was dead-lettered");
  });

  void it("dead-letters a message collectors never finish (stuck or crashing on it) once JetStream gives up at max_deliver", async () => {
    const { state, nc } = await setup(2, 1000);
    state.hang = true;
    const sent = await publishBytes(nc, "snaptrail.events.kfp", encodeEvent(startedEvent("kfp:r/t", { eventId: "stuck" })), "stuck");
    await waitFor("a dead letter from the max-deliveries advisory", async () => (await readDeadLetters(nc)).length === 1, 15_000);
    const [dead] = await readDeadLetters(nc);
    assert.equal(dead?.originalSequence, sent.seq);
    assert.match(dead?.reason ?? "", /^delivered 2 times without being stored or dead-lettered/);
    assert.equal(dead?.subject, "snaptrail.deadletter.events.kfp");
  });
});
