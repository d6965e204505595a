import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";

// The launcher (dist/agent-bundle/launch.cjs) and the agent's peak memory. What it holds while the bundle runs: only the compiled
// script and the one source string V8 keeps for it. The bundle's bytes, their decoded string and
// the code cache's bytes are garbage by then: a run of `wrap` never has the full collection that
// would free them once they are promoted, so each copy kept is megabytes of the agent's peak memory.
// And the V8 flags it runs the bundle with: a young generation that stays small, no optimizing compiler.
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const LAUNCH = join(ROOT, "dist", "agent-bundle", "launch.cjs");
/** The test bundle's size: a comment, so that its code creates no string of that size itself. */
const PAD = 2 * 1024 * 1024;

interface Held {
  /** process.memoryUsage().arrayBuffers after them: Buffers still reachable. */
  arrayBuffers: number;
  /** Bytes in V8's large object spaces after it: where strings of megabytes live. */
  largeObjects: number;
}

/** Runs `bundle` through the launcher with these Node options and environment, as the agent command `command`; its stdout and stderr. */
function runBundle(bundle: string, nodeArgs: string[], env: NodeJS.ProcessEnv, command = "wrap"): Promise<{ stdout: string; stderr: string }> {
  // A file, as bin/snaptrail.cjs is: the launcher reads the command from process.argv[2].
  const runner = `${bundle}.run.cjs`;
  writeFileSync(runner, `require(${JSON.stringify(LAUNCH)}).runAgentBundle(${JSON.stringify(bundle)});\n`);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...nodeArgs, runner, command], { env: { PATH: process.env.PATH, SNAPTRAIL_CACHE_DIR: "", ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`the test bundle failed: ${err.message}\n${stderr}`, { cause: err }));
      else resolve({ stdout, stderr });
    });
  });
}

/** Runs `bundle` through the launcher (after young-generation collections, which --expose-gc allows) and returns what it saw. */
async function heldWhileRunning(bundle: string, cacheDir: string): Promise<Held> {
  const { stdout } = await runBundle(bundle, ["--expose-gc"], { HOME: cacheDir, SNAPTRAIL_CACHE_DIR: cacheDir });
  return JSON.parse(stdout) as Held;
}

/** A bundle that keeps 40 MB of small objects, runs a function hot enough for the optimizing compiler, and prints how the young generation grew. */
const BUSY_BUNDLE = [
  '"use strict";',
  'const v8 = require("node:v8");',
  'const youngSize = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;',
  "const before = youngSize();",
  "const kept = [];",
  "for (let i = 0; i < 1000000; i++) kept.push({ i, s: String(i) });",
  "function hot(n) { let x = 0; for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003; return x; }",
  "let sum = 0;",
  "for (let i = 0; i < 20000; i++) sum += hot(200);",
  "process.stdout.write(JSON.stringify({ before, after: youngSize(), kept: kept.length, sum }));",
  "",
].join("\n");

describe("agent launcher memory", () => {
  const work = mkdtempSync(join(tmpdir(), "snaptrail-launcher-memory-"));
  after(() => rmSync(work, { recursive: true, force: true }));

  it("keeps one copy of the bundle's source and none of its bytes or its code cache's while the bundle runs", async () => {
    const bundle = join(work, "bundle.cjs");
    const body = [
      '"use strict";',
      "function report() {",
      // Young-generation collections only: the only kind a short run of the agent has.
      '  globalThis.gc({ type: "minor" });',
      '  globalThis.gc({ type: "minor" });',
      '  const spaces = require("node:v8").getHeapSpaceStatistics().filter((s) => s.space_name.endsWith("large_object_space"));',
      "  process.stdout.write(JSON.stringify({ arrayBuffers: process.memoryUsage().arrayBuffers, largeObjects: spaces.reduce((n, s) => n + s.space_used_size, 0) }));",
      "}",
      "report();",
      `/*${"x".repeat(PAD)}*/`,
      "",
    ].join("\n");
    writeFileSync(bundle, body);
    const cache = join(work, "cache");
    // The first run compiles and writes the code cache; the second reads it.
    for (const run of ["without a code cache", "with the code cache"]) {
      const held = await heldWhileRunning(bundle, cache);
      assert.ok(held.arrayBuffers < PAD / 2, `${run}: ${held.arrayBuffers} bytes of Buffers still reachable (the bundle's or its cache's bytes)`);
      assert.ok(held.largeObjects < PAD * 1.5, `${run}: ${held.largeObjects} bytes of large objects (more than one copy of the source)`);
    }
  });

  it("runs the bundle with a young generation that does not grow and without the optimizing compiler", async () => {
    const bundle = join(work, "busy.cjs");
    writeFileSync(bundle, BUSY_BUNDLE);
    const { stdout, stderr } = await runBundle(bundle, ["--trace-opt"], {});
    const seen = JSON.parse(stdout.slice(stdout.lastIndexOf("{"))) as { before: number; after: number };
    // Its initial size, then both semi-spaces in use: at most twice what it was at the start.
    assert.ok(seen.after <= 2 * seen.before, `the young generation grew from ${seen.before} to ${seen.after} bytes`);
    assert.doesNotMatch(stdout + stderr, /completed (compiling|optimizing) .*\bhot\b/, "the hot function was optimized");
    // The check above sees an optimization when there is one: the same bundle, run by Node itself.
    const plain = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["--trace-opt", bundle], { timeout: 60_000 }, (err, out) => (err ? reject(new Error(`node ${bundle} failed: ${err.message}`, { cause: err })) : resolve(out))),
    );
    assert.match(plain, /completed (compiling|optimizing) .*\bhot\b/);
    const grown = JSON.parse(plain.slice(plain.lastIndexOf("{"))) as { before: number; after: number };
    assert.ok(grown.after > 2 * grown.before, "without the launcher's flags the young generation grows");
  });

  it("keeps V8's defaults for commands off the job's path (a long spool flush, a restore)", async () => {
    const bundle = join(work, "busy-spool.cjs");
    writeFileSync(bundle, BUSY_BUNDLE);
    for (const command of ["spool", "restore"]) {
      const { stdout } = await runBundle(bundle, ["--trace-opt"], {}, command);
      assert.match(stdout, /completed (compiling|optimizing) .*\bhot\b/, `${command}: the hot function was not optimized`);
    }
  });

  it("leaves the flags to the user who sets them", async () => {
    const bundle = join(work, "busy-user.cjs");
    writeFileSync(bundle, BUSY_BUNDLE);
    const { stdout } = await runBundle(bundle, ["--trace-opt", "--turbofan"], {});
    assert.match(stdout, /completed (compiling|optimizing) .*\bhot\b/);
  });

  it("loads the builtins the bundle requires with Node's own code cache", async () => {
    const bundle = join(work, "builtins.cjs");
    writeFileSync(bundle, '"use strict";\nrequire("node:http2");\nrequire("zlib");\n');
    const { stderr } = await runBundle(bundle, [], { NODE_DEBUG_NATIVE: "CODE_CACHE" });
    assert.match(stderr, /Code cache of http2 \S+ is accepted/);
    assert.match(stderr, /Code cache of zlib \S+ is accepted/);
    assert.doesNotMatch(stderr, /Code cache of (http2|zlib|internal\/http2\/core) \S+ is rejected/);
  });
});
