import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { snapshotDigest } from "../../core/digest.js";
import type { SnapshotEvent } from "../../core/model.js";
import { createStore } from "../../collector/store/create-store.js";
import { normalisePackageName, versionMatcher } from "../../collector/store/package-match.js";
import { SCHEMA_VERSION } from "../../collector/store/sqlite-schema.js";
import { openSqliteStore, type SqliteStore } from "../../collector/store/sqlite-store.js";
import { capturedEvent, codeSnapshot, envSnapshot, finishedEvent, hostSnapshot, startedEvent } from "../helpers/collector-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "snaptrail-sqlite-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function fresh(): { store: SqliteStore; path: string } {
  const path = join(dir, `store-${++n}.db`);
  return { store: openSqliteStore(path), path };
}

function fullRun(runId: string, packages: Record<string, string>, o: { time?: number; pipeline?: string; step?: string; exitCode?: number } = {}): SnapshotEvent[] {
  const time = o.time ?? 1_714_000_000_000;
  return [
    startedEvent(runId, { time, pipeline: o.pipeline ?? "nightly_train", step: o.step ?? "train" }),
    capturedEvent(runId, { environment: { body: envSnapshot(packages) }, host: { body: hostSnapshot() }, code: { body: codeSnapshot("abc123") } }, { time: time + 100 }),
    finishedEvent(runId, { time: time + 60_000, exitCode: o.exitCode ?? 0 }),
  ];
}

