// Fuzz: mutated Event bytes (bit flips, truncations, insertions, splices, corrupted lengths)
// through gRPC Publish and through NATS, for a bounded time (SNAPTRAIL_FUZZ_MS each, default
// 3 s), seeded (SNAPTRAIL_TEST_SEED replays a run; the seed is printed). The collector must
// answer each with an ack or a clear status (gRPC) or an ack or a dead letter (NATS), never
// crash, never log an error, and keep serving.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import type { SnapshotEvent } from "../../core/model.js";
import { encodeEvent, encodeMessage } from "../../proto/event-codec.js";
import { capturedEvent, codeSnapshot, envSnapshot, finishedEvent, hostSnapshot, startedEvent } from "../helpers/collector-fixtures.js";
import { collectorClient, publish, publishRaw } from "../helpers/collector-grpc-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { connectNats, consumerInfo, publishBytes, readDeadLetters, storedEventIds, waitFor } from "../helpers/nats-test-client.js";
import { seededRandom, type SeededRandom } from "../helpers/seeded-random.js";

const FUZZ_MS = Number(process.env.SNAPTRAIL_FUZZ_MS ?? 3000);

function seeds(r: SeededRandom, i: number): SnapshotEvent {
  const run = `local:fuzz/${i}`;
  switch (r.int(0, 3)) {
    case 0:
      return startedEvent(run, { eventId: `fuzz-${i}-s` });
    case 1:
      return finishedEvent(run, { eventId: `fuzz-${i}-f`, exitCode: r.int(-1, 255) });
    case 2:
      return capturedEvent(run, { environment: { body: envSnapshot({ numpy: "1.26.4", pydantic: `2.${r.int(0, 9)}.1` }) }, host: { body: hostSnapshot(`n${i}`) } }, { eventId: `fuzz-${i}-c` });
    default:
      return capturedEvent(run, { code: { body: codeSnapshot("a".repeat(40)) } }, { eventId: `fuzz-${i}-k` });
  }
}

/** One to three mutations of `bytes`. */
function mutate(r: SeededRandom, bytes: Buffer, other: Buffer): Buffer {
  let b = Buffer.from(bytes);
  for (let m = r.int(1, 3); m > 0; m--) {
    const at = r.int(0, Math.max(0, b.length - 1));
    switch (r.int(0, 5)) {
      case 0: // flip bits
        b[at] = (b[at] ?? 0) ^ (1 << r.int(0, 7));
        break;
      case 1: // truncate
        b = b.subarray(0, at);
        break;
      case 2: // insert random bytes
        b = Buffer.concat([b.subarray(0, at), r.bytes(r.int(1, 16)), b.subarray(at)]);
        break;
      case 3: // splice with another message
        b = Buffer.concat([b.subarray(0, at), other.subarray(r.int(0, other.length))]);
        break;
      case 4: // a byte that often is a length or a tag: make it large
        b[at] = r.pick([0x7f, 0x80, 0xff, 0x00, 0x0a, 0x12]);
        break;
      default: // duplicate a slice (repeated fields, second payloads)
        b = Buffer.concat([b, b.subarray(at, at + r.int(1, 64))]);
    }
  }
  return b;
}

