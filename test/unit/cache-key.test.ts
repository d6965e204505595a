import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { resolveAgentOptions } from "../../agent/agent-options.js";
import { cacheKeyFor } from "../../agent/cache/cache-key.js";
import type { CaptureResult } from "../../agent/capture/capture-types.js";
import { collectOutputs } from "../../agent/outputs/collect-outputs.js";
import { sha256Digest } from "../../core/digest.js";

const dir = mkdtempSync(join(tmpdir(), "snaptrail-cache-key-"));
after(() => rmSync(dir, { recursive: true, force: true }));

type File = { path: string; sha256: string; size: number; mode: number };

/** A capture of a checkout at `root`, with these tracked or untracked files. */
function capture(root: string, o: { files?: File[]; env?: string; argv?: string[]; commit?: string } = {}): CaptureResult {
  return {
    environment: { interpreter: null, packages: [], image: null, os: null, env: [], modules: [], indexes: null },
    host: { hostname: "h", arch: "x64", kernel: "6", cpuModel: "c", cpuCount: 1, memoryBytes: 1, gpus: [], cudaDriverVersion: "" },
    code: { root, git: { commit: o.commit ?? "c1", branch: "main", remoteUrl: "", dirty: false, patch: "" }, files: o.files ?? [file("job.py", "print(1)")], archiveDigest: "", archiveBytes: 0, leftOut: [] },
    archive: null,
    digests: { environment: o.env ?? sha256Digest("env-1"), host: sha256Digest("host"), code: sha256Digest("code") },
    orchestrator: { kind: "LOCAL", pipeline: "p", pipelineRun: "", step: "s", attempt: 0, attributes: {} },
    runId: "r",
    parentRunId: "",
    config: { argv: o.argv ?? ["python", "job.py"], cwd: root, parameters: {}, script: "" },
    warnings: [],
    captureMs: 1,
  };
}

function file(path: string, content: string, mode = 0o644): File {
  return { path, sha256: sha256Digest(content).slice("sha256:".length), size: content.length, mode };
}

function checkout(name: string, data = "rows\n"): string {
  const root = join(dir, name);
  mkdirSync(join(root, "data"), { recursive: true });
  writeFileSync(join(root, "data", "train.csv"), data);
  return root;
}

async function key(c: CaptureResult, cwd: string, inputs = ["data"], outputs = ["out"]): Promise<string> {
  const result = await cacheKeyFor(c, cwd, inputs, outputs);
  assert.ok(result.ok, result.ok ? "" : result.reason);
  return result.key;
}

describe("cacheKeyFor", () => {
  it("is the same for the same checkout at another place, and changes with each part it covers", async () => {
    const a = checkout("a");
    const base = await key(capture(a), a);
    assert.match(base, /^sha256:[0-9a-f]{64}$/);
    assert.equal(await key(capture(a), a), base, "deterministic");
    const b = checkout("b");
    assert.equal(await key(capture(b), b), base, "paths inside the code root are relative to it");

    const changedData = checkout("c", "other rows\n");
    assert.notEqual(await key(capture(changedData), changedData), base, "input content");
    assert.notEqual(await key(capture(a, { env: sha256Digest("env-2") }), a), base, "environment");
    assert.notEqual(await key(capture(a, { files: [file("job.py", "print(2)")] }), a), base, "code file");
    assert.notEqual(await key(capture(a, { commit: "c2" }), a), base, "commit");
    assert.notEqual(await key(capture(a, { argv: ["python", "job.py", "--lr", "0.2"] }), a), base, "command line");
    assert.notEqual(await key(capture(a), join(a, "data")), base, "working directory");
    assert.notEqual(await key(capture(a), a, ["data"], ["out", "more"]), base, "declared outputs");
    assert.notEqual(await key(capture(a), a, []), base, "declared inputs");
  });

  it("leaves files under declared outputs out of the code, so a run writing into its work tree keeps its key", async () => {
    const a = checkout("d");
    const base = await key(capture(a), a);
    const withOutputs = capture(a, { files: [file("job.py", "print(1)"), file("out/model.bin", "weights"), file("out/sub/m.json", "{}")] });
    assert.equal(await key(withOutputs, a), base);
    const withOther = capture(a, { files: [file("job.py", "print(1)"), file("outside/x.txt", "x")] });
    assert.notEqual(await key(withOther, a), base);
  });

  it("counts a missing input as part of the key, with a warning", async () => {
    const a = checkout("e");
    const result = await cacheKeyFor(capture(a), a, ["data", "nope.csv"], []);
    assert.ok(result.ok);
    assert.deepEqual(result.warnings, ["input nope.csv does not exist (its absence is part of the cache key)"]);
    assert.notEqual(result.key, await key(capture(a), a, ["data"], []));
  });
});

