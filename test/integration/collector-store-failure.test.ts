// When the store cannot commit (disk full, I/O error) nothing is acked: the Publish stream ends
// with UNAVAILABLE so the agent keeps the events and retries; once the store recovers, it works.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { pino } from "pino";
import { FsBlobStore } from "../../collector/blobs/fs-blob-store.js";
import { EventBatcher } from "../../collector/ingest/event-batcher.js";
import { startGrpcServer, type RunningGrpcServer } from "../../collector/ingest/grpc-server.js";
import { openSqliteStore } from "../../collector/store/sqlite-store.js";
import type { CollectorClient } from "../../proto/generated/snaptrail/v1/Collector.js";
import { startedEvent } from "../helpers/collector-fixtures.js";
import { collectorClient, hasDigests, publish } from "../helpers/collector-grpc-client.js";
import { FaultyStore, diskFull } from "../helpers/faulty-store.js";

void describe("gRPC ingest when the store fails", () => {
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-failing-"));
  const real = openSqliteStore(join(dir, "x.db"));
  const store = new FaultyStore(real).fail("append", () => diskFull()).fail("hasSnapshots", () => diskFull());
  const logger = pino({ level: "silent" });
  const batcher = new EventBatcher(store, { maxBatchEvents: 100, maxBatchDelayMs: 2 }, logger);
  let server: RunningGrpcServer;
  let client: CollectorClient;

  before(async () => {
    server = await startGrpcServer(
      { batcher, store, blobs: new FsBlobStore(join(dir, "blobs")), logger },
      { listen: "127.0.0.1:0", maxMessageBytes: 1024 * 1024, maxArchiveBytes: 1024 * 1024 },
    );
    client = await collectorClient(server.address);
  });
  after(async () => {
    client.close();
    await server.close(1000);
    await batcher.drain();
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  });

  void it("acks nothing and ends the stream with UNAVAILABLE", async () => {
    const { acks, error } = await publish(client, [startedEvent("a"), startedEvent("b")]);
    assert.deepEqual(acks, []);
    assert.equal(error?.code, grpc.status.UNAVAILABLE);
    assert.match(error?.details ?? "", /could not store events: database or disk is full/);
    assert.equal(await real.getRun("a"), undefined);
    await assert.rejects(hasDigests(client, ["sha256:" + "a".repeat(64)]), { code: grpc.status.UNAVAILABLE });
  });

  void it("stores and acks again once the store recovers", async () => {
    store.heal();
    const { acks, error } = await publish(client, [startedEvent("a"), startedEvent("b")]);
    assert.equal(error, undefined);
    assert.deepEqual(acks.map((a) => a.outcome), ["STORED", "STORED"]);
  });
});

void describe("gRPC ingest with a slow store", () => {
  void it("stops reading a stream at its in-flight limit and still acks every event, in order", async () => {
    const real = openSqliteStore(":memory:");
    const slow = new FaultyStore(real).delay("append", 10);
    const logger = pino({ level: "silent" });
    const batcher = new EventBatcher(slow, { maxBatchEvents: 1000, maxBatchDelayMs: 1 }, logger);
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-slow-"));
    const server = await startGrpcServer(
      { batcher, store: slow, blobs: new FsBlobStore(dir), logger },
      { listen: "127.0.0.1:0", maxMessageBytes: 1024 * 1024, maxArchiveBytes: 1024, maxInFlightPerStream: 8 },
    );
    const client = await collectorClient(server.address);
    try {
      const events = Array.from({ length: 100 }, (_, i) => startedEvent(`slow-${i}`));
      const { acks, error } = await publish(client, events);
      assert.equal(error, undefined);
      assert.deepEqual(
        acks.map((a) => a.eventId),
        events.map((e) => e.eventId),
      );
      const batches = slow.calls("append").map(([batch]) => batch.length);
      const maxBatch = Math.max(...batches);
      assert.ok(maxBatch <= 8, `a batch held ${maxBatch} events from one stream limited to 8 in flight`);
      assert.ok(batches.length >= 100 / 8);
    } finally {
      client.close();
      await server.close(1000);
      await batcher.drain();
      await real.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
