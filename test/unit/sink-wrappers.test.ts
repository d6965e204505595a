import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Cutoff } from "../../agent/sinks/cutoff.js";
import type { EventSink } from "../../agent/sinks/event-sink.js";
import { MemorySink } from "../../agent/sinks/memory-sink.js";
import { ReconnectingSink } from "../../agent/sinks/reconnecting-sink.js";
import { RetryingSink } from "../../agent/sinks/retrying-sink.js";
import { SpoolingSink } from "../../agent/sinks/spooling-sink.js";
import { Spool } from "../../agent/spool/spool.js";
import { SpoolReplay } from "../../agent/spool/spool-replay.js";
import { sha256Digest } from "../../core/digest.js";
import { TooLargeError, UnavailableError } from "../../core/errors.js";
import type { SnapshotEvent } from "../../core/model.js";
import { fail, ok } from "../../core/result.js";

const dirs: string[] = [];
function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), "snaptrail-sinks-"));
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function finished(runId: string): SnapshotEvent {
  return { eventId: randomUUID(), runId, timeUnixMs: Date.now(), payload: "runFinished", runFinished: { exitCode: 0, signal: "", durationMs: 1, error: "", outputs: [] } };
}

/** A memory sink that fails its first `failures` publishes. */
function flaky(failures: number, retryable = true): MemorySink & { calls: number } {
  const sink = Object.assign(new MemorySink(), { calls: 0 });
  const publish = sink.publish.bind(sink);
  sink.publish = (events) => {
    sink.calls++;
    if (sink.calls <= failures) return Promise.resolve(fail(retryable ? new UnavailableError("down") : new TooLargeError("too large"), retryable));
    return publish(events);
  };
  return sink;
}

const policy = { retryForMs: 5000, backoff: { initialMs: 1, maxMs: 4, multiplier: 2, jitter: "full" } } as const;

describe("RetryingSink", () => {
  it("retries a retryable failure until it succeeds", async () => {
    const inner = flaky(3);
    const r = await new RetryingSink(inner, policy).publish([finished("a")]);
    assert.ok(r.ok);
    assert.equal(inner.calls, 4);
  });

  it("counts the receiver unreachable only while it failed retryably and never answered", async () => {
    const sink = new RetryingSink(flaky(2), policy);
    assert.equal(sink.unreachableSoFar(), false, "nothing tried yet");
    const cutoff = new Cutoff();
    const down = new RetryingSink(flaky(1000), policy, cutoff);
    const pending = down.publish([finished("a")]);
    cutoff.set(Date.now() + 20, "job ended");
    assert.equal((await pending).ok, false);
    assert.equal(down.unreachableSoFar(), true);
    assert.notEqual(down.lastFailureMessage(), "", "the warning can say what failed");
    assert.ok((await sink.publish([finished("b")])).ok);
    assert.equal(sink.unreachableSoFar(), false, "failed twice, then answered");
    const refusing = new RetryingSink(flaky(5, false), policy);
    await refusing.publish([finished("c")]);
    assert.equal(refusing.unreachableSoFar(), false, "a final refusal is an answer");
  });

  it("returns a final failure at once", async () => {
    const inner = flaky(5, false);
    const r = await new RetryingSink(inner, policy).publish([finished("a")]);
    assert.equal(r.ok, false);
    assert.equal(inner.calls, 1);
  });

  it("waits a random share of an exponentially growing ceiling (full jitter), within retryForMs", async () => {
    const inner = flaky(1000);
    const ceilings: number[] = [];
    const random = () => {
      ceilings.push(0);
      return 1; // always the ceiling itself: the waits must then double up to maxDelayMs
    };
    const t = Date.now();
    const r = await new RetryingSink(inner, { retryForMs: 300, backoff: { initialMs: 10, maxMs: 80, multiplier: 2, jitter: "full" } }, new Cutoff(), random).publish([finished("a")]);
    assert.equal(r.ok, false);
    const took = Date.now() - t;
    assert.ok(took >= 200 && took < 1000, `gave up after ${took} ms`);
    // 10 + 20 + 40 + 80 + 80 ... <= 300 ms: about 6 attempts, never hundreds.
    assert.ok(inner.calls >= 4 && inner.calls <= 8, `${inner.calls} attempts`);
  });

  it("stops retrying at the cutoff, and tries only once per call after giving up", async () => {
    const inner = flaky(1000);
    const cutoff = new Cutoff();
    const sink = new RetryingSink(inner, { retryForMs: 60_000, backoff: { initialMs: 5, maxMs: 20, multiplier: 2, jitter: "full" } }, cutoff);
    const t = Date.now();
    cutoff.set(Date.now() + 100, "cut");
    assert.equal((await sink.publish([finished("a")])).ok, false);
    assert.ok(Date.now() - t < 1000);
    const before = inner.calls;
    assert.equal((await sink.publish([finished("b")])).ok, false);
    assert.equal(inner.calls, before + 1);
  });
});

