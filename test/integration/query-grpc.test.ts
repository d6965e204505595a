// The gRPC Query service against a real collector (SQLite, --auth tokens) holding runs that a
// real agent made (`snaptrail wrap --cache --output`, twice: a cache hit) and runs published over
// the Collector service (one Airflow step whose environment is upgraded, pydantic 1.10.13 ->
// 2.7.1, then failing; its code changing one run later). Each Query method is asked what the
// HTTP API was asked, and must answer the same: lists with filters, page by page with the same
// cursors, a run by id and by prefix, a diff, a step's timeline, package search, a snapshot,
// output producers, a cache hit, a blob. Bad requests get INVALID_ARGUMENT naming the field (the HTTP
// API refuses them too); a reader may call every method, an agent token and no token may not.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import type { CacheHit, PackageRunPage, RunDetail, RunDiff, RunPage, StepTimeline, StoredSnapshot } from "../../core/api-types.js";
import type { SnapshotEvent } from "../../core/model.js";
import { snapshotDigest } from "../../core/digest.js";
import {
  cacheHitToProto,
  outputProducersToProto,
  packageRunPageToProto,
  runDetailToProto,
  runDiffToProto,
  runPageToProto,
  snapshotToProto,
  stepTimelineToProto,
} from "../../collector/query/grpc/query-to-proto.js";
import { decodeMessage, encodeMessage } from "../../proto/event-codec.js";
import { loadCollectorGrpc } from "../../proto/grpc-definition.js";
import type { QueryClient } from "../../proto/generated/snaptrail/v1/Query.js";
import type { RunPage__Output } from "../../proto/generated/snaptrail/v1/RunPage.js";
import type { RunDetail__Output } from "../../proto/generated/snaptrail/v1/RunDetail.js";
import type { RunDiff__Output } from "../../proto/generated/snaptrail/v1/RunDiff.js";
import type { StepTimelinePage__Output } from "../../proto/generated/snaptrail/v1/StepTimelinePage.js";
import type { PackageRunPage__Output } from "../../proto/generated/snaptrail/v1/PackageRunPage.js";
import { capturedEvent, codeSnapshot, envSnapshot, finishedEvent, hostSnapshot, startedEvent } from "../helpers/collector-fixtures.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { commitRepo } from "../helpers/git.js";
import { callQuery, callQueryRaw, getBlobChunks, QUERY_METHODS, queryClient, type QueryMethod } from "../helpers/query-grpc-client.js";
import { runCli } from "../helpers/run-cli.js";

const T0 = Date.UTC(2026, 4, 1);
const HOUR = 3_600_000;
const ENV_OLD = envSnapshot({ pydantic: "1.10.13", langchain: "0.1.20", numpy: "1.26.4" });
const ENV_NEW = envSnapshot({ pydantic: "2.7.1", langchain: "0.2.1", numpy: "1.26.4" });
const CODE_A = codeSnapshot("a".repeat(40));
const CODE_B = codeSnapshot("b".repeat(40));
const trainRun = (n: number) => `airflow:nightly_train/run-${n}/train/1`;

/** One run's events: started at T0 + `hour` hours, its snapshots, and (unless running) its end. */
function runEvents(runId: string, o: { hour: number; kind?: "AIRFLOW" | "SLURM"; pipeline: string; step: string; env: typeof ENV_OLD; code: typeof CODE_A; exitCode?: number }): SnapshotEvent[] {
  const time = T0 + o.hour * HOUR;
  const events = [
    startedEvent(runId, { time, kind: o.kind ?? "AIRFLOW", pipeline: o.pipeline, pipelineRun: `run-${o.hour}`, step: o.step }),
    capturedEvent(runId, { environment: { body: o.env }, host: { body: hostSnapshot() }, code: { body: o.code } }, { time: time + 500 }),
  ];
  if (o.exitCode !== undefined) events.push(finishedEvent(runId, { time: time + 60_000, exitCode: o.exitCode, durationMs: 59_000 }));
  return events;
}

