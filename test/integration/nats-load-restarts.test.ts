// 10,000 events from parallel agents over NATS while the collector is killed or stopped and
// restarted at random (seeded, bounded) moments: the store ends with exactly 10,000 events.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { NatsSink } from "../../agent/sinks/nats-sink.js";
import type { SnapshotEvent } from "../../core/model.js";
import { finishedEvent, startedEvent } from "../helpers/collector-fixtures.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { startNatsServer } from "../helpers/nats-server.js";
import { connectNats, consumerInfo, readDeadLetters, storedEventCount, storedEventIds, waitFor } from "../helpers/nats-test-client.js";
import { seededRandom } from "../helpers/seeded-random.js";

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const TOTAL = 10_000;
const AGENTS = 8;
const BATCH = 50;
const RESTARTS = 4;

void describe("NATS ingest under load with collector restarts", () => {
  void it(`stores exactly ${TOTAL} events while the collector is restarted at random moments`, async (t) => {
    const random = seededRandom();
    t.diagnostic(`seed ${random.seed} (rerun with SNAPTRAIL_TEST_SEED=${random.seed})`);
    const server = await startNatsServer();
    cleanups.push(() => server.destroy());
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-nats-load-"));
    cleanups.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
    const db = join(dir, "snaptrail.db");
    const start = (): Promise<CollectorProcess> =>
      startCollectorProcess({
        db,
        args: ["--nats", server.url],
        // A killed collector's unacked messages come back after ack_wait: keep it short here.
        env: { SNAPTRAIL_COLLECTOR_NATS_ACK_WAIT_MS: "1500", SNAPTRAIL_LOG_LEVEL: "warn" },
      });
    let collector = await start();
    cleanups.push(() => collector.kill());

    const sinks = await Promise.all(
      Array.from({ length: AGENTS }, async () => {
        const s = await NatsSink.connect({ url: server.url, connectTimeoutMs: 5000, callTimeoutMs: 5000 });
        if (!s.ok) throw s.error;
        cleanups.push(() => s.value.close());
        return s.value;
      }),
    );
    const event = (n: number): SnapshotEvent =>
      n % 2 === 0 ? startedEvent(`local:load/${n >> 1}`, { eventId: `load-${n}` }) : finishedEvent(`local:load/${n >> 1}`, { eventId: `load-${n}` });

    let publishing = true;
    const publishers = Promise.all(
      sinks.map(async (s, a) => {
        for (let i = a * BATCH; i < TOTAL; i += AGENTS * BATCH) {
          const batch = Array.from({ length: Math.min(BATCH, TOTAL - i) }, (_, k) => event(i + k));
          const r = await s.publish(batch);
          if (!r.ok) throw r.error;
        }
      }),
    ).finally(() => (publishing = false));

    const kinds: string[] = [];
    for (let r = 0; r < RESTARTS; r++) {
      await new Promise((res) => setTimeout(res, random.int(100, 900)));
      const kill = random.next() < 0.5;
      kinds.push(`${kill ? "SIGKILL" : "SIGTERM"} at ${storedEventCount(db)} stored${publishing ? " (agents still publishing)" : ""}`);
      if (kill) await collector.kill();
      else {
        const exit = await collector.stop();
        assert.deepEqual(exit, { code: 0, signal: null }, `seed ${random.seed}: ${collector.stderr()}`);
      }
      collector = await start();
    }
    await publishers;
    t.diagnostic(`restarts: ${kinds.join("; ")}`);

    await waitFor(`seed ${random.seed}: ${TOTAL} events stored (have ${storedEventCount(db)})`, () => storedEventCount(db) >= TOTAL, 90_000, 100);
    const nc = await connectNats(server.url);
    cleanups.push(() => nc.close());
    await waitFor(`seed ${random.seed}: the consumer to have acked everything`, async () => {
      const info = await consumerInfo(nc);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    const ids = storedEventIds(db);
    assert.equal(ids.length, TOTAL, `seed ${random.seed}`);
    assert.equal(new Set(ids).size, TOTAL, `seed ${random.seed}`);
    assert.deepEqual(await readDeadLetters(nc), [], `seed ${random.seed}`);
    const exit = await collector.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, collector.stderr());
  });
});
