// When the store cannot commit, a NATS message is never acked. A store outage (disk full) is not
// the message's fault: the collector holds it (ack wait extended), retries in-process and stores
// it once the store is back, without a redelivery and without a dead letter, however long the
// outage lasts. An event the store refuses by itself is nak'd and dead-lettered (not looped, not
// dropped) after natsMaxDeliver deliveries, its batch mates stored.
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
import { encodeEvent } from "../../proto/event-codec.js";
import { startedEvent } from "../helpers/collector-fixtures.js";
import { FaultyStore, diskFull } from "../helpers/faulty-store.js";
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
  // The store starts out failing as a full disk does; each test changes that.
  const store = new FaultyStore(real).fail("append", () => diskFull()).fail("hasSnapshots", () => diskFull());
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
    store.heal();
    await ingest.close();
    await batcher.drain();
    await real.close();
  });
  const nc = await connectNats(server.url);
  cleanups.push(() => nc.close());
  return { store, real, nc };
}

void describe("NATS ingest when the store fails", () => {
  void it("holds a message through a store outage longer than max deliveries x ack wait, then stores it once: no redelivery, no dead letter", async () => {
    const { store, real, nc } = await setup(2, 1000);
    await publishBytes(nc, "snaptrail.events.local", encodeEvent(startedEvent("local:x/disk-full", { eventId: "disk-full-1" })), "disk-full-1");
    await waitFor("a failed try", () => store.calls("append").length >= 1);
    // Long past natsMaxDeliver (2) x ack wait (1 s): naking, or letting the ack wait run out,
    // would have dead-lettered it by now.
    await new Promise((r) => setTimeout(r, 4000));
    const tries = store.calls("append").length;
    assert.ok(tries >= 3, `retried in-process (${tries} tries)`);
    assert.equal(await real.getRun("local:x/disk-full"), undefined);
    const info = await consumerInfo(nc);
    assert.equal(info.num_ack_pending, 1, "held, not acked, while the store fails");
    assert.equal(info.num_redelivered, 0, "never delivered again: the outage used up no delivery");
    assert.deepEqual(await readDeadLetters(nc), []);
    store.heal();
    await waitFor("the event stored", async () => (await real.getRun("local:x/disk-full")) !== undefined);
    await waitFor("acked", async () => {
      const i = await consumerInfo(nc);
      return i.num_ack_pending === 0 && i.num_pending === 0;
    });
    assert.equal((await consumerInfo(nc)).num_redelivered, 0);
    assert.deepEqual(await readDeadLetters(nc), []);
  });

  void it("dead-letters an event the store refuses by itself after natsMaxDeliver deliveries, and stores its batch mates", async () => {
    const { store, real, nc } = await setup(3);
    store.heal();
    // A value the store cannot take: the event's own fault, whatever else is in the batch.
    store.fail("append", (events) => (events.some((e) => e.eventId === "never-stored") ? new Error("Cannot parse input: never-stored") : undefined));
    const sent = await publishBytes(nc, "snaptrail.events.slurm", encodeEvent(startedEvent("slurm:c/1", { eventId: "never-stored" })), "never-stored");
    await publishBytes(nc, "snaptrail.events.slurm", encodeEvent(startedEvent("slurm:c/2", { eventId: "fine" })), "fine");
    await waitFor("a dead letter", async () => (await readDeadLetters(nc)).length === 1);
    const [dead] = await readDeadLetters(nc);
    assert.equal(dead?.originalSequence, sent.seq);
    assert.equal(dead?.deliveries, 3);
    assert.match(dead?.reason ?? "", /^not stored after 3 deliveries \(natsMaxDeliver\): the store refused event never-stored: Cannot parse input/);
    assert.equal(dead?.subject, "snaptrail.deadletter.events.slurm");
    assert.notEqual(await real.getRun("slurm:c/2"), undefined, "the other event is stored");
    assert.equal(await real.getRun("slurm:c/1"), undefined);
    await waitFor("nothing pending", async () => {
      const i = await consumerInfo(nc);
      return i.num_ack_pending === 0 && i.num_pending === 0;
    });
    const tries = store.calls("append").length;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(store.calls("append").length, tries, "not delivered again after it was dead-lettered");
  });

  void it("dead-letters a message collectors never finish (stuck or crashing on it) once JetStream gives up at max_deliver", async () => {
    const { store, nc } = await setup(2, 1000);
    // A collector stuck (or crashing) on a message: it never answers.
    store.hang("append");
    const sent = await publishBytes(nc, "snaptrail.events.kfp", encodeEvent(startedEvent("kfp:r/t", { eventId: "stuck" })), "stuck");
    await waitFor("a dead letter from the max-deliveries advisory", async () => (await readDeadLetters(nc)).length === 1, 15_000);
    const [dead] = await readDeadLetters(nc);
    assert.equal(dead?.originalSequence, sent.seq);
    assert.match(dead?.reason ?? "", /^delivered 2 times without being stored or dead-lettered/);
    assert.equal(dead?.subject, "snaptrail.deadletter.events.kfp");
  });
});
