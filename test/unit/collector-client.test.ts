import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import type { MethodDefinition } from "@grpc/grpc-js";
import { loadCollectorClient } from "../../proto/collector-client.js";
import { loadCollectorGrpc } from "../../proto/grpc-definition.js";
import { capturedEvent, codeSnapshot, envSnapshot, finishedEvent, hostSnapshot, startedEvent } from "../helpers/collector-fixtures.js";

// The agent's lean Collector client must put the same bytes on the wire, and read the same
// values back, as the service definition @grpc/proto-loader builds (which the collector serves).
type Method = MethodDefinition<object, object>;

describe("the agent's Collector client", () => {
  // First in this file: the client is built once per process.
  it("builds no protobufjs reflection: its codecs are the static code of proto/generated/collector-codecs.cjs", async () => {
    const protobuf = createRequire(import.meta.url)("protobufjs") as typeof import("protobufjs");
    let reflected = 0;
    const fromJSON = protobuf.Root.fromJSON.bind(protobuf.Root);
    // Kept to be put back on the prototype, and called with the type as `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const setup = protobuf.Type.prototype.setup;
    protobuf.Root.fromJSON = (...args: Parameters<typeof fromJSON>) => {
      reflected++;
      return fromJSON(...args);
    };
    protobuf.Type.prototype.setup = function (this: import("protobufjs").Type) {
      reflected++;
      return setup.call(this);
    };
    try {
      const lean = (await loadCollectorClient()).service as unknown as Record<string, Method>;
      const bytes = lean.Publish!.requestSerialize({ event: startedEvent("local:t/0") });
      assert.ok(bytes.length > 0);
      assert.equal((lean.Publish!.requestDeserialize(bytes) as { event: { runId: string } }).event.runId, "local:t/0");
    } finally {
      protobuf.Root.fromJSON = fromJSON;
      protobuf.Type.prototype.setup = setup;
    }
    assert.equal(reflected, 0, "protobufjs reflection was built for the agent's client");
  });

  it("has the loader's methods, paths and streaming, and encodes and decodes alike", async () => {
    const lean = (await loadCollectorClient()).service as unknown as Record<string, Method>;
    const full = (await loadCollectorGrpc()).service as unknown as Record<string, Method>;
    assert.deepEqual(Object.keys(lean).sort(), Object.keys(full).sort());
    for (const [name, m] of Object.entries(full)) {
      const l = lean[name]!;
      assert.equal(l.path, m.path, name);
      assert.equal(l.requestStream, m.requestStream, name);
      assert.equal(l.responseStream, m.responseStream, name);
      assert.equal(l.originalName, m.originalName, name);
    }

    const events = [
      startedEvent("local:t/1"),
      capturedEvent("local:t/1", { environment: { body: envSnapshot({ numpy: "1.26.4", torch: "2.3.0" }) }, host: { body: hostSnapshot() }, code: { body: codeSnapshot("a".repeat(40)) } }),
      finishedEvent("local:t/1", { exitCode: 3, signal: "SIGTERM" }),
    ];
    const requests: [string, object][] = [
      ...events.map((event): [string, object] => ["Publish", { event }]),
      ["HasDigests", { digests: ["sha256:" + "b".repeat(64), "sha256:" + "c".repeat(64)] }],
      ["PutBlob", { digest: "sha256:" + "d".repeat(64), totalBytes: 13, data: Buffer.from("archive bytes") }],
    ];
    for (const [name, value] of requests) {
      const bytes = full[name]!.requestSerialize(value);
      assert.deepEqual(lean[name]!.requestSerialize(value), bytes, `${name} request bytes`);
      assert.deepEqual(lean[name]!.requestDeserialize(bytes), full[name]!.requestDeserialize(bytes), `${name} request decoded`);
    }
    const responses: [string, object][] = [
      ["Publish", { eventId: "e1", outcome: "DUPLICATE", error: "" }],
      ["HasDigests", { present: ["sha256:" + "b".repeat(64)] }],
      ["PutBlob", { digest: "sha256:" + "d".repeat(64), bytes: 13, alreadyPresent: true }],
    ];
    for (const [name, value] of responses) {
      const bytes = full[name]!.responseSerialize(value);
      assert.deepEqual(lean[name]!.responseSerialize(value), bytes, `${name} response bytes`);
      assert.deepEqual(lean[name]!.responseDeserialize(bytes), full[name]!.responseDeserialize(bytes), `${name} response decoded`);
    }
  });
});
