import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { snapshotDigest } from "../../core/digest.js";
import type { SnapshotEvent } from "../../core/model.js";
import { EventBatcher, type IngestAck } from "../../collector/ingest/event-batcher.js";
import { checkEvent, checkReferences } from "../../collector/ingest/validate-event.js";
import type { OutputFile } from "../../core/model.js";
import { MAX_OUTPUT_PATH_CHARS, MAX_OUTPUTS_PER_RUN } from "../../core/output-limits.js";
import { MAX_SCRIPT_BYTES } from "../../core/script-limits.js";
import { openSqliteStore } from "../../collector/store/sqlite-store.js";
import { isStoreOutage } from "../../collector/store/is-store-outage.js";
import { translateClickHouseError } from "../../collector/store/translate-clickhouse-error.js";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { capturedEvent, codeSnapshot, envSnapshot, finishedEvent, hostSnapshot, startedEvent } from "../helpers/collector-fixtures.js";
import { FaultyStore, diskFull } from "../helpers/faulty-store.js";

const env = envSnapshot({ pydantic: "2.7.1" });
const envDigest = snapshotDigest("environment", env);

void describe("checkEvent", () => {
  void it("accepts well-formed events", () => {
    assert.equal(checkEvent(startedEvent("r")), undefined);
    assert.equal(checkEvent(finishedEvent("r")), undefined);
    assert.equal(checkEvent(capturedEvent("r", { environment: { body: env }, host: { body: hostSnapshot() }, code: { body: codeSnapshot("abc") } })), undefined);
    assert.equal(checkEvent(capturedEvent("r", { environment: { body: env, omitBody: true } })), undefined);
  });

  void it("names what is wrong with ids and payloads", () => {
    assert.match(checkEvent(null) ?? "", /no event/);
    assert.match(checkEvent({ ...startedEvent("r"), eventId: "" }) ?? "", /event_id is empty/);
    assert.match(checkEvent({ ...startedEvent("r"), eventId: "e".repeat(201) }) ?? "", /event_id is longer than 200/);
    assert.equal(checkEvent({ ...startedEvent("r"), eventId: "e".repeat(200) }), undefined);
    assert.match(checkEvent({ ...startedEvent("r"), runId: "" }) ?? "", /run_id is empty/);
    assert.match(checkEvent(startedEvent("r".repeat(501), { eventId: "e" })) ?? "", /run_id is longer than 500/);
    const bare: SnapshotEvent = { eventId: "e", runId: "r", timeUnixMs: 1 };
    assert.match(checkEvent(bare) ?? "", /no payload/);
    const both: SnapshotEvent = { ...startedEvent("r"), runFinished: finishedEvent("r").runFinished! };
    assert.match(checkEvent(both) ?? "", /more than one payload/);
  });

  void it("rejects a batch script over Slurm's default max_script_size, naming the field, and counts bytes not characters", () => {
    const withScript = (script: string): SnapshotEvent => {
      const e = startedEvent("slurm:c/1");
      return { ...e, runStarted: { ...e.runStarted!, config: { ...e.runStarted!.config!, script } } };
    };
    assert.equal(MAX_SCRIPT_BYTES, 4 * 1024 * 1024);
    assert.equal(checkEvent(withScript("#!/bin/bash\n" + "x".repeat(MAX_SCRIPT_BYTES - 12))), undefined, "exactly at the bound");
    assert.match(checkEvent(withScript("x".repeat(MAX_SCRIPT_BYTES + 1))) ?? "", /^run_started\.config\.script is 4194305 bytes, over the limit of 4194304/);
    // 1.5 M three-byte characters: under the bound in characters, over it in bytes.
    assert.match(checkEvent(withScript("€".repeat(1_500_000))) ?? "", /run_started\.config\.script is 4500000 bytes/);
  });

  void it("refuses event times and durations no reader could show, and keeps 0 as not given", () => {
    const now = Date.UTC(2026, 0, 1);
    const at = (time: number) => checkEvent(startedEvent("r", { time }), { nowMs: now });
    assert.equal(at(0), undefined);
    assert.equal(at(now), undefined);
    assert.equal(at(now + 23 * 3600 * 1000), undefined);
    assert.match(at(now + 25 * 3600 * 1000) ?? "", /time_unix_ms .* more than a day ahead/);
    assert.match(at(1e16) ?? "", /time_unix_ms/);
    assert.match(at(2 ** 64 - 1) ?? "", /time_unix_ms 18446744073709552000 is not a time after 2000-01-01/);
    assert.match(at(Date.UTC(1999, 11, 31)) ?? "", /time_unix_ms/);
    assert.match(at(1.5e12 + 0.5) ?? "", /time_unix_ms/);
    const finished = (durationMs: number) => checkEvent(finishedEvent("r", { durationMs, time: now }), { nowMs: now });
    assert.equal(finished(59_500), undefined);
    assert.match(finished(2 ** 64 - 1) ?? "", /run_finished.duration_ms/);
    assert.match(finished(11 * 366 * 24 * 3600 * 1000) ?? "", /run_finished.duration_ms/);
  });

  void it("re-digests every body sent and checks digest syntax", () => {
    const tampered = capturedEvent("r", { environment: { body: env, digest: snapshotDigest("environment", envSnapshot({ pydantic: "1.10.13" })) } });
    assert.match(checkEvent(tampered) ?? "", /^environment body does not match its digest/);
    const wrongKind = capturedEvent("r", { host: { body: hostSnapshot(), digest: snapshotDigest("environment", hostSnapshot()) } });
    assert.match(checkEvent(wrongKind) ?? "", /^host body does not match its digest/);
    const badSyntax = capturedEvent("r", { code: { body: codeSnapshot("abc"), digest: "sha256:ABC" } });
    assert.match(checkEvent(badSyntax) ?? "", /code_digest "sha256:ABC" is not a sha256/);
    const noDigest = capturedEvent("r", { environment: { body: env, digest: "" } });
    assert.match(checkEvent(noDigest) ?? "", /environment body sent without environment_digest/);
    const badArchive = capturedEvent("r", { code: { body: codeSnapshot("abc", "sha256:nope") } });
    assert.match(checkEvent(badArchive) ?? "", /archive_digest/);
    // The archive itself need not be stored yet.
    assert.equal(checkEvent(capturedEvent("r", { code: { body: codeSnapshot("abc", "sha256:" + "1".repeat(64)) } })), undefined);
  });

  void it("accepts bounded, well-formed outputs and rejects the rest with the reason", () => {
    const digest = `sha256:${"1".repeat(64)}`;
    const out = (o: Partial<OutputFile> = {}): OutputFile => ({ path: "out/model.bin", digest, size: 10, mode: 0o644, stored: true, ...o });
    const finished = (outputs: OutputFile[]) => finishedEvent("r", { outputs });
    assert.equal(checkEvent(finished([out(), out({ path: "missing.bin", digest: "", size: 0, stored: false, mode: 0 })])), undefined);
    assert.equal(checkEvent(finished(Array.from({ length: MAX_OUTPUTS_PER_RUN }, (_, i) => out({ path: `f${i}` })))), undefined);
    assert.match(checkEvent(finished(Array.from({ length: MAX_OUTPUTS_PER_RUN + 1 }, (_, i) => out({ path: `f${i}` })))) ?? "", /lists 10001 outputs, over the limit of 10000/);
    assert.match(checkEvent(finished([out({ path: "" })])) ?? "", /output 0 has an empty path/);
    assert.match(checkEvent(finished([out({ path: "x".repeat(MAX_OUTPUT_PATH_CHARS + 1) })])) ?? "", /path longer than 4096/);
    assert.equal(checkEvent(finished([out({ path: "x".repeat(MAX_OUTPUT_PATH_CHARS) })])), undefined);
    assert.match(checkEvent(finished([out({ path: "a\u0000b" })])) ?? "", /NUL/);
    assert.match(checkEvent(finished([out(), out()])) ?? "", /output 1 \("out\/model.bin"\) is listed twice/);
    assert.match(checkEvent(finished([out({ digest: "sha256:ABC" })])) ?? "", /digest "sha256:ABC" is not a sha256/);
    assert.match(checkEvent(finished([out({ digest: "", size: 0 })])) ?? "", /no digest \(missing output\) but a size or stored flag/);
    assert.match(checkEvent(finished([out({ size: -1 })])) ?? "", /size -1 is not a byte count/);
    assert.match(checkEvent(finished([out({ mode: 0o10000 })])) ?? "", /mode 4096 is not a set of permission bits/);
  });

  void it("checks a start's cache key and cached-from", () => {
    const key = `sha256:${"2".repeat(64)}`;
    assert.equal(checkEvent(startedEvent("r", { cacheKey: key, cachedFrom: "local:h/1" })), undefined);
    assert.match(checkEvent(startedEvent("r", { cacheKey: "md5:x" })) ?? "", /cache_key "md5:x" is not a sha256/);
    assert.match(checkEvent(startedEvent("r", { cachedFrom: "local:h/1" })) ?? "", /cached_from is set without cache_key/);
    assert.match(checkEvent(startedEvent("r", { cacheKey: key, cachedFrom: "x".repeat(501) })) ?? "", /cached_from is longer than 500/);
  });

  void it("checks a start's parent run", () => {
    assert.equal(checkEvent(startedEvent("slurm:c/1.0", { parentRunId: "slurm:c/1" })), undefined);
    assert.equal(checkEvent(startedEvent("slurm:c/1.0", { parentRunId: "p".repeat(500) })), undefined);
    assert.match(checkEvent(startedEvent("slurm:c/1.0", { parentRunId: "p".repeat(501) })) ?? "", /parent_run_id is longer than 500/);
    assert.match(checkEvent(startedEvent("slurm:c/1", { parentRunId: "slurm:c/1" })) ?? "", /parent_run_id names the run itself/);
  });
});

