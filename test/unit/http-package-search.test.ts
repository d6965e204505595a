// Package search over the HTTP API: which runs ran with a package (a version or a PEP 440
// specifier), with the version each had, in stable pages; the runs list by environment digest;
// and the OpenAPI document that describes these routes. A real SQLite store, the real fastify
// app (inject).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import type { PackageRunPage, RunPage } from "../../core/api-types.js";
import { buildHttpApi } from "../../collector/query/http-api.js";
import { openSqliteStore } from "../../collector/store/sqlite-store.js";
import type { Store } from "../../collector/store/store.js";
import { fullRun } from "../contract/store-contract.js";
import { MemoryBlobStore } from "../helpers/memory-blob-store.js";

const T = 1_714_300_000_000;

describe("HTTP API: package search and the OpenAPI document", () => {
  let store: Store;
  let app: FastifyInstance;
  before(async () => {
    store = openSqliteStore(":memory:");
    // Seven runs of one step: torch moves 2.2.2 -> 2.3.1 -> 2.4.0; two share an environment.
    const torch = ["2.2.2", "2.2.2", "2.3.1", "2.3.1", "2.4.0", "2.3.1", "2.4.0"];
    for (const [i, version] of torch.entries()) {
      await store.append(fullRun(`run-${i}`, { torch: version, numpy: i === 6 ? "2.0.0" : "1.26.4" }, { time: T + i * 1000, exitCode: i === 4 ? 1 : 0 }));
    }
    await store.append(fullRun("no-torch", { numpy: "1.26.4" }, { time: T + 9000 }));
    app = await buildHttpApi({ store, blobs: new MemoryBlobStore(), logger: pino({ level: "silent" }), webUiDir: null });
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  const search = async (path: string): Promise<PackageRunPage> => {
    const res = await app.inject(path);
    assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
    return res.json<PackageRunPage>();
  };
  const rows = (page: PackageRunPage) => page.runs.map((r) => `${r.run.runId}@${r.versions.join("+")}`);

  it("lists the runs with a package, newest first, each with the version it had, any spelling of the name", async () => {
    const page = await search("/api/v1/packages/Torch/runs");
    assert.equal(page.package, "torch");
    assert.deepEqual(rows(page), ["run-6@2.4.0", "run-5@2.3.1", "run-4@2.4.0", "run-3@2.3.1", "run-2@2.3.1", "run-1@2.2.2", "run-0@2.2.2"]);
    assert.equal(page.nextCursor, null);
    assert.equal(page.runs[2]?.run.status, "failed");
  });

  it("narrows to an exact version (where else is this version used) or a PEP 440 specifier", async () => {
    assert.deepEqual(rows(await search("/api/v1/packages/torch/runs?version=2.3.1")), ["run-5@2.3.1", "run-3@2.3.1", "run-2@2.3.1"]);
    assert.deepEqual(rows(await search(`/api/v1/packages/torch/runs?version=${encodeURIComponent(">=2.3,<2.4")}`)), [
      "run-5@2.3.1",
      "run-3@2.3.1",
      "run-2@2.3.1",
    ]);
    assert.deepEqual(rows(await search(`/api/v1/packages/torch/runs?version=${encodeURIComponent("~=2.4")}&status=failed`)), ["run-4@2.4.0"]);
    assert.deepEqual(rows(await search("/api/v1/packages/torch/runs?version=9.9")), []);
    assert.deepEqual(rows(await search("/api/v1/packages/absent-package/runs")), []);
  });

  it("pages with a cursor through every run once, in the same order", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await search(`/api/v1/packages/torch/runs?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      seen.push(...rows(page));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen, rows(await search("/api/v1/packages/torch/runs")));
  });

  it("filters runs on an environment digest, in the list and in a package search", async () => {
    const run3 = (await store.getRun("run-3"))!;
    const list = await app.inject(`/api/v1/runs?environment=${run3.environmentDigest}`);
    assert.equal(list.statusCode, 200, list.body);
    // run-2, run-3 and run-5 ran in the same environment (torch 2.3.1, numpy 1.26.4).
    assert.deepEqual(list.json<RunPage>().runs.map((r) => r.runId), ["run-5", "run-3", "run-2"]);
    assert.deepEqual(rows(await search(`/api/v1/packages/numpy/runs?environment=${run3.environmentDigest}&limit=1`)).length, 1);
  });

  it("refuses a bad name, version, digest or limit with 400 naming the parameter", async () => {
    for (const [path, parameter] of [
      ["/api/v1/packages/-torch/runs", "name"],
      [`/api/v1/packages/${encodeURIComponent("torch'; --")}/runs`, "name"],
      [`/api/v1/packages/torch/runs?version=${encodeURIComponent("((((")}`, "version"],
      ["/api/v1/packages/torch/runs?environment=sha256:zz", "environment"],
      ["/api/v1/runs?environment=abc", "environment"],
      ["/api/v1/packages/torch/runs?limit=1001", "limit"],
      ["/api/v1/packages/torch/runs?package=numpy", undefined],
    ] as const) {
      const res = await app.inject(path);
      assert.equal(res.statusCode, 400, `${path}: ${res.body}`);
      const body = res.json<{ code: string; message: string; parameter?: string }>();
      assert.equal(body.code, "BAD_INPUT", path);
      assert.equal(body.parameter, parameter, `${path}: ${body.message}`);
    }
  });

  it("serves an OpenAPI 3.1 document of every API route, with the parameters the routes check", async () => {
    const res = await app.inject("/api/v1/openapi.json");
    assert.equal(res.statusCode, 200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema: Record<string, unknown> }[]; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } }>();
    assert.equal(doc.openapi, "3.1.0");
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      "/api/v1/blobs/{digest}",
      "/api/v1/cache/{key}",
      "/api/v1/diff",
      "/api/v1/outputs/{digest}",
      "/api/v1/packages/{name}/runs",
      "/api/v1/runs",
      "/api/v1/runs/{runId}",
      "/api/v1/snapshots/{digest}",
      "/api/v1/timeline",
      "/healthz",
      "/readyz",
    ]);
    for (const [path, methods] of Object.entries(doc.paths)) assert.deepEqual(Object.keys(methods), ["get"], path);
    const search = doc.paths["/api/v1/packages/{name}/runs"]!.get!;
    const limit = search.parameters?.find((p) => p.name === "limit");
    assert.deepEqual(limit?.schema, { type: "integer", minimum: 1, maximum: 1000 });
    assert.equal(search.parameters?.find((p) => p.name === "name")?.in, "path");
    assert.deepEqual(Object.keys(search.responses).sort(), ["200", "400", "401", "403", "414", "431", "503"]);
    const timeline = doc.paths["/api/v1/timeline"]!.get!.parameters ?? [];
    assert.deepEqual(timeline.filter((p) => (p as { required?: boolean }).required).map((p) => p.name).sort(), ["pipeline", "step"]);
    assert.ok(doc.components.schemas.RunSummary && doc.components.schemas.PackageRunPage && doc.components.schemas.StepTimeline && doc.components.schemas.Error);
    assert.ok(!Object.keys(doc.components.schemas).some((name) => name.endsWith("Input")), Object.keys(doc.components.schemas).join(" "));
  });
});