void describe("SqliteStore", () => {
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
      assert.deepEqual(tables, ["events", "packages", "runs", "snapshots"]);
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

  void it("stores events once: a resent batch is all DUPLICATE and changes nothing", async () => {
    const { store } = fresh();
    try {
      const events = fullRun("airflow:dag/run1/train/1", { numpy: "1.26.4" });
      assert.deepEqual(await store.append(events), ["STORED", "STORED", "STORED"]);
      const before = await store.getRun("airflow:dag/run1/train/1");
      assert.deepEqual(await store.append(events), ["DUPLICATE", "DUPLICATE", "DUPLICATE"]);
      // The same event id with different content is still a duplicate: the first one stays.
      const changed = finishedEvent("airflow:dag/run1/train/1", { exitCode: 3 });
      assert.deepEqual(await store.append([changed]), ["DUPLICATE"]);
      assert.deepEqual(await store.getRun("airflow:dag/run1/train/1"), before);
      // Duplicates inside one batch.
      const twice = startedEvent("r-dup");
      assert.deepEqual(await store.append([twice, twice]), ["STORED", "DUPLICATE"]);
    } finally {
      await store.close();
    }
  });

  void it("merges events in any order into the same run", async () => {
    const events = fullRun("slurm:cluster/123", { torch: "2.3.0", numpy: "1.26.4" }, { exitCode: 1 });
    const orders = [
      [0, 1, 2],
      [2, 1, 0],
      [1, 2, 0],
      [2, 0, 1],
    ];
    const results = [];
    for (const order of orders) {
      const { store } = fresh();
      try {
        // One event per batch, so each arrival is merged into what is already there.
        for (const i of order) await store.append([events[i]!]);
        const run = await store.getRun("slurm:cluster/123");
        assert.ok(run);
        results.push(run);
      } finally {
        await store.close();
      }
    }
    for (const r of results.slice(1)) assert.deepEqual(r, results[0]);
    const run = results[0]!;
    assert.equal(run.status, "failed");
    assert.equal(run.exitCode, 1);
    assert.equal(run.startedAt, new Date(1_714_000_000_000).toISOString());
    assert.equal(run.finishedAt, new Date(1_714_000_060_000).toISOString());
    assert.equal(run.durationMs, 59_500);
    assert.equal(run.gitCommit, "abc123");
    assert.equal(run.hostname, "gpu-node-01");
    assert.equal(run.orchestrator, "AIRFLOW");
    assert.deepEqual(
      run.events.map((e) => e.type),
      ["runStarted", "snapshotCaptured", "runFinished"],
    );
  });

  void it("shows a finished-only run as finished and fills started fields when the start arrives", async () => {
    const { store } = fresh();
    try {
      await store.append([finishedEvent("kfp:run9/task", { signal: "SIGKILL", exitCode: -1 })]);
      let run = await store.getRun("kfp:run9/task");
      assert.equal(run?.status, "failed");
      assert.equal(run?.signal, "SIGKILL");
      assert.equal(run?.startedAt, null);
      assert.equal(run?.pipeline, "");
      await store.append([startedEvent("kfp:run9/task", { kind: "KUBEFLOW", pipeline: "kfp-pipe", step: "eval", rollbackOf: "kfp:run8/task" })]);
      run = await store.getRun("kfp:run9/task");
      assert.equal(run?.status, "failed");
      assert.equal(run?.orchestrator, "KUBEFLOW");
      assert.equal(run?.pipeline, "kfp-pipe");
      assert.equal(run?.step, "eval");
      assert.equal(run?.rollbackOf, "kfp:run8/task");
      assert.notEqual(run?.startedAt, null);
      await store.append([startedEvent("running-run")]);
      assert.equal((await store.getRun("running-run"))?.status, "running");
    } finally {
      await store.close();
    }
  });

  void it("returns RunDetail with snapshot bodies joined, config, context, warnings and events", async () => {
    const { store } = fresh();
    try {
      const env = envSnapshot({ pydantic: "2.7.1" });
      const events = fullRun("r-detail", { pydantic: "2.7.1" });
      events[1] = capturedEvent(
        "r-detail",
        { environment: { body: env }, host: { body: hostSnapshot("node-7") }, code: { body: codeSnapshot("c0ffee") } },
        { warnings: [{ source: "python", message: "pip list was slow" }] },
      );
      await store.append(events);
      const run = await store.getRun("r-detail");
      assert.ok(run);
      assert.deepEqual(run.environment, env);
      assert.equal(run.environmentDigest, snapshotDigest("environment", env));
      assert.equal(run.host?.hostname, "node-7");
      assert.equal(run.code?.git?.commit, "c0ffee");
      assert.equal(run.gitCommit, "c0ffee");
      assert.deepEqual(run.config?.argv, ["python", "train.py", "--lr", "0.1"]);
      assert.equal(run.orchestratorContext?.attributes.queue, "gpu");
      assert.equal(run.agentVersion, "0.1.0");
      assert.deepEqual(run.warnings, [{ source: "python", message: "pip list was slow" }]);
      assert.equal(run.events.length, 3);
      const stored = await store.getSnapshot(snapshotDigest("environment", env));
      assert.equal(stored?.kind, "environment");
      assert.deepEqual(stored?.body, env);
      assert.equal(await store.getRun("nope"), undefined);
    } finally {
      await store.close();
    }
  });

  void it("hasSnapshots reports stored digests only; a capture with only digests reuses stored bodies", async () => {
    const { store } = fresh();
    try {
      const env = envSnapshot({ numpy: "1.26.4" });
      const digest = snapshotDigest("environment", env);
      assert.deepEqual(await store.hasSnapshots([digest]), new Set());
      await store.append([capturedEvent("r1", { environment: { body: env } })]);
      assert.deepEqual(await store.hasSnapshots([digest, "sha256:" + "f".repeat(64), digest]), new Set([digest]));
      assert.deepEqual(await store.hasSnapshots([]), new Set());
      await store.append([capturedEvent("r2", { environment: { body: env, omitBody: true } })]);
      assert.deepEqual((await store.getRun("r2"))?.environment, env);
    } finally {
      await store.close();
    }
  });

  void describe("listRuns", () => {
    let store: SqliteStore;
    before(async () => {
      store = fresh().store;
      const t = 1_714_000_000_000;
      await store.append([
        ...fullRun("run-a", { pydantic: "1.10.13", "Typing_Extensions": "4.9.0" }, { time: t + 1000, pipeline: "etl", step: "load" }),
        ...fullRun("run-b", { pydantic: "2.7.1", numpy: "1.26.4" }, { time: t + 2000, pipeline: "etl", step: "train", exitCode: 2 }),
        ...fullRun("run-c", { pydantic: "2.0.0" }, { time: t + 3000, pipeline: "nightly", step: "train" }),
        ...fullRun("run-d", { numpy: "2.0.0" }, { time: t + 4000, pipeline: "nightly", step: "train" }),
        startedEvent("run-e", { time: t + 5000, pipeline: "nightly", step: "eval" }),
      ]);
    });
    after(() => store.close());
    const ids = async (q: Parameters<SqliteStore["listRuns"]>[0]) => (await store.listRuns(q)).map((r) => r.runId);

    void it("lists newest first with the default limit", async () => {
      assert.deepEqual(await ids({}), ["run-e", "run-d", "run-c", "run-b", "run-a"]);
      assert.deepEqual(await ids({ limit: 2 }), ["run-e", "run-d"]);
      assert.deepEqual(await ids({ limit: 0 }), ["run-e"]); // clamped to at least 1
    });

    void it("filters on pipeline, step and status", async () => {
      assert.deepEqual(await ids({ pipeline: "etl" }), ["run-b", "run-a"]);
      assert.deepEqual(await ids({ step: "train" }), ["run-d", "run-c", "run-b"]);
      assert.deepEqual(await ids({ pipeline: "nightly", step: "train" }), ["run-d", "run-c"]);
      assert.deepEqual(await ids({ status: "failed" }), ["run-b"]);
      assert.deepEqual(await ids({ status: "running" }), ["run-e"]);
      assert.deepEqual(await ids({ status: "succeeded", pipeline: "etl" }), ["run-a"]);
    });

    void it("filters on a package, any spelling (PEP 503)", async () => {
      assert.deepEqual(await ids({ package: "pydantic" }), ["run-c", "run-b", "run-a"]);
      assert.deepEqual(await ids({ package: "typing.extensions" }), ["run-a"]);
      assert.deepEqual(await ids({ package: "TYPING__EXTENSIONS" }), ["run-a"]);
      assert.deepEqual(await ids({ package: "absent" }), []);
    });

    void it("filters on an exact version or a PEP 440 specifier", async () => {
      assert.deepEqual(await ids({ package: "pydantic", version: "2.7.1" }), ["run-b"]);
      assert.deepEqual(await ids({ package: "pydantic", version: "2.7" }), []);
      assert.deepEqual(await ids({ package: "pydantic", version: ">=2,<3" }), ["run-c", "run-b"]);
      assert.deepEqual(await ids({ package: "pydantic", version: "~=1.10" }), ["run-a"]);
      assert.deepEqual(await ids({ package: "pydantic", version: "==2.*" }), ["run-c", "run-b"]);
      assert.deepEqual(await ids({ package: "pydantic", version: "!=2.0.0" }), ["run-b", "run-a"]);
      assert.deepEqual(await ids({ package: "pydantic", version: ">=2", limit: 1 }), ["run-c"]);
      assert.deepEqual(await ids({ package: "numpy", version: "<2", pipeline: "etl" }), ["run-b"]);
    });

    void it("refuses a version without a package, and an invalid specifier", async () => {
      await assert.rejects(store.listRuns({ version: "1.0" }), { code: "BAD_INPUT" });
      await assert.rejects(store.listRuns({ package: "pydantic", version: ">=2,<" }), { code: "BAD_INPUT" });
      await assert.rejects(store.listRuns({ package: "pydantic", version: "~=1" }), { code: "BAD_INPUT" });
    });

    void it("returns RunSummary fields", async () => {
      const [b] = await store.listRuns({ pipeline: "etl", step: "train" });
      assert.ok(b);
      assert.equal(b.status, "failed");
      assert.equal(b.exitCode, 2);
      assert.equal(b.pipelineRun, "scheduled__2024-05-01");
      assert.equal(b.attempt, 1);
      assert.equal(b.gitCommit, "abc123");
      assert.match(b.environmentDigest ?? "", /^sha256:/);
      assert.equal(Object.hasOwn(b, "events"), false);
    });
  });

  void it("findRunIds resolves prefixes, including ids with ':' and '/'", async () => {
    const { store } = fresh();
    try {
      for (const id of ["airflow:dag/r1/t/1", "airflow:dag/r1/t/2", "airflow:dag/r2/t/1", "slurm:c/9", "airflow:dah/x"]) {
        await store.append([startedEvent(id)]);
      }
      assert.deepEqual(await store.findRunIds("airflow:dag/r1", 10), ["airflow:dag/r1/t/1", "airflow:dag/r1/t/2"]);
      assert.deepEqual(await store.findRunIds("airflow:dag/", 10), ["airflow:dag/r1/t/1", "airflow:dag/r1/t/2", "airflow:dag/r2/t/1"]);
      assert.deepEqual(await store.findRunIds("airflow:dag/", 2), ["airflow:dag/r1/t/1", "airflow:dag/r1/t/2"]);
      assert.deepEqual(await store.findRunIds("slurm", 10), ["slurm:c/9"]);
      assert.deepEqual(await store.findRunIds("kfp", 10), []);
      assert.equal((await store.findRunIds("", 100)).length, 5);
    } finally {
      await store.close();
    }
  });

  void it("createStore accepts sqlite:PATH and a bare path, and refuses clickhouse for now", async () => {
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
    await assert.rejects(createStore("clickhouse://localhost:8123/snaptrail"), /clickhouse store is not available yet/);
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