void describe("checkReferences", () => {
  const none = () => Promise.resolve(new Set<string>());
  void it("rejects a digest sent without body that nothing provides, naming it", async () => {
    const errors = await checkReferences([capturedEvent("r", { environment: { body: env, omitBody: true } })], none);
    assert.equal(errors[0], `environment snapshot ${envDigest} is not stored and its body was not sent`);
  });

  void it("accepts a reference to a stored digest or to a body in the same batch", async () => {
    const stored = () => Promise.resolve(new Set([envDigest]));
    assert.deepEqual(await checkReferences([capturedEvent("r", { environment: { body: env, omitBody: true } })], stored), [undefined]);
    const batch = [capturedEvent("r2", { environment: { body: env, omitBody: true } }, { eventId: "ref" }), capturedEvent("r1", { environment: { body: env } })];
    assert.deepEqual(await checkReferences(batch, none), [undefined, undefined]);
  });

  void it("withdraws the bodies of rejected events, to a fixed point", async () => {
    const host = hostSnapshot();
    const carrier = capturedEvent("r1", { environment: { body: env }, host: { body: host, omitBody: true } }, { eventId: "carrier" });
    const dependent = capturedEvent("r2", { environment: { body: env, omitBody: true } }, { eventId: "dependent" });
    const errors = await checkReferences([dependent, carrier], none);
    assert.match(errors[1] ?? "", /^host snapshot/);
    assert.match(errors[0] ?? "", /^environment snapshot/);
    // An earlier rejection is kept and withdraws the bodies too.
    const again = await checkReferences([dependent, capturedEvent("r1", { environment: { body: env } })], none, [undefined, "rejected already"]);
    assert.equal(again[1], "rejected already");
    assert.match(again[0] ?? "", /not stored/);
  });
});