void describe("fuzzing the collector's ingest", () => {
  let nats: NatsServer;
  let collector: CollectorProcess;
  before(async () => {
    nats = await startNatsServer();
    collector = await startCollectorProcess({ args: ["--nats", nats.url], env: { SNAPTRAIL_LOG_LEVEL: "warn" } });
  });
  after(async () => {
    const exit = await collector?.stop();
    await nats?.destroy();
    assert.deepEqual(exit, { code: 0, signal: null }, collector?.stderr());
  });

  void it(`gRPC Publish: mutated requests for ${FUZZ_MS} ms`, async (t) => {
    const r = seededRandom();
    t.diagnostic(`seed ${r.seed} (replay with SNAPTRAIL_TEST_SEED=${r.seed})`);
    const deadline = Date.now() + FUZZ_MS;
    let frames = 0;
    const outcomes: Record<string, number> = {};
    for (let i = 0; Date.now() < deadline; i++) {
      const batch = Array.from({ length: r.int(1, 8) }, (_, k) => {
        const whole = encodeMessage("PublishRequest", { event: seeds(r, i * 10 + k) });
        return r.next() < 0.15 ? whole : mutate(r, whole, encodeMessage("PublishRequest", { event: seeds(r, i * 10 + k + 5) }));
      });
      frames += batch.length;
      const { acks, error } = await publishRaw(collector.grpcAddress, batch);
      if (error) {
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT, `seed ${r.seed}, batch ${i}: ${error.code} ${error.details}`);
        outcomes.INVALID_ARGUMENT = (outcomes.INVALID_ARGUMENT ?? 0) + 1;
      }
      for (const a of acks) {
        assert.ok(["STORED", "DUPLICATE", "REJECTED"].includes(a.outcome), `seed ${r.seed}: ${a.outcome}`);
        outcomes[a.outcome] = (outcomes[a.outcome] ?? 0) + 1;
      }
    }
    t.diagnostic(`${frames} frames: ${JSON.stringify(outcomes)}`);
    // Still serving, and whatever got stored does not break the query API.
    const client = await collectorClient(collector.grpcAddress);
    const { acks } = await publish(client, [startedEvent("local:fuzz/after-grpc", { eventId: "after-grpc" })]);
    client.close();
    assert.deepEqual(acks.map((a) => a.outcome), ["STORED"], `seed ${r.seed}`);
    const list = await fetch(`${collector.httpUrl}/api/v1/runs?limit=200`);
    assert.equal(list.status, 200, `seed ${r.seed}`);
    for (const run of ((await list.json()) as { runs: { runId: string }[] }).runs.slice(0, 50)) {
      const res = await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(run.runId)}`);
      assert.equal(res.status, 200, `seed ${r.seed}: run ${JSON.stringify(run.runId)}`);
    }
    assert.doesNotMatch(collector.stderr(), /"level":(50|60)/, `seed ${r.seed}: the collector logged an error`);
  });

  void it(`NATS: mutated events for ${FUZZ_MS} ms, each stored, a duplicate or dead-lettered`, async (t) => {
    const r = seededRandom();
    t.diagnostic(`seed ${r.seed} (replay with SNAPTRAIL_TEST_SEED=${r.seed})`);
    const nc = await connectNats(nats.url);
    try {
      const deadline = Date.now() + FUZZ_MS;
      let sent = 0;
      let lastSeq = 0;
      for (let i = 0; Date.now() < deadline; i++) {
        const whole = encodeEvent(seeds(r, 100_000 + i));
        const bytes = r.next() < 0.15 ? whole : mutate(r, whole, encodeEvent(seeds(r, 200_000 + i)));
        lastSeq = (await publishBytes(nc, `snaptrail.events.${r.pick(["local", "slurm", "airflow", "kfp", "other"])}`, bytes, `fuzz-nats-${r.seed}-${i}`)).seq;
        sent++;
      }
      await publishBytes(nc, "snaptrail.events.local", encodeEvent(startedEvent("local:fuzz/after-nats", { eventId: "after-nats" })), "after-nats");
      await waitFor(`seed ${r.seed}: the sentinel after the fuzz`, () => storedEventIds(collector.db).includes("after-nats"), 60_000);
      await waitFor(`seed ${r.seed}: every fuzz message acked or dead-lettered`, async () => {
        const info = await consumerInfo(nc);
        return info.num_pending === 0 && info.num_ack_pending === 0 && info.ack_floor.stream_seq >= lastSeq;
      });
      const dead = await readDeadLetters(nc);
      for (const d of dead) assert.match(d.reason, /^(undecodable|too large|rejected): ./, `seed ${r.seed}`);
      t.diagnostic(`${sent} messages, ${dead.length} dead-lettered with a reason`);
      assert.doesNotMatch(collector.stderr(), /"level":(50|60)/, `seed ${r.seed}: the collector logged an error`);
    } finally {
      await nc.close();
    }
  });
});
