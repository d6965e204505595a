// The small pure parts of the NATS transport: subjects by orchestrator, option parsing, the
// sink chosen from options, and the UTF-8 check every transport shares.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveAgentOptions } from "../../agent/agent-options.js";
import { sinkSpecFor } from "../../agent/sinks/create-sink.js";
import { parseCollectorOptions, resolveCollectorOptions } from "../../collector/collector-options.js";
import { findInvalidUtf8 } from "../../collector/ingest/find-invalid-utf8.js";
import { eventSubject, orchestratorToken } from "../../core/nats-names.js";
import { encodeMessage } from "../../proto/event-codec.js";

void describe("NATS transport: names and options", () => {
  void it("puts events on a subject per orchestrator, from the run id", () => {
    assert.equal(eventSubject("airflow:dag/run/task/1"), "snaptrail.events.airflow");
    assert.equal(eventSubject("slurm:cluster/42.0"), "snaptrail.events.slurm");
    assert.equal(eventSubject("kfp:run/task"), "snaptrail.events.kfp");
    assert.equal(eventSubject("local:host/1"), "snaptrail.events.local");
    for (const odd of ["no-colon", ":x", "constructor:x", "__proto__:y", "a.b:c", "airflow"]) assert.equal(orchestratorToken(odd), "other", odd);
  });

  void it("agent: --transport nats picks the NATS sink; defaults stay grpc and nats://127.0.0.1:4222", () => {
    const defaults = resolveAgentOptions({ env: {} });
    assert.equal(defaults.transport, "grpc");
    assert.equal(defaults.nats, "nats://127.0.0.1:4222");
    assert.equal(sinkSpecFor(defaults).kind, "grpc");
    const nats = resolveAgentOptions({ env: { SNAPTRAIL_TRANSPORT: "nats", SNAPTRAIL_NATS_URL: "nats://10.0.0.5:4222" } });
    assert.deepEqual(sinkSpecFor(nats), { kind: "nats", url: "nats://10.0.0.5:4222", connectTimeoutMs: nats.connectTimeoutMs, callTimeoutMs: nats.callTimeoutMs });
    assert.throws(() => resolveAgentOptions({ flags: { transport: "kafka" }, env: {} }), /transport.*must be "grpc" or "nats"/);
    assert.throws(() => resolveAgentOptions({ flags: { nats: "http://x" }, env: {} }), /nats.*expected nats:\/\/HOST:PORT/);
  });

  void it("collector: NATS is off unless asked; stream limits have defaults and are validated by name", () => {
    const o = parseCollectorOptions({ dbPath: "/tmp/x.db" });
    assert.equal(o.nats, undefined);
    assert.equal(o.natsStream, "SNAPTRAIL_EVENTS");
    assert.equal(o.natsRetention, "limits");
    assert.equal(o.natsMaxDeliver, 10);
    const fromEnv = resolveCollectorOptions({ env: { SNAPTRAIL_COLLECTOR_NATS_URL: "nats://127.0.0.1:4333", SNAPTRAIL_COLLECTOR_NATS_REPLICAS: "3" }, flags: { dbPath: "/tmp/x.db" } });
    assert.equal(fromEnv.nats, "nats://127.0.0.1:4333");
    assert.equal(fromEnv.natsReplicas, 3);
    assert.throws(() => resolveCollectorOptions({ env: {}, flags: { dbPath: "/tmp/x.db", natsRetention: "interest" } }), /natsRetention \(from command line\)/);
    assert.throws(() => resolveCollectorOptions({ env: { SNAPTRAIL_COLLECTOR_NATS_STREAM: "a.b" }, flags: { dbPath: "/tmp/x.db" } }), /natsStream \(from env var SNAPTRAIL_COLLECTOR_NATS_STREAM\)/);
  });

  void it("findInvalidUtf8 names the field, in nested messages and maps, and passes valid text", () => {
    const event = {
      eventId: "e-ééé-✓",
      runId: "local:x",
      timeUnixMs: 1,
      runStarted: { orchestrator: { kind: "LOCAL", pipeline: "p", pipelineRun: "", step: "s", attempt: 1, attributes: { KKKK: "VVVV" } }, hostname: "h" },
    };
    const ok = encodeMessage("Event", event);
    assert.equal(findInvalidUtf8("Event", ok), undefined);
    const corrupt = (marker: string, bytes: number[]): Buffer => {
      const b = Buffer.from(ok);
      b.set(bytes, b.indexOf(Buffer.from(marker)));
      return b;
    };
    assert.equal(findInvalidUtf8("Event", corrupt("KKKK", [0xff])), "runStarted.orchestrator.attributes (a key)");
    assert.equal(findInvalidUtf8("Event", corrupt("VVVV", [0xc0, 0x80])), "runStarted.orchestrator.attributes (a value)");
    assert.equal(findInvalidUtf8("Event", corrupt("local", [0xf8])), "runId");
    assert.equal(findInvalidUtf8("PublishRequest", encodeMessage("PublishRequest", { event })), undefined);
    // Not well-formed at all: not this check's business (the decoder reports it).
    assert.equal(findInvalidUtf8("Event", Buffer.from([0x0a, 0xff])), undefined);
  });
});
