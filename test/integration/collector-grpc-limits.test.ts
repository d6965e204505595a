// Resource limits on the collector's gRPC ingest, against a real collector process with small
// limits: open calls beyond the bound are refused while earlier ones keep working, a stream that
// sends nothing (or half a message) is ended after the idle limit, and each connection is told
// how many streams it may open.
import assert from "node:assert/strict";
import { connect, constants, type ClientHttp2Session } from "node:http2";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import type { CollectorClient } from "../../proto/generated/snaptrail/v1/Collector.js";
import type { PublishAck__Output } from "../../proto/generated/snaptrail/v1/PublishAck.js";
import type { PublishRequest } from "../../proto/generated/snaptrail/v1/PublishRequest.js";
import { startedEvent } from "../helpers/collector-fixtures.js";
import { publish } from "../helpers/collector-grpc-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";

const MAX_OPEN = 5;
const PER_CONNECTION = 3;
const IDLE_MS = 1500;

interface OpenStream {
  call: grpc.ClientDuplexStream<PublishRequest, PublishAck__Output>;
  acks: PublishAck__Output[];
  status: Promise<grpc.StatusObject>;
  /** Writes one event and resolves with its ack (or rejects when the stream ends first). */
  send(runId: string): Promise<PublishAck__Output>;
}

function openStream(client: CollectorClient): OpenStream {
  const call = client.publish();
  const acks: PublishAck__Output[] = [];
  const waiting: ((ack: PublishAck__Output) => void)[] = [];
  call.on("data", (ack: PublishAck__Output) => {
    acks.push(ack);
    waiting.shift()?.(ack);
  });
  call.on("error", () => undefined);
  const status = new Promise<grpc.StatusObject>((resolve) => call.on("status", resolve));
  return {
    call,
    acks,
    status,
    send: (runId) =>
      new Promise((resolve, reject) => {
        waiting.push(resolve);
        void status.then((s) => reject(new Error(`stream ended before the ack: ${s.code} ${s.details}`)));
        call.write({ event: startedEvent(runId) });
      }),
  };
}

/** A client on its own connection (grpc-js shares one per target otherwise). */
async function ownConnection(address: string): Promise<CollectorClient> {
  const { loadCollectorGrpc } = await import("../../proto/grpc-definition.js");
  const { proto } = await loadCollectorGrpc();
  return new proto.snaptrail.v1.Collector(address, grpc.credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 });
}

/** Raw HTTP/2 to a gRPC method: headers, then `body` written without ending the stream. Resolves with the trailers. */
function rawCall(session: ClientHttp2Session, method: string, body: Buffer): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: "POST",
      [constants.HTTP2_HEADER_PATH]: `/snaptrail.v1.Collector/${method}`,
      "content-type": "application/grpc",
      te: "trailers",
    });
    let headers: Record<string, unknown> = {};
    stream.on("response", (h: Record<string, unknown>) => (headers = { ...h }));
    stream.on("trailers", (t: Record<string, unknown>) => resolve({ ...headers, ...t }));
    stream.on("end", () => resolve(headers));
    stream.on("error", reject);
    stream.on("data", () => undefined);
    stream.write(body);
  });
}

/** A length-prefixed gRPC message announcing `announced` bytes, of which only `sent` follow. */
function halfFrame(announced: number, sent: number): Buffer {
  const frame = Buffer.alloc(5 + sent, 0x0a);
  frame[0] = 0;
  frame.writeUInt32BE(announced, 1);
  return frame;
}

