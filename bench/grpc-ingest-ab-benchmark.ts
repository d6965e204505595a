// `node dist/bench/grpc-ingest-ab-benchmark.js [OTHER_CLI]`: gRPC -> SQLite ingest of one
// collector build against another (a copy of dist/cli-bundle from before a change), run
// interleaved round by round so a shared machine's load hits both alike. Each run: a fresh
// collector process, BENCH_AGENTS GrpcSinks publishing BENCH_BATCH-event batches of start/finish
// events, BENCH_EVENTS after a 2,000-event warm-up. Prints events/s per run and the medians.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { GrpcSink } from "../agent/sinks/grpc-sink.js";
import { SNAPTRAIL_CLI } from "../test/helpers/collector-process.js";
import { ingestEvent } from "./ingest-benchmark.js";
import { median } from "./stats.js";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 64);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 40_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function oneRun(cli: string): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "snaptrail-bench-ab-"));
  const child = spawn(process.execPath, [cli, "collector", "--db", join(dir, "x.db"), "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"], {
    env: { ...process.env, SNAPTRAIL_LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const ready = await new Promise<{ grpc: string }>((res, rej) => {
      child.stdout.once("data", (d: Buffer) => res(JSON.parse(d.toString()) as { grpc: string }));
      child.once("exit", () => rej(new Error("collector exited before it was ready")));
    });
    const sinks = await Promise.all(
      Array.from({ length: AGENTS }, async () => {
        const s = await GrpcSink.connect({ address: ready.grpc, connectTimeoutMs: 5000, callTimeoutMs: 120_000 });
        if (!s.ok) throw s.error;
        return s.value;
      }),
    );
    const drive = async (total: number, offset: number): Promise<number> => {
      const perAgent = Math.ceil(total / AGENTS);
      const t0 = performance.now();
      await Promise.all(
        sinks.map(async (sink, a) => {
          for (let sent = 0; sent < perAgent; sent += BATCH) {
            const base = offset + a * perAgent + sent;
            const r = await sink.publish(Array.from({ length: Math.min(BATCH, perAgent - sent) }, (_, k) => ingestEvent((base + k) >> 1, base + k)));
            if (!r.ok) throw r.error;
          }
        }),
      );
      return (perAgent * AGENTS) / ((performance.now() - t0) / 1000);
    };
    await drive(2000, 100_000_000);
    const rate = await drive(EVENTS, 0);
    await Promise.all(sinks.map((s) => s.close()));
    return rate;
  } finally {
    await new Promise<void>((res) => {
      if (child.exitCode !== null) return res();
      child.once("exit", () => res());
      child.kill("SIGTERM");
    });
    await rm(dir, { recursive: true, force: true });
  }
}

const clis = [{ name: "this build", path: SNAPTRAIL_CLI }];
if (process.argv[2]) clis.push({ name: process.argv[2], path: resolve(process.argv[2]) });
const rates = new Map<string, number[]>(clis.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const c of round % 2 === 0 ? clis : [...clis].reverse()) rates.get(c.name)!.push(await oneRun(c.path));
}
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
process.stdout.write(`${cpus().length} cores, Node ${process.version}; ${AGENTS} agents x batches of ${BATCH}, ${EVENTS} events per run\n`);
for (const [name, v] of rates) process.stdout.write(`${name}: median ${fmt(median(v))} events/s (${v.map(fmt).join(" / ")})\n`);
