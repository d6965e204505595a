// The web UI's routes on the real fastify app (inject) over a real SQLite store: the session
// check, the code file viewer (hostile paths refused, binary and oversized files named, not
// sent), and resubmit through the collector with an in-memory CollectorResubmitter: who may
// look, who may submit, what is recorded, and the answer when no credentials are configured.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { createApiToken } from "../../collector/auth/manage-tokens.js";
import { TokenAuthenticator } from "../../collector/auth/token-authenticator.js";
import { buildHttpApi } from "../../collector/query/http-api.js";
import { MAX_VIEW_BYTES } from "../../collector/query/routes/code-file-routes.js";
import type { CollectorResubmitter } from "../../collector/resubmit/collector-resubmitter.js";
import { openSqliteStore } from "../../collector/store/sqlite-store.js";
import type { Store } from "../../collector/store/store.js";
import type { RunDetail } from "../../core/api-types.js";
import { SubmitRefusedError } from "../../core/errors.js";
import type { OrchestratorKind } from "../../core/model.js";
import { fail, ok } from "../../core/result.js";
import type { CodeFileAnswer, ResubmitAnswer, SessionInfo } from "../../core/ui-api-types.js";
import { capturedEvent, finishedEvent, startedEvent } from "../helpers/collector-fixtures.js";
import { fileEntry, packTar, snapshotOf, type TarSpec } from "../helpers/hostile-tar.js";
import { MemoryBlobStore } from "../helpers/memory-blob-store.js";

const SLURM_RUN = "slurm:cluster/4242";
const LOCAL_RUN = "local:ui/code";

/** Slurm runs submit (job 77 unless told to fail); other kinds are refused as the CLI's collector refuses them. */
class RecordingResubmitter implements CollectorResubmitter {
  readonly kinds: OrchestratorKind[] = ["SLURM"];
  readonly calls: { runId: string; dryRun: boolean; collectorHttp: string }[] = [];
  failNext = false;
  cannotSubmit(kind: OrchestratorKind) {
    return kind === "SLURM" ? undefined : { code: "NOT_SUPPORTED" as const, message: `${kind} runs are not submitted from here` };
  }
  cliFlags(kind: OrchestratorKind) {
    return kind === "SLURM" ? ["--via", "ssh://ops@login"] : [];
  }
  resubmit(run: RunDetail, dryRun: boolean, collectorHttp: string) {
    this.calls.push({ runId: run.runId, dryRun, collectorHttp });
    if (!dryRun && this.failNext) return Promise.resolve(fail<never>(new SubmitRefusedError("sbatch refused it"), false));
    return Promise.resolve(ok({ externalId: dryRun ? "" : "77", ...(dryRun ? {} : { expectedRunId: "slurm:cluster/77" }), detail: dryRun ? "dry run: nothing submitted" : "submitted Slurm job 77", commands: ["sbatch --parsable < SCRIPT"], script: "#!/bin/bash\ntrain\n" }));
  }
}

