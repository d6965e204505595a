// `npm run bench`: the foundation's three figures, the ingest load table and the capture
// benchmark, medians over repeated runs, printed as Markdown for docs/benchmarks.md; `npm run
// bench -- NAME... | all` adds the longer suites (SUITES). Timings are wall clock on whatever
// machine runs this.
import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { SnapshotEvent } from "../core/model.js";
import { GrpcSink } from "../agent/sinks/grpc-sink.js";
import { captureSnapshot } from "../agent/capture/capture-snapshot.js";
import { startCollectorProcess } from "../test/helpers/collector-process.js";
import { benchRepo, benchVenv } from "./bench-fixtures.js";
import { fmtMs, median, percentile, timeRuns } from "./stats.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "dist/cli-bundle/main.js");
const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);

async function distributionCount(python: string): Promise<number> {
  const { stdout } = await run(python, ["-c", "import importlib.metadata as m; print(len({d.metadata['Name'].lower() for d in m.distributions()}))"]);
  return Number(stdout.trim());
}

function spawnWait(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; stdio?: "ignore" | "inherit" }): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: "ignore", ...opts });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? -1));
  });
}

function ingestEvent(i: number): SnapshotEvent {
  return {
    eventId: randomUUID(),
    runId: `local:bench/run-${i % 1000}`,
    timeUnixMs: Date.now(),
    payload: "runFinished",
    runFinished: { exitCode: 0, signal: "", durationMs: 1000 + i, error: "", outputs: [] },
  };
}

async function ingestRate(address: string, agents: number, total: number, batch: number): Promise<{ eps: number; p50: number; p99: number }> {
  const sinks = await Promise.all(Array.from({ length: agents }, () => GrpcSink.connect({ address, connectTimeoutMs: 5000, callTimeoutMs: 60_000 })));
  const latencies: number[] = [];
  const perAgent = Math.ceil(total / agents);
  const t0 = performance.now();
  await Promise.all(
    sinks.map(async (s, a) => {
      if (!s.ok) throw s.error;
      for (let sent = 0; sent < perAgent; sent += batch) {
        const events = Array.from({ length: Math.min(batch, perAgent - sent) }, (_, k) => ingestEvent(a * perAgent + sent + k));
        const t = performance.now();
        const res = await s.value.publish(events);
        if (!res.ok) throw res.error;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - t0;
  await Promise.all(sinks.map((s) => (s.ok ? s.value.close() : Promise.resolve())));
  return { eps: (perAgent * agents) / (elapsed / 1000), p50: median(latencies), p99: percentile(latencies, 99) };
}

async function main(): Promise<void> {
  const venv = await benchVenv();
  const count = await distributionCount(venv.python);
  const repo = await benchRepo();
  const dbDir = await mkdtemp(join(tmpdir(), "snaptrail-bench-db-"));
  const collector = await startCollectorProcess({ db: join(dbDir, "bench.db") });
  const env = { ...process.env, VIRTUAL_ENV: venv.dir, PATH: `${join(venv.dir, "bin")}:${process.env.PATH ?? ""}` };
  const lines: string[] = [];
  try {
    const bare = await timeRuns(REPEATS, () => spawnWait("true", [], { cwd: repo, env }));
    const wrapped = await timeRuns(REPEATS, () => spawnWait(process.execPath, [CLI, "wrap", "--collector", collector.grpcAddress, "--", "true"], { cwd: repo, env }));
    const freeze = await timeRuns(REPEATS, () => run(join(venv.dir, "bin", "pip"), ["freeze", "--disable-pip-version-check"], { env }));
    const captureCli = await timeRuns(REPEATS, () => run(process.execPath, [CLI, "capture", "--json", "--python", venv.python], { cwd: repo, env, maxBuffer: 64 << 20 }));
    const inProcess: number[] = [];
    for (let i = 0; i < REPEATS + 1; i++) {
      const r = await captureSnapshot({ argv: [venv.python], cwd: repo, env, python: venv.python, maxArchiveBytes: 100 << 20 });
      if (i > 0) inProcess.push(r.captureMs);
    }
    const ingest = [];
    for (const agents of [1, 8]) ingest.push({ agents, ...(await ingestRate(collector.grpcAddress, agents, 20_000, 500)) });

    lines.push(`Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`);
    lines.push(`Venv: ${count} distributions (bench/requirements-bench.txt); code: a git repo of 50 files. Medians of ${REPEATS} runs after one warm-up.`, "");
    lines.push("| measure | median | p90 |", "|---|---|---|");
    const row = (name: string, v: number[]) => lines.push(`| ${name} | ${fmtMs(median(v))} | ${fmtMs(percentile(v, 90))} |`);
    row("`true` (bare)", bare);
    row("`snaptrail wrap -- true` (collector on SQLite, events acked)", wrapped);
    lines.push(`| wrap overhead (median difference) | ${fmtMs(median(wrapped) - median(bare))} | |`);
    row("`pip freeze`", freeze);
    row("`snaptrail capture --json` (whole CLI process)", captureCli);
    row("fingerprint alone (captureSnapshot in process)", inProcess);
    lines.push("", "| gRPC ingest into SQLite | events/s | ack p50 (batch of 500) | ack p99 |", "|---|---|---|---|");
    for (const r of ingest) lines.push(`| ${r.agents} agent(s), 20,000 events | ${Math.round(r.eps).toLocaleString("en-US")} | ${fmtMs(r.p50)} | ${fmtMs(r.p99)} |`);
    lines.push(...(await (await import("./ingest-benchmark.js")).ingestBenchmark()));
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await collector.stop();
    await rm(repo, { recursive: true, force: true });
    await rm(dbDir, { recursive: true, force: true });
  }
}

/**
 * The longer suites, each its own script (they print their own tables): `npm run bench -- NAME...`
 * runs them after the foundation set, `npm run bench -- all` every one.
 */
const SUITES: Record<string, string> = {
  "agent-cost": "agent-cost-benchmark.js",
  clickhouse: "clickhouse-benchmark.js",
  "query-api": "query-api-benchmark.js",
  "ui-first-paint": "ui-first-paint-benchmark.js",
  "index-config": "index-config-benchmark.js",
  outputs: "output-hash-benchmark.js",
  "restore-code": "restore-code-benchmark.js",
  "restore-env": "restore-env-benchmark.js",
  dist: "dist-benchmark.js",
  "slurm-hooks": "slurm-hooks-benchmark.js",
};

async function runSuites(names: string[]): Promise<void> {
  const wanted = names.includes("all") ? Object.keys(SUITES) : names;
  for (const name of wanted) {
    const script = SUITES[name];
    if (script === undefined) throw new Error(`unknown benchmark suite "${name}": choose from ${Object.keys(SUITES).join(", ")}, all`);
    process.stdout.write(`\n`);
    await spawnWait(process.execPath, [fileURLToPath(new URL(`./${script}`, import.meta.url))], { cwd: ROOT, env: process.env, stdio: "inherit" });
  }
}

await main();
await (await import("./capture-benchmark.js")).runCaptureBenchmark();
await runSuites(process.argv.slice(2));
