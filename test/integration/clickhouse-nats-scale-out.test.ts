// Scale-out, real: ZooKeeper and two ClickHouse replicas of one shard, one NATS JetStream server,
// two collector processes sharing one durable JetStream consumer and writing through the same
// replica, many agents publishing over NATS. Every event is then read exactly once from either
// replica. (Collectors write through one replica: a fold reads its run's other events back, and a
// replica that has not yet fetched another's part would fold too few; deploy/clickhouse/README.md.)
// Then that replica crashes (SIGKILL) while agents keep publishing and comes back: the collectors
// ack nothing they could not store, keep retrying, and the consumer drains with nothing lost.
// When a step fails, the servers' exits and logs and the collectors' stderr are printed.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { NatsSink } from "../../agent/sinks/nats-sink.js";
import { createStore } from "../../collector/store/create-store.js";
import type { Store } from "../../collector/store/store.js";
import type { SnapshotEvent } from "../../core/model.js";
import { fullRun } from "../contract/store-contract.js";
import { startClickHouseCluster, TEST_PASSWORD, type ClickHouseCluster } from "../helpers/clickhouse-server.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { connectNats, consumerInfo, readDeadLetters, waitFor } from "../helpers/nats-test-client.js";
import { startZooKeeper, type ZooKeeperServer } from "../helpers/zookeeper-server.js";

const DATABASE = "scaleout";
const AGENTS = 12;
const RUNS_PER_AGENT = 25;
const env = { SNAPTRAIL_CLICKHOUSE_PASSWORD: TEST_PASSWORD };
const dir = mkdtempSync(join(tmpdir(), "snaptrail-chnats-"));
const cleanups: (() => Promise<unknown>)[] = [];
let zookeeper: ZooKeeperServer | undefined;
let cluster: ClickHouseCluster | undefined;
let nats: NatsServer | undefined;
const collectors: CollectorProcess[] = [];

/** What a failing step needs to be understood: how each server and collector ended, and their logs. */
function diagnostics(): string {
  return [
    cluster?.diagnostics(4000) ?? "(no ClickHouse cluster)",
    `=== ${zookeeper?.diagnostics(4000) ?? "(no zookeeper)"}`,
    ...collectors.map((c, i) => {
      const exit = c.exitStatus();
      const state = exit ? `exited: code ${exit.code}, signal ${exit.signal}` : "running";
      return `=== collector ${i + 1} (pid ${c.pid}, ${state}) stderr\n${c.stderr().slice(-4000)}`;
    }),
  ].join("\n");
}

async function withDiagnostics(step: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    console.error(`scale-out test: ${step} failed; servers and collectors:\n${diagnostics()}`);
    throw err;
  }
}

before(() =>
  withDiagnostics("starting the servers and collectors", async () => {
    zookeeper = await startZooKeeper();
    const zk = zookeeper;
    cleanups.push(() => zk.destroy());
    const [ch, ns] = await Promise.all([startClickHouseCluster(zk.port), startNatsServer()]);
    cluster = ch;
    nats = ns;
    cleanups.push(() => ch.destroy(), () => ns.destroy());
    // Both collectors start at once: both migrate the cluster (ON CLUSTER, idempotent).
    const started = await Promise.all(
      [0, 1].map(() =>
        startCollectorProcess({
          store: ch.storeUrl(0, DATABASE),
          blobDir: join(dir, "blobs"),
          args: ["--nats", ns.url],
          env: { ...env, SNAPTRAIL_COLLECTOR_NATS_ACK_WAIT_MS: "3000", SNAPTRAIL_LOG_LEVEL: "warn" },
        }),
      ),
    );
    collectors.push(...started);
    for (const c of started) cleanups.push(() => c.kill());
  }),
);
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const agentRuns = (prefix: string, agent: number): SnapshotEvent[] =>
  Array.from({ length: RUNS_PER_AGENT }, (_, i) =>
    fullRun(
      `kfp:${prefix}/${agent}/${i}`,
      { torch: "2.3.0", pydantic: agent % 3 === 0 ? "2.7.1" : "1.10.13" },
      { time: 1_714_000_000_000 + (agent * RUNS_PER_AGENT + i) * 1000, pipeline: `${prefix}-${agent}`, step: "train" },
    ),
  ).flat();

/**
 * Every agent publishes its runs over NATS in batches of 15, and agent 0's spool then replays all
 * of it. `midway` (a fault) runs once every agent has sent its first batch, before the rest is sent.
 */
async function publishFromAgents(prefix: string, midway?: () => Promise<void>): Promise<void> {
  let arrived = 0;
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const barrier = async (): Promise<void> => {
    if (++arrived === AGENTS) {
      try {
        await midway?.();
      } finally {
        release();
      }
    }
    await released;
  };
  await Promise.all(
    Array.from({ length: AGENTS }, async (_, agent) => {
      const connected = await NatsSink.connect({ url: nats!.url, connectTimeoutMs: 5000, callTimeoutMs: 5000 });
      if (!connected.ok) throw connected.error;
      const sink = connected.value;
      try {
        const events = agentRuns(prefix, agent);
        for (let i = 0; i < events.length; i += 15) {
          if (i === 15) await barrier();
          const sent = await sink.publish(events.slice(i, i + 15));
          if (!sent.ok) throw sent.error;
        }
        // One agent's spool replays everything it sent: JetStream or the store drops it.
        if (agent === 0) {
          const again = await sink.publish(events);
          if (!again.ok) throw again.error;
        }
      } finally {
        await sink.close();
      }
    }),
  );
}

