import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, describe, it } from "node:test";
import { Spool } from "../../agent/spool/spool.js";
import { SpoolJournal } from "../../agent/spool/spool-journal.js";
import { decodeRecords, encodeRecords } from "../../agent/spool/spool-record.js";
import { sha256Digest } from "../../core/digest.js";
import type { SnapshotEvent } from "../../core/model.js";
import { encodeEvent } from "../../proto/event-codec.js";

const dirs: string[] = [];
function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), "snaptrail-spool-"));
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function finished(runId: string, exitCode = 0): SnapshotEvent {
  return { eventId: randomUUID(), runId, timeUnixMs: Date.now(), payload: "runFinished", runFinished: { exitCode, signal: "", durationMs: 10, error: "", outputs: [] } };
}

describe("spool records", () => {
  it("round-trips payloads and skips a damaged record without losing the ones after it", () => {
    const payloads = [Buffer.from("first"), Buffer.from("second record"), Buffer.from("third")];
    const data = encodeRecords(payloads);
    assert.deepEqual(decodeRecords(data), { payloads, corrupt: 0 });
    const flipped = Buffer.from(data);
    flipped[16 + 5 + 16 + 2]! ^= 0xff; // a byte inside the second payload
    const d = decodeRecords(flipped);
    assert.deepEqual(d.payloads.map(String), ["first", "third"]);
    assert.equal(d.corrupt, 1);
  });

  it("counts a half-written tail as one damaged record", () => {
    const data = encodeRecords([Buffer.from("whole"), Buffer.from("torn in half")]);
    const d = decodeRecords(data.subarray(0, data.length - 4));
    assert.deepEqual(d.payloads.map(String), ["whole"]);
    assert.equal(d.corrupt, 1);
  });
});

