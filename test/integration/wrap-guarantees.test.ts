import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { SNAPTRAIL_CLI, startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { runCli } from "../helpers/run-cli.js";

// What `snaptrail wrap` promises the job, whatever happens to snaptrail: signals forwarded, the
// job's exit (code or signal) passed through, stdio untouched (binary, TTYs), and a crash inside
// the agent leaving the job's result intact.

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGUSR1", "SIGUSR2"] as const;

// Exits 100 + the number of the first forwarded signal it receives.
const TRAP = `import signal, sys, time
def on(signum, frame):
    print("got", signal.Signals(signum).name, flush=True)
    sys.exit(100 + signum)
for s in (${SIGNALS.map((s) => `signal.${s}`).join(", ")}):
    signal.signal(s, on)
print("ready", flush=True)
time.sleep(60)
`;

interface RawResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
}

function runRaw(file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: Buffer }): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? Buffer.alloc(0));
  });
}

describe("wrap guarantees to the job", () => {
  let dir: string;
  let work: string;
  let collector: CollectorProcess;
  let client: CollectorHttpClient;
  let env: NodeJS.ProcessEnv;
  let seq = 0;
  const nextRunId = () => `local:test/guarantees-${process.pid}-${++seq}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-guarantees-"));
    work = join(dir, "work");
    mkdirSync(work);
    collector = await startCollectorProcess({ db: join(dir, "snaptrail.db") });
    client = new CollectorHttpClient(collector.httpUrl);
    env = {
      ...process.env,
      SNAPTRAIL_COLLECTOR: collector.grpcAddress,
      SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
      SNAPTRAIL_CACHE_DIR: join(dir, "cache"),
      SNAPTRAIL_PIPELINE: "guarantees",
    };
  });

  after(async () => {
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const signal of SIGNALS) {
    it(`forwards ${signal} to the job and exits with the job's own code`, async () => {
      const runId = nextRunId();
      let sent = false;
      let seen = "";
      const r = await runCli(["wrap", "--", "python3", "-c", TRAP], {
        cwd: work,
        env: { ...env, SNAPTRAIL_RUN_ID: runId },
        onSpawn: (child) =>
          child.stdout!.on("data", (d: Buffer) => {
            // "ready\n", not "ready": with PYTHONUNBUFFERED the newline is a write (and maybe a
            // chunk) of its own, and a signal between the two would leave it out of the output.
            seen += d.toString();
            if (!sent && seen.includes("ready\n")) {
              sent = true;
              child.kill(signal);
            }
          }),
      });
      const expected = 100 + constants.signals[signal];
      assert.equal(r.code, expected, r.stderr);
      assert.equal(r.stdout.toString(), `ready\ngot ${signal}\n`);
      assert.equal(r.stderr, "");
      assert.equal((await client.getRun(runId)).exitCode, expected);
    });
  }

  for (const signal of ["SIGTERM", "SIGINT", "SIGSEGV"] as const) {
    it(`dies by ${signal} when the job does`, async () => {
      const r = await runCli(["wrap", "--", "python3", "-c", `import os, signal; signal.signal(signal.${signal}, signal.SIG_DFL); os.kill(os.getpid(), signal.${signal})`], {
        cwd: work,
        env: { ...env, SNAPTRAIL_RUN_ID: nextRunId() },
      });
      assert.equal(r.code, null);
      assert.equal(r.signal, signal);
    });
  }

  it("leaves binary stdin, stdout and stderr byte-identical", async () => {
    const input = randomBytes(300 * 1024);
    const job = "import sys; data = sys.stdin.buffer.read(); sys.stdout.buffer.write(data); sys.stderr.buffer.write(data[::-1])";
    const r = await runRaw(process.execPath, [SNAPTRAIL_CLI, "wrap", "--", "python3", "-c", job], { cwd: work, env: { ...env, SNAPTRAIL_RUN_ID: nextRunId() }, input });
    assert.equal(r.code, 0, r.stderr.toString());
    assert.ok(r.stdout.equals(input), "stdout identical");
    assert.ok(r.stderr.equals(Buffer.from(input).reverse()), "stderr identical, nothing of snaptrail's in it");
  });

  it("gives the job the agent's terminal: stdin, stdout and stderr are TTYs under a pty", async () => {
    const job = "import os, sys; print('tty', os.isatty(0), os.isatty(1), os.isatty(2))";
    const command = [process.execPath, SNAPTRAIL_CLI, "wrap", "--", "python3", "-c", job].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    const r = await runRaw("script", ["-qec", command, "/dev/null"], { cwd: work, env: { ...env, SNAPTRAIL_RUN_ID: nextRunId() } });
    assert.equal(r.code, 0, r.stdout.toString() + r.stderr.toString());
    assert.match(r.stdout.toString(), /tty True True True/);
    assert.doesNotMatch(r.stdout.toString(), /snaptrail/);
  });

  it("keeps the job's result when the agent itself crashes while the job runs", async () => {
    // An uncaught exception thrown inside the agent process, as a bug in snaptrail would.
    const inject = `data:text/javascript,${encodeURIComponent('setTimeout(() => { throw new Error("injected agent crash"); }, 800);')}`;
    const runId = nextRunId();
    const r = await runCli(["wrap", "--", "python3", "-c", "import sys, time; time.sleep(2); print('job done'); sys.exit(6)"], {
      cwd: work,
      env: { ...env, SNAPTRAIL_RUN_ID: runId, NODE_OPTIONS: `--import=${inject}` },
    });
    assert.equal(r.code, 6);
    assert.equal(r.stdout.toString(), "job done\n");
    assert.match(r.stderr, /^snaptrail: warning: internal error in snaptrail \(injected agent crash\); the command keeps running and its result is kept\n$/);
    assert.equal((await client.getRun(runId)).exitCode, 6, "and the run is still recorded");
  });
});