void describe("EventBatcher", () => {
  void it("commits many events in few batches and resolves acks in order", async () => {
    const store = openSqliteStore(":memory:");
    const counting = new FaultyStore(store);
    const batcher = new EventBatcher(counting, { maxBatchEvents: 50, maxBatchDelayMs: 5 });
    const events = Array.from({ length: 200 }, (_, i) => startedEvent(`run-${i}`));
    const acks = await Promise.all(events.map((e) => batcher.submit(e)));
    assert.deepEqual(
      acks.map((a) => a.eventId),
      events.map((e) => e.eventId),
    );
    assert.ok(acks.every((a) => a.outcome === "STORED"));
    const appends = counting.calls("append").length;
    assert.ok(appends <= 5, `expected few batches, got ${appends}`);
    const order: string[] = [];
    await Promise.all(
      [startedEvent("run-0"), { ...startedEvent("x"), eventId: "" }, startedEvent("new")].map((e) =>
        batcher.submit(e).then((a: IngestAck) => order.push(`${a.eventId}:${a.outcome}`)),
      ),
    );
    assert.deepEqual(order, ["run-0#started:DUPLICATE", ":REJECTED", "new#started:STORED"]);
    await batcher.drain();
    await assert.rejects(batcher.submit(startedEvent("late")), { code: "UNAVAILABLE" });
    await store.close();
  });

  void it("rejects (never acks) every event of a batch the store could not commit, then recovers", async () => {
    const store = openSqliteStore(":memory:");
    const flaky = new FaultyStore(store).fail("append", () => diskFull("disk full"));
    const batcher = new EventBatcher(flaky, { maxBatchEvents: 10, maxBatchDelayMs: 1 });
    const results = await Promise.allSettled([batcher.submit(startedEvent("a")), batcher.submit(startedEvent("b"))]);
    for (const r of results) {
      assert.equal(r.status, "rejected");
      assert.match(String(r.reason), /could not store events: disk full/);
    }
    flaky.heal();
    assert.equal((await batcher.submit(startedEvent("a"))).outcome, "STORED");
    await batcher.drain();
    await store.close();
  });
});

