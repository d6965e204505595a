// Run by `npm run test:scale-out`, not by `npm test`: about half its runs fail because a ClickHouse
// replica of the two-replica cluster starts refusing connections (ECONNREFUSED) mid-test; until
// that is understood it would make CI fail at random. See issue 5's note.
// Scale-out, real: ZooKeeper and two ClickHouse replicas of one shard, one NATS JetStream server,
// two collector processes sharing one durable JetStream consumer and writing through the same
// replica, many agents publishing over NATS. Every event is then read exactly once from either
// replica. (Collectors write through one replica: a fold reads its run's other events back, and a
// replica that has not yet fetched another's part would fold too few; deploy/clickhouse/README.md.)
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
const RUNS = AGENTS * RUNS_PER_AGENT;
const TOTAL = RUNS * 3;
const env = { SNAPTRAIL_CLICKHOUSE_PASSWORD: TEST_PASSWORD };
const dir = mkdtempSync(join(tmpdir(), "snaptrail-chnats-"));
const cleanups: (() => Promise<unknown>)[] = [];
let cluster: ClickHouseCluster;
let nats: NatsServer;

before(async () => {
  const zookeeper: ZooKeeperServer = await startZooKeeper();
  cleanups.push(() => zookeeper.destroy());
  [cluster, nats] = await Promise.all([startClickHouseCluster(zookeeper.port), startNatsServer()]);
  cleanups.push(() => cluster.destroy(), () => nats.destroy());
});
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const agentRuns = (agent: number): SnapshotEvent[] =>
  Array.from({ length: RUNS_PER_AGENT }, (_, i) =>
    fullRun(
      `kfp:scale/${agent}/${i}`,
      { torch: "2.3.0", pydantic: agent % 3 === 0 ? "2.7.1" : "1.10.13" },
      { time: 1_714_000_000_000 + (agent * RUNS_PER_AGENT + i) * 1000, pipeline: `agent-${agent}`, step: "train" },
    ),
  ).flat();

void describe("scale-out: NATS JetStream, two collectors, two ClickHouse replicas", { timeout: 150_000 }, () => {
  void it("stores what many agents publish exactly once, readable from either replica", async () => {
    // Both collectors start at once: both migrate the cluster (ON CLUSTER, idempotent).
    const collectors: CollectorProcess[] = await Promise.all(
      [0, 1].map(() =>
        startCollectorProcess({
          store: cluster.storeUrl(0, DATABASE),
          blobDir: join(dir, "blobs"),
          args: ["--nats", nats.url],
          env: { ...env, SNAPTRAIL_COLLECTOR_NATS_ACK_WAIT_MS: "3000", SNAPTRAIL_LOG_LEVEL: "warn" },
        }),
      ),
    );
    for (const c of collectors) cleanups.push(() => c.kill());

    await Promise.all(
      Array.from({ length: AGENTS }, async (_, agent) => {
        const connected = await NatsSink.connect({ url: nats.url, connectTimeoutMs: 5000, callTimeoutMs: 5000 });
        if (!connected.ok) throw connected.error;
        const sink = connected.value;
        try {
          const events = agentRuns(agent);
          for (let i = 0; i < events.length; i += 15) {
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

    const nc = await connectNats(nats.url);
    cleanups.push(() => nc.close());
    await waitFor("the shared consumer to have delivered and acked everything", async () => {
      const info = await consumerInfo(nc);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 60_000, 100);
    assert.deepEqual(await readDeadLetters(nc), []);

    const stores: Store[] = [];
    try {
      for (const i of [0, 1]) stores.push(await createStore(cluster.storeUrl(i, DATABASE), { env }));
      for (const [i, replica] of cluster.replicas.entries()) {
        const count = async (sql: string) => Number(await replica.sql(sql));
        await waitFor(`replica ${i + 1} to hold every event and fold`, async () =>
          (await count(`SELECT uniqExact(event_id) FROM ${DATABASE}.event_ids`)) === TOTAL &&
          (await count(`SELECT count() FROM (SELECT run_id FROM ${DATABASE}.runs_by_id GROUP BY run_id HAVING max(event_count) = 3)`)) === RUNS,
          30_000, 100);
        assert.equal(await count(`SELECT uniqExact(event_id) FROM ${DATABASE}.events`), TOTAL);
      }
      for (const [i, store] of stores.entries()) {
        const runs = await store.listRuns({ limit: 1000 });
        assert.equal(runs.length, RUNS, `replica ${i + 1} lists every run`);
        assert.equal(new Set(runs.map((r) => r.runId)).size, RUNS, `replica ${i + 1} lists each run once`);
        assert.ok(runs.every((r) => r.status === "succeeded"), `replica ${i + 1}: every run finished`);
        assert.equal((await store.listRuns({ package: "pydantic", version: ">=2,<3", limit: 1000 })).length, (AGENTS / 3) * RUNS_PER_AGENT);
        let events = 0;
        for (const run of runs) {
          const detail = await store.getRun(run.runId);
          assert.deepEqual(detail?.events.map((e) => e.type), ["runStarted", "snapshotCaptured", "runFinished"], run.runId);
          events += detail?.events.length ?? 0;
        }
        assert.equal(events, TOTAL, `replica ${i + 1} reads every event once`);
      }
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    for (const c of collectors) assert.deepEqual(await c.stop(), { code: 0, signal: null }, c.stderr());
  });
});