void describe("gRPC Query service", () => {
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-query-grpc-"));
  const db = join(dir, "snaptrail.db");
  const tokens = { reader: "", agent: "" };
  let collector: CollectorProcess;
  let client: QueryClient;
  let wrapRuns: RunDetail[] = [];

  const http = async <T>(path: string, token = tokens.reader): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${collector.httpUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as T };
  };
  const httpOk = async <T>(path: string): Promise<T> => {
    const res = await http<T>(path);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** A call with the reader's token, another token, or (null) none. */
  const query = <T>(method: QueryMethod, request: object, token: string | null = tokens.reader) => callQuery<T>(client, method, request, token ?? undefined);
  /** An answer as a gRPC client decodes it: through the wire, with the loader's options. */
  const asDecoded = (type: string, value: object): unknown => decodeMessage(type, encodeMessage(type, value));

  before(async () => {
    for (const role of ["reader", "agent"] as const) {
      const r = await runCli(["token", "create", "--db", db, "--role", role, "--name", `query ${role}`]);
      assert.equal(r.code, 0, r.stderr);
      tokens[role] = r.stdout.toString().trim();
    }
    collector = await startCollectorProcess({ db, blobDir: join(dir, "blobs"), args: ["--auth", "tokens"] });

    // A real agent: the same job wrapped twice with --cache; the second run is a cache hit.
    const repo = join(dir, "repo");
    // Its output is 3 MB: GetBlob streams it in 1 MiB chunks.
    commitRepo(repo, { "job.sh": "yes model | head -c 3000000 > out.bin\n" }, "job");
    const env = {
      ...process.env,
      SNAPTRAIL_COLLECTOR: collector.grpcAddress,
      SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl,
      SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
      SNAPTRAIL_CACHE_DIR: join(dir, "cache"),
      SNAPTRAIL_TOKEN: tokens.agent,
      SNAPTRAIL_FINISH_TIMEOUT_MS: "10000",
    };
    for (const n of [1, 2]) {
      const r = await runCli(["wrap", "--cache", "--output", "out.bin", "--", "sh", "job.sh"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: `local:query-grpc/cache-${n}` } });
      assert.equal(r.code, 0, r.stderr);
    }

    // One Airflow step over five nights: the environment upgraded on night 3 (failing from then
    // on), the code changed on night 4, night 5 still running; a second step; a Slurm job.
    const events: SnapshotEvent[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      events.push(
        ...runEvents(trainRun(n), {
          hour: n * 24,
          pipeline: "nightly_train",
          step: "train",
          env: n <= 2 ? ENV_OLD : ENV_NEW,
          code: n <= 3 ? CODE_A : CODE_B,
          ...(n <= 2 ? { exitCode: 0 } : n <= 4 ? { exitCode: 1 } : {}),
        }),
      );
    }
    for (const n of [1, 2]) events.push(...runEvents(`airflow:nightly_train/run-${n}/evaluate/1`, { hour: n * 24 + 1, pipeline: "nightly_train", step: "evaluate", env: ENV_OLD, code: CODE_A, exitCode: 0 }));
    events.push(...runEvents("slurm:c1/42", { hour: 30, kind: "SLURM", pipeline: "sim", step: "", env: ENV_NEW, code: CODE_B, exitCode: 0 }));
    const { proto } = await loadCollectorGrpc();
    const collectorClient = new proto.snaptrail.v1.Collector(collector.grpcAddress, grpc.credentials.createInsecure());
    await new Promise<void>((resolve, reject) => {
      const metadata = new grpc.Metadata();
      metadata.set("authorization", `Bearer ${tokens.agent}`);
      const call = collectorClient.publish(metadata);
      let acked = 0;
      call.on("data", (ack: { outcome: string; error: string }) => {
        if (ack.outcome !== "STORED" && ack.outcome !== "DUPLICATE") reject(new Error(`event refused: ${JSON.stringify(ack)}`));
        if (++acked === events.length) call.end();
      });
      call.on("error", reject);
      call.on("end", resolve);
      for (const event of events) call.write({ event });
    });
    collectorClient.close();

    client = await queryClient(collector.grpcAddress);
    wrapRuns = await Promise.all([1, 2].map((n) => httpOk<RunDetail>(`/api/v1/runs/${encodeURIComponent(`local:query-grpc/cache-${n}`)}`)));
  });
  after(async () => {
    client?.close();
    const exit = await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(exit, { code: 0, signal: null }, collector?.stderr());
  });

  void it("lists runs as GET /api/v1/runs does, filter by filter", async () => {
    const envNew = snapshotDigest("environment", ENV_NEW);
    const cases: [string, object][] = [
      ["", {}],
      ["status=failed", { filters: { status: "FAILED" } }],
      ["status=running", { filters: { status: "RUNNING" } }],
      ["pipeline=nightly_train&step=evaluate", { filters: { pipeline: "nightly_train", step: "evaluate" } }],
      ["package=Pydantic&version=%3E%3D2", { package: "Pydantic", filters: { version: ">=2" } }],
      ["package=langchain&version=0.1.20", { package: "langchain", filters: { version: "0.1.20" } }],
      [`environment=${envNew}`, { filters: { environment: envNew } }],
      ["orchestrator=SLURM", { filters: { orchestrator: "SLURM" } }],
      [`since=${T0 + 48 * HOUR}&until=${T0 + 96 * HOUR}`, { filters: { sinceUnixMs: T0 + 48 * HOUR, untilUnixMs: T0 + 96 * HOUR } }],
      ["limit=3", { filters: { limit: 3 } }],
    ];
    for (const [search, request] of cases) {
      const expected = await httpOk<RunPage>(`/api/v1/runs?${search}`);
      const answer = await query<RunPage__Output>("listRuns", request);
      assert.deepEqual(answer, asDecoded("RunPage", runPageToProto(expected)), `?${search}`);
    }
    // Some of those found something, and each kind of answer was looked at by eye once.
    const failed = await query<RunPage__Output>("listRuns", { filters: { status: "FAILED" } });
    assert.deepEqual(failed.runs.map((r) => r.runId), [trainRun(4), trainRun(3)]);
    const first = failed.runs[0]!;
    assert.equal(first.status, "FAILED");
    assert.equal(first.orchestrator, "AIRFLOW");
    assert.equal(first.startedUnixMs, T0 + 96 * HOUR);
    assert.equal(first.exitCode, 1);
    assert.equal(first.environmentDigest, envNew);
    assert.equal(first.rollbackOf, undefined, "an unset optional field is absent, not empty");
    const running = await query<RunPage__Output>("listRuns", { filters: { status: "RUNNING" } });
    assert.deepEqual(running.runs.map((r) => [r.runId, r.exitCode, r.finishedUnixMs]), [[trainRun(5), undefined, undefined]]);
    const slurm = await query<RunPage__Output>("listRuns", { filters: { orchestrator: "SLURM" } });
    assert.deepEqual(slurm.runs.map((r) => r.runId), ["slurm:c1/42"]);
  });

  void it("pages with the same cursors and limits as HTTP", async () => {
    let cursor = "";
    const seen: string[] = [];
    for (let page = 0; page < 10; page++) {
      const search = `pipeline=nightly_train&step=train&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const expected = await httpOk<RunPage>(`/api/v1/runs?${search}`);
      const answer = await query<RunPage__Output>("listRuns", { filters: { pipeline: "nightly_train", step: "train", limit: 2, cursor } });
      assert.deepEqual(answer, asDecoded("RunPage", runPageToProto(expected)), `page ${page}`);
      seen.push(...answer.runs.map((r) => r.runId));
      cursor = answer.nextCursor;
      if (cursor === "") break;
    }
    assert.deepEqual(seen, [5, 4, 3, 2, 1].map(trainRun));
    // The maximum is HTTP's: 1000 is allowed, 1001 is not.
    assert.equal((await query<RunPage__Output>("listRuns", { filters: { limit: 1000 } })).runs.length, 10);
    assert.equal((await http(`/api/v1/runs?limit=1001`)).status, 400);
    await assert.rejects(query("listRuns", { filters: { limit: 1001 } }), invalid(/invalid filters\.limit: must be at most 1000/));
  });

  void it("answers a run, by id or unique prefix, as GET /api/v1/runs/:run does", async () => {
    for (const runId of [trainRun(3), trainRun(5), "slurm:c1/42", "local:query-grpc/cache-1", "local:query-grpc/cache-2"]) {
      const expected = await httpOk<RunDetail>(`/api/v1/runs/${encodeURIComponent(runId)}`);
      const answer = await query<RunDetail__Output>("getRun", { run: runId });
      assert.deepEqual(answer, asDecoded("RunDetail", runDetailToProto(expected)), runId);
    }
    const run = await query<RunDetail__Output>("getRun", { run: "airflow:nightly_train/run-3/tr" });
    assert.equal(run.summary?.runId, trainRun(3));
    assert.deepEqual(run.environment?.packages.map((p) => `${p.name}==${p.version}`), ["langchain==0.2.1", "numpy==1.26.4", "pydantic==2.7.1"]);
    assert.equal(run.code?.git?.commit, "a".repeat(40));
    assert.deepEqual(run.events.map((e) => e.type), ["RUN_STARTED", "SNAPSHOT_CAPTURED", "RUN_FINISHED"]);
    const agentRun = await query<RunDetail__Output>("getRun", { run: "local:query-grpc/cache-1" });
    assert.equal(agentRun.outputs[0]?.path, "out.bin");
    assert.ok((agentRun.environment?.interpreter ?? agentRun.host) !== null, "the agent's snapshots came through");

    await assert.rejects(query("getRun", { run: "airflow:nightly_train/run-" }), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.FAILED_PRECONDITION);
      assert.match(err.details, /run "airflow:nightly_train\/run-" matches more than one run; give more of the id: airflow:nightly_train\/run-/);
      return true;
    });
    await assert.rejects(query("getRun", { run: "airflow:no-such-run" }), (err: grpc.ServiceError) => err.code === grpc.status.NOT_FOUND && /no run matches run "airflow:no-such-run"/.test(err.details));
  });

  void it("diffs two runs as GET /api/v1/diff does", async () => {
    for (const [a, b] of [
      [trainRun(2), trainRun(3)],
      [trainRun(3), trainRun(4)],
      ["local:query-grpc/cache-1", "local:query-grpc/cache-2"],
    ] as const) {
      const expected = await httpOk<RunDiff>(`/api/v1/diff?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
      const answer = await query<RunDiff__Output>("diffRuns", { a, b });
      assert.deepEqual(answer, asDecoded("RunDiff", runDiffToProto(expected)), `${a} -> ${b}`);
    }
    const diff = await query<RunDiff__Output>("diffRuns", { a: trainRun(2), b: "airflow:nightly_train/run-3/t" });
    assert.equal(diff.identical, false);
    assert.deepEqual(
      diff.packages?.changed.map((c) => [c.name, c.fromVersion, c.toVersion, c.direction, c.major]),
      [
        // Below 1.0 the minor number is the breaking one.
        ["langchain", "0.1.20", "0.2.1", "UPGRADE", true],
        ["pydantic", "1.10.13", "2.7.1", "UPGRADE", true],
      ],
    );
    assert.equal(diff.packages?.unchanged, 1);
    const code = await query<RunDiff__Output>("diffRuns", { a: trainRun(3), b: trainRun(4) });
    assert.deepEqual([code.code?.commitFrom, code.code?.commitTo], ["a".repeat(40), "b".repeat(40)]);
  });

  void it("answers a step's timeline as GET /api/v1/timeline does, marking changes across pages", async () => {
    let cursor = "";
    const marks: [string, boolean, boolean][] = [];
    for (let page = 0; page < 10; page++) {
      const expected = await httpOk<StepTimeline>(`/api/v1/timeline?pipeline=nightly_train&step=train&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      const answer = await query<StepTimelinePage__Output>("stepTimeline", { pipeline: "nightly_train", step: "train", limit: 2, cursor });
      assert.deepEqual(answer, asDecoded("StepTimelinePage", stepTimelineToProto(expected)), `page ${page}`);
      marks.push(...answer.runs.map((r) => [r.run!.runId, r.environmentChanged, r.codeChanged] as [string, boolean, boolean]));
      cursor = answer.nextCursor;
      if (cursor === "") break;
    }
    // Night 4 is the last of page 1 and night 3 the first of page 2: the boundary hides nothing.
    assert.deepEqual(marks, [
      [trainRun(5), false, false],
      [trainRun(4), false, true],
      [trainRun(3), true, false],
      [trainRun(2), false, false],
      [trainRun(1), false, false],
    ]);
  });

  void it("searches a package as GET /api/v1/packages/:name/runs does, and by environment digest", async () => {
    const cases: [string, string, object][] = [
      ["Pydantic", "version=%3E%3D2", { version: ">=2" }],
      ["pydantic", "version=1.10.13&step=train", { version: "1.10.13", step: "train" }],
      ["langchain", "limit=2", { limit: 2 }],
      ["torch", "", {}],
    ];
    for (const [name, search, filters] of cases) {
      const expected = await httpOk<PackageRunPage>(`/api/v1/packages/${name}/runs?${search}`);
      const answer = await query<PackageRunPage__Output>("searchPackage", { name, filters });
      assert.deepEqual(answer, asDecoded("PackageRunPage", packageRunPageToProto(expected)), `${name}?${search}`);
    }
    // The wrapped runs hold whatever pydantic this host's python has; the published ones are known.
    const found = await query<PackageRunPage__Output>("searchPackage", { name: "Pydantic", filters: { version: ">=2" } });
    assert.equal(found.package, "pydantic");
    assert.deepEqual(found.runs.filter((r) => !r.run!.runId.startsWith("local:")).map((r) => [r.run!.runId, r.versions]), [
      [trainRun(5), ["2.7.1"]],
      [trainRun(4), ["2.7.1"]],
      [trainRun(3), ["2.7.1"]],
      ["slurm:c1/42", ["2.7.1"]],
    ]);
    const envOld = snapshotDigest("environment", ENV_OLD);
    const byDigest = await query<RunPage__Output>("listRuns", { filters: { environment: envOld } });
    assert.deepEqual(byDigest.runs.map((r) => r.runId).sort(), [trainRun(1), trainRun(2), "airflow:nightly_train/run-1/evaluate/1", "airflow:nightly_train/run-2/evaluate/1"].sort());
  });

  void it("answers snapshots, output producers and cache hits as the HTTP API does", async () => {
    const envOld = snapshotDigest("environment", ENV_OLD);
    for (const digest of [envOld, snapshotDigest("host", hostSnapshot()), snapshotDigest("code", CODE_B), wrapRuns[0]!.codeDigest!]) {
      const expected = await httpOk<StoredSnapshot>(`/api/v1/snapshots/${digest}`);
      assert.deepEqual(await query("getSnapshot", { digest }), asDecoded("Snapshot", snapshotToProto(expected)), digest);
    }
    const snapshot = await query<{ body: string; environment: { packages: { name: string }[] } | null }>("getSnapshot", { digest: envOld });
    assert.equal(snapshot.body, "environment");
    assert.deepEqual(snapshot.environment?.packages.map((p) => p.name), ["langchain", "numpy", "pydantic"]);

    const output = wrapRuns[0]!.outputs[0]!;
    const producers = await httpOk<{ digest: string; producers: [] }>(`/api/v1/outputs/${output.digest}`);
    assert.deepEqual(await query("findOutputProducers", { digest: output.digest }), asDecoded("OutputProducers", outputProducersToProto(producers)));
    const key = wrapRuns[0]!.cacheKey!;
    const hit = await httpOk<CacheHit>(`/api/v1/cache/${key}`);
    assert.equal(hit.run.runId, "local:query-grpc/cache-1");
    assert.deepEqual(await query("getCacheHit", { key }), asDecoded("CacheHit", cacheHitToProto(hit)));

    // Blobs: the agent's code archive and its output, in chunks as PutBlob takes them.
    for (const digest of [wrapRuns[0]!.code!.archiveDigest, output.digest]) {
      const res = await fetch(`${collector.httpUrl}/api/v1/blobs/${digest}`, { headers: { authorization: `Bearer ${tokens.reader}` } });
      assert.equal(res.status, 200);
      const expected = Buffer.from(await res.arrayBuffer());
      const chunks = await getBlobChunks(client, digest, tokens.reader);
      assert.equal(chunks[0]?.digest, digest);
      assert.equal(chunks[0]?.totalBytes, expected.length);
      assert.ok(chunks.slice(1).every((c) => c.digest === "" && c.totalBytes === 0));
      assert.deepEqual(Buffer.concat(chunks.map((c) => c.data)), expected, digest);
      if (digest === output.digest) assert.deepEqual(chunks.map((c) => c.data.length), [1048576, 1048576, 3000000 - 2 * 1048576]);
    }

    const none = `sha256:${"0".repeat(64)}`;
    await assert.rejects(getBlobChunks(client, none, tokens.reader), (err: grpc.ServiceError) => err.code === grpc.status.NOT_FOUND && /blob sha256:0+ is not stored/.test(err.details));
    for (const [method, request] of [
      ["getSnapshot", { digest: none }],
      ["getCacheHit", { key: none }],
    ] as const) {
      await assert.rejects(query(method, request), (err: grpc.ServiceError) => err.code === grpc.status.NOT_FOUND);
    }
  });

  void it("refuses bad requests with INVALID_ARGUMENT naming the field, as HTTP refuses them with 400", async () => {
    const long = "x".repeat(8193);
    const cases: [QueryMethod, object, RegExp, string?][] = [
      ["listRuns", { filters: { cursor: "not-a-cursor" } }, /invalid filters\.cursor: not a cursor this API gave out/, "/api/v1/runs?cursor=not-a-cursor"],
      ["listRuns", { filters: { version: ">=2" } }, /invalid filters\.version: needs package/, "/api/v1/runs?version=2"],
      ["listRuns", { package: "pydantic", filters: { version: "~=banana" } }, /invalid filters\.version: /, "/api/v1/runs?package=pydantic&version=~%3Dbanana"],
      ["listRuns", { filters: { sinceUnixMs: -5 } }, /invalid filters\.since_unix_ms: must be an ISO 8601 time/, "/api/v1/runs?since=-5"],
      ["listRuns", { filters: { environment: "sha256:abc" } }, /invalid filters\.environment: expected sha256:<64 lowercase hex>/, "/api/v1/runs?environment=sha256:abc"],
      ["listRuns", { filters: { status: 9 } }, /invalid filters\.status/, "/api/v1/runs?status=9"],
      ["listRuns", { filters: { orchestrator: 42 } }, /invalid filters\.orchestrator/, "/api/v1/runs?orchestrator=42"],
      ["listRuns", { filters: { pipeline: "p".repeat(1001) } }, /invalid filters\.pipeline/],
      ["getRun", {}, /invalid run: is required/],
      ["getRun", { run: long }, /invalid run: /],
      ["diffRuns", { a: trainRun(1) }, /invalid b: is required/, `/api/v1/diff?a=${encodeURIComponent(trainRun(1))}`],
      ["stepTimeline", { pipeline: "nightly_train" }, /invalid step: is required/, "/api/v1/timeline?pipeline=nightly_train"],
      ["stepTimeline", { pipeline: "nightly_train", step: "train", limit: 1001 }, /invalid limit: must be at most 1000/, "/api/v1/timeline?pipeline=nightly_train&step=train&limit=1001"],
      ["searchPackage", { name: "../etc/passwd" }, /invalid package name "..\/etc\/passwd".*\(field name\)/],
      ["searchPackage", { name: "pydantic", filters: { limit: 5000 } }, /invalid filters\.limit: must be at most 1000/, "/api/v1/packages/pydantic/runs?limit=5000"],
      ["getSnapshot", { digest: "sha256:abc" }, /invalid digest "sha256:abc": expected sha256:<64 lowercase hex> \(field digest\)/, "/api/v1/snapshots/sha256:abc"],
      ["findOutputProducers", { digest: `sha256:${"1".repeat(64)}`, limit: 1001 }, /invalid limit: must be at most 1000/, `/api/v1/outputs/sha256:${"1".repeat(64)}?limit=1001`],
      ["getCacheHit", { key: "" }, /invalid key: is required/],
    ];
    for (const [method, request, message, httpPath] of cases) {
      await assert.rejects(query(method, request), invalid(message), `${method} ${JSON.stringify(request).slice(0, 100)}`);
      if (httpPath) assert.equal((await http(httpPath)).status, 400, `HTTP refuses ${httpPath} too`);
    }
    // Bytes that are not the request message (a field of wire type 7, which protobuf has not):
    // INVALID_ARGUMENT naming the method's request, not grpc-js's INTERNAL.
    for (const method of ["ListRuns", "GetRun", "DiffRuns", "SearchPackage"]) {
      await assert.rejects(
        callQueryRaw(collector.grpcAddress, method, Buffer.from([0x7f]), tokens.reader),
        invalid(new RegExp(`the ${method} request could not be decoded: invalid wire type 7`)),
      );
    }
    // The decoded request of a well-formed frame is answered as usual.
    const raw = await callQueryRaw(collector.grpcAddress, "GetRun", encodeMessage("GetRunRequest", { run: trainRun(1) }), tokens.reader);
    assert.equal(decodeMessage<RunDetail__Output>("RunDetail", raw).summary?.runId, trainRun(1));
    await assert.rejects(getBlobChunks(client, "sha256:../../etc/passwd", tokens.reader), invalid(/invalid digest "sha256:..\/..\/etc\/passwd": expected sha256:<64 lowercase hex> \(field digest\)/));
  });

  void it("lets a reader call every method, and refuses an agent token and no token", async () => {
    const valid: Record<QueryMethod, object> = {
      listRuns: {},
      getRun: { run: trainRun(1) },
      diffRuns: { a: trainRun(1), b: trainRun(2) },
      stepTimeline: { pipeline: "nightly_train", step: "train" },
      searchPackage: { name: "pydantic" },
      getSnapshot: { digest: snapshotDigest("environment", ENV_OLD) },
      findOutputProducers: { digest: wrapRuns[0]!.outputs[0]!.digest },
      getCacheHit: { key: wrapRuns[0]!.cacheKey! },
    };
    for (const method of QUERY_METHODS) {
      await query(method, valid[method], tokens.reader);
      await assert.rejects(query(method, valid[method], tokens.agent), (err: grpc.ServiceError) => {
        assert.equal(err.code, grpc.status.PERMISSION_DENIED, `${method} as agent: ${err.details}`);
        assert.match(err.details, /a agent token may not call/);
        return true;
      });
      await assert.rejects(query(method, valid[method], null), (err: grpc.ServiceError) => err.code === grpc.status.UNAUTHENTICATED, `${method} without a token`);
    }
    const blob = wrapRuns[0]!.outputs[0]!.digest;
    assert.ok((await getBlobChunks(client, blob, tokens.reader)).length > 0);
    await assert.rejects(getBlobChunks(client, blob, tokens.agent), (err: grpc.ServiceError) => err.code === grpc.status.PERMISSION_DENIED);
    await assert.rejects(getBlobChunks(client, blob), (err: grpc.ServiceError) => err.code === grpc.status.UNAUTHENTICATED);
    assert.doesNotMatch(collector.stderr(), new RegExp(tokens.reader.slice(27)), "no token secret in the log");
  });
});

function invalid(message: RegExp) {
  return (err: grpc.ServiceError) => {
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT, err.details);
    assert.match(err.details, message);
    return true;
  };
}