void describe("collector gRPC limits", () => {
  /** Small bounds, a long idle limit: streams stay open however slow the test machine is. */
  let bounded: CollectorProcess;
  /** A short idle limit. */
  let collector: CollectorProcess;
  const clients: CollectorClient[] = [];

  before(async () => {
    const limits = ["--grpc-max-open-streams", String(MAX_OPEN), "--grpc-max-streams-per-connection", String(PER_CONNECTION)];
    const env = { SNAPTRAIL_COLLECTOR_SHUTDOWN_GRACE_MS: "1000" };
    [bounded, collector] = await Promise.all([
      startCollectorProcess({ args: limits, env: { ...env, SNAPTRAIL_COLLECTOR_GRPC_STREAM_IDLE_TIMEOUT_MS: "600000" } }),
      startCollectorProcess({ args: limits, env: { ...env, SNAPTRAIL_COLLECTOR_GRPC_STREAM_IDLE_TIMEOUT_MS: String(IDLE_MS) } }),
    ]);
  });
  after(async () => {
    for (const c of clients) c.close();
    for (const c of [bounded, collector]) {
      const exit = await c?.stop();
      assert.deepEqual(exit, { code: 0, signal: null }, c?.stderr());
    }
  });

  void it("refuses calls beyond grpcMaxOpenStreams with RESOURCE_EXHAUSTED while the open ones keep working", async () => {
    for (let i = 0; i < 2; i++) clients.push(await ownConnection(bounded.grpcAddress));
    // Within the per-connection limit on each connection, over the total across both.
    const open = [0, 1, 2, 3, 4].map((i) => openStream(clients[i % 2]!));
    for (const [i, s] of open.entries()) assert.equal((await s.send(`local:limits/open-${i}`)).outcome, "STORED");

    const extra = await ownConnection(bounded.grpcAddress);
    clients.push(extra);
    const refused = await publish(extra, [startedEvent("local:limits/refused")]);
    assert.equal(refused.error?.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.match(refused.error?.details ?? "", /5 gRPC calls open, its limit \(grpcMaxOpenStreams\); try again later/);

    // The earlier streams still work, every one of them.
    for (const [i, s] of open.entries()) assert.equal((await s.send(`local:limits/again-${i}`)).outcome, "STORED");
    // One ends: a new call fits again.
    open[0]!.call.end();
    assert.equal((await open[0]!.status).code, grpc.status.OK);
    const fits = await publish(extra, [startedEvent("local:limits/fits")]);
    assert.equal(fits.error, undefined);
    assert.deepEqual(fits.acks.map((a) => a.outcome), ["STORED"]);
    for (const s of open.slice(1)) s.call.end();
    await Promise.all(open.map((s) => s.status));
  });

  void it("ends a stream idle past the limit with DEADLINE_EXCEEDED, after acking what it sent", async () => {
    const client = await ownConnection(collector.grpcAddress);
    clients.push(client);
    const silent = openStream(client);
    const talked = openStream(client);
    assert.equal((await talked.send("local:limits/idle-1")).outcome, "STORED");
    for (const s of [silent, talked]) {
      const status = await s.status;
      assert.equal(status.code, grpc.status.DEADLINE_EXCEEDED, status.details);
      assert.match(status.details, /no complete message on this \/snaptrail\.v1\.Collector\/Publish call for 1\.5 s \(the collector's grpcStreamIdleTimeoutMs\)/);
    }
    assert.equal(talked.acks.length, 1);
  });

  void it("does not keep a stream forever for a half-sent message (Publish, PutBlob, HasDigests)", async () => {
    const [host, port] = collector.grpcAddress.split(":");
    const session = connect(`http://${host}:${port}`);
    try {
      await new Promise<void>((resolve, reject) => session.once("remoteSettings", () => resolve()).once("error", reject));
      // The server tells every connection how many streams it may open.
      assert.equal(session.remoteSettings.maxConcurrentStreams, PER_CONNECTION);
      const answers = await Promise.all(["Publish", "PutBlob", "HasDigests"].map((m) => rawCall(session, m, halfFrame(1000, 10))));
      for (const [i, trailers] of answers.entries()) {
        assert.equal(trailers["grpc-status"], String(grpc.status.DEADLINE_EXCEEDED), JSON.stringify(trailers));
        assert.match(decodeURIComponent(String(trailers["grpc-message"])), /no complete message on this \/snaptrail\.v1\.Collector\/\w+ call/, `call ${i}`);
      }
    } finally {
      session.close();
    }
    // Nothing is left counted: the bound's worth of calls fits again.
    const client = await ownConnection(collector.grpcAddress);
    clients.push(client);
    const results = await Promise.all([0, 1, 2].map((i) => publish(client, [startedEvent(`local:limits/after-${i}`)])));
    for (const r of results) assert.deepEqual(r.acks.map((a) => a.outcome), ["STORED"], r.error?.details);
  });
});
