// ClickHouseStore against a real clickhouse-server (Debian's 18.16 here): the Store contract,
// the escaping function with hostile strings, migrations, credentials, and duplicates written by
// two collectors at once. The server is started by test/helpers/clickhouse-server.ts; when it
// cannot be, this file fails.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CLICKHOUSE_SCHEMA_VERSION } from "../../collector/store/clickhouse-schema.js";
import { parseClickHouseUrl } from "../../collector/store/clickhouse-store-options.js";
import { openClickHouseStore } from "../../collector/store/clickhouse-store.js";
import { createStore } from "../../collector/store/create-store.js";
import { quoteClickHouseString } from "../../collector/store/quote-clickhouse-string.js";
import { HOSTILE_STRINGS, fullRun, storeContract } from "../contract/store-contract.js";
import { finishedEvent, startedEvent } from "../helpers/collector-fixtures.js";
import { startClickHouseServer, TEST_PASSWORD, type ClickHouseServer } from "../helpers/clickhouse-server.js";

let server: ClickHouseServer;
const env = { SNAPTRAIL_CLICKHOUSE_PASSWORD: TEST_PASSWORD };
let n = 0;
const freshDatabase = (): string => `contract_${process.pid}_${++n}`;

before(async () => {
  server = await startClickHouseServer();
});
after(async () => {
  await server?.destroy();
});

storeContract("clickhouse 18.16", () => createStore(server.storeUrl(freshDatabase()), { env }));

