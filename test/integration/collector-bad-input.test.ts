// Bad clients must get clear errors and never stop the collector from serving everyone else.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { sha256Digest, snapshotDigest } from "../../core/digest.js";
import { encodeMessage } from "../../proto/event-codec.js";
import type { CollectorClient } from "../../proto/generated/snaptrail/v1/Collector.js";
import { capturedEvent, envSnapshot, hostSnapshot, startedEvent } from "../helpers/collector-fixtures.js";
import { collectorClient, hasDigests, publish, publishRaw, putBlob } from "../helpers/collector-grpc-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";

const MAX_MESSAGE = 64 * 1024;
const MAX_ARCHIVE = 100_000;

void describe("collector process with bad clients", () => {
  let collector: CollectorProcess;
  let client: CollectorClient;
  let n = 0;
  /** A normal client still gets a normal answer. */
  async function stillServing(): Promise<void> {
    const event = startedEvent(`healthy-${++n}`);
    const { acks, error } = await publish(client, [event]);
    assert.equal(error, undefined);
    assert.deepEqual(acks.map((a) => a.outcome), ["STORED"]);
  }

  before(async () => {
    collector = await startCollectorProcess({
      args: ["--max-message-bytes", String(MAX_MESSAGE), "--max-archive-bytes", String(MAX_ARCHIVE)],
      // A grpc-js client that cancels right after its first write may never send RST_STREAM,
      // leaving the call open on the server until shutdown cuts it: keep that wait short.
      env: { SNAPTRAIL_COLLECTOR_SHUTDOWN_GRACE_MS: "1000" },
    });
    client = await collectorClient(collector.grpcAddress);
  });
  after(async () => {
    client?.close();
    const exit = await collector?.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, collector?.stderr());
  });

  void it("answers bytes that are not a PublishRequest with INVALID_ARGUMENT", async () => {
    const { error } = await publishRaw(collector.grpcAddress, [Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])]);
    assert.equal(error?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(error?.details ?? "", /PublishRequest could not be decoded/);
    await stillServing();
  });

  void it("acks the good events before a garbage frame on the same stream", async () => {
    const good = encodeMessage("PublishRequest", { event: startedEvent("before-garbage") });
    const { acks, error } = await publishRaw(collector.grpcAddress, [good, Buffer.from("\u00ff\u00ffgarbage")]);
    assert.equal(error?.code, grpc.status.INVALID_ARGUMENT);
    assert.deepEqual(acks.map((a) => [a.eventId, a.outcome]), [["before-garbage#started", "STORED"]]);
    await stillServing();
  });

  void it("refuses a message over the size limit with RESOURCE_EXHAUSTED", async () => {
    const huge = envSnapshot({ numpy: "1.26.4" });
    huge.env = [{ name: "BIG", value: "x".repeat(MAX_MESSAGE + 1000), redacted: false }];
    const { error } = await publish(client, [capturedEvent("too-big", { environment: { body: huge } })]);
    assert.equal(error?.code, grpc.status.RESOURCE_EXHAUSTED);
    await stillServing();
  });

  void it("REJECTS a body that does not match its digest, and the stream goes on", async () => {
    const env = envSnapshot({ pydantic: "2.7.1" });
    const lie = snapshotDigest("environment", envSnapshot({ pydantic: "1.10.13" }));
    const events = [
      capturedEvent("liar", { environment: { body: env, digest: lie } }),
      startedEvent("after-liar"),
    ];
    const { acks, error } = await publish(client, events);
    assert.equal(error, undefined);
    assert.equal(acks[0]?.outcome, "REJECTED");
    assert.match(acks[0]?.error ?? "", /^environment body does not match its digest/);
    assert.equal(acks[1]?.outcome, "STORED");
    assert.deepEqual(await hasDigests(client, [lie]), []);
  });

  void it("REJECTS a digest reference that was never sent, naming the digest", async () => {
    const host = hostSnapshot("never-sent");
    const digest = snapshotDigest("host", host);
    const { acks } = await publish(client, [capturedEvent("dangling", { host: { body: host, omitBody: true } })]);
    assert.equal(acks[0]?.outcome, "REJECTED");
    assert.equal(acks[0]?.error, `host snapshot ${digest} is not stored and its body was not sent`);
    const res = await fetch(`${collector.httpUrl}/api/v1/runs/dangling`);
    assert.equal(res.status, 404);
  });

  void it("REJECTS requests without an event or with bad ids", async () => {
    const { acks, error } = await publish(client, [null, { ...startedEvent("x"), eventId: "" }, startedEvent("r".repeat(501), { eventId: "long-run-id" })]);
    assert.equal(error, undefined);
    assert.deepEqual(
      acks.map((a) => [a.outcome, a.error]),
      [
        ["REJECTED", "request carries no event"],
        ["REJECTED", "event_id is empty"],
        ["REJECTED", "run_id is longer than 500 characters"],
      ],
    );
  });

  void it("PutBlob: digest mismatch is INVALID_ARGUMENT and keeps nothing", async () => {
    const data = Buffer.from("archive bytes");
    const claimed = sha256Digest("other bytes");
    await assert.rejects(putBlob(client, claimed, data), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
      assert.match(err.details, /not the announced/);
      return true;
    });
    assert.deepEqual(await hasDigests(client, [claimed]), []);
  });

  void it("PutBlob: a malformed digest or a wrong total_bytes is INVALID_ARGUMENT", async () => {
    await assert.rejects(putBlob(client, "sha256:nope", Buffer.from("x")), { code: grpc.status.INVALID_ARGUMENT });
    const data = Buffer.from("twelve bytes");
    await assert.rejects(putBlob(client, sha256Digest(data), data, { totalBytes: 99 }), { code: grpc.status.INVALID_ARGUMENT });
    assert.deepEqual(await hasDigests(client, [sha256Digest(data)]), []);
  });

  void it("PutBlob: over the archive limit is RESOURCE_EXHAUSTED, announced or not", async () => {
    const data = Buffer.alloc(MAX_ARCHIVE + 1, 7);
    await assert.rejects(putBlob(client, sha256Digest(data), data), { code: grpc.status.RESOURCE_EXHAUSTED });
    // A client that lies about the size is caught while streaming.
    await assert.rejects(putBlob(client, sha256Digest(data), data, { totalBytes: 10 }), { code: grpc.status.RESOURCE_EXHAUSTED });
    assert.deepEqual(await hasDigests(client, [sha256Digest(data)]), []);
    const fits = Buffer.alloc(MAX_ARCHIVE, 7);
    assert.equal((await putBlob(client, sha256Digest(fits), fits)).bytes, MAX_ARCHIVE);
  });

  void it("survives a client that cancels mid-stream", async () => {
    const call = client.publish();
    call.on("error", () => undefined);
    call.write({ event: startedEvent("cancelled-client") });
    call.cancel();
    const blob = client.putBlob(() => undefined);
    blob.write({ digest: sha256Digest("x"), totalBytes: 1000, data: Buffer.alloc(10) });
    blob.cancel();
    await stillServing();
  });

  void it("answers bad HTTP queries with 400 naming the parameter", async () => {
    const cases: [string, RegExp][] = [
      ["status=done", /status/],
      ["limit=0", /limit: must be a positive integer/],
      ["limit=ten", /limit: must be a positive integer/],
      ["limit=1.5", /limit/],
      ["version=2.0", /version: needs package/],
      ["package=pydantic&version=" + encodeURIComponent(">=2,<"), /version: .*not a valid PEP 440 specifier/],
      ["pipline=x", /unknown query parameter pipline/],
    ];
    for (const [query, message] of cases) {
      const res = await fetch(`${collector.httpUrl}/api/v1/runs?${query}`);
      const body = (await res.json()) as { message: string; code: string };
      assert.equal(res.status, 400, query);
      assert.equal(body.code, "BAD_INPUT");
      assert.match(body.message, message, query);
    }
    const noRoute = await fetch(`${collector.httpUrl}/api/v2/nothing`);
    assert.equal(noRoute.status, 404);
    assert.equal(((await noRoute.json()) as { code: string }).code, "NOT_FOUND");
    const badDigest = await fetch(`${collector.httpUrl}/api/v1/blobs/sha256:zz`);
    assert.equal(badDigest.status, 400);
    await stillServing();
  });
});
