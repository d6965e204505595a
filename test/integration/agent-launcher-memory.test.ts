import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";

// What the launcher (dist/agent-bundle/launch.cjs) holds while the bundle runs: only the compiled
// script and the one source string V8 keeps for it. The bundle's bytes, their decoded string and
// the code cache's bytes are garbage by then: a run of `wrap` never has the full collection that
// would free them once they are promoted, so each copy kept is megabytes of the agent's peak memory.
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

/** Runs `bundle` through the launcher (after young-generation collections, which --expose-gc allows) and returns what it saw. */
function heldWhileRunning(bundle: string, cacheDir: string): Promise<Held> {
  const runner = `require(${JSON.stringify(LAUNCH)}).runAgentBundle(${JSON.stringify(bundle)})`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--expose-gc", "-e", runner, "wrap"], { env: { PATH: process.env.PATH, HOME: cacheDir, SNAPTRAIL_CACHE_DIR: cacheDir }, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`the test bundle failed: ${err.message}\n${stderr}`, { cause: err }));
      else resolve(JSON.parse(stdout) as Held);
    });
  });
}

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
});
