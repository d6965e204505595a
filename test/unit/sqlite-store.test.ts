import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createStore } from "../../collector/store/create-store.js";
import { normalisePackageName, versionMatcher } from "../../collector/store/package-match.js";
import { SCHEMA_VERSION, SQLITE_MIGRATIONS } from "../../collector/store/sqlite-schema.js";
import { openSqliteStore, type SqliteStore } from "../../collector/store/sqlite-store.js";
import { startedEvent } from "../helpers/collector-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "snaptrail-sqlite-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function fresh(): { store: SqliteStore; path: string } {
  const path = join(dir, `store-${++n}.db`);
  return { store: openSqliteStore(path), path };
}

void describe("SqliteStore", () => {
  void it("migrates a version 1 file with runs in it: old runs read with no outputs, cache links or parent", async () => {
    const path = join(dir, `store-${++n}.db`);
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(path);
    db.exec(SQLITE_MIGRATIONS[0]!);
    db.pragma("user_version = 1");
    db.prepare(
      "INSERT INTO runs (run_id, orchestrator, pipeline, pipeline_run, step, attempt, status, hostname, agent_version, warnings, sort_unix_ms, updated_unix_ms) " +
        "VALUES ('old-run', 'LOCAL', 'p', '', 's', 0, 'succeeded', 'h', '0.1.0', '[]', 1, 1)",
    ).run();
    db.close();
    const store = openSqliteStore(path);
    try {
      const run = await store.getRun("old-run");
      assert.deepEqual(run?.outputs, []);
      assert.equal(run?.cacheKey, null);
      assert.equal(run?.cachedFrom, null);
      assert.deepEqual(await store.findCacheHits(`sha256:${"a".repeat(64)}`, 5), []);
      assert.equal(run?.parentRunId, null);
      assert.deepEqual(run?.children, []);
      await store.append([startedEvent("old-run.0", { parentRunId: "old-run" })]);
      assert.deepEqual((await store.getRun("old-run"))?.children, ["old-run.0"]);
    } finally {
      await store.close();
    }
  });

  void it("opens with WAL, synchronous=FULL and the current schema version, and reopening is idempotent", async () => {
    const { store, path } = fresh();
    await store.close();
    const again = openSqliteStore(path);
    await again.close();
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(path, { readonly: true });
    try {
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
      assert.equal(db.pragma("user_version", { simple: true }), SCHEMA_VERSION);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
      assert.deepEqual(tables, ["events", "outputs", "packages", "runs", "snapshots", "tokens"]);
    } finally {
      db.close();
    }
    const check = openSqliteStore(path);
    try {
      // synchronous is per connection: check on a store-opened one.
      const raw = (check as unknown as { db: { pragma(s: string, o: object): unknown } }).db;
      assert.equal(raw.pragma("synchronous", { simple: true }), 2);
    } finally {
      await check.close();
    }
  });

  void it("fails a read of a run whose stored JSON column is not JSON with INTERNAL, as the ClickHouse store does", async () => {
    const { store, path } = fresh();
    try {
      await store.append([startedEvent("damaged")]);
      const Database = (await import("better-sqlite3")).default;
      const db = new Database(path);
      db.prepare("UPDATE runs SET config = ? WHERE run_id = ?").run("{not json", "damaged");
      db.close();
      await assert.rejects(store.getRun("damaged"), { code: "INTERNAL", message: /^a stored run column is not JSON: / });
      // A list reads no JSON column: the damaged run is still listed.
      assert.deepEqual(
        (await store.listRuns({})).map((r) => r.runId),
        ["damaged"],
      );
    } finally {
      await store.close();
    }
  });

  void it("lists and shows a run stored before ingest checked times, its out-of-range times read as unknown", async () => {
    const { store, path } = fresh();
    try {
      await store.append([startedEvent("from-the-past"), startedEvent("healthy", { time: 1_714_000_001_000 })]);
      const Database = (await import("better-sqlite3")).default;
      const db = new Database(path);
      // What the probe left behind: times a Date cannot hold.
      db.prepare("UPDATE runs SET started_unix_ms = ?, finished_unix_ms = ?, sort_unix_ms = ? WHERE run_id = ?").run(1e16, 2 ** 63, 1, "from-the-past");
      db.close();
      const runs = await store.listRuns({});
      assert.deepEqual(runs.map((r) => [r.runId, r.startedAt, r.finishedAt]), [
        ["healthy", "2024-04-24T23:06:41.000Z", null],
        ["from-the-past", null, null],
      ]);
      assert.equal((await store.getRun("from-the-past"))?.startedAt, null);
    } finally {
      await store.close();
    }
  });

  void it("creates its database, WAL and folders private (0600 / 0700) whatever the umask, and names a looser file once", async () => {
    const old = process.umask(0o022);
    try {
      const path = join(dir, "private", "deeper", "store.db");
      const store = openSqliteStore(path);
      await store.append([startedEvent("secret-run")]);
      const modeOf = (p: string) => statSync(p).mode & 0o777;
      assert.equal(modeOf(path), 0o600);
      assert.equal(modeOf(`${path}-wal`), 0o600);
      assert.equal(modeOf(`${path}-shm`), 0o600);
      assert.equal(modeOf(join(dir, "private", "deeper")), 0o700);
      assert.equal(modeOf(join(dir, "private")), 0o700);
      await store.close();

      chmodSync(path, 0o644);
      const warnings: string[] = [];
      const again = openSqliteStore(path, { logger: { warn: (_o, msg) => warnings.push(msg) } });
      await again.close();
      assert.equal(warnings.length, 1, warnings.join("\n"));
      assert.match(warnings[0] ?? "", /store\.db is readable beyond its owner \(mode 0644: open to group and others\)/);
    } finally {
      process.umask(old);
    }
  });

  void it("createStore accepts sqlite:PATH and a bare path, and checks a clickhouse URL before connecting", async () => {
    const viaScheme = await createStore(`sqlite:${join(dir, "scheme.db")}`);
    await viaScheme.close();
    const viaTriple = await createStore(`sqlite://${join(dir, "triple.db")}`);
    await viaTriple.close();
    const bare = await createStore(join(dir, "nested", "deeper", "bare.db"));
    await bare.append([startedEvent("x")]);
    assert.equal((await bare.listRuns({})).length, 1);
    await bare.close();
    const memory = await createStore(":memory:");
    await memory.close();
    await assert.rejects(createStore("clickhouse://u:secret@localhost:8123/snaptrail"), { code: "BAD_CONFIG", message: /must not carry a password/ });
    await assert.rejects(createStore("clickhouse://localhost:8123/snap-trail"), { code: "BAD_CONFIG", message: /one word/ });
    await assert.rejects(createStore("postgres://x"), { code: "BAD_CONFIG" });
    await assert.rejects(createStore(""), { code: "BAD_CONFIG" });
  });

  void it("package helpers: PEP 503 names and version matchers", () => {
    assert.equal(normalisePackageName("Typing_Extensions"), "typing-extensions");
    assert.equal(normalisePackageName("zope.interface"), "zope-interface");
    assert.equal(normalisePackageName("A-_.b"), "a-b");
    assert.deepEqual(versionMatcher("2.7.1"), { kind: "exact", version: "2.7.1" });
    const spec = versionMatcher(">=2, <3");
    assert.equal(spec.kind, "specifier");
    assert.ok(spec.kind === "specifier" && spec.matches("2.7.1") && !spec.matches("3.0") && !spec.matches("not-a-version"));
  });
});
