// GET /api/v1/runs pages with a cursor and filters on orchestrator and time; the web UI's files
// are served at / beside the API without changing the API's own answers. A real SQLite store,
// the real fastify app (inject), a UI build folder made in the test.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import type { RunPage } from "../../core/api-types.js";
import { buildHttpApi } from "../../collector/query/http-api.js";
import { openSqliteStore } from "../../collector/store/sqlite-store.js";
import type { Store } from "../../collector/store/store.js";
import { startedEvent } from "../helpers/collector-fixtures.js";
import { MemoryBlobStore } from "../helpers/memory-blob-store.js";

const T = 1_714_200_000_000;

describe("HTTP API: the runs list in pages, and the web UI beside it", () => {
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-http-page-"));
  let store: Store;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  before(async () => {
    store = openSqliteStore(join(dir, "s.db"));
    await store.append(
      Array.from({ length: 5 }, (_, i) => startedEvent(`r-${i}`, { time: T + (i < 3 ? 0 : i * 1000), kind: i % 2 === 0 ? "SLURM" : "AIRFLOW" })),
    );
    const ui = join(dir, "ui");
    mkdirSync(join(ui, "assets"), { recursive: true });
    writeFileSync(join(ui, "index.html"), "<!doctype html><title>snaptrail</title>");
    writeFileSync(join(ui, "assets", "app-1.js"), "console.log(1)");
    const deps = { store, blobs: new MemoryBlobStore(), logger: pino({ level: "silent" }) };
    app = await buildHttpApi({ ...deps, webUiDir: ui });
    bare = await buildHttpApi({ ...deps, webUiDir: null });
  });
  after(async () => {
    await app.close();
    await bare.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const page = async (query: string) => {
    const res = await app.inject(`/api/v1/runs?${query}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<RunPage>();
    return { ids: body.runs.map((r) => r.runId), next: body.nextCursor };
  };

  it("gives a cursor that leads through every run once, newest first, ties by id", async () => {
    const seen: string[][] = [];
    let cursor: string | null = null;
    do {
      const p = await page(`limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      seen.push(p.ids);
      cursor = p.next;
    } while (cursor !== null && seen.length < 10);
    assert.deepEqual(seen, [["r-4", "r-3"], ["r-2", "r-1"], ["r-0"]]);
    assert.equal((await page("limit=5")).next, null, "a page that holds the last run has no next cursor");
  });

  it("keeps the cursor within the filters it is passed with", async () => {
    const first = await page("orchestrator=SLURM&limit=1");
    assert.deepEqual(first.ids, ["r-4"]);
    assert.deepEqual((await page(`orchestrator=SLURM&limit=5&cursor=${encodeURIComponent(first.next!)}`)).ids, ["r-2", "r-0"]);
    assert.deepEqual((await page(`since=${T + 3000}`)).ids, ["r-4", "r-3"]);
    assert.deepEqual((await page(`until=${new Date(T + 3000).toISOString()}`)).ids, ["r-2", "r-1", "r-0"]);
  });

  it("refuses a cursor it did not give out, a bad time and an unknown orchestrator with 400 and the parameter", async () => {
    for (const [query, parameter] of [
      ["cursor=not-a-cursor", "cursor"],
      [`cursor=${Buffer.from('["x","y"]').toString("base64url")}`, "cursor"],
      ["since=yesterday", "since"],
      ["until=2026-13-45", "until"],
      ["orchestrator=CRON", "orchestrator"],
    ] as const) {
      const res = await app.inject(`/api/v1/runs?${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json<{ code: string; parameter: string }>().code, "BAD_INPUT");
      assert.equal(res.json<{ parameter: string }>().parameter, parameter, query);
    }
  });

  it("serves the UI at /, its files, and index.html for a browser's client routes; API paths and scripts keep JSON answers", async () => {
    const page = (url: string) => app.inject({ url, headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    for (const path of ["/", "/runs/r-1", "/compare?a=r-1&b=r-2"]) {
      const res = await page(path);
      assert.equal(res.statusCode, 200, path);
      assert.match(res.headers["content-type"] as string, /^text\/html/, path);
      assert.match(res.body, /<title>snaptrail<\/title>/, path);
    }
    assert.equal((await app.inject("/assets/app-1.js")).body, "console.log(1)");
    assert.equal((await page("/assets/missing-2.js")).statusCode, 404, "a missing asset is not the app");
    // A script asking for a client route gets the JSON 404 it always got.
    assert.equal((await app.inject("/runs/r-1")).statusCode, 404);
    for (const path of ["/api/v1/nothing", "/api/nothing", "/healthz/x"]) {
      const res = await page(path);
      assert.equal(res.statusCode, 404, path);
      assert.equal(res.json<{ code: string }>().code, "NOT_FOUND", path);
    }
    const post = await app.inject({ method: "POST", url: "/index.html" });
    assert.equal(post.statusCode, 405);
    assert.equal((await app.inject({ method: "POST", url: "/api/v1/nothing" })).statusCode, 404);
  });

  it("without a UI build, / is the API's JSON 404", async () => {
    const res = await bare.inject("/");
    assert.equal(res.statusCode, 404);
    assert.equal(res.json<{ code: string }>().code, "NOT_FOUND");
  });
});
