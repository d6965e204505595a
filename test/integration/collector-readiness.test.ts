// /healthz and /readyz as a Kubernetes probe sees them: no auth, no data, and /readyz follows what
// the collector needs going away and coming back: a real SQLite file locked by another process, a
// real clickhouse-server killed and restarted, a real nats-server stopped and started.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { startClickHouseServer, TEST_PASSWORD, type ClickHouseServer } from "../helpers/clickhouse-server.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { waitFor } from "../helpers/nats-test-client.js";

const dir = mkdtempSync(join(tmpdir(), "snaptrail-readyz-"));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Probe {
  status: number;
  body: { status?: string; code?: string; message?: string; checks?: Record<string, string> };
  text: string;
}

async function probe(collector: CollectorProcess, path: "/readyz" | "/healthz"): Promise<Probe> {
  const res = await fetch(`${collector.httpUrl}${path}`);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Probe["body"], text };
}

/** Polls /readyz until it answers `status` (the collector notices an outage at its next probe). */
async function readyzBecomes(collector: CollectorProcess, status: 200 | 503, timeoutMs = 60_000): Promise<Probe> {
  let last: Probe | undefined;
  await waitFor(
    `/readyz to answer ${status}`,
    async () => {
      last = await probe(collector, "/readyz");
      return last.status === status;
    },
    timeoutMs,
    200,
  );
  return last!;
}

void describe("/healthz and /readyz on SQLite", () => {
  let collector: CollectorProcess;
  const db = join(dir, "sqlite", "snaptrail.db");
  before(async () => {
    collector = await startCollectorProcess({ db, blobDir: join(dir, "sqlite", "blobs") });
  });
  after(async () => {
    await collector?.stop();
  });

  void it("answers both without credentials, naming each check and nothing else", async () => {
    const health = await probe(collector, "/healthz");
    assert.equal(health.status, 200);
    assert.equal(health.body.status, "ok");
    const ready = await probe(collector, "/readyz");
    assert.equal(ready.status, 200, ready.text);
    assert.deepEqual(ready.body, { status: "ready", checks: { store: "ok", blobs: "ok" } });
  });

  void it("is unready while another process holds the database's write lock, alive all along, and ready once it lets go", async () => {
    const other = new Database(db, { timeout: 0 });
    try {
      other.exec("BEGIN IMMEDIATE");
      const unready = await probe(collector, "/readyz");
      assert.equal(unready.status, 503, unready.text);
      assert.equal(unready.body.code, "UNAVAILABLE");
      assert.equal(unready.body.status, "not ready");
      assert.deepEqual(unready.body.checks, { store: "unreachable", blobs: "ok" });
      assert.match(unready.body.message ?? "", /not ready: store unreachable/);
      assert.ok(!unready.text.includes(dir), "no path in an unauthenticated answer");
      assert.equal((await probe(collector, "/healthz")).status, 200, "alive: a liveness probe must not restart it for this");
      other.exec("ROLLBACK");
      assert.equal((await probe(collector, "/readyz")).status, 200);
    } finally {
      other.close();
    }
    assert.match(collector.stderr(), /not ready: store/, "the reason goes to the log");
  });
});

void describe("/readyz on ClickHouse going away and coming back", () => {
  let server: ClickHouseServer;
  let collector: CollectorProcess;
  before(async () => {
    server = await startClickHouseServer();
    collector = await startCollectorProcess({
      store: server.storeUrl("readyz"),
      blobDir: join(dir, "ch", "blobs"),
      env: { SNAPTRAIL_CLICKHOUSE_PASSWORD: TEST_PASSWORD },
    });
  });
  after(async () => {
    await collector?.stop();
    await server?.destroy();
  });

  void it("is ready with ClickHouse up, unready while it is down, ready again once it is back", async () => {
    await readyzBecomes(collector, 200);
    await server.kill();
    const down = await readyzBecomes(collector, 503);
    assert.deepEqual(down.body.checks, { store: "unreachable", blobs: "ok" });
    assert.equal((await probe(collector, "/healthz")).status, 200);
    await server.start();
    const back = await readyzBecomes(collector, 200);
    assert.deepEqual(back.body.checks, { store: "ok", blobs: "ok" });
  });
});

void describe("/readyz with NATS ingest and blobs on NATS", () => {
  let nats: NatsServer;
  let collector: CollectorProcess;
  before(async () => {
    nats = await startNatsServer();
    collector = await startCollectorProcess({
      db: join(dir, "nats", "snaptrail.db"),
      blobDir: join(dir, "nats", "staging"),
      args: ["--nats", nats.url, "--blob-store", "nats"],
    });
  });
  after(async () => {
    await collector?.stop();
    await nats?.destroy();
  });

  void it("is unready while NATS is down, naming NATS and the blob store on it, and ready once NATS is back", async () => {
    const up = await readyzBecomes(collector, 200);
    assert.deepEqual(up.body.checks, { store: "ok", blobs: "ok", nats: "ok" });
    await nats.stop();
    const down = await readyzBecomes(collector, 503);
    assert.deepEqual(down.body.checks, { store: "ok", blobs: "unreachable", nats: "unreachable" });
    assert.equal((await probe(collector, "/healthz")).status, 200);
    await nats.start();
    const back = await readyzBecomes(collector, 200);
    assert.deepEqual(back.body.checks, { store: "ok", blobs: "ok", nats: "ok" });
  });
});

void describe("/readyz when NATS is down at start", () => {
  let nats: NatsServer;
  let collector: CollectorProcess;
  before(async () => {
    nats = await startNatsServer();
    await nats.kill();
    collector = await startCollectorProcess({ db: join(dir, "late", "snaptrail.db"), args: ["--nats", nats.url] });
  });
  after(async () => {
    await collector?.stop();
    await nats?.destroy();
  });

  void it("starts unready (NATS never reached) and becomes ready once NATS answers", async () => {
    const first = await probe(collector, "/readyz");
    assert.equal(first.status, 503, first.text);
    assert.deepEqual(first.body.checks, { store: "ok", blobs: "ok", nats: "unreachable" });
    await nats.start();
    await readyzBecomes(collector, 200);
  });
});
