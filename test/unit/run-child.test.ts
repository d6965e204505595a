import assert from "node:assert/strict";
import childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
import { describe, it } from "node:test";
import { runChild } from "../../agent/wrap/run-child.js";

// A job that would outlive the test by far if the signal never reached it.
const LONG_JOB = [process.execPath, "-e", "setTimeout(() => {}, 60000)"];

describe("runChild", () => {
  it("forwards a SIGTERM that lands the moment spawn() returns, before the agent runs another statement", async () => {
    const original = childProcess.spawn;
    // The race a loaded machine opens: the job is up and its parent signals the agent before the
    // agent's next statement. Sending it synchronously from inside spawn() closes the gap to zero.
    // Were no listener installed yet, SIGTERM's default action would kill this test process.
    childProcess.spawn = ((...args: Parameters<typeof original>) => {
      const child = original(...args);
      process.kill(process.pid, "SIGTERM");
      return child;
    }) as typeof original;
    syncBuiltinESMExports();
    try {
      const outcome = await runChild(LONG_JOB, { cwd: process.cwd(), env: process.env });
      assert.equal(outcome.signal, "SIGTERM", "the job got the SIGTERM");
      assert.equal(outcome.exitCode, null);
    } finally {
      childProcess.spawn = original;
      syncBuiltinESMExports();
    }
    assert.equal(process.listenerCount("SIGTERM"), 0, "no listener left behind");
  });

  it("reports a command spawn refuses outright, and leaves no listener behind", async () => {
    const outcome = await runChild(["bad\0name"], { cwd: process.cwd(), env: process.env });
    assert.equal(outcome.exitCode, 126);
    assert.match(outcome.startError ?? "", /cannot run bad/);
    assert.equal(process.listenerCount("SIGTERM"), 0);
  });
});
