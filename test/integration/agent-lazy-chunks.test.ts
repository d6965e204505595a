import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";
import type { RunDetail } from "../../core/api-types.js";
import { startCollectorProcess } from "../helpers/collector-process.js";
import { startNatsServer } from "../helpers/nats-server.js";
import { waitFor } from "../helpers/nats-test-client.js";

// The agent bundle the npm bin and the wheel run leaves nats.js and listr2 to files beside it
// (snaptrail-agent-nats.cjs, snaptrail-agent-listr2.cjs, scripts/agent-lazy-chunks.mjs), so a
// `wrap` over gRPC reads, compiles and holds in memory only what it runs. What a user checks:
// `wrap` never needs the chunks, the NATS transport loads its chunk (with a code cache of its
// own), the chunks give the code what it imports, and the single executable's build still holds
// everything in one file.
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const AGENT = join(ROOT, "dist", "agent-bundle");
const SEA_BUNDLE = join(ROOT, "dist", "agent-sea", "snaptrail-agent.cjs");
const CHUNKS = ["snaptrail-agent-nats.cjs", "snaptrail-agent-listr2.cjs"];
const NATS_CODE = /node_modules\/@nats-io\//;
const LISTR2_CODE = /node_modules\/listr2\//;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], cacheDir: string, o: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  const env = { PATH: process.env.PATH, HOME: cacheDir, SNAPTRAIL_CACHE_DIR: cacheDir, SNAPTRAIL_CONNECT_TIMEOUT_MS: "200", SNAPTRAIL_FINISH_TIMEOUT_MS: "100", ...o.env };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, ...args], { env, cwd: o.cwd ?? tmpdir(), timeout: 60_000 }, (err, stdout, stderr) => {
      const code: unknown = err?.code;
      if (err && typeof code !== "number") reject(new Error(`${script} did not run: ${err.message}`, { cause: err }));
      else resolve({ code: typeof code === "number" ? code : 0, stdout, stderr });
    });
  });
}

/** A job that writes and fails, with no spool: the collector or NATS is unreachable, so only loading is under test. */
const job = (...flags: string[]) => ["wrap", "--spool-dir", "", ...flags, "--", "sh", "-c", "printf 'job output'; exit 3"];
const GRPC = ["--collector", "127.0.0.1:1"];
const NATS = ["--transport", "nats", "--nats", "nats://127.0.0.1:1"];

/** A copy of dist/agent-bundle/ without its lazy chunks. */
function bundleWithoutChunks(dir: string): string {
  mkdirSync(dir);
  for (const name of readdirSync(AGENT)) if (!CHUNKS.includes(name)) copyFileSync(join(AGENT, name), join(dir, name));
  return join(dir, "launch.cjs");
}

const cacheFiles = (dir: string) => readdirSync(join(dir, "v8")).filter((n) => n.endsWith(".v8cache")).sort();

