// `node dist/bench/clickhouse-benchmark.js`: loads BENCH_RUNS runs (default 1,000,000) into SQLite
// and into a real clickhouse-server (started by the test helper), then times the four queries
// people run. Prints Markdown for docs/benchmarks.md. Wall clock on whatever machine runs it.
//
// Data: BENCH_ENVS distinct environments (default 3000) of 300 packages each, drawn with a Zipf
// skew (a few images run most jobs); 1000 steps (50 pipelines x 20 steps); 64 hosts. Each run is
// three events (started, captured, finished); an environment's body is sent only the first time,
// as an agent does after asking HasDigests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import type { RunDetail } from "../core/api-types.js";
import { snapshotDigest } from "../core/digest.js";
import type { EnvironmentSnapshot, HostSnapshot, SnapshotEvent } from "../core/model.js";
import { MemoryBlobStore } from "../test/helpers/memory-blob-store.js";
import { diffRuns } from "../collector/diff/diff-runs.js";
import { createStore } from "../collector/store/create-store.js";
import type { Store } from "../collector/store/store.js";
import { envSnapshot, hostSnapshot } from "../test/helpers/collector-fixtures.js";
import { startClickHouseServer, TEST_PASSWORD } from "../test/helpers/clickhouse-server.js";
import { fmtMs, percentile } from "./stats.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 1_000_000);
const ENVS = Number(process.env.BENCH_ENVS ?? 3000);
const PACKAGES_PER_ENV = 300;
const BATCH_EVENTS = Number(process.env.BENCH_BATCH ?? 3000);
const QUERY_REPEATS = Number(process.env.BENCH_QUERY_REPEATS ?? 100);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "clickhouse,sqlite").split(",");
const PIPELINES = 50;
const STEPS = 20;
const T0 = 1_700_000_000_000;

// A deterministic PRNG so both backends load identical data.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function zipf(random: () => number, n: number): number {
  // Inverse-CDF of a continuous 1/x^1.1 approximation: index 0 is the most popular.
  const u = random();
  return Math.min(n - 1, Math.floor(Math.pow(n + 1, u) - 1));
}

interface Environment {
  digest: string;
  body: EnvironmentSnapshot;
}

function environments(): Environment[] {
  const random = rng(7);
  const pool = Array.from({ length: 2000 }, (_, i) => `pkg-${i}`);
  const out: Environment[] = [];
  for (let e = 0; e < ENVS; e++) {
    const packages: Record<string, string> = { pydantic: `${1 + (e % 2)}.${e % 11}.${e % 7}`, numpy: `1.${20 + (e % 7)}.0` };
    while (Object.keys(packages).length < PACKAGES_PER_ENV) {
      packages[pool[Math.floor(random() * pool.length)]!] = `${Math.floor(random() * 5)}.${Math.floor(random() * 20)}.${Math.floor(random() * 10)}`;
    }
    const body = envSnapshot(packages, e % 3 === 0 ? "3.10.12" : "3.11.7");
    out.push({ digest: snapshotDigest("environment", body), body });
  }
  return out;
}

