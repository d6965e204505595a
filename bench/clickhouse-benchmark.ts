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
import type { HostSnapshot } from "../core/model.js";
import { MemoryBlobStore } from "../test/helpers/memory-blob-store.js";
import { diffRuns } from "../collector/diff/diff-runs.js";
import { createStore } from "../collector/store/create-store.js";
import type { Store } from "../collector/store/store.js";
import { startClickHouseServer, TEST_PASSWORD } from "../test/helpers/clickhouse-server.js";
import { fmtMs, percentile } from "./stats.js";
import { environments, hosts, rng, runEvents, type Environment } from "./synthetic-runs.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 1_000_000);
const ENVS = Number(process.env.BENCH_ENVS ?? 3000);
const PACKAGES_PER_ENV = 300;
const BATCH_EVENTS = Number(process.env.BENCH_BATCH ?? 3000);
const QUERY_REPEATS = Number(process.env.BENCH_QUERY_REPEATS ?? 100);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "clickhouse,sqlite").split(",");
const PIPELINES = 50;
const STEPS = 20;

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
  for (const batch of runEvents({ runs: RUNS, pipelines: PIPELINES, stepsPerPipeline: STEPS, batchEvents: BATCH_EVENTS }, envs, hosts)) {
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
  const envs = environments(ENVS, PACKAGES_PER_ENV);
  const hostList = hosts();
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
          out.push(...(await bench(`ClickHouse ${version}`, store, envs, hostList)), "");
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
        out.push(...(await bench("SQLite", store, envs, hostList)), "");
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
