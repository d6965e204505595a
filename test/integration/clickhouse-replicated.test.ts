// A real replicated ClickHouse: ZooKeeper (Debian's) and two clickhouse-server replicas of one
// shard on loopback. The collector's own migrations create every table as
// ReplicatedReplacingMergeTree ON CLUSTER; many agents publish through one collector that writes
// to replica 1; every event is then read exactly once from either replica, through the Store and
// in the tables themselves. All three servers start in seconds; the suite is bounded to 2 minutes.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createStore } from "../../collector/store/create-store.js";
import type { Store } from "../../collector/store/store.js";
import type { SnapshotEvent } from "../../core/model.js";
import { fullRun } from "../contract/store-contract.js";
import { startClickHouseCluster, TEST_PASSWORD, type ClickHouseCluster } from "../helpers/clickhouse-server.js";
import { collectorClient, publish } from "../helpers/collector-grpc-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { startZooKeeper, type ZooKeeperServer } from "../helpers/zookeeper-server.js";

const DATABASE = "replicated";
const AGENTS = 20;
const RUNS_PER_AGENT = 25;
const env = { SNAPTRAIL_CLICKHOUSE_PASSWORD: TEST_PASSWORD };
const dir = mkdtempSync(join(tmpdir(), "snaptrail-chrepl-"));
let zookeeper: ZooKeeperServer | undefined;
let cluster: ClickHouseCluster | undefined;
let collector: CollectorProcess | undefined;