describe("ReconnectingSink", () => {
  it("connects again after a failed connection and after a retryable failure", async () => {
    let connects = 0;
    const good = flaky(1);
    const sink = new ReconnectingSink(() => {
      connects++;
      return Promise.resolve(connects === 1 ? fail<EventSink>(new UnavailableError("refused"), true) : ok<EventSink>(good));
    });
    assert.equal((await sink.publish([finished("a")])).ok, false, "first connection refused");
    assert.equal((await sink.publish([finished("a")])).ok, false, "connected, but the call failed");
    assert.ok((await sink.publish([finished("a")])).ok);
    assert.equal(connects, 3);
  });

  it("turns a factory that throws into a failure", async () => {
    const sink = new ReconnectingSink(() => Promise.reject(new TypeError("boom")));
    const r = await sink.hasDigests([]);
    assert.equal(r.ok, false);
  });
});

describe("SpoolingSink", () => {
  it("spools what fails, answers SPOOLED, and reports unknown digests as absent", async () => {
    const spool = new Spool(freshDir(), 1 << 20);
    const down = flaky(1000);
    down.hasDigests = () => Promise.resolve(fail(new UnavailableError("down"), true));
    down.putBlob = () => Promise.resolve(fail(new UnavailableError("down"), true));
    const sink = new SpoolingSink(down, spool);
    const present = await sink.hasDigests(["sha256:" + "a".repeat(64)]);
    assert.ok(present.ok && present.value.size === 0);
    const blob = Buffer.from("archive");
    assert.ok((await sink.putBlob(sha256Digest(blob), blob)).ok);
    const events = [finished("s"), finished("s")];
    const r = await sink.publish(events);
    assert.ok(r.ok);
    assert.deepEqual(r.value.map((a) => a.outcome), ["SPOOLED", "SPOOLED"]);
    const s = sink.summary();
    assert.equal(s.spooledEvents, 2);
    assert.equal(s.spooledBlobs, 1);
    assert.equal(s.sendError, "down");
    assert.equal((await spool.status()).events, 2);
  });

  it("fails, naming both causes, when the spool cannot keep the events either", async () => {
    const file = join(freshDir(), "a-file");
    writeFileSync(file, "");
    const sink = new SpoolingSink(flaky(1000), new Spool(join(file, "spool"), 1 << 20));
    const r = await sink.publish([finished("x")]);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error.message : "", /^down; the spool could not keep it either: cannot write events to the spool at/);
  });
});

describe("SpoolingSink write-ahead", () => {
  /** A sink whose publish waits until the test lets it answer. */
  function gated(): MemorySink & { open: (answer: "ack" | "fail") => void } {
    const sink = new MemorySink();
    const publish = sink.publish.bind(sink);
    let release!: (answer: "ack" | "fail") => void;
    const gate = new Promise<"ack" | "fail">((r) => (release = r));
    sink.publish = async (events) => ((await gate) === "ack" ? publish(events) : fail(new UnavailableError("down"), true));
    return Object.assign(sink, { open: (a: "ack" | "fail") => release(a) });
  }

  it("has each event in the spool, claimed, while its send waits, and removes it after the ack", async () => {
    const spool = new Spool(freshDir(), 1 << 20);
    const inner = gated();
    const sink = new SpoolingSink(inner, spool);
    const events = [finished("w"), finished("w")];
    const sent = sink.publish(events);
    await new Promise((r) => setTimeout(r, 50));
    const files = await spool.listEventFiles();
    assert.deepEqual(files.map((f) => [f.events, f.locked]), [[2, true]]);
    const replay = await new SpoolReplay(spool, new MemorySink()).run();
    assert.equal(replay.stored, 0, "a replayer leaves a copy whose agent still waits for the ack");
    inner.open("ack");
    const r = await sent;
    assert.ok(r.ok && r.value.every((a) => a.outcome === "STORED"));
    assert.deepEqual(await spool.listEventFiles(), []);
    assert.equal(sink.summary().spooledEvents, 0);
  });

  it("keeps the written-ahead form (every body) when the send fails, released for replay", async () => {
    const spool = new Spool(freshDir(), 1 << 20);
    const inner = gated();
    const sink = new SpoolingSink(inner, spool);
    const whole = finished("k");
    const lean: SnapshotEvent = { ...whole, runFinished: { ...whole.runFinished!, error: "the lean form" } };
    await sink.writeAhead([whole]);
    const sent = sink.publish([lean]);
    inner.open("fail");
    const r = await sent;
    assert.ok(r.ok && r.value[0]!.outcome === "SPOOLED");
    const files = await spool.listEventFiles();
    assert.deepEqual(files.map((f) => [f.events, f.locked]), [[1, false]]);
    const read = await spool.readEventFile(files[0]!);
    assert.equal(read!.events[0]!.runFinished!.error, "", "the spool kept what was written ahead");
    const target = new MemorySink();
    assert.equal((await new SpoolReplay(spool, target).run()).stored, 1);
    assert.equal(target.events[0]!.eventId, whole.eventId);
  });

  it("spools the events anew when their write-ahead copy vanished meanwhile", async () => {
    const spool = new Spool(freshDir(), 1 << 20);
    const inner = gated();
    const sink = new SpoolingSink(inner, spool);
    const sent = sink.publish([finished("v")]);
    await new Promise((r) => setTimeout(r, 50));
    for (const f of await spool.listEventFiles()) await spool.removeEventFile(f);
    inner.open("fail");
    assert.ok((await sent).ok);
    assert.equal((await spool.status()).events, 1);
  });
});

