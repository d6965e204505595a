// Ingest load: sustained events/s and p50/p99 ack latency for gRPC -> SQLite and NATS -> SQLite
// with 1, 8 and 64 concurrent agents, each a real sink (GrpcSink, NatsSink) publishing batches
// to a real collector process (and a real nats-server). Printed as Markdown for
// docs/benchmarks.md; `node dist/bench/ingest-benchmark.js` runs it alone. No assertions.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EventSink } from "../agent/sinks/event-sink.js";
import { GrpcSink } from "../agent/sinks/grpc-sink.js";
import { NatsSink } from "../agent/sinks/nats-sink.js";
import type { SnapshotEvent } from "../core/model.js";
import { startCollectorProcess } from "../test/helpers/collector-process.js";
import { startNatsServer } from "../test/helpers/nats-server.js";
import { storedEventCount } from "../test/helpers/nats-test-client.js";
import { fmtMs, median, percentile } from "./stats.js";

const AGENT_COUNTS = (process.env.BENCH_INGEST_AGENTS ?? "1,8,64").split(",").map(Number);
const EVENTS = Number(process.env.BENCH_INGEST_EVENTS ?? 40_000);
const BATCH = Number(process.env.BENCH_INGEST_BATCH ?? 100);
const TRANSPORTS = (process.env.BENCH_INGEST_TRANSPORTS ?? "gRPC,NATS").split(",").filter((t): t is "gRPC" | "NATS" => t === "gRPC" || t === "NATS");

interface IngestFigures {
  transport: string;
  agents: number;
  events: number;
  /** Acked by the transport (gRPC: stored in SQLite; NATS: persisted by JetStream). */
  ackedPerSec: number;
  /** In SQLite, counted from the first publish to the last event committed. */
  storedPerSec: number;
  p50: number;
  p99: number;
}

/** Start and finish events of small runs: what thousands of short jobs send. */
export function ingestEvent(runNo: number, i: number): SnapshotEvent {
  const runId = `local:bench/${runNo}`;
  return i % 2 === 0
    ? {
        eventId: randomUUID(),
        runId,
        timeUnixMs: Date.now(),
        payload: "runStarted",
        runStarted: {
          orchestrator: { kind: "LOCAL", pipeline: "bench", pipelineRun: "", step: "step", attempt: 1, attributes: {} },
          config: { argv: ["python", "train.py"], cwd: "/tmp", parameters: {}, script: "" },
          hostname: "bench-host",
          agentVersion: "bench",
          rollbackOf: "",
          cacheKey: "",
          cachedFrom: "",
          parentRunId: "",
        },
      }
    : { eventId: randomUUID(), runId, timeUnixMs: Date.now(), payload: "runFinished", runFinished: { exitCode: 0, signal: "", durationMs: 1000, error: "", outputs: [] } };
}

async function drive(sinks: EventSink[], total: number, db: string, offset: number): Promise<Omit<IngestFigures, "transport">> {
  const perAgent = Math.ceil(total / sinks.length);
  const latencies: number[] = [];
  const before = storedEventCount(db);
  const t0 = performance.now();
  await Promise.all(
    sinks.map(async (sink, a) => {
      for (let sent = 0; sent < perAgent; sent += BATCH) {
        const n = Math.min(BATCH, perAgent - sent);
        const base = offset + a * perAgent + sent;
        const events = Array.from({ length: n }, (_, k) => ingestEvent((base + k) >> 1, base + k));
        const t = performance.now();
        const res = await sink.publish(events);
        if (!res.ok) throw res.error;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const acked = performance.now() - t0;
  const events = perAgent * sinks.length;
  while (storedEventCount(db) < before + events) await new Promise((r) => setTimeout(r, 20));
  const stored = performance.now() - t0;
  return { agents: sinks.length, events, ackedPerSec: events / (acked / 1000), storedPerSec: events / (stored / 1000), p50: median(latencies), p99: percentile(latencies, 99) };
}

export async function ingestBenchmark(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "snaptrail-bench-ingest-"));
  const nats = await startNatsServer();
  const db = join(dir, "ingest.db");
  const collector = await startCollectorProcess({ db, args: ["--nats", nats.url], env: { SNAPTRAIL_LOG_LEVEL: "warn" } });
  const results: IngestFigures[] = [];
  let offset = 0;
  try {
    for (const transport of TRANSPORTS) {
      for (const agents of AGENT_COUNTS) {
        const sinks = await Promise.all(
          Array.from({ length: agents }, async () => {
            const s =
              transport === "gRPC"
                ? await GrpcSink.connect({ address: collector.grpcAddress, connectTimeoutMs: 5000, callTimeoutMs: 120_000 })
                : await NatsSink.connect({ url: nats.url, connectTimeoutMs: 5000, callTimeoutMs: 120_000 });
            if (!s.ok) throw s.error;
            return s.value;
          }),
        );
        await drive(sinks, Math.min(2000, EVENTS), db, offset); // warm-up: connections, JIT, page cache
        offset += 10_000_000;
        results.push({ transport, ...(await drive(sinks, EVENTS, db, offset)) });
        offset += 10_000_000;
        await Promise.all(sinks.map((s) => s.close()));
        process.stderr.write(`bench: ${transport} x${agents} done\n`);
      }
    }
  } finally {
    await collector.stop();
    await nats.destroy();
    await rm(dir, { recursive: true, force: true });
  }
  const rate = (n: number) => Math.round(n).toLocaleString("en-US");
  return [
    "",
    `Ingest into SQLite: ${EVENTS.toLocaleString("en-US")} events per row (start/finish events of small runs), publish() batches of ${BATCH}, one collector process and one nats-server on the same ${cpus().length}-core machine as the agents.`,
    "For gRPC an ack means committed to SQLite; for NATS it means persisted by JetStream, and \"stored\" is when the collector had committed the last one.",
    "",
    "| transport | agents | acked events/s | stored events/s | ack p50 (batch) | ack p99 (batch) |",
    "|---|---|---|---|---|---|",
    ...results.map((r) => `| ${r.transport} -> SQLite | ${r.agents} | ${rate(r.ackedPerSec)} | ${rate(r.storedPerSec)} | ${fmtMs(r.p50)} | ${fmtMs(r.p99)} |`),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${(await ingestBenchmark()).join("\n")}\n`);
}
