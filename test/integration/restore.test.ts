import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { RestoreReport } from "../../agent/restore/restore-snapshot.js";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { createVenv, pipInstall } from "../helpers/python-env.js";
import { runCli } from "../helpers/run-cli.js";
import { commitRepo, git } from "../helpers/git.js";

// The rollback story end to end: a job runs with six 1.15.0 and code v1; the code and the venv
// move on; `wrap --restore` runs the old code in the old packages again, and proves it did.
const JOB = `import os, sys, six
from version import CODE
print(f"six={six.__version__} code={CODE}")
side = os.environ.get("SIDE_FILE")
if side:
    open(side, "a").write("ran\\n")
`;

void describe("snaptrail restore and wrap --restore", () => {
  let dir: string;
  let repo: string;
  let python: string;
  let collector: CollectorProcess;
  let client: CollectorHttpClient;
  let env: NodeJS.ProcessEnv;
  const oldRun = `local:test/restore-${process.pid}-old`;
  const newRun = `local:test/restore-${process.pid}-new`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-restore-"));
    python = await createVenv(join(dir, "venv"), ["six==1.15.0"]);
    repo = join(dir, "repo");
    commitRepo(repo, { "job.py": JOB, "version.py": 'CODE = "v1"\n' }, "v1");
    collector = await startCollectorProcess({ db: join(dir, "snaptrail.db") });
    client = new CollectorHttpClient(collector.httpUrl);
    env = {
      ...process.env,
      SNAPTRAIL_COLLECTOR: collector.grpcAddress,
      SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl,
      SNAPTRAIL_PIPELINE: "nightly",
      SNAPTRAIL_STEP: "train",
      SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
      SNAPTRAIL_CACHE_DIR: join(dir, "cache"),
      PIP_DISABLE_PIP_VERSION_CHECK: "1",
    };
    const first = await runCli(["wrap", "--", python, "job.py"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: oldRun } });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.toString(), "six=1.15.0 code=v1\n");
    // The world moves on: new code, and the venv upgraded in place.
    writeFileSync(join(repo, "version.py"), 'CODE = "v2"\n');
    git(repo, "commit", "-qam", "v2");
    await pipInstall(python, ["six==1.16.0"]);
    const second = await runCli(["wrap", "--", python, "job.py"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: newRun } });
    assert.equal(second.stdout.toString(), "six=1.16.0 code=v2\n");
  });

  after(async () => {
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void it("wrap --restore runs the old code with the old packages and records rollback_of", async () => {
    const runId = `local:test/restore-${process.pid}-rollback`;
    // The same command line as the old run, with its absolute interpreter path.
    const r = await runCli(["wrap", "--restore", oldRun, "--", python, "job.py"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: runId } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), "six=1.15.0 code=v1\n");
    assert.match(r.stderr, new RegExp(`running pinned to ${oldRun}; code restored into .*\\(2 files verified\\); environment rebuilt in `));
    const run = await client.getRun(runId);
    assert.equal(run.rollbackOf, oldRun);
    assert.equal(run.status, "succeeded");
    const diff = await client.diff(oldRun, runId);
    assert.deepEqual(diff.packages.changed, [], "the restored venv has the recorded versions");
    assert.deepEqual(diff.packages.added, []);
    assert.deepEqual(diff.packages.removed, []);
    assert.equal(run.codeDigest, (await client.getRun(oldRun)).codeDigest, "the code that ran is the recorded code, file for file");
  });

  void it("SNAPTRAIL_PIN rolls back only the pinned step", async () => {
    const pin = JSON.stringify({ "nightly/train": oldRun });
    const pinned = await runCli(["wrap", "--", "python", "job.py"], { cwd: repo, env: { ...env, SNAPTRAIL_PIN: pin, SNAPTRAIL_RUN_ID: `local:test/restore-${process.pid}-pinned` } });
    assert.equal(pinned.code, 0, pinned.stderr);
    assert.equal(pinned.stdout.toString(), "six=1.15.0 code=v1\n", "bare `python` finds the restored venv first on PATH");
    assert.match(pinned.stderr, /environment from the cached venv/, "the second restore of one environment reuses its venv");
    const other = await runCli(["wrap", "--", python, "job.py"], {
      cwd: repo,
      env: { ...env, SNAPTRAIL_PIN: pin, SNAPTRAIL_STEP: "eval", SNAPTRAIL_RUN_ID: `local:test/restore-${process.pid}-eval` },
    });
    assert.equal(other.stdout.toString(), "six=1.16.0 code=v2\n");
    assert.equal(other.stderr, "");
    assert.equal((await client.getRun(`local:test/restore-${process.pid}-eval`)).rollbackOf, null);
  });

  void it("does not run the command when the pinned run cannot be restored, and says why", async () => {
    const side = join(dir, "side-file");
    const runId = `local:test/restore-${process.pid}-broken`;
    const r = await runCli(["wrap", "--restore", "local:test/no-such-run", "--", python, "job.py"], { cwd: repo, env: { ...env, SIDE_FILE: side, SNAPTRAIL_RUN_ID: runId } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /restore of local:test\/no-such-run failed: no run matches .*; the command was not run/);
    assert.equal(existsSync(side), false);
    const run = await client.getRun(runId);
    assert.equal(run.status, "failed");
    assert.equal(run.rollbackOf, "local:test/no-such-run");
  });

  void it("wrap --restore --restore-env verify refuses to run on an environment that differs", async () => {
    const side = join(dir, "side-verify");
    const r = await runCli(["wrap", "--restore", oldRun, "--restore-env", "verify", "--restore-into", join(dir, "verify-tree"), "--", python, "job.py"], {
      cwd: repo,
      env: { ...env, SIDE_FILE: side, SNAPTRAIL_RUN_ID: `local:test/restore-${process.pid}-verify` },
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /restore of .* failed: the environment differs from the snapshot: six 1\.15\.0 -> 1\.16\.0 \(upgrade\); the command was not run/);
    assert.equal(existsSync(side), false);
  });

  void it("restore --env verify fails on the upgraded venv and names the package", async () => {
    const r = await runCli(["restore", oldRun, "--env", "verify", "--python", python, "--no-color"], { cwd: dir, env });
    assert.equal(r.code, 1, r.stderr);
    const out = r.stdout.toString();
    assert.match(out, /differs from the snapshot/);
    assert.match(out, /six\s+1\.15\.0 → 1\.16\.0/);
    const json = await runCli(["restore", newRun, "--env", "verify", "--python", python, "--json"], { cwd: dir, env });
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout.toString()) as RestoreReport).matches, true);
  });

  void it("restore --into brings the code back and rebuilds the environment, as JSON", async () => {
    const into = join(dir, "restored");
    const r = await runCli(["restore", oldRun, "--into", into, "--json"], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout.toString()) as RestoreReport;
    assert.equal(report.matches, true);
    assert.equal(report.code?.verified, 2);
    assert.equal(readFileSync(join(into, "version.py"), "utf8"), 'CODE = "v1"\n');
    assert.equal(report.environment?.mode, "rebuild");
    const restoredPython = report.environment?.mode === "rebuild" ? report.environment.python : "";
    assert.equal(execFileSync(restoredPython, ["-c", "import six; print(six.__version__)"], { encoding: "utf8" }).trim(), "1.15.0");
    // A folder with someone's files in it is never overwritten.
    const again = await runCli(["restore", oldRun, "--into", into, "--env", "none"], { cwd: dir, env });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /cannot restore into .*restored: the folder is not empty \(job.py, version.py\)/);
  });

  void it("names what is missing: an unknown run, a host snapshot, nothing to do", async () => {
    const unknown = await runCli(["restore", "local:test/nope", "--into", join(dir, "x")], { cwd: dir, env });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no run matches local:test\/nope/);
    const host = (await client.getRun(oldRun)).hostDigest!;
    const hostOnly = await runCli(["restore", host, "--into", join(dir, "y")], { cwd: dir, env });
    assert.equal(hostOnly.code, 1);
    assert.match(hostOnly.stderr, /is a host snapshot/);
    const badMode = await runCli(["restore", oldRun, "--env", "docker"], { cwd: dir, env });
    assert.match(badMode.stderr, /--env must be one of rebuild, verify, image, none/);
  });
});