describe("collectOutputs", () => {
  it("hashes files and directories, sorted, with missing ones recorded without a digest", async () => {
    const root = join(dir, "outputs");
    mkdirSync(join(root, "out", "sub"), { recursive: true });
    writeFileSync(join(root, "out", "b.bin"), "bbb");
    writeFileSync(join(root, "out", "sub", "a.txt"), "a", { mode: 0o600 });
    const result = await collectOutputs(["out", "out/b.bin", "gone.bin"], root, 10_000);
    assert.equal(result.complete, false, "a missing output makes the list incomplete");
    assert.deepEqual(result.warnings, ["output gone.bin does not exist"]);
    assert.deepEqual(
      result.outputs.map(({ path, digest, size, mode }) => ({ path, digest, size, mode })),
      [
        { path: "gone.bin", digest: "", size: 0, mode: 0 },
        { path: "out/b.bin", digest: sha256Digest("bbb"), size: 3, mode: 0o644 & ~process.umask() },
        { path: "out/sub/a.txt", digest: sha256Digest("a"), size: 1, mode: 0o600 },
      ],
    );
    const outside = await collectOutputs([join(root, "out", "b.bin")], join(root, "out", "sub"), 10_000);
    assert.equal(outside.outputs[0]?.path, join(root, "out", "b.bin"), "outside the working directory: absolute");
    assert.equal(outside.complete, true);
  });
});

describe("collectOutputs under its time bound", () => {
  it("stops at outputHashTimeoutMs and names what it left out, so the job's exit never waits longer", async () => {
    const root = join(dir, "bounded");
    mkdirSync(root, { recursive: true });
    // 64 MiB takes tens of milliseconds to hash: far past a 1 ms bound on any machine.
    writeFileSync(join(root, "big.bin"), Buffer.alloc(64 * 1024 * 1024, 7));
    const result = await collectOutputs(["big.bin"], root, 1);
    assert.equal(result.complete, false);
    assert.deepEqual(result.outputs, []);
    assert.deepEqual(result.warnings, ["1 of 1 output files not hashed within 1 ms (outputHashTimeoutMs); they are not recorded"]);
  });
});

describe("agent options for outputs and the cache", () => {
  it("reads them from env vars: paths split like PATH, the cache switch as 1/true/0/false", () => {
    const o = resolveAgentOptions({ env: { SNAPTRAIL_OUTPUTS: "out/model.bin:out/metrics", SNAPTRAIL_INPUTS: "data", SNAPTRAIL_CACHE: "1", SNAPTRAIL_COLLECTOR_HTTP: "http://10.0.0.1:8077" } });
    assert.deepEqual(o.outputs, ["out/model.bin", "out/metrics"]);
    assert.deepEqual(o.inputs, ["data"]);
    assert.equal(o.cache, true);
    assert.equal(o.collectorHttp, "http://10.0.0.1:8077");
    const d = resolveAgentOptions({ env: {} });
    assert.equal(d.cache, false);
    assert.equal(d.collectorHttp, "http://127.0.0.1:8077");
    assert.equal(resolveAgentOptions({ env: { SNAPTRAIL_CACHE: "false" } }).cache, false);
    assert.throws(() => resolveAgentOptions({ env: { SNAPTRAIL_CACHE: "maybe" } }), /invalid option cache \(from env var SNAPTRAIL_CACHE\)/);
    assert.throws(() => resolveAgentOptions({ env: { SNAPTRAIL_COLLECTOR_HTTP: "127.0.0.1:8077" } }), /invalid option collectorHttp .*expected http:\/\/HOST:PORT/);
  });
});