void describe("quoteClickHouseString against the real server", () => {
  const extra = ["", "a", "\u0000", "\\\\\\", "'''", "\u2028\u2029", "\ufeffbom", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\\x41", "\\0", "$1 ?", "--", "/*", "*/"];
  for (const text of [...HOSTILE_STRINGS, ...extra]) {
    void it(`round-trips ${JSON.stringify(text)} byte for byte`, async () => {
      const body = await server.sql(`SELECT ${quoteClickHouseString(text)} AS v, length(${quoteClickHouseString(text)}) AS n FORMAT JSONEachRow`);
      const row = JSON.parse(body) as { v: string; n: number | string };
      assert.equal(row.v, text);
      assert.equal(Number(row.n), Buffer.byteLength(text));
    });
  }

  void it("refuses lone surrogates and non-strings instead of sending something else", () => {
    assert.throws(() => quoteClickHouseString("a\ud800b"), { code: "BAD_INPUT" });
    assert.throws(() => quoteClickHouseString("\udc00"), { code: "BAD_INPUT" });
    assert.throws(() => quoteClickHouseString(5 as unknown as string), TypeError);
    assert.equal(quoteClickHouseString("😀"), "'😀'");
  });
});

void describe("ClickHouse migrations and configuration", () => {
  void it("migrates once, safely twice and from two collectors at once", async () => {
    const database = freshDatabase();
    const url = server.storeUrl(database);
    const [a, b] = await Promise.all([createStore(url, { env }), createStore(url, { env })]);
    const c = await createStore(url, { env });
    await Promise.all([a.close(), b.close(), c.close()]);
    const tables = (await server.sql(`SELECT name FROM system.tables WHERE database = '${database}' ORDER BY name`)).trim().split("\n");
    assert.deepEqual(tables, ["event_ids", "events", "outputs", "packages", "runs", "runs_by_cache_key", "runs_by_id", "runs_by_parent", "runs_by_step", "runs_by_time", "schema_migrations", "snapshots", "tokens"]);
    assert.equal(Number(await server.sql(`SELECT max(version) FROM ${database}.schema_migrations`)), CLICKHOUSE_SCHEMA_VERSION);
  });

  void it("upgrades a version 2 database with runs in place, from two collectors at once", async () => {
    const database = freshDatabase();
    const url = server.storeUrl(database);
    const first = await createStore(url, { env });
    await first.append(fullRun("before-upgrade", { numpy: "1.26.4" }));
    await first.close();
    // Back to version 2: the columns and tables of steps 3 and 4 gone, their rows forgotten.
    for (const c of ["cache_key", "cached_from", "outputs", "outputs_stored", "parent_run_id"]) await server.sql(`ALTER TABLE ${database}.runs_by_id DROP COLUMN ${c}`);
    await server.sql(`DROP TABLE ${database}.runs_by_parent`);
    await server.sql(`DROP TABLE ${database}.outputs`);
    await server.sql(`DROP TABLE ${database}.runs_by_cache_key`);
    await server.sql(`DROP TABLE ${database}.schema_migrations`);
    await server.sql(`CREATE TABLE ${database}.schema_migrations (version UInt32, description String, applied_unix_ms Int64) ENGINE = ReplacingMergeTree() ORDER BY version`);
    await server.sql(`INSERT INTO ${database}.schema_migrations VALUES (1, 'one', 0), (2, 'two', 0)`);

    const [a, b] = await Promise.all([createStore(url, { env }), createStore(url, { env })]);
    try {
      const old = await a.getRun("before-upgrade");
      assert.equal(old?.status, "succeeded");
      assert.deepEqual(old?.outputs, []);
      assert.equal(old?.cacheKey, null);
      const key = `sha256:${"a".repeat(64)}`;
      const outputs = [{ path: "m.bin", digest: `sha256:${"1".repeat(64)}`, size: 3, mode: 0o644, stored: true }];
      await b.append([startedEvent("after-upgrade", { cacheKey: key }), finishedEvent("after-upgrade", { outputs })]);
      assert.deepEqual((await a.findCacheHits(key, 5)).map((h) => [h.run.runId, h.outputs]), [["after-upgrade", outputs]]);
      assert.deepEqual((await a.findRunsByOutput(outputs[0]!.digest, 5)).map((p) => [p.run.runId, p.path]), [["after-upgrade", "m.bin"]]);
      assert.equal(old?.parentRunId, null);
      await b.append([startedEvent("after-upgrade.0", { parentRunId: "after-upgrade" })]);
      assert.deepEqual((await a.getRun("after-upgrade"))?.children, ["after-upgrade.0"]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    assert.equal(Number(await server.sql(`SELECT max(version) FROM ${database}.schema_migrations`)), CLICKHOUSE_SCHEMA_VERSION);
    const columns = (await server.sql(`SELECT name FROM system.columns WHERE database = '${database}' AND table = 'runs_by_id' AND name IN ('cache_key', 'cached_from', 'outputs', 'outputs_stored', 'parent_run_id') ORDER BY name`)).trim();
    assert.equal(columns, "cache_key\ncached_from\noutputs\noutputs_stored\nparent_run_id");
  });

  void it("refuses a schema newer than it knows", async () => {
    const database = freshDatabase();
    await (await createStore(server.storeUrl(database), { env })).close();
    await server.sql(`INSERT INTO ${database}.schema_migrations VALUES (${CLICKHOUSE_SCHEMA_VERSION + 1}, 'from the future', 0)`);
    await assert.rejects(createStore(server.storeUrl(database), { env }), { code: "BAD_CONFIG", message: /newer than this collector understands/ });
  });

  void it("reads the password from the env var or a file; a wrong one is BAD_CONFIG, not retried", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-chpw-"));
    try {
      const file = join(dir, "pw");
      writeFileSync(file, `${TEST_PASSWORD}\n`, { mode: 0o600 });
      const viaFile = await createStore(server.storeUrl(freshDatabase()), { env: { SNAPTRAIL_CLICKHOUSE_PASSWORD_FILE: file } });
      await viaFile.close();
      await assert.rejects(createStore(server.storeUrl(freshDatabase()), { env: { SNAPTRAIL_CLICKHOUSE_PASSWORD: "wrong" } }), {
        code: "BAD_CONFIG",
        message: /ClickHouse refused/,
      });
      await assert.rejects(createStore(server.storeUrl(freshDatabase()), { env: { SNAPTRAIL_CLICKHOUSE_PASSWORD_FILE: join(dir, "missing") } }), {
        code: "BAD_CONFIG",
      });
      assert.throws(() => parseClickHouseUrl(server.storeUrl("x"), { SNAPTRAIL_CLICKHOUSE_PASSWORD: "a", SNAPTRAIL_CLICKHOUSE_PASSWORD_FILE: file }), /not both/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it("parses store URLs, with defaults and named errors", () => {
    const o = parseClickHouseUrl("clickhouse://alice@db.example:9123/snap?replicated=1&cluster=main&timeout_ms=500", {});
    assert.deepEqual(o, {
      httpUrl: "http://db.example:9123",
      username: "alice",
      password: "",
      database: "snap",
      replicated: true,
      cluster: "main",
      requestTimeoutMs: 500,
    });
    const d = parseClickHouseUrl("clickhouses://h/snaptrail", {});
    assert.equal(d.httpUrl, "https://h:8443");
    assert.equal(d.username, "default");
    assert.equal(d.replicated, false);
    for (const bad of ["clickhouse://h/", "clickhouse://h/a;b", "clickhouse:///db", "clickhouse://h/db?cluster=a'b", "clickhouse://h/db?x=1", "clickhouse://h/db?timeout_ms=-1"]) {
      assert.throws(() => parseClickHouseUrl(bad, {}), { code: "BAD_CONFIG" }, bad);
    }
  });
});

void describe("ClickHouse duplicates from two collectors at once", () => {
  void it("two stores appending the same events concurrently still read back exactly once", async () => {
    const url = server.storeUrl(freshDatabase());
    const options = parseClickHouseUrl(url, env);
    const [a, b] = await Promise.all([openClickHouseStore(options), openClickHouseStore(options)]);
    try {
      const events = Array.from({ length: 20 }, (_, i) => fullRun(`race-${i}`, { numpy: "1.26.4", pydantic: `2.${i % 3}.0` }, { time: 1_714_000_000_000 + i * 1000 })).flat();
      // Both check before either writes (the race ClickHouse cannot prevent): both may say STORED.
      const [ra, rb] = await Promise.all([a.append(events), b.append(events)]);
      assert.equal(ra.length, events.length);
      assert.equal(rb.length, events.length);
      const runs = await a.listRuns({ limit: 1000 });
      assert.equal(runs.length, 20);
      assert.equal(new Set(runs.map((r) => r.runId)).size, 20);
      for (const run of runs) {
        const detail = await b.getRun(run.runId);
        assert.equal(detail?.events.length, 3, run.runId);
        assert.equal(detail?.status, "succeeded");
      }
      assert.equal((await a.listRuns({ package: "pydantic", version: ">=2.1", limit: 1000 })).length, 13);
      assert.equal((await a.findRunIds("race-1", 100)).length, 11);
      // A later resend through either is a duplicate everywhere.
      assert.deepEqual(new Set(await a.append(events)), new Set(["DUPLICATE"]));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

void describe("ClickHouse fold repair after a crash between a fold's writes", () => {
  void it("a redelivery records the ids of events a crash left written but unrecorded", async () => {
    const database = freshDatabase();
    const store = await createStore(server.storeUrl(database), { env });
    try {
      const events = fullRun("crash-ids", { numpy: "1.26.4" }, { pipeline: "etl", step: "ids" });
      await store.append(events);
      // The collector died after writing the events but before their ids (the commit), so the
      // delivery was never acked and comes again: it completes the commit, it is no duplicate.
      await server.sql(`TRUNCATE TABLE ${database}.event_ids`);
      assert.deepEqual(await store.append(events), ["STORED", "STORED", "STORED"]);
      assert.equal((await server.sql(`SELECT uniqExact(event_id) FROM ${database}.event_ids WHERE run_id = 'crash-ids'`)).trim(), "3");
      assert.deepEqual(await store.append(events), ["DUPLICATE", "DUPLICATE", "DUPLICATE"]);
      const run = await store.getRun("crash-ids");
      assert.equal(run?.status, "succeeded");
      assert.equal(run?.events.length, 3, "each event read back once");
    } finally {
      await store.close();
    }
  });

  void it("a redelivery rewrites a fold that a list table or runs_by_id lacks", async () => {
    const database = freshDatabase();
    const store = await createStore(server.storeUrl(database), { env });
    try {
      const events = fullRun("crash-1", { numpy: "1.26.4" }, { pipeline: "etl", step: "load" });
      await store.append(events);
      // The collector died after runs_by_id but before the list tables, then the agent resends.
      await server.sql(`TRUNCATE TABLE ${database}.runs_by_step`);
      await server.sql(`TRUNCATE TABLE ${database}.runs_by_time`);
      assert.deepEqual(await store.listRuns({ pipeline: "etl", step: "load" }), []);
      assert.deepEqual(await store.append(events), ["DUPLICATE", "DUPLICATE", "DUPLICATE"]);
      assert.deepEqual((await store.listRuns({ pipeline: "etl", step: "load" })).map((r) => r.runId), ["crash-1"]);
      assert.deepEqual((await store.listRuns({})).map((r) => r.runId), ["crash-1"]);
      // It died before runs_by_id (the list rows carry a version runs_by_id never got).
      await server.sql(`TRUNCATE TABLE ${database}.runs_by_id`);
      assert.deepEqual(await store.listRuns({}), []);
      assert.deepEqual(await store.append([events[2]!]), ["DUPLICATE"]);
      assert.equal((await store.getRun("crash-1"))?.status, "succeeded");
      assert.deepEqual((await store.listRuns({ pipeline: "etl" })).map((r) => r.runId), ["crash-1"]);
    } finally {
      await store.close();
    }
  });
});
