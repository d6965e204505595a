import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import type { RunDiff, RunSummary } from "../../core/api-types.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { createVenv } from "../helpers/python-env.js";
import { runCli } from "../helpers/run-cli.js";
import { commitRepo, git } from "../helpers/git.js";
import { freePort } from "../helpers/free-port.js";

// `snaptrail wrap` end to end: a real venv, a real git repo, a real collector process.
const JOB = `import os, signal, sys, time
mode = sys.argv[1]
if mode == "exit":
    print("job says hello")
    sys.stderr.write("job warns on stderr\\n")
    sys.exit(int(sys.argv[2]))
if mode == "echo":
    sys.stdout.buffer.write(sys.stdin.buffer.read())
if mode == "term":
    def on_term(signum, frame):
        print("got TERM", flush=True)
        sys.exit(42)
    signal.signal(signal.SIGTERM, on_term)
    print("ready", flush=True)
    time.sleep(60)
if mode == "die":
    os.kill(os.getpid(), signal.SIGKILL)
`;

describe("snaptrail wrap", () => {
  let dir: string;
  let repo: string;
  let python: string;
  let collector: CollectorProcess;
  let client: CollectorHttpClient;
  let env: NodeJS.ProcessEnv;
  let seq = 0;
  const nextRunId = () => `local:test/wrap-${process.pid}-${++seq}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-wrap-"));
    python = await createVenv(join(dir, "venv"), ["six==1.16.0"]);
    repo = join(dir, "repo");
    commitRepo(repo, { "job.py": JOB }, "job");
    collector = await startCollectorProcess({ db: join(dir, "snaptrail.db") });
    client = new CollectorHttpClient(collector.httpUrl);
    // The finish bound (500 ms by default) has tests of its own; here a collector that answers
    // late on a loaded machine (seen at a load of 17) must not read as snaptrail talking.
    env = { ...process.env, SNAPTRAIL_COLLECTOR: collector.grpcAddress, SNAPTRAIL_PIPELINE: "wrap-tests", SNAPTRAIL_STEP: "job", SNAPTRAIL_SPOOL_DIR: join(dir, "spool"), SNAPTRAIL_FINISH_TIMEOUT_MS: "20000" };
  });

  after(async () => {
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("passes the exit code and output through and records the run with its environment and code", async () => {
    const runId = nextRunId();
    const r = await runCli(["wrap", "--", python, "job.py", "exit", "3"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: runId } });
    assert.equal(r.code, 3);
    assert.equal(r.stdout.toString(), "job says hello\n");
    assert.equal(r.stderr, "job warns on stderr\n", "nothing of snaptrail's on stderr when all is well");

    const run = await client.getRun(runId);
    assert.equal(run.status, "failed");
    assert.equal(run.exitCode, 3);
    assert.equal(run.pipeline, "wrap-tests");
    assert.deepEqual(run.config?.argv, [python, "job.py", "exit", "3"]);
    assert.equal(run.environment?.interpreter?.executable, python);
    assert.ok(run.environment?.packages.some((p) => p.name === "six" && p.version === "1.16.0"), "six 1.16.0 recorded");
    assert.equal(run.gitCommit, git(repo, "rev-parse", "HEAD"));
    assert.deepEqual(run.code?.files.map((f) => f.path), ["job.py"]);
  });

  it("stores an unchanged environment once: two runs share its digest", async () => {
    const [a, b] = [nextRunId(), nextRunId()];
    for (const runId of [a, b]) await runCli(["wrap", "--", python, "job.py", "exit", "0"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: runId } });
    const [ra, rb] = await Promise.all([client.getRun(a), client.getRun(b)]);
    assert.equal(ra.status, "succeeded");
    assert.ok(ra.environmentDigest);
    assert.equal(ra.environmentDigest, rb.environmentDigest);
    assert.equal(ra.codeDigest, rb.codeDigest);
  });

  it("leaves binary stdin and stdout byte-identical", async () => {
    const payload = randomBytes(256 * 1024);
    const r = await runCli(["wrap", "--", python, "job.py", "echo"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: nextRunId() }, input: payload });
    assert.equal(r.code, 0);
    assert.ok(r.stdout.equals(payload));
  });

  it("forwards SIGTERM to the job and exits with the job's code", async () => {
    let sent = false;
    const r = await runCli(["wrap", "--", python, "job.py", "term"], {
      cwd: repo,
      env: { ...env, SNAPTRAIL_RUN_ID: nextRunId() },
      onSpawn: (child) =>
        child.stdout!.on("data", (d: Buffer) => {
          if (!sent && d.toString().includes("ready")) {
            sent = true;
            child.kill("SIGTERM");
          }
        }),
    });
    assert.equal(r.code, 42);
    assert.match(r.stdout.toString(), /got TERM/);
  });

  it("dies by the same signal as the job, and records it", async () => {
    const runId = nextRunId();
    const r = await runCli(["wrap", "--", python, "job.py", "die"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: runId } });
    assert.equal(r.code, null);
    assert.equal(r.signal, "SIGKILL");
    const run = await client.getRun(runId);
    assert.equal(run.status, "failed");
    assert.equal(run.signal, "SIGKILL");
  });

  it("still runs the job when the collector is down, spools the run and says so in one warning line", async () => {
    const port = await freePort();
    const spoolDir = join(dir, "spool-down");
    const t = Date.now();
    const r = await runCli(["wrap", "--collector", `127.0.0.1:${port}`, "--spool-dir", spoolDir, "--", python, "job.py", "exit", "5"], { cwd: repo, env });
    assert.equal(r.code, 5);
    assert.equal(r.stdout.toString(), "job says hello\n");
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, r.stderr);
    assert.equal(lines[0], "job warns on stderr");
    assert.match(
      lines[1]!,
      new RegExp(`^snaptrail: warning: run \\S+: cannot reach the collector at 127\\.0\\.0\\.1:${port}.*; spooled 3 events to ${spoolDir}; they will be sent by the next run or \`snaptrail spool flush\`$`),
    );
    assert.ok(Date.now() - t < 10_000, "the finish did not wait out the retry budget");
  });

  it("with the collector down for the whole of a short job, spools at once instead of waiting out the finish bound", { timeout: 120_000 }, async () => {
    const port = await freePort();
    const spoolDir = join(dir, "spool-down-bound");
    // A finish bound of ten minutes: the test's own timeout fails it if wrap waits for it.
    const r = await runCli(["wrap", "--collector", `127.0.0.1:${port}`, "--spool-dir", spoolDir, "--", python, "job.py", "exit", "6"], { cwd: repo, env: { ...env, SNAPTRAIL_FINISH_TIMEOUT_MS: "600000" } });
    assert.equal(r.code, 6);
    assert.match(r.stderr.toString(), /cannot reach the collector at .*; spooled 3 events to /);
  });

  it("exits 127 with a clear message for a command that does not exist", async () => {
    const r = await runCli(["wrap", "--", "no-such-command-snaptrail"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: nextRunId() } });
    assert.equal(r.code, 127);
    assert.match(r.stderr, /snaptrail: cannot run no-such-command-snaptrail: command not found/);
  });

  it("runs the job without recording it when an option is invalid", async () => {
    const r = await runCli(["wrap", "--", python, "job.py", "exit", "0"], { cwd: repo, env: { ...env, SNAPTRAIL_MAX_ARCHIVE_BYTES: "lots" } });
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "snaptrail: warning: invalid option maxArchiveBytes (from env var SNAPTRAIL_MAX_ARCHIVE_BYTES): must be a number; running the command without recording it\njob warns on stderr\n");
  });

  it("answers runs, show and diff through the CLI", async () => {
    const [a, b] = [nextRunId(), nextRunId()];
    await runCli(["wrap", "--", python, "job.py", "exit", "0"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: a } });
    writeFileSync(join(repo, "job.py"), JOB.replace('print("job says hello")', 'print("job says hi")'));
    git(repo, "commit", "-qam", "greet differently");
    await runCli(["wrap", "--", python, "job.py", "exit", "0"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: b } });
    const http = ["--collector-http", collector.httpUrl];

    const runs = await runCli(["runs", "--pipeline", "wrap-tests", "--package", "six==1.16.0", "--json", ...http]);
    assert.equal(runs.code, 0, runs.stderr);
    const listed = (JSON.parse(runs.stdout.toString()) as RunSummary[] | { runs: RunSummary[] });
    const ids = (Array.isArray(listed) ? listed : listed.runs).map((r) => r.runId);
    assert.ok(ids.includes(a) && ids.includes(b));

    const none = await runCli(["runs", "--package", "six>=2", "--json", ...http]);
    const noneListed = JSON.parse(none.stdout.toString()) as RunSummary[] | { runs: RunSummary[] };
    assert.equal((Array.isArray(noneListed) ? noneListed : noneListed.runs).length, 0);

    const diff = await runCli(["diff", a, b, "--json", ...http]);
    assert.equal(diff.code, 0, diff.stderr);
    const d = JSON.parse(diff.stdout.toString()) as RunDiff;
    assert.deepEqual(d.code?.modified, ["job.py"]);
    assert.match(d.code?.patches[0]?.unified ?? "", /- {4}print\("job says hello"\)\n\+ {4}print\("job says hi"\)/);
    assert.equal(d.packages.changed.length, 0);

    const text = await runCli(["diff", a, b, "--no-color", ...http]);
    assert.match(text.stdout.toString(), /M job\.py/);
    const show = await runCli(["show", a, ...http]);
    assert.equal(show.code, 0);
    assert.match(show.stdout.toString(), new RegExp(a));
  });
});
