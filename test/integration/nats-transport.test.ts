// Events over NATS JetStream end to end: a real nats-server (Debian's 2.9.10), real collector
// processes consuming with the shared durable pull consumer, the agent's real NatsSink.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { NatsSink } from "../../agent/sinks/nats-sink.js";
import type { RunDetail } from "../../core/api-types.js";
import type { SnapshotEvent } from "../../core/model.js";
import { eventSubject } from "../../core/nats-names.js";
import { encodeEvent } from "../../proto/event-codec.js";
import { startedEvent } from "../helpers/collector-fixtures.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { connectNats, consumerInfo, publishBytes, readDeadLetters, storedEventCount, storedEventIds, waitFor } from "../helpers/nats-test-client.js";
import { runCli } from "../helpers/run-cli.js";

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function natsServer(): Promise<NatsServer> {
  const server = await startNatsServer();
  cleanups.push(() => server.destroy());
  return server;
}

async function natsCollector(url: string, o: { db?: string; args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<CollectorProcess> {
  const collector = await startCollectorProcess({
    db: o.db,
    args: ["--nats", url, ...(o.args ?? [])],
    env: { SNAPTRAIL_COLLECTOR_NATS_ACK_WAIT_MS: "2000", SNAPTRAIL_COLLECTOR_NATS_NAK_DELAY_MS: "100", SNAPTRAIL_LOG_LEVEL: "warn", ...o.env },
  });
  cleanups.push(() => collector.kill());
  return collector;
}

async function sink(url: string): Promise<NatsSink> {
  const s = await NatsSink.connect({ url, connectTimeoutMs: 5000, callTimeoutMs: 2000 });
  if (!s.ok) throw s.error;
  cleanups.push(() => s.value.close());
  return s.value;
}

/** Publishes like an agent that retries until JetStream acks (what the spool does for real). */
async function publishUntilAcked(s: NatsSink, events: SnapshotEvent[], deadlineMs = 60_000): Promise<{ tries: number }> {
  const deadline = Date.now() + deadlineMs;
  let tries = 0;
  for (;;) {
    tries++;
    const r = await s.publish(events);
    if (r.ok) {
      assert.ok(r.value.every((a) => a.outcome === "STORED" || a.outcome === "DUPLICATE"));
      return { tries };
    }
    assert.ok(r.retryable, r.error.message);
    if (Date.now() > deadline) throw new Error(`not acked within ${deadlineMs} ms: ${r.error.message}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

const started = (id: string): SnapshotEvent => startedEvent(`local:nats/${id}`, { eventId: id });

void describe("NATS JetStream transport", () => {
  void it("snaptrail wrap --transport nats records the run, its snapshots and its code archive", async () => {
    const server = await natsServer();
    const collector = await natsCollector(server.url);
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-nats-wrap-"));
    cleanups.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t.invalid", ...args], { cwd: dir, encoding: "utf8" });
    git("init", "-q", "-b", "main");
    writeFileSync(join(dir, "job.py"), "print('hello over nats')\n");
    git("add", "-A");
    git("commit", "-qm", "job");
    const runId = `local:test/nats-wrap-${process.pid}`;
    const r = await runCli(["wrap", "--python", "python3", "--", "python3", "job.py"], {
      cwd: dir,
      // The env var route: SNAPTRAIL_TRANSPORT and SNAPTRAIL_NATS_URL.
      env: { ...process.env, SNAPTRAIL_TRANSPORT: "nats", SNAPTRAIL_NATS_URL: server.url, SNAPTRAIL_RUN_ID: runId, SNAPTRAIL_CACHE_DIR: "" },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), "hello over nats\n");
    assert.equal(r.stderr, "", "no warning when NATS acked everything");
    let run: RunDetail | undefined;
    await waitFor("the run to be stored and finished", async () => {
      const res = await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(runId)}`);
      if (res.status !== 200) return false;
      run = (await res.json()) as RunDetail;
      return run.status === "succeeded";
    });
    assert.ok(run?.environmentDigest && run.hostDigest && run.codeDigest);
    assert.equal(run.exitCode, 0);
    const archive = run.code?.archiveDigest;
    assert.ok(archive, "the code snapshot names its archive");
    await waitFor("the archive to be copied from the object store", async () => (await fetch(`${collector.httpUrl}/api/v1/blobs/${archive}`)).status === 200);

    // A second run of the same job: the collector answers the digest query, so bodies stay home.
    const again = await runCli(["wrap", "--python", "python3", "--", "python3", "job.py"], {
      cwd: dir,
      env: { ...process.env, SNAPTRAIL_TRANSPORT: "nats", SNAPTRAIL_NATS_URL: server.url, SNAPTRAIL_RUN_ID: `${runId}-2`, SNAPTRAIL_CACHE_DIR: "" },
    });
    assert.equal(again.code, 0, again.stderr);
    await waitFor("the second run", async () => (await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(`${runId}-2`)}`)).status === 200);
    const nc = await connectNats(server.url);
    cleanups.push(() => nc.close());
    assert.deepEqual(await readDeadLetters(nc), []);
  });

  void it("a resend of the same event id is stored once (JetStream drops it in the window, the store after it)", async () => {
    const server = await natsServer();
    const collector = await natsCollector(server.url);
    const s = await sink(server.url);
    const events = ["resend-1", "resend-2", "resend-3"].map(started);
    const first = await s.publish(events);
    assert.ok(first.ok);
    assert.deepEqual(first.value.map((a) => a.outcome), ["STORED", "STORED", "STORED"]);
    const second = await s.publish(events);
    assert.ok(second.ok);
    assert.deepEqual(second.value.map((a) => a.outcome), ["DUPLICATE", "DUPLICATE", "DUPLICATE"], "JetStream de-duplicates on Nats-Msg-Id");
    // Past the duplicate window (here: another message id), the collector de-duplicates on event_id.
    const nc = await connectNats(server.url);
    cleanups.push(() => nc.close());
    const late = await publishBytes(nc, eventSubject(events[0]!.runId), encodeEvent(events[0]!), "resend-1-after-the-window");
    assert.equal(late.duplicate, false);
    const marker = started("resend-marker");
    await publishUntilAcked(s, [marker]);
    await waitFor("the marker", () => storedEventIds(collector.db).includes("resend-marker"));
    await waitFor("the consumer to ack everything", async () => {
      const info = await consumerInfo(nc);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    assert.deepEqual(storedEventIds(collector.db).sort(), ["resend-1", "resend-2", "resend-3", "resend-marker"]);
    assert.deepEqual(await readDeadLetters(nc), []);
  });

  void it("two collectors share the consumer and split the load; each event is stored exactly once", async () => {
    const server = await natsServer();
    // Each collector has its own SQLite file here, so a redelivery (a batch slower than the ack
    // wait, seen at a load of 22) would be stored by both, where a shared store dedupes it on
    // event_id. This test is about the split, not redelivery (the outage tests are): NATS's
    // default-sized ack wait, not the 2 s the other tests use to see redeliveries quickly.
    const slowMachine = { env: { SNAPTRAIL_COLLECTOR_NATS_ACK_WAIT_MS: "30000" } };
    const a = await natsCollector(server.url, slowMachine);
    const b = await natsCollector(server.url, slowMachine);
    const TOTAL = 2000;
    const sinks = await Promise.all([sink(server.url), sink(server.url), sink(server.url), sink(server.url)]);
    await Promise.all(
      sinks.map(async (s, k) => {
        for (let i = k; i < TOTAL; i += sinks.length * 50) {
          const batch = Array.from({ length: 50 }, (_, j) => i + j * sinks.length).filter((n) => n < TOTAL).map((n) => started(`split-${n}`));
          await publishUntilAcked(s, batch);
        }
      }),
    );
    await waitFor(`${TOTAL} events across both collectors`, () => storedEventCount(a.db) + storedEventCount(b.db) >= TOTAL, 60_000);
    const inA = storedEventIds(a.db);
    const inB = storedEventIds(b.db);
    assert.ok(inA.length > 0 && inB.length > 0, `both collectors took a share (a: ${inA.length}, b: ${inB.length})`);
    const both = inA.filter((id) => new Set(inB).has(id));
    assert.deepEqual(both, [], "no event stored by both");
    assert.equal(new Set([...inA, ...inB]).size, TOTAL);
    assert.equal(inA.length + inB.length, TOTAL);
  });

  void it("nats-server restarted while agents publish: nothing lost, nothing duplicated", async (t) => {
    const server = await natsServer();
    const collector = await natsCollector(server.url);
    const PUBLISHERS = 4;
    const PER = 400;
    const sinks = await Promise.all(Array.from({ length: PUBLISHERS }, () => sink(server.url)));
    let published = 0;
    let restarted: Promise<void> | undefined;
    let retries = 0;
    await Promise.all(
      sinks.map(async (s, p) => {
        for (let i = 0; i < PER; i += 10) {
          const batch = Array.from({ length: 10 }, (_, j) => started(`restart-${p}-${i + j}`));
          const { tries } = await publishUntilAcked(s, batch);
          retries += tries - 1;
          published += batch.length;
          if (published >= (PUBLISHERS * PER) / 3) restarted ??= server.restart();
        }
      }),
    );
    await restarted;
    const TOTAL = PUBLISHERS * PER;
    await waitFor(`all ${TOTAL} events stored`, () => storedEventCount(collector.db) >= TOTAL, 60_000);
    const ids = storedEventIds(collector.db);
    assert.equal(ids.length, TOTAL);
    assert.equal(new Set(ids).size, TOTAL);
    const nc = await connectNats(server.url);
    cleanups.push(() => nc.close());
    assert.deepEqual(await readDeadLetters(nc), []);
    t.diagnostic(`${retries} publishes retried across the restart`);
  });

  void it("poison messages land in the dead-letter stream with a reason, and the consumer keeps going", async () => {
    const server = await natsServer();
    const collector = await natsCollector(server.url, { args: ["--max-message-bytes", "65536"] });
    const nc = await connectNats(server.url);
    cleanups.push(() => nc.close());
    const subject = "snaptrail.events.local";
    const garbage = await publishBytes(nc, subject, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), "poison-garbage");
    const oversized = started("poison-oversized");
    oversized.runStarted!.config!.argv = ["x".repeat(100_000)];
    const big = await publishBytes(nc, subject, encodeEvent(oversized), "poison-oversized");
    const invalid = await publishBytes(nc, subject, encodeEvent({ ...started("poison-invalid"), eventId: "" }), "poison-invalid");
    const utf8 = encodeEvent(started("poison-utf8-AAAA"));
    const at = utf8.indexOf(Buffer.from("AAAA"));
    utf8[at] = 0xff;
    utf8[at + 1] = 0xfe;
    const badUtf8 = await publishBytes(nc, subject, utf8, "poison-utf8");
    const good = started("after-poison");
    await publishBytes(nc, subject, encodeEvent(good), "after-poison");

    await waitFor("the good event after the poison", () => storedEventIds(collector.db).includes("after-poison"));
    await waitFor("four dead letters", async () => (await readDeadLetters(nc)).length >= 4);
    const dead = await readDeadLetters(nc);
    const bySeq = new Map(dead.map((d) => [d.originalSequence, d]));
    assert.match(bySeq.get(garbage.seq)?.reason ?? "", /^undecodable: not a snaptrail\.v1\.Event/);
    assert.match(bySeq.get(big.seq)?.reason ?? "", /^too large: \d+ bytes, over the collector's limit of 65536/);
    assert.equal(bySeq.get(invalid.seq)?.reason, "rejected: event_id is empty");
    assert.match(bySeq.get(badUtf8.seq)?.reason ?? "", /^rejected: string field (eventId|runId) is not valid UTF-8$/);
    for (const d of dead) {
      assert.equal(d.originalSubject, subject);
      assert.equal(d.deliveries, 1, "dead-lettered on its first delivery, no loop");
      assert.equal(d.subject, "snaptrail.deadletter.events.local");
    }
    assert.deepEqual(Buffer.from(bySeq.get(garbage.seq)!.data), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), "the original bytes are kept");
    await waitFor("nothing pending", async () => {
      const info = await consumerInfo(nc);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    assert.deepEqual(storedEventIds(collector.db), ["after-poison"]);
    assert.doesNotMatch(collector.stderr(), /"level":50/, "no errors logged");
  });
});
