import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CaptureResult } from "../../agent/capture/capture-types.js";
import { RunReporter } from "../../agent/report/run-reporter.js";
import type { EventSink } from "../../agent/sinks/event-sink.js";
import { MemorySink } from "../../agent/sinks/memory-sink.js";
import { sha256Digest, snapshotDigest } from "../../core/digest.js";
import { UnavailableError } from "../../core/errors.js";
import { fail, ok } from "../../core/result.js";

function capture(runId: string): CaptureResult {
  const archive = Buffer.from("pretend tar bytes");
  const environment = { interpreter: null, packages: [{ name: "six", version: "1.16.0", installer: "pip", source: null, shadowed: false }], image: null, os: null, env: [], modules: [] };
  const host = { hostname: "node1", arch: "x64", kernel: "6.1", cpuModel: "cpu", cpuCount: 2, memoryBytes: 1, gpus: [], cudaDriverVersion: "" };
  const code = { root: "/r", git: null, files: [], archiveDigest: sha256Digest(archive), archiveBytes: archive.length };
  return {
    environment,
    host,
    code,
    archive,
    digests: { environment: snapshotDigest("environment", environment), host: snapshotDigest("host", host), code: snapshotDigest("code", code) },
    orchestrator: { kind: "LOCAL", pipeline: "p", pipelineRun: "", step: "s", attempt: 0, attributes: {} },
    runId,
    config: { argv: ["python", "x.py"], cwd: "/r", parameters: {} },
    warnings: [],
    captureMs: 12,
  };
}

describe("RunReporter", () => {
  it("sends started, snapshot and finished in order, bodies and archive only the first time", async () => {
    const sink = new MemorySink();
    for (const runId of ["run-1", "run-2"]) {
      const reporter = new RunReporter(Promise.resolve(ok<EventSink>(sink)));
      const c = capture(runId);
      reporter.begin(c);
      reporter.finished(runId, { exitCode: 3, signal: "", durationMs: 5, error: "" });
      assert.deepEqual(await reporter.flush(5000), { ok: true, stored: 3 });
    }
    assert.deepEqual(sink.events.map((e) => `${e.runId}:${e.payload}`), [
      "run-1:runStarted", "run-1:snapshotCaptured", "run-1:runFinished",
      "run-2:runStarted", "run-2:snapshotCaptured", "run-2:runFinished",
    ]);
    const [first, second] = sink.events.filter((e) => e.payload === "snapshotCaptured").map((e) => e.snapshotCaptured!);
    assert.ok(first!.environment && first!.host && first!.code, "first run carries every body");
    assert.equal(second!.environment, null, "an environment the collector holds goes by reference");
    assert.equal(second!.host, null);
    assert.equal(second!.code, null);
    assert.equal(second!.environmentDigest, first!.environmentDigest);
    assert.equal(sink.blobs.size, 1);
    assert.equal(sink.events.at(-1)!.runFinished!.exitCode, 3);
  });

  it("reports an unreachable collector as a failure instead of throwing", async () => {
    const reporter = new RunReporter(Promise.resolve(fail<EventSink>(new UnavailableError("cannot reach the collector at 127.0.0.1:1"), true)));
    const c = capture("run-x");
    reporter.begin(c);
    const outcome = await reporter.flush(1000);
    assert.deepEqual(outcome, { ok: false, error: "cannot reach the collector at 127.0.0.1:1" });
  });

  it("turns a sink that throws into a failure, never an unhandled rejection", async () => {
    const reporter = new RunReporter(Promise.reject(new TypeError("loader.fromJSON is not a function")));
    await new Promise((resolve) => setTimeout(resolve, 20)); // an unhandled rejection would fail this test here
    reporter.begin(capture("run-throw"));
    assert.deepEqual(await reporter.flush(1000), { ok: false, error: "loader.fromJSON is not a function" });
  });

  it("gives up waiting at the flush bound", async () => {
    const never = new Promise<never>(() => {});
    const reporter = new RunReporter(never);
    reporter.begin(capture("run-slow"));
    const t = Date.now();
    const outcome = await reporter.flush(50);
    assert.equal(outcome.ok, false);
    assert.ok(Date.now() - t < 2000);
  });

  it("surfaces a rejected event", async () => {
    const sink = new MemorySink();
    sink.publish = (events) => Promise.resolve(ok(events.map((e) => ({ eventId: e.eventId, outcome: "REJECTED" as const, error: "run_id is empty" }))));
    const reporter = new RunReporter(Promise.resolve(ok<EventSink>(sink)));
    reporter.begin(capture("run-r"));
    const outcome = await reporter.flush(1000);
    assert.equal(outcome.ok, false);
    assert.match(!outcome.ok ? outcome.error : "", /rejected event .*run_id is empty/);
  });
});