describe("agent lazy chunks", () => {
  const work = mkdtempSync(join(tmpdir(), "snaptrail-lazy-chunks-"));
  after(() => rmSync(work, { recursive: true, force: true }));

  it("keeps nats.js and listr2 out of the agent bundle, in their chunks, and all in the single executable's build", () => {
    const bundle = readFileSync(join(AGENT, "snaptrail-agent.cjs"), "latin1");
    assert.doesNotMatch(bundle, NATS_CODE);
    assert.doesNotMatch(bundle, LISTR2_CODE);
    assert.match(readFileSync(join(AGENT, "snaptrail-agent-nats.cjs"), "latin1"), NATS_CODE);
    assert.match(readFileSync(join(AGENT, "snaptrail-agent-listr2.cjs"), "latin1"), LISTR2_CODE);
    const sea = readFileSync(SEA_BUNDLE, "latin1");
    assert.match(sea, NATS_CODE);
    assert.match(sea, LISTR2_CODE);
    assert.doesNotMatch(sea, /snaptrail-agent-[a-z0-9]+\.cjs/, "the single executable can load no file beside it");
  });

  it("gives the code what it imports from each chunk", () => {
    const require = createRequire(import.meta.url);
    const interop = (m: Record<string, unknown>) => (m.default ?? m) as Record<string, unknown>;
    const nats = require(join(AGENT, "snaptrail-agent-nats.cjs")) as Record<string, Record<string, unknown>>;
    assert.equal(typeof interop(nats.transport!).connect, "function");
    assert.equal(typeof interop(nats.jetstream!).jetstream, "function");
    assert.equal(typeof interop(nats.obj!).Objm, "function");
    const { listr2 } = require(join(AGENT, "snaptrail-agent-listr2.cjs")) as Record<string, Record<string, unknown>>;
    for (const name of ["Listr", "ListrLogger", "ProcessOutput"]) assert.equal(typeof listr2![name], "function", name);
  });

  it("runs `wrap` over gRPC without reading a chunk", async () => {
    const launch = bundleWithoutChunks(join(work, "no-chunks"));
    const cache = join(work, "grpc-cache");
    const r = await run(launch, job(...GRPC), cache);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, "job output");
    assert.doesNotMatch(r.stderr, /Cannot find module|snaptrail-agent-/);
    assert.equal(cacheFiles(cache).length, 1, "one code cache: the bundle's");
  });

  it("loads the NATS chunk for --transport nats, with a code cache of its own that the next run reuses", async () => {
    const cache = join(work, "nats-cache");
    const launch = join(AGENT, "launch.cjs");
    const first = await run(launch, job(...NATS), cache);
    assert.equal(first.code, 3, first.stderr);
    assert.equal(first.stdout, "job output");
    assert.match(first.stderr, /cannot reach NATS/, "nats.js ran: it tried the server");
    const files = cacheFiles(cache);
    assert.equal(files.length, 2, `the bundle's and the chunk's: ${files.join(", ")}`);
    const inodes = files.map((f) => statSync(join(cache, "v8", f)).ino);
    const again = await run(launch, job(...NATS), cache);
    assert.equal(again.code, 3, again.stderr);
    assert.deepEqual(cacheFiles(cache), files);
    assert.deepEqual(
      files.map((f) => statSync(join(cache, "v8", f)).ino),
      inodes,
      "both caches accepted, not rewritten",
    );
  });

  it("records a run over NATS JetStream through the chunk: events and the code archive in the object store", async () => {
    const server = await startNatsServer();
    const collector = await startCollectorProcess({ args: ["--nats", server.url], env: { SNAPTRAIL_LOG_LEVEL: "warn" } }).catch(async (err: unknown) => {
      await server.destroy();
      throw err;
    });
    try {
      const dir = join(work, "nats-job");
      mkdirSync(dir);
      const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t.invalid", ...args], { cwd: dir });
      git("init", "-q", "-b", "main");
      writeFileSync(join(dir, "job.sh"), "printf 'hello over nats'\n");
      git("add", "-A");
      git("commit", "-qm", "job");
      const runId = `local:test/lazy-nats-${process.pid}`;
      const r = await run(join(AGENT, "launch.cjs"), ["wrap", "--transport", "nats", "--nats", server.url, "--", "sh", "job.sh"], join(work, "nats-e2e-cache"), {
        cwd: dir,
        env: { SNAPTRAIL_RUN_ID: runId, SNAPTRAIL_SPOOL_DIR: join(work, "nats-e2e-spool"), SNAPTRAIL_CONNECT_TIMEOUT_MS: "5000", SNAPTRAIL_FINISH_TIMEOUT_MS: "5000" },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "hello over nats");
      assert.equal(r.stderr, "", "no warning when NATS acked everything");
      let detail: RunDetail | undefined;
      await waitFor("the run to be stored and finished", async () => {
        const res = await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(runId)}`);
        if (res.status !== 200) return false;
        detail = (await res.json()) as RunDetail;
        return detail.status === "succeeded";
      });
      const archive = detail?.code?.archiveDigest;
      assert.ok(archive, "the code snapshot names its archive");
      await waitFor("the archive to be copied from the object store", async () => (await fetch(`${collector.httpUrl}/api/v1/blobs/${archive}`)).status === 200);
    } finally {
      await collector.kill();
      await server.destroy();
    }
  });

  it("still runs the job when the NATS chunk is missing", async () => {
    const launch = bundleWithoutChunks(join(work, "no-chunks-nats"));
    const r = await run(launch, job(...NATS), join(work, "missing-cache"));
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, "job output");
    assert.match(r.stderr, /snaptrail-agent-nats\.cjs/);
  });
});
