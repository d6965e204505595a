import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CaptureResult } from "../../agent/capture/capture-types.js";
import { RunReporter } from "../../agent/report/run-reporter.js";
import { MemorySink } from "../../agent/sinks/memory-sink.js";
import { sha256Digest, snapshotDigest } from "../../core/digest.js";
import { UnavailableError } from "../../core/errors.js";
import { fail, ok } from "../../core/result.js";
import { Cutoff } from "../../agent/sinks/cutoff.js";
import { SpoolingSink } from "../../agent/sinks/spooling-sink.js";
import { Spool } from "../../agent/spool/spool.js";
import { deliveryWarning } from "../../agent/wrap/delivery-warning.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function capture(runId: string): CaptureResult {
  const archive = Buffer.from("pretend tar bytes");
  const environment = { interpreter: null, packages: [{ name: "six", version: "1.16.0", installer: "pip", source: null, shadowed: false }], image: null, os: null, env: [], modules: [], indexes: null };
  const host = { hostname: "node1", arch: "x64", kernel: "6.1", cpuModel: "cpu", cpuCount: 2, memoryBytes: 1, gpus: [], cudaDriverVersion: "" };
  const code = { root: "/r", git: null, files: [], archiveDigest: sha256Digest(archive), archiveBytes: archive.length, leftOut: [] };
  return {
    environment,
    host,
    code,
    archive,
    digests: { environment: snapshotDigest("environment", environment), host: snapshotDigest("host", host), code: snapshotDigest("code", code) },
    orchestrator: { kind: "LOCAL", pipeline: "p", pipelineRun: "", step: "s", attempt: 0, attributes: {} },
    runId,
    parentRunId: "",
    config: { argv: ["python", "x.py"], cwd: "/r", parameters: {}, script: "" },
    warnings: [],
    captureMs: 12,
  };
}

