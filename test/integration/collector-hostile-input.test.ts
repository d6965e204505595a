// Hostile input over gRPC: truncated and random protobuf, invalid UTF-8, a 100,000-package
// environment, a flood on one stream. Each gets a clear status or REJECTED ack, and everyone
// else keeps being served.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import type { SnapshotEvent } from "../../core/model.js";
import { encodeMessage } from "../../proto/event-codec.js";
import type { CollectorClient } from "../../proto/generated/snaptrail/v1/Collector.js";
import type { PublishAck__Output } from "../../proto/generated/snaptrail/v1/PublishAck.js";
import { capturedEvent, envSnapshot, hostSnapshot, startedEvent } from "../helpers/collector-fixtures.js";
import { collectorClient, publish, publishRaw } from "../helpers/collector-grpc-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { seededRandom } from "../helpers/seeded-random.js";

const MAX_PACKAGES = 2000;

function manyPackages(n: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) out[`pkg-${String(i).padStart(6, "0")}`] = `1.${i % 100}.0`;
  return out;
}

void describe("collector process with hostile gRPC input", () => {
  let collector: CollectorProcess;
  let client: CollectorClient;
  let n = 0;
  async function stillServing(): Promise<void> {
    const { acks, error } = await publish(client, [startedEvent(`local:healthy/${++n}`)]);
    assert.equal(error, undefined);
    assert.deepEqual(acks.map((a) => a.outcome), ["STORED"]);
  }

  before(async () => {
    collector = await startCollectorProcess({ args: ["--max-packages", String(MAX_PACKAGES)], env: { SNAPTRAIL_COLLECTOR_SHUTDOWN_GRACE_MS: "1000" } });
    client = await collectorClient(collector.grpcAddress);
  });
  after(async () => {
    client?.close();
    const exit = await collector?.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, collector?.stderr());
  });

  void it("answers every truncation of a valid request with INVALID_ARGUMENT or a REJECTED ack", async () => {
    const event = capturedEvent("local:truncated/1", { environment: { body: envSnapshot({ numpy: "1.26.4", torch: "2.3.0" }) }, host: { body: hostSnapshot() } });
    const whole = encodeMessage("PublishRequest", { event });
    for (let cut = 1; cut < whole.length; cut += Math.max(1, Math.floor(whole.length / 60))) {
      const { acks, error } = await publishRaw(collector.grpcAddress, [whole.subarray(0, cut)]);
      if (error) assert.equal(error.code, grpc.status.INVALID_ARGUMENT, `cut at ${cut}: ${error.details}`);
      else assert.deepEqual(acks.map((a) => a.outcome), ["REJECTED"], `cut at ${cut}`);
    }
    await stillServing();
  });

  void it("answers random bytes with INVALID_ARGUMENT or REJECTED, never INTERNAL", async (t) => {
    const random = seededRandom();
    t.diagnostic(`seed ${random.seed}`);
    for (let i = 0; i < 200; i++) {
      const { acks, error } = await publishRaw(collector.grpcAddress, [random.bytes(random.int(1, 300))]);
      if (error) assert.equal(error.code, grpc.status.INVALID_ARGUMENT, `seed ${random.seed}, frame ${i}: ${error.code} ${error.details}`);
      else assert.ok(acks.every((a) => a.outcome === "REJECTED"), `seed ${random.seed}, frame ${i}`);
    }
    await stillServing();
  });

  void it("REJECTS strings that are not valid UTF-8, naming the field, instead of storing replacement characters", async () => {
    const frame = encodeMessage("PublishRequest", { event: startedEvent("local:utf8/ZZZZ", { eventId: "utf8-QQQQ" }) });
    const at = frame.indexOf(Buffer.from("QQQQ"));
    frame[at] = 0xc3; // a lead byte followed by ASCII: invalid
    const frame2 = encodeMessage("PublishRequest", { event: startedEvent("local:utf8/ZZZZ", { eventId: "utf8-2" }) });
    const z = frame2.indexOf(Buffer.from("ZZZZ"));
    frame2.set([0xed, 0xa0, 0x80], z); // an encoded surrogate half: invalid in UTF-8
    const frame3 = encodeMessage("PublishRequest", {
      event: { ...startedEvent("local:utf8/attr", { eventId: "utf8-3" }), runStarted: { ...startedEvent("x").runStarted!, orchestrator: { ...startedEvent("x").runStarted!.orchestrator!, attributes: { queue: "WWWW" } } } },
    });
    frame3[frame3.indexOf(Buffer.from("WWWW"))] = 0xff;
    const { acks, error } = await publishRaw(collector.grpcAddress, [frame, frame2, frame3]);
    assert.equal(error, undefined);
    assert.deepEqual(
      acks.map((a) => [a.outcome, a.error]),
      [
        ["REJECTED", "string field event.eventId is not valid UTF-8"],
        ["REJECTED", "string field event.runId is not valid UTF-8"],
        ["REJECTED", "string field event.runStarted.orchestrator.attributes (a value) is not valid UTF-8"],
      ],
    );
    const runs = (await (await fetch(`${collector.httpUrl}/api/v1/runs?pipeline=nightly_train&limit=1000`)).json()) as { runs: { runId: string }[] };
    assert.ok(!runs.runs.some((r) => r.runId.startsWith("local:utf8")), "nothing stored");
    await stillServing();
  });

  void it("REJECTS a 100,000-package environment with the limit in the reason, at once, and keeps serving", async () => {
    const huge: SnapshotEvent = capturedEvent("local:huge/1", { environment: { body: envSnapshot(manyPackages(100_000)), digest: `sha256:${"0".repeat(64)}` } });
    const { acks, error } = await publish(client, [huge], 60_000);
    assert.equal(error, undefined);
    assert.equal(acks[0]?.outcome, "REJECTED");
    assert.equal(acks[0]?.error, `environment snapshot lists 100000 packages, over the collector's limit of ${MAX_PACKAGES} (maxPackagesPerSnapshot)`);
    // At the limit it is accepted (and digested, and stored).
    const atLimit = capturedEvent("local:huge/2", { environment: { body: envSnapshot(manyPackages(MAX_PACKAGES)) } });
    const ok = await publish(client, [atLimit], 60_000);
    assert.deepEqual(ok.acks.map((a) => a.outcome), ["STORED"], ok.acks[0]?.error);
    await stillServing();
  });

  void it("a flood on one stream does not starve another client: its event is acked while the flood is still going", async (t) => {
    const FLOOD = 30_000;
    const flooder = await collectorClient(collector.grpcAddress);
    let floodAcks = 0;
    const call = flooder.publish();
    const floodDone = new Promise<grpc.StatusObject>((resolve) => call.on("status", resolve));
    call.on("data", (_: PublishAck__Output) => floodAcks++);
    call.on("error", () => undefined);
    let i = 0;
    const write = (): void => {
      while (i < FLOOD) {
        const more = call.write({ event: startedEvent(`local:flood/${i}`, { eventId: `flood-${i}` }) });
        i++;
        if (!more) {
          call.once("drain", write);
          return;
        }
      }
      call.end();
    };
    write();
    await new Promise((r) => setTimeout(r, 100));
    const other = await collectorClient(collector.grpcAddress);
    const { acks, error } = await publish(other, [startedEvent("local:not-starved/1")]);
    const floodAcksWhenServed = floodAcks;
    other.close();
    assert.equal(error, undefined);
    assert.deepEqual(acks.map((a) => a.outcome), ["STORED"]);
    t.diagnostic(`served after ${floodAcksWhenServed} of ${FLOOD} flood acks`);
    assert.ok(floodAcksWhenServed < FLOOD, `the other client was served after ${floodAcksWhenServed} of ${FLOOD} flood acks`);
    const status = await floodDone;
    flooder.close();
    assert.equal(status.code, grpc.status.OK);
    assert.equal(floodAcks, FLOOD);
  });
});
