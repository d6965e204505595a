// The floor under `snaptrail wrap` on this stack, for the agent-cost benchmark: the least any
// wrapper that reports over gRPC must do, and nothing else. Node starts, loads @grpc/grpc-js and
// the agent's own static codecs (proto/generated/collector-codecs.cjs), dials the collector while
// the job runs, then publishes the run's start and finish and waits for both acks (the collector
// acks an event once it is stored). No options, no capture, no spool, no CLI.
// `node LAUNCHER floor ADDRESS COMMAND...`: the benchmark bundles this file with esbuild and runs
// it through bin/agent-launcher.cjs, with a V8 code cache as the agent's bundle has, so the two
// are compared on equal terms.
"use strict";
const { Buffer } = require("node:buffer");
const { spawn } = require("node:child_process");
const process = require("node:process");
const { randomUUID } = require("node:crypto");
const grpc = require("@grpc/grpc-js");
const { snaptrail } = require("../proto/generated/collector-codecs.cjs");

const DECODE = { longs: String, enums: String, defaults: true, oneofs: true };
const codec = (T) => ({
  serialize: (value) => Buffer.from(T.encode(T.fromObject(value)).finish()),
  deserialize: (bytes) => T.toObject(T.decode(bytes), DECODE),
});
const request = codec(snaptrail.v1.PublishRequest);
const ack = codec(snaptrail.v1.PublishAck);
const Collector = grpc.makeGenericClientConstructor(
  {
    publish: {
      path: "/snaptrail.v1.Collector/Publish",
      requestStream: true,
      responseStream: true,
      requestSerialize: request.serialize,
      requestDeserialize: request.deserialize,
      responseSerialize: ack.serialize,
      responseDeserialize: ack.deserialize,
      originalName: "publish",
    },
  },
  "Collector",
);

const [address, ...argv] = process.argv.slice(3);
const client = new Collector(address, grpc.credentials.createInsecure());
client.waitForReady(Date.now() + 5000, () => {});
const runId = `local:agent-floor/${randomUUID()}`;
const startedAt = Date.now();
const child = spawn(argv[0], argv.slice(1), { stdio: "inherit" });
child.on("exit", (code) => {
  const stream = client.publish();
  let acked = 0;
  stream.on("data", (a) => {
    if (a.outcome !== "STORED") {
      process.stderr.write(`agent-floor: event not stored: ${JSON.stringify(a)}\n`);
      process.exit(70);
    }
    if (++acked === 2) {
      stream.end();
      client.close();
      process.exitCode = code ?? 1;
    }
  });
  stream.on("error", (err) => {
    process.stderr.write(`agent-floor: ${err.message}\n`);
    process.exit(70);
  });
  const now = Date.now();
  stream.write({ event: { eventId: randomUUID(), runId, timeUnixMs: startedAt, runStarted: { hostname: "agent-floor", agentVersion: "floor", config: { argv, cwd: process.cwd() } } } });
  stream.write({ event: { eventId: randomUUID(), runId, timeUnixMs: now, runFinished: { exitCode: code ?? -1, durationMs: now - startedAt } } });
});
