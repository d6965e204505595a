import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { capturePython } from "../../agent/python/capture-python.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "snaptrail-probe-first-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The pids of this process's children, from /proc (Linux, as the agent itself). */
function childPids(): string[] {
  const out: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The parent pid is the second field after the command name in parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid) out.push(entry);
    } catch {
      // gone already
    }
  }
  return out;
}

void describe("capturePython's order of work", () => {
  void it("without a cache folder, has started the interpreter probe when it returns its promise, before the caller starts anything else", async () => {
    // captureSnapshot calls capturePython first, then starts the code capture's git processes:
    // the probe and the package scan after it are the longest part of a capture without a cache
    // hit, so the probe must not wait behind them for a thread-pool round trip.
    const python = path.join(tmp, "python3");
    writeFileSync(python, "#!/bin/sh\nsleep 0.5\necho not-a-probe-answer\n");
    chmodSync(python, 0o755);
    const pending = capturePython({ argv: ["python3"], cwd: tmp, env: { PATH: tmp }, python, cacheDir: "" });
    // Nothing else in this test process starts a child (a just-forked one may not show its
    // command line yet, so it is counted, not named).
    const children = childPids();
    const result = await pending;
    assert.equal(children.length, 1, "the probe was not started yet");
    assert.match(result.warnings[0]?.message ?? "", /gave no answer to the probe/);
  });

  void it("with a cache folder, yields first: the caller's other parts start before the cache is read", async () => {
    // A hit is then the common case, a few ms, and the git processes are the longest part.
    const python = path.join(tmp, "python3");
    writeFileSync(python, "#!/bin/sh\nsleep 0.5\necho not-a-probe-answer\n");
    chmodSync(python, 0o755);
    const pending = capturePython({ argv: ["python3"], cwd: tmp, env: { PATH: tmp }, python, cacheDir: path.join(tmp, "cache") });
    const children = childPids();
    const result = await pending;
    assert.equal(children.length, 0, "nothing was started before the caller could start its parts");
    assert.equal(result.cache, undefined);
    assert.match(result.warnings[0]?.message ?? "", /gave no answer to the probe/);
  });
});