before(async () => {
  zookeeper = await startZooKeeper();
  cluster = await startClickHouseCluster(zookeeper.port);
  collector = await startCollectorProcess({ store: cluster.storeUrl(0, DATABASE), blobDir: join(dir, "blobs"), env });
});
after(async () => {
  await collector?.stop();
  await cluster?.destroy();
  await zookeeper?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls until `check` holds: replicas fetch parts asynchronously, so reads on replica 2 wait for them. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const agentRuns = (agent: number): SnapshotEvent[] =>
  Array.from({ length: RUNS_PER_AGENT }, (_, i) =>
    fullRun(
      `slurm:repl/${agent}/${i}`,
      { numpy: "1.26.4", pydantic: agent % 2 === 0 ? "2.7.1" : "1.10.13" },
      { time: 1_714_000_000_000 + (agent * RUNS_PER_AGENT + i) * 1000, pipeline: `agent-${agent}`, step: "train" },
    ),
  ).flat();

void describe("ClickHouse with two replicas and ZooKeeper", { timeout: 120_000 }, () => {
  void it("creates every table as ReplicatedReplacingMergeTree on both replicas through the collector's migrations", async () => {
    const tables = async (i: number) =>
      (await cluster!.replicas[i]!.sql(`SELECT name, engine FROM system.tables WHERE database = '${DATABASE}' ORDER BY name FORMAT TSV`)).trim();
    const [one, two] = [await tables(0), await tables(1)];
    assert.equal(one, two);
    const rows = one.split("\n").map((line) => line.split("\t"));
    assert.ok(rows.length >= 9, one);
    for (const [name, engine] of rows) assert.equal(engine, "ReplicatedReplacingMergeTree", `${name} is ${engine}`);
    const replicas = await cluster!.replicas[1]!.sql(`SELECT count() FROM system.replicas WHERE database = '${DATABASE}' AND total_replicas = 2 AND active_replicas = 2`);
    assert.equal(Number(replicas), rows.length);
  });

  void it("stores what many agents send through one collector; either replica reads every event exactly once", async () => {
    const total = AGENTS * RUNS_PER_AGENT * 3;
    const outcomes = await Promise.all(
      Array.from({ length: AGENTS }, async (_, agent) => {
        const client = await collectorClient(collector!.grpcAddress);
        try {
          const sent = await publish(client, agentRuns(agent), 60_000);
          assert.equal(sent.error, undefined);
          // The agent did not see the acks in time and sends half again: duplicates, no effect.
          const again = await publish(client, agentRuns(agent).slice(0, RUNS_PER_AGENT), 60_000);
          assert.deepEqual(new Set(again.acks.map((a) => a.outcome)), new Set(["DUPLICATE"]));
          return sent.acks.map((a) => a.outcome);
        } finally {
          client.close();
        }
      }),
    );
    assert.deepEqual(outcomes.flat().filter((o) => o === "STORED").length, total);

    const stores: Store[] = [];
    try {
      for (const i of [0, 1]) stores.push(await createStore(cluster!.storeUrl(i, DATABASE), { env }));
      for (const [i, replica] of cluster!.replicas.entries()) {
        const count = async (sql: string) => Number(await replica.sql(sql));
        await eventually(`replica ${i + 1} to hold every event and fold`, async () =>
          (await count(`SELECT uniqExact(event_id) FROM ${DATABASE}.event_ids`)) === total &&
          (await count(`SELECT count() FROM (SELECT run_id FROM ${DATABASE}.runs_by_id GROUP BY run_id HAVING max(event_count) = 3)`)) ===
            AGENTS * RUNS_PER_AGENT,
        );
        // Exactly once in the tables: one collector, so not even a copy waiting for a merge.
        assert.equal(await count(`SELECT count() FROM ${DATABASE}.events`), total, `events on replica ${i + 1}`);
        assert.equal(await count(`SELECT uniqExact(event_id) FROM ${DATABASE}.events`), total);
      }
      for (const [i, store] of stores.entries()) {
        const runs = await store.listRuns({ limit: 1000 });
        assert.equal(runs.length, AGENTS * RUNS_PER_AGENT, `replica ${i + 1} lists every run`);
        assert.equal(new Set(runs.map((r) => r.runId)).size, runs.length, `replica ${i + 1} lists each run once`);
        assert.ok(runs.every((r) => r.status === "succeeded" && r.environmentDigest !== null));
        assert.equal((await store.listRuns({ package: "pydantic", version: ">=2", limit: 1000 })).length, (AGENTS / 2) * RUNS_PER_AGENT);
        assert.deepEqual(
          (await store.listRuns({ pipeline: "agent-3", step: "train", limit: 5 })).map((r) => r.runId),
          [24, 23, 22, 21, 20].map((n) => `slurm:repl/3/${n}`),
        );
        let events = 0;
        for (const run of runs) {
          const detail = await store.getRun(run.runId);
          assert.deepEqual(detail?.events.map((e) => e.type), ["runStarted", "snapshotCaptured", "runFinished"], run.runId);
          assert.equal(detail?.environment?.packages?.length, 2);
          events += detail?.events.length ?? 0;
        }
        assert.equal(events, total, `replica ${i + 1} reads every event once`);
      }
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  void it("opens and stores through replica 1 while replica 2 is down: a current schema needs no ON CLUSTER DDL", async () => {
    // A collector restarting during a replica's outage. ON CLUSTER DDL would wait for the down
    // replica (distributed_ddl_task_timeout, 180 s) and the store would stay UNAVAILABLE.
    const down = cluster!.replicas[1]!;
    await down.stop();
    const store = await createStore(cluster!.storeUrl(0, DATABASE), { env });
    const events = fullRun("slurm:repl/outage/1", { numpy: "2.0.0" }, { time: 1_714_100_000_000, pipeline: "outage", step: "train" });
    try {
      assert.deepEqual(await store.append(events), ["STORED", "STORED", "STORED"]);
      assert.equal((await store.getRun("slurm:repl/outage/1"))?.status, "succeeded");
    } finally {
      await store.close();
    }
    // Back up, the replica fetches what it missed.
    await down.start();
    await eventually("replica 2 to fetch the run stored while it was down", async () =>
      Number(await down.sql(`SELECT count() FROM ${DATABASE}.event_ids WHERE run_id = 'slurm:repl/outage/1'`)) === 3,
    );
  });
});
