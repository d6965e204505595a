import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { LocalCommandRunner } from "../../adapters/local-command-runner.js";
import { hostileArgs, hostileStdin, splitNulTerminated } from "../helpers/hostile-argv.js";
import { snaptrailError } from "../helpers/snaptrail-error.js";

describe("LocalCommandRunner", () => {
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-local-runner-"));
  const canary = join(dir, "CANARY");
  const runner = new LocalCommandRunner({ cwd: dir });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("passes every argument through byte-exact, and none of them runs as shell code", async () => {
    const args = hostileArgs(canary);
    const outcome = await runner.run(["printf", "%s\\0", ...args]);
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.deepEqual(splitNulTerminated(outcome.stdout), args);
    assert.equal(existsSync(canary), false, "an argument was run as a command");
  });

  it("writes stdin exactly, then closes it", async () => {
    const stdin = hostileStdin();
    const outcome = await runner.run(["cat"], { stdin });
    assert.equal(outcome.exitCode, 0);
    assert.equal(outcome.stdout, stdin);
  });

  it("passes exit codes, stderr and signals through", async () => {
    const failed = await runner.run(["sh", "-c", "echo oops >&2; exit 7"]);
    assert.deepEqual(failed, { exitCode: 7, signal: null, stdout: "", stderr: "oops\n" });
    const killed = await runner.run(["sh", "-c", "kill -TERM $$"]);
    assert.equal(killed.exitCode, null);
    assert.equal(killed.signal, "SIGTERM");
  });

  it("sets env variables for the command only, values untouched", async () => {
    const value = `$(touch ${canary}) it's "x"\nnext`;
    const outcome = await runner.run(["printenv", "SNAPTRAIL_TEST_VALUE"], { env: { SNAPTRAIL_TEST_VALUE: value } });
    assert.equal(outcome.stdout, `${value}\n`);
    assert.equal(process.env.SNAPTRAIL_TEST_VALUE, undefined);
    assert.equal(existsSync(canary), false);
  });

  it("kills a command that outlives timeoutMs and says so in signal", async () => {
    const outcome = await runner.run(["sleep", "60"], { timeoutMs: 100 });
    assert.equal(outcome.exitCode, null);
    assert.equal(outcome.signal, "SIGTERM");
  });

  it("rejects a command that is not there with NOT_FOUND, and an empty argv or a NUL byte with BAD_INPUT", async () => {
    await assert.rejects(runner.run(["snaptrail-no-such-command"]), snaptrailError("NOT_FOUND", "snaptrail-no-such-command", "this machine"));
    await assert.rejects(runner.run([]), snaptrailError("BAD_INPUT", "empty"));
    await assert.rejects(runner.run(["printf", "a\0b"]), snaptrailError("BAD_INPUT", "NUL"));
  });
});