describe("HTTP API: the web UI's routes", () => {
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-ui-routes-"));
  const auditLog = join(dir, "audit", "resubmits.jsonl");
  let store: Store;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  const resubmitter = new RecordingResubmitter();
  const tokens: Record<"reader" | "operator" | "agent", string> = { reader: "", operator: "", agent: "" };
  const files: TarSpec[] = [
    { name: "train.py", data: "THRESHOLD = 0.4\nprint('ünïcode')\n" },
    { name: "data/weights.bin", data: "\u0000\u0001\u0002binary" },
    { name: "data/big.txt", data: "x".repeat(MAX_VIEW_BYTES + 1) },
  ];

  before(async () => {
    store = openSqliteStore(join(dir, "s.db"));
    const blobs = new MemoryBlobStore();
    const archive = await packTar(files);
    await blobs.add(archive);
    await store.append([
      startedEvent(LOCAL_RUN, { kind: "LOCAL", pipeline: "ui", step: "code" }),
      capturedEvent(LOCAL_RUN, { code: { body: snapshotOf(files.map(fileEntry), archive) } }),
      finishedEvent(LOCAL_RUN, { exitCode: 0 }),
      startedEvent(SLURM_RUN, { kind: "SLURM", pipeline: "train", step: "", pipelineRun: "4242" }),
    ]);
    for (const role of ["reader", "operator", "agent"] as const) tokens[role] = (await createApiToken(store, { role, name: `${role} in test` })).token;
    const deps = { store, blobs, logger: pino({ level: "silent" }), webUiDir: null, auth: new TokenAuthenticator(store, { cacheMs: 0 }) };
    app = await buildHttpApi({ ...deps, ui: { resubmitter, resubmitAuditLog: auditLog, links: { airflow: "http://127.0.0.1:1/airflow" } } });
    bare = await buildHttpApi({ ...deps, ui: { resubmitAuditLog: auditLog } });
  });
  after(async () => {
    await app.close();
    await bare.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: "GET" | "POST", url: string, role?: keyof typeof tokens, target = app) =>
    target.inject({ method, url, headers: role ? { authorization: `Bearer ${tokens[role]}` } : {} });
  const filePath = (path: string) => `/api/v1/runs/${encodeURIComponent(LOCAL_RUN)}/code/file?path=${encodeURIComponent(path)}`;
  const resubmitPath = (runId: string, query = "") => `/api/v1/runs/${encodeURIComponent(runId)}/resubmit${query}`;
  const auditLines = () => (existsSync(auditLog) ? readFileSync(auditLog, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : []);

  it("answers the session with the caller's role for any valid token, 401 without one", async () => {
    assert.equal((await call("GET", "/api/v1/session")).statusCode, 401);
    const res = await call("GET", "/api/v1/session", "agent");
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json<SessionInfo>();
    assert.equal(s.auth, "tokens");
    assert.equal(s.principal?.role, "agent");
    assert.equal(s.principal?.name, "agent in test");
    assert.deepEqual(s.links, { airflow: "http://127.0.0.1:1/airflow", kfp: null });
    assert.deepEqual(s.resubmitKinds, ["SLURM"]);
    assert.doesNotMatch(res.body, /snaptrail_[0-9a-f]{16}_/, "the token itself is never echoed");
  });

  it("serves a text file of the run's archive, and names binary and oversized files without sending them", async () => {
    const text = await call("GET", filePath("train.py"), "reader");
    assert.equal(text.statusCode, 200, text.body);
    assert.deepEqual(text.json<CodeFileAnswer>(), { path: "train.py", size: Buffer.byteLength(files[0]!.data!), kind: "text", text: files[0]!.data });
    const binary = await call("GET", filePath("data/weights.bin"), "reader");
    assert.deepEqual(binary.json<CodeFileAnswer>(), { path: "data/weights.bin", size: 9, kind: "binary" });
    const big = await call("GET", filePath("data/big.txt"), "reader");
    assert.deepEqual(big.json<CodeFileAnswer>(), { path: "data/big.txt", size: MAX_VIEW_BYTES + 1, kind: "tooLarge", maxBytes: MAX_VIEW_BYTES });
    assert.ok(big.body.length < 1000, "the big file's bytes are not in the answer");
    const list = await call("GET", `/api/v1/runs/${encodeURIComponent(LOCAL_RUN)}/code/files`, "reader");
    assert.deepEqual(list.json<{ files: { path: string }[] }>().files.map((f) => f.path), ["data/big.txt", "data/weights.bin", "train.py"]);
  });

  it("refuses hostile paths with a message naming the problem, and a path the archive does not hold with 404", async () => {
    for (const [path, why] of [
      ["../../etc/passwd", /"\." or "\.\." segments/],
      ["/etc/passwd", /relative/],
      ["data//big.txt", /empty/],
      ["./train.py", /segments/],
      ["train.py\u0000.txt", /control character/],
      ["data\\weights.bin", /backslash/],
      ["", /is required/],
      ["a".repeat(5000), /over 4096/],
    ] as const) {
      const res = await call("GET", filePath(path), "reader");
      assert.equal(res.statusCode, 400, `${JSON.stringify(path.slice(0, 40))}: ${res.body}`);
      assert.equal(res.json<{ code: string }>().code, "BAD_INPUT");
      assert.match(res.json<{ message: string }>().message, why);
    }
    const missing = await call("GET", filePath("secrets.env"), "reader");
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json<{ message: string }>().message, /holds no file "secrets\.env"/);
    assert.equal((await call("GET", `${filePath("train.py")}&path=x`, "reader")).statusCode, 400);
    assert.equal((await call("GET", filePath("train.py"), "agent")).statusCode, 403, "an agent token does not browse code");
  });

  it("shows a reader the dry run and the command, and refuses the reader a submission without recording or sending anything", async () => {
    const dry = await call("GET", resubmitPath(SLURM_RUN), "reader");
    assert.equal(dry.statusCode, 200, dry.body);
    const answer = dry.json<ResubmitAnswer>();
    assert.equal(answer.dryRun, true);
    assert.equal(answer.canSubmit, true);
    assert.equal(answer.plan?.detail, "dry run: nothing submitted");
    assert.equal(answer.cliCommand, "snaptrail resubmit slurm:cluster/4242 --via ssh://ops@login --collector-http http://localhost:80");
    const before = resubmitter.calls.length;
    const refused = await call("POST", resubmitPath(SLURM_RUN), "reader");
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /a reader token may not resubmit runs/);
    assert.equal(resubmitter.calls.length, before, "nothing asked of the orchestrator");
    assert.deepEqual(auditLines(), []);
  });

  it("submits for an operator and records who asked, before and after", async () => {
    const res = await call("POST", resubmitPath(SLURM_RUN), "operator");
    assert.equal(res.statusCode, 200, res.body);
    const answer = res.json<ResubmitAnswer>();
    assert.equal(answer.dryRun, false);
    assert.equal(answer.jobId, "77");
    assert.equal(answer.expectedRunId, "slurm:cluster/77");
    assert.equal(answer.requestedBy?.name, "operator in test");
    assert.deepEqual(resubmitter.calls.slice(-2).map((c) => c.dryRun), [true, false]);
    const lines = auditLines();
    assert.deepEqual(lines.map((l) => l.event), ["requested", "submitted"]);
    assert.equal(lines[0]!.tokenName, "operator in test");
    assert.equal(lines[0]!.tokenId, tokens.operator.slice(10, 26));
    assert.equal(lines[1]!.jobId, "77");
    assert.doesNotMatch(readFileSync(auditLog, "utf8"), new RegExp(tokens.operator.slice(27)), "no token secret in the audit log");
  });

  it("records a refused submission as failed and says why; a dry-run POST submits nothing", async () => {
    resubmitter.failNext = true;
    const res = await call("POST", resubmitPath(SLURM_RUN), "operator");
    resubmitter.failNext = false;
    assert.equal(res.json<{ code: string }>().code, "SUBMIT_REFUSED");
    assert.match(res.body, /sbatch refused it/);
    const last = auditLines().slice(-2);
    assert.deepEqual(last.map((l) => l.event), ["requested", "failed"]);
    assert.match(String(last[1]!.error), /sbatch refused it/);
    const count = auditLines().length;
    const dry = await call("POST", resubmitPath(SLURM_RUN, "?dryRun=true"), "operator");
    assert.equal(dry.json<ResubmitAnswer>().dryRun, true);
    assert.equal(auditLines().length, count);
    assert.equal((await call("POST", resubmitPath(SLURM_RUN, "?dryRun=maybe"), "operator")).statusCode, 400);
  });

  it("answers 409 for a run never submitted from the collector, 501 naming the settings when it holds no credentials", async () => {
    const local = await call("POST", resubmitPath(LOCAL_RUN), "operator");
    assert.equal(local.statusCode, 409, local.body);
    assert.equal(local.json<{ code: string }>().code, "NOT_SUPPORTED");
    const none = await call("POST", resubmitPath(SLURM_RUN), "operator", bare);
    assert.equal(none.statusCode, 501, none.body);
    assert.equal(none.json<{ code: string }>().code, "NOT_CONFIGURED");
    assert.match(none.json<{ message: string }>().message, /--resubmit-slurm-via ssh:\/\/USER@HOST\[:PORT\].*--resubmit-slurm-local/);
    const dry = (await call("GET", resubmitPath(SLURM_RUN), "reader", bare)).json<ResubmitAnswer>();
    assert.equal(dry.canSubmit, false);
    assert.equal(dry.plan, null);
    assert.match(dry.cannotSubmitBecause ?? "", /--resubmit-slurm-via/);
  });

  it("answers other methods on the new paths with 405 and the methods it takes", async () => {
    const res = await app.inject({ method: "DELETE", url: resubmitPath(SLURM_RUN) });
    assert.equal(res.statusCode, 405);
    assert.equal(res.headers.allow, "GET, HEAD, POST");
    assert.equal((await app.inject({ method: "POST", url: "/api/v1/session" })).statusCode, 405);
  });
});
