// The collector started with --nats while NATS is down: it starts anyway, says so, serves HTTP
// queries and gRPC ingest, and begins consuming once a real nats-server comes up on that URL.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { NatsSink } from "../../agent/sinks/nats-sink.js";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { freePort } from "../helpers/free-port.js";
import { startedEvent } from "../helpers/collector-fixtures.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { waitFor } from "../helpers/nats-test-client.js";

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

void describe("collector --nats with NATS down at start", () => {
  void it("starts, logs that NATS is not reachable, serves queries, and consumes once nats-server comes up", async () => {
    const port = await freePort();
    const url = `nats://127.0.0.1:${port}`;
    const collector: CollectorProcess = await startCollectorProcess({ args: ["--nats", url], env: { SNAPTRAIL_LOG_LEVEL: "info" } });
    cleanups.push(() => collector.kill());
    assert.match(collector.stderr(), /NATS is not reachable at nats:\/\/127\.0\.0\.1:\d+: consuming starts once it is/);
    const client = new CollectorHttpClient(collector.httpUrl);
    assert.deepEqual(await client.listRuns({ limit: 10 }), [], "HTTP queries are served while NATS is away");

    const server: NatsServer = await startNatsServer({ port });
    cleanups.push(() => server.destroy());
    await waitFor("the collector consuming", () => /NATS reachable: consuming events/.test(collector.stderr()), 60_000);

    const sink = await NatsSink.connect({ url, connectTimeoutMs: 5000, callTimeoutMs: 5000 });
    if (!sink.ok) throw sink.error;
    cleanups.push(() => sink.value.close());
    const runId = `local:nats-late/${process.pid}`;
    const published = await sink.value.publish([startedEvent(runId)]);
    assert.ok(published.ok, published.ok ? "" : published.error.message);
    await waitFor("the event stored", async () => (await client.getRun(runId).catch(() => undefined)) !== undefined, 30_000);
    assert.equal((await client.getRun(runId)).status, "running");
  });

  void it("stops cleanly on SIGTERM while it still waits for NATS", async () => {
    const collector = await startCollectorProcess({ args: ["--nats", `nats://127.0.0.1:${await freePort()}`] });
    cleanups.push(() => collector.kill());
    assert.deepEqual(await collector.stop(), { code: 0, signal: null });
  });
});