/** A promise and its resolve (Node 20 has no Promise.withResolvers). */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("RunReporter", () => {
  it("sends started, snapshot and finished in order, bodies and archive only the first time", async () => {
    const sink = new MemorySink();
    for (const runId of ["run-1", "run-2"]) {
      const reporter = new RunReporter(sink);
      const c = capture(runId);
      assert.equal(await reporter.begin(c), true, "begin resolves true once acked");
      reporter.finished(runId, { exitCode: 3, signal: "", durationMs: 5, error: "", outputs: [] });
      assert.deepEqual(await reporter.flush(5000), { acked: 3, spooled: 0, lost: 0, unsettled: 0, errors: [] });
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

  it("sends a finish that comes while the start waits on the collector in the start's publish: one round trip", async () => {
    const sink = new MemorySink();
    const publishes: string[][] = [];
    const publish = sink.publish.bind(sink);
    sink.publish = (events) => {
      publishes.push(events.map((e) => e.payload!));
      return publish(events);
    };
    const hasDigests = sink.hasDigests.bind(sink);
    const asked = deferred<() => void>();
    sink.hasDigests = (digests) => new Promise((resolve) => asked.resolve(() => resolve(hasDigests(digests))));
    const reporter = new RunReporter(sink);
    const begun = reporter.begin(capture("run-short"));
    const answerDigests = await asked.promise;
    reporter.finished("run-short", { exitCode: 0, signal: "", durationMs: 1, error: "", outputs: [] });
    answerDigests();
    assert.equal(await begun, true);
    assert.deepEqual(await reporter.flush(5000), { acked: 3, spooled: 0, lost: 0, unsettled: 0, errors: [] });
    assert.deepEqual(publishes, [["runStarted", "snapshotCaptured", "runFinished"]]);

    // A job that outlasts the start's publish sends its finish on its own.
    publishes.length = 0;
    sink.hasDigests = hasDigests;
    const later = new RunReporter(sink);
    assert.equal(await later.begin(capture("run-long")), true);
    later.finished("run-long", { exitCode: 0, signal: "", durationMs: 1, error: "", outputs: [] });
    assert.equal((await later.flush(5000)).acked, 3);
    assert.deepEqual(publishes, [["runStarted", "snapshotCaptured"], ["runFinished"]]);
  });

  it("still sends the finish when the start failed before its publish", async () => {
    const sink = new MemorySink();
    const asked = deferred<() => void>();
    sink.hasDigests = () => new Promise((_, reject) => asked.resolve(() => reject(new Error("a bug in a sink"))));
    const reporter = new RunReporter(sink);
    const begun = reporter.begin(capture("run-bug"));
    const answerDigests = await asked.promise;
    reporter.finished("run-bug", { exitCode: 0, signal: "", durationMs: 1, error: "", outputs: [] });
    answerDigests();
    assert.equal(await begun, false);
    const outcome = await reporter.flush(5000);
    assert.equal(outcome.acked, 1);
    assert.deepEqual(sink.events.map((e) => e.payload), ["runFinished"]);
    assert.match(outcome.errors.join("\n"), /internal error: a bug in a sink/);
  });

  it("counts every event lost, with the reason, when the sink fails and nothing spools", async () => {
    const down = new MemorySink();
    const err = () => fail<never>(new UnavailableError("cannot reach the collector at 127.0.0.1:1"), true);
    down.publish = () => Promise.resolve(err());
    down.hasDigests = () => Promise.resolve(err());
    down.putBlob = () => Promise.resolve(err());
    const reporter = new RunReporter(down);
    assert.equal(await reporter.begin(capture("run-x")), false);
    reporter.finished("run-x", { exitCode: 0, signal: "", durationMs: 1, error: "", outputs: [] });
    const outcome = await reporter.flush(1000);
    assert.equal(outcome.lost, 3);
    assert.equal(outcome.acked, 0);
    assert.ok(outcome.errors.every((e) => /cannot reach the collector/.test(e)), outcome.errors.join("\n"));
  });

  it("spools the whole run (bodies and archive included) through a spooling sink when the collector is away", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-reporter-"));
    try {
      const down = new MemorySink();
      const err = () => fail<never>(new UnavailableError("collector away"), true);
      down.publish = () => Promise.resolve(err());
      down.hasDigests = () => Promise.resolve(err());
      down.putBlob = () => Promise.resolve(err());
      const spool = new Spool(dir, 1 << 20);
      const reporter = new RunReporter(new SpoolingSink(down, spool));
      const c = capture("run-spooled");
      assert.equal(await reporter.begin(c), false);
      reporter.finished("run-spooled", { exitCode: 0, signal: "", durationMs: 1, error: "", outputs: [] });
      assert.deepEqual(await reporter.flush(5000), { acked: 0, spooled: 3, lost: 0, unsettled: 0, errors: [] });
      const files = await spool.listEventFiles();
      const events = (await Promise.all(files.map((f) => spool.readEventFile(f)))).flatMap((r) => r!.events);
      assert.deepEqual(events.map((e) => e.payload), ["runStarted", "snapshotCaptured", "runFinished"]);
      assert.ok(events[1]!.snapshotCaptured!.environment, "a spooled snapshot carries its bodies");
      assert.deepEqual(await spool.readBlob(c.code!.archiveDigest), c.archive);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives up waiting at the flush bound and counts what is pending as unsettled, not lost", async () => {
    const hung = new MemorySink();
    hung.hasDigests = () => new Promise(() => {});
    const reporter = new RunReporter(hung);
    void reporter.begin(capture("run-slow"));
    const t = Date.now();
    const outcome = await reporter.flush(50);
    assert.deepEqual(outcome, { acked: 0, spooled: 0, lost: 0, unsettled: 2, unsettledAfterMs: 50, errors: [] });
    assert.ok(Date.now() - t < 2000);
  });

  it("bounds a hung collector by the cutoff: unacked events go to the spool", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-reporter-"));
    try {
      const hung = new MemorySink();
      hung.publish = () => new Promise(() => {});
      const cutoff = new Cutoff();
      const reporter = new RunReporter(new SpoolingSink(hung, new Spool(dir, 1 << 20), cutoff));
      void reporter.begin(capture("run-hung"));
      reporter.finished("run-hung", { exitCode: 0, signal: "", durationMs: 1, error: "", outputs: [] });
      const t = Date.now();
      cutoff.set(Date.now() + 100, "no acknowledgement within 100 ms");
      const outcome = await reporter.flush(5000);
      assert.deepEqual(outcome, { acked: 0, spooled: 3, lost: 0, unsettled: 0, errors: [] });
      assert.ok(Date.now() - t < 1500, `took ${Date.now() - t} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("surfaces a rejected event", async () => {
    const sink = new MemorySink();
    sink.publish = (events) => Promise.resolve(ok(events.map((e) => ({ eventId: e.eventId, outcome: "REJECTED" as const, error: "run_id is empty" }))));
    const reporter = new RunReporter(sink);
    await reporter.begin(capture("run-r"));
    const outcome = await reporter.flush(1000);
    assert.equal(outcome.lost, 2);
    assert.match(outcome.errors.join("\n"), /rejected event .*run_id is empty/);
  });
});

describe("deliveryWarning when the flush bound runs out", () => {
  const finished = { exitCode: 0, signal: "", durationMs: 1, error: "", outputs: [] };

  it("says the unanswered events stay in the spool and are sent later, not that they were not recorded", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-warning-"));
    try {
      const hung = new MemorySink();
      hung.publish = () => new Promise(() => {}); // a collector that never answers, and no cutoff yet
      const spool = new Spool(dir, 1 << 20);
      const sink = new SpoolingSink(hung, spool, new Cutoff());
      const reporter = new RunReporter(sink);
      void reporter.begin(capture("run-unanswered"));
      reporter.finished("run-unanswered", finished);
      const outcome = await reporter.flush(100);
      assert.equal(outcome.unsettled, 3);
      const line = deliveryWarning("run-unanswered", outcome, sink.summary(), 1 << 20);
      assert.equal(
        line,
        `run run-unanswered: 3 events not acknowledged within 100 ms of the command's end: their copies stay in the spool at ${dir} and will be sent by the next run or \`snaptrail spool flush\` (a copy the collector stored meanwhile is dropped there as a duplicate)`,
      );
      // What the line promises: the three events are in the spool's files.
      const ids = new Set<string>();
      for (const f of await spool.listEventFiles()) for (const e of (await spool.readEventFile(f))?.events ?? []) ids.add(e.eventId);
      assert.equal(ids.size, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says not recorded only for events that have no copy in the spool", async () => {
    const hung = new MemorySink();
    hung.publish = () => new Promise(() => {});
    const sink = new SpoolingSink(hung, undefined, new Cutoff());
    const reporter = new RunReporter(sink);
    void reporter.begin(capture("run-nospool"));
    const outcome = await reporter.flush(50);
    assert.equal(
      deliveryWarning("run-nospool", outcome, sink.summary(), 0),
      "run run-nospool: 2 events not acknowledged within 50 ms of the command's end and not in the spool: not recorded (the command itself ran normally)",
    );
  });
});