/** The shared consumer has handed out and seen acked every message: nothing pending, nothing in flight. */
async function waitForDrain(deadlineMs: number): Promise<void> {
  const nc = await connectNats(nats!.url);
  try {
    await waitFor("the shared consumer to have delivered and acked everything", async () => {
      const info = await consumerInfo(nc);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, deadlineMs, 100);
    assert.deepEqual(await readDeadLetters(nc), [], "no event was given up on");
  } finally {
    await nc.close();
  }
}

/** Both replicas hold each of `prefix`'s events once and every run folded, through SQL and the Store. */
async function assertEveryEventOnceOnBothReplicas(prefix: string): Promise<void> {
  const runs = AGENTS * RUNS_PER_AGENT;
  const events = runs * 3;
  const like = `'kfp:${prefix}/%'`;
  for (const [i, replica] of cluster!.replicas.entries()) {
    const count = async (sql: string) => Number(await replica.sql(sql));
    const held = async () => ({
      ids: await count(`SELECT uniqExact(event_id) FROM ${DATABASE}.event_ids WHERE run_id LIKE ${like}`),
      events: await count(`SELECT uniqExact(event_id) FROM ${DATABASE}.events WHERE run_id LIKE ${like}`),
      folded: await count(`SELECT count() FROM (SELECT run_id FROM ${DATABASE}.runs_by_id WHERE run_id LIKE ${like} GROUP BY run_id HAVING max(event_count) = 3)`),
    });
    // Replicas fetch parts asynchronously: the deadline only bounds a hang.
    try {
      await waitFor(`replica ${i + 1} to hold every ${prefix} event and fold`, async () => {
        const h = await held();
        return h.ids === events && h.folded === runs;
      }, 60_000, 100);
    } catch (err) {
      // What is missing tells a lost write (ids or events short) from a fold that lags its events.
      const short = await replica.sql(
        `SELECT run_id, max(event_count) AS folded FROM ${DATABASE}.runs_by_id WHERE run_id LIKE ${like} GROUP BY run_id HAVING folded < 3 ORDER BY run_id LIMIT 20 FORMAT TSV`,
      );
      throw new Error(`${(err as Error).message}: want ${events} ids and ${runs} folded runs, have ${JSON.stringify(await held())}; runs folded short:\n${short}`, { cause: err });
    }
    assert.equal(await count(`SELECT uniqExact(event_id) FROM ${DATABASE}.events WHERE run_id LIKE ${like}`), events);
  }
  const stores: Store[] = [];
  try {
    for (const i of [0, 1]) stores.push(await createStore(cluster!.storeUrl(i, DATABASE), { env }));
    for (const [i, store] of stores.entries()) {
      const listed = (await store.listRuns({ limit: 2000 })).filter((r) => r.runId.startsWith(`kfp:${prefix}/`));
      assert.equal(listed.length, runs, `replica ${i + 1} lists every run`);
      assert.equal(new Set(listed.map((r) => r.runId)).size, runs, `replica ${i + 1} lists each run once`);
      assert.ok(listed.every((r) => r.status === "succeeded"), `replica ${i + 1}: every run finished`);
      const pydantic2 = await store.listRuns({ package: "pydantic", version: ">=2,<3", limit: 2000 });
      assert.equal(pydantic2.filter((r) => r.runId.startsWith(`kfp:${prefix}/`)).length, (AGENTS / 3) * RUNS_PER_AGENT);
      let read = 0;
      for (const run of listed) {
        const detail = await store.getRun(run.runId);
        assert.deepEqual(detail?.events.map((e) => e.type), ["runStarted", "snapshotCaptured", "runFinished"], run.runId);
        read += detail?.events.length ?? 0;
      }
      assert.equal(read, events, `replica ${i + 1} reads every event once`);
    }
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}

const storeFailures = (): number =>
  collectors.reduce((n, c) => n + c.stderr().split("\n").filter((line) => line.includes("storing a batch failed")).length, 0);

void describe("scale-out: NATS JetStream, two collectors, two ClickHouse replicas", { timeout: 300_000 }, () => {
  void it("stores what many agents publish exactly once, readable from either replica", () =>
    withDiagnostics("storing and reading", async () => {
      await publishFromAgents("scale");
      await waitForDrain(120_000);
      await assertEveryEventOnceOnBothReplicas("scale");
    }));

  void it("loses nothing when the replica the collectors write to crashes mid-stream and comes back", () =>
    withDiagnostics("the replica crash", async () => {
      const replica = cluster!.replicas[0]!;
      const failuresBefore = storeFailures();
      await publishFromAgents("crash", () => replica.kill());
      // The collectors have met the crash (a batch not stored, so not acked) before it returns.
      await waitFor("a collector to fail storing a batch", () => storeFailures() > failuresBefore, 60_000, 50);
      // Its tables are read-only until ZooKeeper expires the dead server's session; the collectors
      // keep naking (a growing delay, within natsMaxDeliver) and store once they can.
      await replica.start();
      await waitForDrain(180_000);
      await assertEveryEventOnceOnBothReplicas("crash");
      await assertEveryEventOnceOnBothReplicas("scale");
    }));

  void it("stops both collectors cleanly", async () => {
    for (const c of collectors) assert.deepEqual(await c.stop(), { code: 0, signal: null }, c.stderr());
  });
});