describe("Spool", () => {
  it("keeps events in complete files, oldest first, and reads them back", async () => {
    const spool = new Spool(freshDir(), 1 << 20);
    const a = [finished("r1"), finished("r1", 3)];
    const b = [finished("r2")];
    assert.ok((await spool.appendEvents(a)).ok);
    await new Promise((r) => setTimeout(r, 2));
    assert.ok((await spool.appendEvents(b)).ok);
    const files = await spool.listEventFiles();
    assert.deepEqual(files.map((f) => f.events), [2, 1]);
    const read = await spool.readEventFile(files[0]!);
    assert.deepEqual(read!.events.map((e) => e.eventId), a.map((e) => e.eventId));
    assert.equal(read!.events[1]!.runFinished!.exitCode, 3);
    const status = await spool.status();
    assert.equal(status.files, 2);
    assert.equal(status.events, 3);
    assert.ok(status.oldestMs !== null && status.oldestMs <= Date.now());
    assert.deepEqual(readdirSync(join(spool.dir, "tmp")), [], "no temporary file left behind");
  });

  it("drops the oldest files when full, counts the drops, and never blocks", async () => {
    const spool = new Spool(freshDir(), 600);
    const first = await spool.appendEvents([finished("old-1"), finished("old-1")]);
    assert.ok(first.ok);
    const perFile = first.value.bytes;
    let dropped = 0;
    for (let i = 0; i < 5; i++) {
      const w = await spool.appendEvents([finished(`new-${i}`), finished(`new-${i}`)]);
      assert.ok(w.ok, "a full spool makes room instead of failing");
      dropped += w.value.dropped.events;
    }
    const status = await spool.status();
    assert.ok(status.bytes <= 600, `${status.bytes} bytes within the bound`);
    assert.equal(status.files, Math.floor(600 / perFile));
    assert.equal(status.dropped.events, dropped);
    assert.equal(status.dropped.events, 12 - status.events);
    const names = (await spool.listEventFiles()).map(async (f) => (await spool.readEventFile(f))!.events[0]!.runId);
    assert.ok(!(await Promise.all(names)).includes("old-1"), "the oldest went first");
  });

  it("refuses a write larger than the whole bound with a clear error", async () => {
    const spool = new Spool(freshDir(), 50);
    const w = await spool.appendEvents([finished("big")]);
    assert.equal(w.ok, false);
    assert.match(!w.ok ? w.error.message : "", /do not fit in the spool's bound of 50 bytes \(maxSpoolBytes\)/);
  });

  it("fails with a SPOOL error, not an exception, when the folder cannot be created", async () => {
    const file = join(freshDir(), "a-file");
    writeFileSync(file, "");
    const w = await new Spool(join(file, "spool"), 1 << 20).appendEvents([finished("x")]);
    assert.equal(w.ok, false);
    assert.equal(!w.ok && "code" in w.error ? w.error.code : "", "SPOOL");
    assert.match(!w.ok ? w.error.message : "", /cannot write events to the spool at .*ENOTDIR/);
  });

  it("keeps code archives content-addressed and drops a damaged one", async () => {
    const spool = new Spool(freshDir(), 1 << 20);
    const data = Buffer.from("tar bytes");
    const digest = sha256Digest(data);
    assert.ok((await spool.putBlob(digest, data)).ok);
    assert.ok((await spool.putBlob(digest, data)).ok, "twice is fine");
    assert.deepEqual(await spool.readBlob(digest), data);
    writeFileSync(join(spool.dir, "blobs", digest.replace(":", "-")), "tampered");
    assert.equal(await spool.readBlob(digest), undefined);
    assert.equal((await spool.status()).corruptBlobs, 1);
  });

  it("lets one replayer claim a file; a stale claim (dead pid) is broken", async () => {
    const spool = new Spool(freshDir(), 1 << 20);
    await spool.appendEvents([finished("c")]);
    const [file] = await spool.listEventFiles();
    const release = await spool.claim(file!);
    assert.ok(release);
    assert.equal(await spool.claim(file!), undefined, "a second claim fails while the first holds");
    assert.equal((await spool.listEventFiles())[0]!.locked, true);
    release();
    const again = await spool.claim(file!);
    assert.ok(again);
    again();
    const { hostname } = await import("node:os");
    writeFileSync(`${file!.path}.lock`, `${hostname()} 999999999 ${Date.now()}\n`);
    const broken = await spool.claim(file!);
    assert.ok(broken, "a claim by a process that no longer exists is stale");
    broken();
  });

  it("journals damaged records it skips", async () => {
    const spool = new Spool(freshDir(), 1 << 20);
    await spool.appendEvents([finished("d1"), finished("d2")]);
    const [file] = await spool.listEventFiles();
    const bytes = readFileSync(file!.path);
    bytes[20]! ^= 0xff;
    writeFileSync(file!.path, bytes);
    const read = await spool.readEventFile(file!);
    assert.equal(read!.events.length, 1);
    assert.equal(read!.corrupt, 1);
    assert.equal((await spool.status()).corruptRecords, 1);
  });
});

describe("spool payloads", () => {
  it("reads files an earlier version wrote with protobuf payloads beside the JSON ones", async () => {
    const dir = freshDir();
    const spool = new Spool(dir, 1 << 20);
    const now = finished("json", 4);
    assert.ok((await spool.appendEvents([now])).ok);
    const old = finished("protobuf", 5);
    const data = encodeRecords([encodeEvent(old)]);
    writeFileSync(join(dir, "events", `${String(Date.now() - 60_000).padStart(13, "0")}-1-ab-1e-${data.length}b.spool`), data);
    const files = await spool.listEventFiles();
    const read = await Promise.all(files.map((f) => spool.readEventFile(f)));
    assert.deepEqual(
      read.map((r) => [r!.events[0]!.eventId, r!.events[0]!.runFinished!.exitCode, r!.corrupt]),
      [
        [old.eventId, 5, 0],
        [now.eventId, 4, 0],
      ],
    );
  });
});

describe("spool journal", () => {
  it("stays under its bound by folding old lines into totals, and keeps every count", async () => {
    const dir = freshDir();
    const journal = new SpoolJournal(dir, 4096);
    for (let i = 0; i < 200; i++) await journal.append({ kind: "dropped", file: `f${i}`, events: 2, bytes: 10 });
    for (let i = 0; i < 30; i++) await journal.append({ kind: "corrupt", file: `c${i}`, records: 1 });
    assert.ok(statSync(journal.file).size <= 4096 + 200, `spool.log is ${statSync(journal.file).size} bytes`);
    assert.deepEqual(await journal.totals(), { droppedEvents: 400, droppedFiles: 200, corruptRecords: 30, corruptBlobs: 0, rejectedEvents: 0 });
    assert.deepEqual(readdirSync(dir), ["spool.log"], "no fold left anything behind");
  });

  it("sweeps orphaned claims whose holder is gone", async () => {
    const dir = freshDir();
    const spool = new Spool(dir, 1 << 20);
    assert.ok((await spool.appendEvents([finished("o")])).ok);
    const events = join(dir, "events");
    writeFileSync(join(events, "1700000000000-1-aa-1e-10b.spool.lock"), `${hostname()} 999999999 ${Date.now()}\n`);
    const live = join(events, "1700000000000-1-bb-1e-10b.spool.lock");
    writeFileSync(live, `${hostname()} ${process.pid} ${Date.now()}\n`);
    await spool.sweepTmp();
    assert.deepEqual(readdirSync(events).filter((n) => n.endsWith(".lock")), [basename(live)]);
  });
});
