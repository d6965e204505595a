import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MethodDefinition } from "@grpc/grpc-js";
import { loadCollectorClient } from "../../proto/collector-client.js";
import { loadCollectorGrpc } from "../../proto/grpc-definition.js";
import { capturedEvent, codeSnapshot, envSnapshot, finishedEvent, hostSnapshot, startedEvent } from "../helpers/collector-fixtures.js";

// The agent's lean Collector client must put the same bytes on the wire, and read the same
// values back, as the service definition @grpc/proto-loader builds (which the collector serves).
type Method = MethodDefinition<object, object>;

describe("the agent's Collector client", () => {
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
