// `node dist/bench/query-api-benchmark.js`: the HTTP query API's answers at BENCH_RUNS runs (default
// 100,000) over 50 steps (5 pipelines x 10), on SQLite and on a real clickhouse-server (started by
// the test helper): the runs list, a run page, compare, a step's timeline and a package search,
// p50 and p95 over BENCH_QUERY_REPEATS requests after one warm-up, through a listening collector
// API and fetch (schemas, serialization and HTTP included). Prints Markdown for docs/benchmarks.md.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { startHttpApi } from "../collector/query/http-api.js";
import { createStore } from "../collector/store/create-store.js";
import type { Store } from "../collector/store/store.js";
import { startClickHouseServer, TEST_PASSWORD } from "../test/helpers/clickhouse-server.js";
import { MemoryBlobStore } from "../test/helpers/memory-blob-store.js";
import { fmtMs, percentile, timeRuns } from "./stats.js";
import { environments, hosts, rng, runEvents, type RunShape } from "./synthetic-runs.js";

const SHAPE: RunShape = { runs: Number(process.env.BENCH_RUNS ?? 100_000), pipelines: 5, stepsPerPipeline: 10, batchEvents: 3000 };
const ENVS = Number(process.env.BENCH_ENVS ?? 300);
const REPEATS = Number(process.env.BENCH_QUERY_REPEATS ?? 50);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "sqlite,clickhouse").split(",");

type Timings = Map<string, { p50: number; p95: number }>;

async function time(url: () => string, repeats: number): Promise<{ p50: number; p95: number }> {
  const get = async () => {
    const res = await fetch(url());
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${res.status}: ${body.slice(0, 300)}`);
  };
  const times = await timeRuns(repeats, get);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function bench(store: Store): Promise<{ ingestS: number; timings: Timings }> {
  const t0 = performance.now();
  for (const batch of runEvents(SHAPE, environments(ENVS, 300), hosts())) await store.append(batch);
  const ingestS = (performance.now() - t0) / 1000;
  const api = await startHttpApi({ store, blobs: new MemoryBlobStore(), logger: pino({ level: "silent" }), webUiDir: null }, "127.0.0.1:0");
  const timings: Timings = new Map();
  try {
    const random = rng(99);
    const runId = () => encodeURIComponent(`slurm:bench/${Math.floor(random() * SHAPE.runs)}`);
    const step = () => `pipeline=pipeline-${Math.floor(random() * SHAPE.pipelines)}&step=step-${Math.floor(random() * SHAPE.stepsPerPipeline)}`;
    const base = `${api.url}/api/v1`;
    timings.set("runs list, newest 50", await time(() => `${base}/runs?limit=50`, REPEATS));
    timings.set("runs list of a step, newest 50", await time(() => `${base}/runs?${step()}&limit=50`, REPEATS));
    timings.set("run page (one run with its snapshots, 300 packages)", await time(() => `${base}/runs/${runId()}`, REPEATS));
    timings.set("compare two runs (diff)", await time(() => `${base}/diff?a=${runId()}&b=${runId()}`, REPEATS));
    timings.set("a step's timeline (its newest 1000 runs)", await time(() => `${base}/runs?${step()}&limit=1000`, REPEATS));
    timings.set("package search, pydantic >=2,<3, newest 50", await time(() => `${base}/packages/pydantic/runs?version=${encodeURIComponent(">=2,<3")}&limit=50`, REPEATS));
  } finally {
    await api.close();
  }
  return { ingestS, timings };
}

async function main(): Promise<void> {
  const results: { label: string; ingestS: number; timings: Timings }[] = [];
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-apibench-"));
  try {
    for (const backend of BACKENDS) {
      if (backend === "sqlite") {
        const store = await createStore(`sqlite:${join(dir, "bench.db")}`);
        try {
          results.push({ label: "SQLite", ...(await bench(store)) });
        } finally {
          await store.close();
        }
      } else if (backend === "clickhouse") {
        const server = await startClickHouseServer();
        try {
          const version = (await server.sql("SELECT version()")).trim();
          const store = await createStore(server.storeUrl("apibench"), { env: { SNAPTRAIL_CLICKHOUSE_PASSWORD: TEST_PASSWORD } });
          try {
            results.push({ label: `ClickHouse ${version}`, ...(await bench(store)) });
          } finally {
            await store.close();
          }
        } finally {
          await server.destroy();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const out = [
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}.`,
    `Data: ${SHAPE.runs.toLocaleString("en")} runs over ${SHAPE.pipelines * SHAPE.stepsPerPipeline} steps, ${ENVS} environments of 300 packages; ${REPEATS} requests per row after one warm-up.`,
    "",
    `| HTTP answer (p50 / p95) | ${results.map((r) => r.label).join(" | ")} |`,
    `|---|${results.map(() => "---|").join("")}`,
  ];
  for (const name of results[0]?.timings.keys() ?? []) {
    out.push(`| ${name} | ${results.map((r) => `${fmtMs(r.timings.get(name)!.p50)} / ${fmtMs(r.timings.get(name)!.p95)}`).join(" | ")} |`);
  }
  out.push(`| (ingest of the runs through Store.append) | ${results.map((r) => `${r.ingestS.toFixed(0)} s`).join(" | ")} |`);
  process.stdout.write(`${out.join("\n")}\n`);
}

await main();