describe("SpoolReplay", () => {
  it("sends oldest first in batches, uploads spooled archives first, tolerates duplicates, removes only acked files", async () => {
    const spool = new Spool(freshDir(), 1 << 20);
    const archive = Buffer.from("tarball");
    const archiveDigest = sha256Digest(archive);
    await spool.putBlob(archiveDigest, archive);
    const snap = { ...finished("r1"), payload: "snapshotCaptured", runFinished: null, snapshotCaptured: { environmentDigest: "", environment: null, hostDigest: "", host: null, codeDigest: "", code: { root: "/", git: null, files: [], archiveDigest, archiveBytes: archive.length }, warnings: [], captureMs: 1 } } as unknown as SnapshotEvent;
    const batches = [[snap, finished("r1")], [finished("r2")], [finished("r3")]];
    for (const b of batches) {
      await spool.appendEvents(b);
      await new Promise((r) => setTimeout(r, 2));
    }
    const sink = new MemorySink();
    await sink.publish([batches[1]![0]!]); // already stored: its resend is acked DUPLICATE
    const publishes: string[][] = [];
    const publish = sink.publish.bind(sink);
    sink.publish = (events) => {
      publishes.push(events.map((e) => e.runId));
      return publish(events);
    };
    const report = await new SpoolReplay(spool, sink, { maxBatchEvents: 3 }).run();
    assert.deepEqual({ ...report, error: report.error ?? null }, { files: 3, stored: 3, duplicates: 1, rejected: 0, corrupt: 0, blobs: 1, error: null, stopped: false });
    assert.deepEqual(publishes, [["r1", "r1", "r2"], ["r3"]], "oldest first, small files batched");
    assert.deepEqual(sink.blobs.get(archiveDigest), archive);
    const status = await spool.status();
    assert.equal(status.files, 0);
    assert.equal(status.blobs.files, 0, "a delivered archive leaves the spool");
  });

  it("stops at a retryable failure and keeps every file for the next replay", async () => {
    const spool = new Spool(freshDir(), 1 << 20);
    await spool.appendEvents([finished("k1")]);
    await spool.appendEvents([finished("k2")]);
    const report = await new SpoolReplay(spool, flaky(1000), { maxBatchEvents: 1 }).run();
    assert.equal(report.error, "down");
    assert.equal(report.files, 0);
    assert.equal((await spool.status()).files, 2);
    assert.deepEqual(await spool.listEventFiles().then((f) => f.map((x) => x.locked)), [false, false], "claims released");
  });

  it("keeps events the collector refuses apart, event by event, and goes on", async () => {
    const spool = new Spool(freshDir(), 1 << 20);
    const poison = finished("poison");
    await spool.appendEvents([poison, finished("fine")]);
    const sink = new MemorySink();
    const publish = sink.publish.bind(sink);
    sink.publish = (events) => (events.some((e) => e.runId === "poison") ? Promise.resolve(fail(new TooLargeError("too large"), false)) : publish(events));
    const report = await new SpoolReplay(spool, sink).run();
    assert.equal(report.rejected, 1);
    assert.equal(report.stored, 1);
    const status = await spool.status();
    assert.equal(status.files, 0);
    assert.equal(status.rejected.events, 1);
  });
});