void describe("EventBatcher when an event would rewrite a run", () => {
  void it("answers REJECTED with the store's reason, counts it, and acks the rest", async () => {
    const store = openSqliteStore(":memory:");
    const warnings: object[] = [];
    const batcher = new EventBatcher(store, { maxBatchEvents: 10, maxBatchDelayMs: 5 }, { warn: (o) => warnings.push(o), error: () => undefined });
    const acks = await Promise.all(
      [startedEvent("r"), finishedEvent("r"), finishedEvent("r", { eventId: "flip", exitCode: 1 }), finishedEvent("r", { eventId: "resend" })].map((e) => batcher.submit(e)),
    );
    assert.deepEqual(acks.map((a) => a.outcome), ["STORED", "STORED", "REJECTED", "DUPLICATE"]);
    assert.equal(acks[2]?.error, "run r already has a different run_finished (exit 0); a run is an audit record written once");
    assert.equal(batcher.stats.refused, 1);
    assert.deepEqual(warnings, [{ eventId: "flip", runId: "r", reason: acks[2]?.error, refused: 1 }]);
    assert.equal((await store.getRun("r"))?.status, "succeeded");
    await batcher.drain();
    await store.close();
  });
});

void describe("EventBatcher when the store refuses one event", () => {
  void it("stores the rest of the batch and rejects only that event, as its own fault (not UNAVAILABLE)", async () => {
    const store = openSqliteStore(":memory:");
    const picky = new FaultyStore(store).fail("append", (events) => (events.some((e) => e.eventId === "bad#started") ? new Error("Cannot parse input") : undefined));
    const batcher = new EventBatcher(picky, { maxBatchEvents: 10, maxBatchDelayMs: 5 });
    const results = await Promise.allSettled(["a", "bad", "b"].map((id) => batcher.submit(startedEvent(id))));
    assert.deepEqual(
      results.map((r) => (r.status === "fulfilled" ? r.value.outcome : (r.reason as { code: string }).code)),
      ["STORED", "INTERNAL", "STORED"],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason), /the store refused event bad#started: Cannot parse input/);
    assert.notEqual(await store.getRun("a"), undefined);
    assert.notEqual(await store.getRun("b"), undefined);
    await batcher.drain();
    await store.close();
  });
});

void describe("isStoreOutage", () => {
  void it("calls a SQLite file another connection holds locked an outage, as the batcher does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-outage-"));
    const store = openSqliteStore(join(dir, "x.db"), { busyTimeoutMs: 50 });
    const other = new Database(join(dir, "x.db"));
    try {
      other.exec("BEGIN EXCLUSIVE");
      const err = await store.append([startedEvent("locked")]).then(
        () => assert.fail("stored while another writer held the lock"),
        (e: unknown) => e,
      );
      assert.equal((err as { code?: string }).code, "SQLITE_BUSY");
      assert.equal(isStoreOutage(err), true);
      const batcher = new EventBatcher(store, { maxBatchEvents: 10, maxBatchDelayMs: 1 });
      await assert.rejects(batcher.submit(startedEvent("locked")), { code: "UNAVAILABLE" });
      other.exec("ROLLBACK");
      assert.equal((await batcher.submit(startedEvent("locked"))).outcome, "STORED");
      await batcher.drain();
    } finally {
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it("tells ClickHouse down or misconfigured from a value it refuses", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    assert.equal(isStoreOutage(translateClickHouseError(refused, "insert")), true);
    assert.equal(isStoreOutage(translateClickHouseError(new Error("Code: 516, e.displayText() = DB::Exception: bad password"), "insert")), true);
    assert.equal(isStoreOutage(translateClickHouseError(new Error("Code: 242, e.displayText() = DB::Exception: Table is in readonly mode"), "insert")), true);
    assert.equal(isStoreOutage(translateClickHouseError(new Error("Code: 27, e.displayText() = DB::Exception: Cannot parse input"), "insert")), false);
    assert.equal(isStoreOutage(Object.assign(new Error("UNIQUE constraint failed"), { code: "SQLITE_CONSTRAINT_UNIQUE" })), false);
    assert.equal(isStoreOutage(new TypeError("Cannot read properties of undefined")), false);
  });
});
