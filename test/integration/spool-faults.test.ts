import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { SpoolStatus } from "../../agent/spool/spool.js";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { SNAPTRAIL_CLI, startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { runCli } from "../helpers/run-cli.js";
import { freePort } from "../helpers/free-port.js";

// Fault injection with real processes: the agent killed, the collector down or killed mid-stream,
// the spool unwritable, full or damaged. The job's own result must survive each, and every event
// must end up stored exactly once.

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function spoolFiles(dir: string): string[] {
  return existsSync(join(dir, "events")) ? readdirSync(join(dir, "events")).filter((n) => n.endsWith(".spool")) : [];
}

describe("spool fault injection", () => {
  let dir: string;
  let work: string;
  let collector: CollectorProcess;
  let client: CollectorHttpClient;
  let downAddress: string;
  let seq = 0;
  const nextRunId = (what: string) => `local:test/spool-${what}-${process.pid}-${++seq}`;
  const nextSpool = () => join(dir, `spool-${++seq}`);

  /** Agent env: fast retries so a collector that is down reaches the spool quickly. */
  const agentEnv = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
    ...process.env,
    SNAPTRAIL_PIPELINE: "spool-tests",
    SNAPTRAIL_STEP: "job",
    SNAPTRAIL_RETRY_FOR_MS: "300",
    SNAPTRAIL_CACHE_DIR: join(dir, "cache"),
    ...extra,
  });

  const status = async (spoolDir: string): Promise<SpoolStatus> => {
    const r = await runCli(["spool", "status", "--json", "--spool-dir", spoolDir]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout.toString()) as SpoolStatus;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-spool-faults-"));
    work = join(dir, "work");
    mkdirSync(work);
    writeFileSync(join(work, "job.py"), "print('hi')\n");
    collector = await startCollectorProcess({ db: join(dir, "snaptrail.db") });
    client = new CollectorHttpClient(collector.httpUrl);
    downAddress = `127.0.0.1:${await freePort()}`;
  });

  after(async () => {
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("collector down: the run is spooled; `spool flush` with the collector up stores it exactly once", async () => {
    const spoolDir = nextSpool();
    const runId = nextRunId("down");
    const r = await runCli(["wrap", "--", "python3", "-c", "import sys; sys.exit(4)"], { cwd: work, env: agentEnv({ SNAPTRAIL_COLLECTOR: downAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: runId }) });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /spooled 3 events to .*; they will be sent by the next run or `snaptrail spool flush`/);
    const before = await status(spoolDir);
    assert.equal(before.events, 3);
    assert.ok(before.files >= 1 && before.oldestMs !== null);
    const text = await runCli(["spool", "status", "--spool-dir", spoolDir]);
    assert.match(text.stdout.toString(), /waiting\s+3 events in \d+ files, oldest /);

    const flush = await runCli(["spool", "flush", "--json", "--spool-dir", spoolDir, "--collector", collector.grpcAddress]);
    assert.equal(flush.code, 0, flush.stderr);
    const report = JSON.parse(flush.stdout.toString()) as { stored: number; duplicates: number; waiting: { events: number } };
    assert.equal(report.stored, 3);
    assert.equal(report.waiting.events, 0);
    const run = await client.getRun(runId);
    assert.equal(run.status, "failed");
    assert.equal(run.exitCode, 4);
    assert.equal(run.events.length, 3);
    assert.ok(run.environment, "the spooled snapshot carried its bodies");

    const again = await runCli(["spool", "flush", "--json", "--spool-dir", spoolDir, "--collector", collector.grpcAddress]);
    assert.equal((JSON.parse(again.stdout.toString()) as { stored: number }).stored, 0, "nothing sent twice");
    assert.equal((await client.getRun(runId)).events.length, 3);
  });

  it("`spool flush` with the collector still down exits 1 and keeps everything", async () => {
    const spoolDir = nextSpool();
    await runCli(["wrap", "--", "true"], { cwd: work, env: agentEnv({ SNAPTRAIL_COLLECTOR: downAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: nextRunId("still-down") }) });
    const flush = await runCli(["spool", "flush", "--spool-dir", spoolDir, "--collector", downAddress], { env: agentEnv({}) });
    assert.equal(flush.code, 1);
    assert.match(flush.stderr, /spool flush stopped: cannot reach the collector/);
    assert.equal((await status(spoolDir)).events, 3);
  });

  it("agent SIGKILLed after its start event (collector down): the next agent run sends what was spooled", async () => {
    const spoolDir = nextSpool();
    const killed = nextRunId("killed");
    const pidFile = join(dir, "job.pid");
    const agent = spawn(process.execPath, [SNAPTRAIL_CLI, "wrap", "--", "python3", "-c", `import os, time; open(${JSON.stringify(pidFile)}, "w").write(str(os.getpid())); time.sleep(60)`], {
      cwd: work,
      env: agentEnv({ SNAPTRAIL_COLLECTOR: downAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: killed }),
      stdio: "ignore",
    });
    try {
      // Start and snapshot are in the spool before they are sent; with the collector down (refused
      // at once) they would be there without the write-ahead too: the hung-collector tests below
      // are the ones only the write-ahead passes.
      await waitFor("the start event in the spool", () => spoolFiles(spoolDir).length > 0 && existsSync(pidFile));
      agent.kill("SIGKILL");
      await new Promise((r) => agent.once("exit", r));
    } finally {
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
    }
    assert.equal((await status(spoolDir)).events, 2);

    const next = nextRunId("next");
    const r = await runCli(["wrap", "--", "python3", "-c", "import time; time.sleep(3)"], { cwd: work, env: agentEnv({ SNAPTRAIL_COLLECTOR: collector.grpcAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: next }) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const run = await client.getRun(killed);
    assert.equal(run.status, "running", "started and snapshot arrived; the finish never happened");
    assert.deepEqual(run.events.map((e) => e.type).sort(), ["runStarted", "snapshotCaptured"]);
    assert.equal((await status(spoolDir)).events, 0, "replayed events leave the spool");
    assert.equal((await client.getRun(next)).status, "succeeded");
  });

  // The collector hung (SIGSTOP: it accepts connections and never answers) and the agent's
  // timeouts far longer than the test waits: only a copy written ahead of the send can be in the
  // spool when the agent is killed.
  const patient = { SNAPTRAIL_CONNECT_TIMEOUT_MS: "120000", SNAPTRAIL_CALL_TIMEOUT_MS: "120000", SNAPTRAIL_RETRY_FOR_MS: "120000", SNAPTRAIL_FINISH_TIMEOUT_MS: "120000" };

  it("collector hung, agent SIGKILLed while its start event waits for an ack: the next agent run sends it", async () => {
    const spoolDir = nextSpool();
    const killed = nextRunId("hung-start");
    const pidFile = join(dir, `job-${seq}.pid`);
    const hung = await startCollectorProcess({ db: join(dir, "hung-start.db") });
    process.kill(hung.pid, "SIGSTOP");
    try {
      const agent = spawn(process.execPath, [SNAPTRAIL_CLI, "wrap", "--", "python3", "-c", `import os, time; open(${JSON.stringify(pidFile)}, "w").write(str(os.getpid())); time.sleep(60)`], {
        cwd: work,
        env: agentEnv({ SNAPTRAIL_COLLECTOR: hung.grpcAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: killed, ...patient }),
        stdio: "ignore",
      });
      try {
        await waitFor("the start event written ahead", async () => existsSync(pidFile) && (await status(spoolDir)).events === 2);
        agent.kill("SIGKILL");
        await new Promise((r) => agent.once("exit", r));
      } finally {
        if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
      }
      process.kill(hung.pid, "SIGCONT");
      const next = nextRunId("after-hung-start");
      const r = await runCli(["wrap", "--", "python3", "-c", "import time; time.sleep(3)"], { cwd: work, env: agentEnv({ SNAPTRAIL_COLLECTOR: hung.grpcAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: next }) });
      assert.equal(r.code, 0, r.stderr);
      const hungClient = new CollectorHttpClient(hung.httpUrl);
      const run = await hungClient.getRun(killed);
      assert.deepEqual(run.events.map((e) => e.type).sort(), ["runStarted", "snapshotCaptured"]);
      assert.ok(run.environment, "the written-ahead snapshot carried its bodies");
      assert.equal((await status(spoolDir)).events, 0);
    } finally {
      process.kill(hung.pid, "SIGCONT");
      await hung.stop();
    }
  });

  it("collector hangs after the start, agent SIGKILLed while its finish event waits for an ack: `spool flush` sends it", async () => {
    const spoolDir = nextSpool();
    const runId = nextRunId("hung-finish");
    const go = join(dir, `go-${seq}`);
    const hung = await startCollectorProcess({ db: join(dir, "hung-finish.db") });
    const hungClient = new CollectorHttpClient(hung.httpUrl);
    try {
      const agent = spawn(process.execPath, [SNAPTRAIL_CLI, "wrap", "--", "python3", "-c", `import os, sys, time\nwhile not os.path.exists(${JSON.stringify(go)}): time.sleep(0.05)\nsys.exit(5)`], {
        cwd: work,
        env: agentEnv({ SNAPTRAIL_COLLECTOR: hung.grpcAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: runId, ...patient }),
        stdio: "ignore",
      });
      const exited = new Promise((r) => agent.once("exit", r));
      await waitFor("the run's start stored", async () => (await hungClient.getRun(runId).catch(() => undefined))?.events.length === 2);
      await waitFor("the start's write-ahead copy removed after its ack", async () => (await status(spoolDir)).events === 0);
      process.kill(hung.pid, "SIGSTOP");
      writeFileSync(go, "");
      await waitFor("the finish event written ahead", async () => (await status(spoolDir)).events === 1);
      agent.kill("SIGKILL");
      await exited;
      process.kill(hung.pid, "SIGCONT");
      const flush = await runCli(["spool", "flush", "--json", "--spool-dir", spoolDir, "--collector", hung.grpcAddress]);
      assert.equal(flush.code, 0, flush.stderr);
      // The finish may also reach the collector from the dead agent's socket buffer once it runs
      // again: then the spool's copy is a duplicate. Either way it is sent, and stored once.
      const sent = JSON.parse(flush.stdout.toString()) as { stored: number; duplicates: number; waiting: { events: number } };
      assert.equal(sent.stored + sent.duplicates, 1, flush.stdout.toString());
      assert.equal(sent.waiting.events, 0);
      const run = await hungClient.getRun(runId);
      assert.equal(run.exitCode, 5);
      assert.deepEqual(run.events.map((e) => e.type).sort(), ["runFinished", "runStarted", "snapshotCaptured"]);
    } finally {
      process.kill(hung.pid, "SIGCONT");
      await hung.stop();
    }
  });

  it("a SIGTERM while the agent waits for the finish's ack keeps the job's exit code; the finish stays in the spool", async () => {
    const spoolDir = nextSpool();
    const runId = nextRunId("late-term");
    const go = join(dir, `go-${seq}`);
    const hung = await startCollectorProcess({ db: join(dir, "late-term.db") });
    const hungClient = new CollectorHttpClient(hung.httpUrl);
    try {
      const agent = spawn(process.execPath, [SNAPTRAIL_CLI, "wrap", "--", "python3", "-c", `import os, sys, time\nwhile not os.path.exists(${JSON.stringify(go)}): time.sleep(0.05)\nsys.exit(6)`], {
        cwd: work,
        env: agentEnv({ SNAPTRAIL_COLLECTOR: hung.grpcAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: runId, ...patient }),
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      agent.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((r) => agent.once("exit", (code, signal) => r([code, signal])));
      await waitFor("the run's start stored", async () => (await hungClient.getRun(runId).catch(() => undefined))?.events.length === 2);
      process.kill(hung.pid, "SIGSTOP");
      writeFileSync(go, "");
      // The job has exited 6; the agent waits (up to 120 s here) for the hung collector's ack.
      await waitFor("the finish event written ahead", async () => (await status(spoolDir)).events === 1);
      agent.kill("SIGTERM");
      const [code, signal] = await exited;
      assert.deepEqual([code, signal], [6, null], stderr);
      assert.match(stderr, /stopped by a signal after the command ended/);
      process.kill(hung.pid, "SIGCONT");
      const flush = await runCli(["spool", "flush", "--json", "--spool-dir", spoolDir, "--collector", hung.grpcAddress]);
      assert.equal(flush.code, 0, flush.stderr);
      assert.equal((await hungClient.getRun(runId)).exitCode, 6);
    } finally {
      process.kill(hung.pid, "SIGCONT");
      await hung.stop();
    }
  });

  it("a short run with the collector up has what earlier runs spooled sent in the background, after it exited", async () => {
    const spoolDir = nextSpool();
    const earlier = [nextRunId("short-1"), nextRunId("short-2")];
    for (const runId of earlier) await runCli(["wrap", "--", "true"], { cwd: work, env: agentEnv({ SNAPTRAIL_COLLECTOR: downAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: runId }) });
    assert.equal((await status(spoolDir)).events, 6);

    const r = await runCli(["wrap", "--", "true"], { cwd: work, env: agentEnv({ SNAPTRAIL_COLLECTOR: collector.grpcAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: nextRunId("short-now") }) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    // No `spool flush` here: the detached flusher the run started sends them.
    await waitFor("the earlier runs stored", async () => (await status(spoolDir)).events === 0);
    for (const runId of earlier) assert.deepEqual((await client.getRun(runId)).events.map((e) => e.type).sort(), ["runFinished", "runStarted", "snapshotCaptured"]);
    await waitFor("the flusher gone", () => !existsSync(join(spoolDir, "flush.lock")));
  });

  it("`spool flush --if-idle` does nothing while another flush holds the spool", async () => {
    const spoolDir = nextSpool();
    await runCli(["wrap", "--", "true"], { cwd: work, env: agentEnv({ SNAPTRAIL_COLLECTOR: downAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: nextRunId("idle") }) });
    // A flush held by a live process (this one) on this host.
    writeFileSync(join(spoolDir, "flush.lock"), `${hostname()} ${process.pid} ${Date.now()}\n`);
    const busy = await runCli(["spool", "flush", "--if-idle", "--json", "--spool-dir", spoolDir, "--collector", collector.grpcAddress]);
    assert.equal(busy.code, 0, busy.stderr);
    assert.deepEqual(JSON.parse(busy.stdout.toString()), { busy: true });
    assert.equal((await status(spoolDir)).events, 3);
    // Its holder gone (a pid that is not running): the lock is stale and the next flush takes it.
    writeFileSync(join(spoolDir, "flush.lock"), `${hostname()} 999999999 ${Date.now()}\n`);
    const idle = await runCli(["spool", "flush", "--if-idle", "--json", "--spool-dir", spoolDir, "--collector", collector.grpcAddress]);
    assert.equal(idle.code, 0, idle.stderr);
    assert.equal((JSON.parse(idle.stdout.toString()) as { stored: number }).stored, 3);
    assert.ok(!existsSync(join(spoolDir, "flush.lock")));
  });

  it("spool unwritable and collector down: the job runs, keeps its exit code, and a warning says why", async () => {
    const notADir = join(dir, "plain-file");
    writeFileSync(notADir, "");
    const r = await runCli(["wrap", "--", "python3", "-c", "print('out'); import sys; sys.exit(7)"], {
      cwd: work,
      env: agentEnv({ SNAPTRAIL_COLLECTOR: downAddress, SNAPTRAIL_SPOOL_DIR: join(notADir, "spool"), SNAPTRAIL_RUN_ID: nextRunId("unwritable") }),
    });
    assert.equal(r.code, 7);
    assert.equal(r.stdout.toString(), "out\n");
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^snaptrail: warning: run \S+: .*3 events not recorded: .*cannot reach the collector .*; the spool could not keep it either: cannot write .* ENOTDIR.*\(the command itself ran normally\)$/);
  });

  it("spool at its size bound: the oldest are dropped and counted, the job keeps its exit code", async () => {
    const spoolDir = nextSpool();
    const env = (runId: string, max: string) => agentEnv({ SNAPTRAIL_COLLECTOR: downAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: runId, SNAPTRAIL_MAX_SPOOL_BYTES: max });
    await runCli(["wrap", "--", "true"], { cwd: work, env: env(nextRunId("full-1"), "100000000") });
    const one = await status(spoolDir);
    // Room for about one run: the next run must push the first one out.
    const bound = String(Math.ceil(one.bytes * 1.5));
    const r = await runCli(["wrap", "--", "python3", "-c", "import sys; sys.exit(9)"], { cwd: work, env: env(nextRunId("full-2"), bound) });
    assert.equal(r.code, 9);
    assert.match(r.stderr, /the spool was full \(maxSpoolBytes \d+\): dropped its \d+ oldest files? \(\d+ events?\) to make room/);
    const after = await status(spoolDir);
    assert.ok(after.bytes <= Number(bound));
    assert.ok(after.dropped.events >= 1);
    assert.equal(after.dropped.events + after.events, 6, "every event is either waiting or counted as dropped");

    const tiny = await runCli(["wrap", "--", "python3", "-c", "import sys; sys.exit(11)"], { cwd: work, env: env(nextRunId("full-3"), "64") });
    assert.equal(tiny.code, 11);
    assert.match(tiny.stderr, /not recorded: .*do not fit in the spool's bound of 64 bytes \(maxSpoolBytes\)/);
  });

  it("a damaged spool record is skipped and counted; the rest is sent", async () => {
    const spoolDir = nextSpool();
    const runId = nextRunId("damaged");
    await runCli(["wrap", "--", "true"], { cwd: work, env: agentEnv({ SNAPTRAIL_COLLECTOR: downAddress, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: runId }) });
    const files = spoolFiles(spoolDir).sort();
    const first = join(spoolDir, "events", files[0]!); // started + snapshot
    const bytes = readFileSync(first);
    bytes[20]! ^= 0xff; // inside the first record's payload: the checksum no longer matches
    writeFileSync(first, bytes);
    const flush = await runCli(["spool", "flush", "--json", "--spool-dir", spoolDir, "--collector", collector.grpcAddress]);
    assert.equal(flush.code, 0, flush.stderr);
    const report = JSON.parse(flush.stdout.toString()) as { stored: number; corrupt: number };
    assert.equal(report.corrupt, 1);
    assert.equal(report.stored, 2);
    assert.equal((await status(spoolDir)).corruptRecords, 1);
    const run = await client.getRun(runId);
    assert.deepEqual(run.events.map((e) => e.type).sort(), ["runFinished", "snapshotCaptured"]);
  });

  it("the collector SIGKILLed in the middle of a stream of wrapped runs and restarted: every event stored exactly once", async () => {
    const spoolDir = nextSpool();
    const db = join(dir, "restart.db");
    let c = await startCollectorProcess({ db });
    const [grpc, http] = [c.grpcAddress, c.httpUrl];
    const ids: string[] = [];
    let spooledRuns = 0;
    const wrapOne = async (i: number) => {
      const runId = nextRunId(`stream-${i}`);
      ids.push(runId);
      const r = await runCli(["wrap", "--", "python3", "-c", `import sys, time; time.sleep(0.3); sys.exit(${i % 3})`], { cwd: work, env: agentEnv({ SNAPTRAIL_COLLECTOR: grpc, SNAPTRAIL_SPOOL_DIR: spoolDir, SNAPTRAIL_RUN_ID: runId }) });
      assert.equal(r.code, i % 3, r.stderr);
      if (/spooled \d+ events?/.test(r.stderr)) spooledRuns++;
    };
    try {
      // Two agents at a time; the collector dies while runs are in flight and comes back later.
      const stream = (async () => {
        for (let i = 0; i < 12; i += 2) await Promise.all([wrapOne(i), wrapOne(i + 1)]);
      })();
      await waitFor("a few runs stored", () => ids.length >= 4);
      await c.kill();
      await new Promise((r) => setTimeout(r, 1500));
      c = await startCollectorProcess({ db, listen: grpc, http: http.replace(/^http:\/\//, "") });
      await stream;
      assert.ok(spooledRuns > 0, "some runs met the collector down and spooled");
      const flush = await runCli(["spool", "flush", "--json", "--spool-dir", spoolDir, "--collector", grpc]);
      assert.equal(flush.code, 0, flush.stderr);
      const httpClient = new CollectorHttpClient(c.httpUrl);
      let events = 0;
      for (const [i, id] of ids.entries()) {
        const run = await httpClient.getRun(id);
        assert.equal(run.exitCode, i % 3, id);
        assert.deepEqual(run.events.map((e) => e.type).sort(), ["runFinished", "runStarted", "snapshotCaptured"], id);
        assert.equal(new Set(run.events.map((e) => e.eventId)).size, 3);
        events += run.events.length;
      }
      assert.equal(events, 36);
      const all = await httpClient.listRuns({ pipeline: "spool-tests", limit: 1000 });
      assert.equal(all.filter((r) => ids.includes(r.runId)).length, 12);
    } finally {
      await c.stop();
    }
  });
});