function* runEvents(envs: Environment[], hosts: { digest: string; body: HostSnapshot }[]): Generator<SnapshotEvent[]> {
  const random = rng(11);
  const sentEnv = new Set<string>();
  const sentHost = new Set<string>();
  let batch: SnapshotEvent[] = [];
  for (let i = 0; i < RUNS; i++) {
    const stepIndex = Math.floor(random() * PIPELINES * STEPS);
    const pipeline = `pipeline-${Math.floor(stepIndex / STEPS)}`;
    const step = `step-${stepIndex % STEPS}`;
    // A step keeps its environment for a while, then moves (an image rebuild): the timeline.
    const env = envs[(zipf(random, envs.length) + Math.floor(i / 50_000)) % envs.length]!;
    const host = hosts[i % hosts.length]!;
    const runId = `slurm:bench/${i}`;
    const time = T0 + i * 1000;
    batch.push(
      {
        eventId: `${runId}#s`,
        runId,
        timeUnixMs: time,
        payload: "runStarted",
        runStarted: {
          orchestrator: { kind: "SLURM", pipeline, pipelineRun: `r${i}`, step, attempt: 1, attributes: {} },
          config: { argv: ["python", "train.py"], cwd: "/work", parameters: {}, script: "" },
          hostname: host.body.hostname,
          agentVersion: "0.1.0",
          rollbackOf: "",
          cacheKey: "",
          cachedFrom: "",
          parentRunId: "",
        },
      },
      {
        eventId: `${runId}#c`,
        runId,
        timeUnixMs: time + 100,
        payload: "snapshotCaptured",
        snapshotCaptured: {
          environmentDigest: env.digest,
          environment: sentEnv.has(env.digest) ? null : env.body,
          hostDigest: host.digest,
          host: sentHost.has(host.digest) ? null : host.body,
          codeDigest: "",
          code: null,
          warnings: [],
          captureMs: 40,
        },
      },
      {
        eventId: `${runId}#f`,
        runId,
        timeUnixMs: time + 60_000,
        payload: "runFinished",
        runFinished: { exitCode: random() < 0.1 ? 1 : 0, signal: "", durationMs: 59_900, error: "", outputs: [] },
      },
    );
    sentEnv.add(env.digest);
    sentHost.add(host.digest);
    if (batch.length >= BATCH_EVENTS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function timeQueries(name: string, repeats: number, fn: (i: number) => Promise<unknown>): Promise<string> {
  await fn(0);
  const times: number[] = [];
  for (let i = 1; i <= repeats; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return `| ${name} | ${fmtMs(percentile(times, 50))} | ${fmtMs(percentile(times, 99))} |`;
}

async function bench(label: string, store: Store, envs: Environment[], hosts: { digest: string; body: HostSnapshot }[]): Promise<string[]> {
  const lines: string[] = [];
  const t0 = performance.now();
  let events = 0;
  let lastReport = t0;
  for (const batch of runEvents(envs, hosts)) {
    await store.append(batch);
    events += batch.length;
    if (performance.now() - lastReport > 30_000) {
      lastReport = performance.now();
      process.stderr.write(`bench ${label}: ${events} events, ${Math.round(events / ((lastReport - t0) / 1000))}/s\n`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  lines.push(`Ingest into ${label}: ${RUNS.toLocaleString("en")} runs, ${events.toLocaleString("en")} events in ${seconds.toFixed(0)} s: ` +
    `**${Math.round(events / seconds).toLocaleString("en")} events/s** (${Math.round(RUNS / seconds).toLocaleString("en")} runs/s), batches of ${BATCH_EVENTS} events through Store.append.`);
  lines.push("", `| ${label}: query | p50 | p99 |`, "|---|---|---|");
  const random = rng(99);
  const step = () => ({ pipeline: `pipeline-${Math.floor(random() * PIPELINES)}`, step: `step-${Math.floor(random() * STEPS)}` });
  lines.push(await timeQueries("latest 50 runs of a step", QUERY_REPEATS, () => store.listRuns({ ...step(), limit: 50 })));
  lines.push(
    await timeQueries("runs that used a package version range (pydantic >=2,<3, latest 50)", QUERY_REPEATS, () =>
      store.listRuns({ package: "pydantic", version: ">=2,<3", limit: 50 }),
    ),
  );
  lines.push(
    await timeQueries("runs that used pkg-N==V (exact, latest 50)", QUERY_REPEATS, () =>
      store.listRuns({ package: "numpy", version: `1.${20 + Math.floor(random() * 7)}.0`, limit: 50 }),
    ),
  );
  lines.push(await timeQueries("newest 50 runs, no filter (`snaptrail runs`)", QUERY_REPEATS, () => store.listRuns({ limit: 50 })));
  const blobs = new MemoryBlobStore();
  lines.push(
    await timeQueries("diff of two runs (two getRun + diff engine)", QUERY_REPEATS, async () => {
      const [a, b] = await Promise.all([
        store.getRun(`slurm:bench/${Math.floor(random() * RUNS)}`),
        store.getRun(`slurm:bench/${Math.floor(random() * RUNS)}`),
      ]);
      return diffRuns(a as RunDetail, b as RunDetail, blobs);
    }),
  );
  lines.push(
    await timeQueries("environment-change timeline of a step (latest 1000 runs, changes found in JS)", QUERY_REPEATS, async () => {
      const runs = await store.listRuns({ ...step(), limit: 1000 });
      const changes: { runId: string; digest: string | null }[] = [];
      for (let i = runs.length - 1; i >= 0; i--) {
        if (i === runs.length - 1 || runs[i]!.environmentDigest !== runs[i + 1]!.environmentDigest) {
          changes.push({ runId: runs[i]!.runId, digest: runs[i]!.environmentDigest });
        }
      }
      return changes;
    }),
  );
  return lines;
}

async function main(): Promise<void> {
  const envs = environments();
  const hosts = Array.from({ length: 64 }, (_, i) => {
    const body = hostSnapshot(`gpu-node-${i}`);
    return { digest: snapshotDigest("host", body), body };
  });
  const out: string[] = [
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}.`,
    `Data: ${RUNS.toLocaleString("en")} runs, ${ENVS} environments of ${PACKAGES_PER_ENV} packages (Zipf), ${PIPELINES * STEPS} steps, 64 hosts.`,
    "",
  ];
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-chbench-"));
  try {
    if (BACKENDS.includes("clickhouse")) {
      const server = await startClickHouseServer();
      try {
        const version = (await server.sql("SELECT version()")).trim();
        const store = await createStore(server.storeUrl("bench"), { env: { SNAPTRAIL_CLICKHOUSE_PASSWORD: TEST_PASSWORD } });
        try {
          out.push(...(await bench(`ClickHouse ${version}`, store, envs, hosts)), "");
        } finally {
          await store.close();
        }
      } finally {
        await server.destroy();
      }
    }
    if (BACKENDS.includes("sqlite")) {
      const store = await createStore(`sqlite:${join(dir, "bench.db")}`);
      try {
        out.push(...(await bench("SQLite", store, envs, hosts)), "");
      } finally {
        await store.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${out.join("\n")}\n`);
}

await main();
