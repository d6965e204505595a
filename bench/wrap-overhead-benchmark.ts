// `node dist/bench/wrap-overhead-benchmark.js [OTHER_CLI]`: what `snaptrail wrap -- true` costs
// against a live collector, with the spool on, medians over BENCH_REPEATS runs. Given another
// build of the CLI (a copy of dist/cli-bundle from before a change), the two are run interleaved,
// run for run, so a busy shared machine slows both alike and the difference is the change's.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { SNAPTRAIL_CLI, startCollectorProcess } from "../test/helpers/collector-process.js";
import { benchRepo } from "./bench-fixtures.js";
import { fmtMs, median, percentile } from "./stats.js";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 30);

function timeSpawn(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...opts, stdio: ["ignore", "ignore", process.env.BENCH_STDERR ? "inherit" : "ignore"] });
    child.on("error", reject);
    child.on("exit", () => resolve(performance.now() - t));
  });
}

async function main(): Promise<void> {
  const clis = [{ name: "this build", path: SNAPTRAIL_CLI }];
  if (process.argv[2]) clis.push({ name: process.argv[2], path: resolvePath(process.argv[2]) });
  const work = await mkdtemp(join(tmpdir(), "snaptrail-bench-wrap-"));
  const repo = join(work, "repo");
  await benchRepo(repo);
  const collector = await startCollectorProcess({ db: join(work, "bench.db") });
  const env = { ...process.env, SNAPTRAIL_SPOOL_DIR: join(work, "spool"), SNAPTRAIL_CACHE_DIR: join(work, "cache") };
  const times = new Map<string, number[]>(clis.map((c) => [c.name, []]));
  const bare: number[] = [];
  try {
    for (let i = 0; i <= REPEATS; i++) {
      const b = await timeSpawn("true", [], { cwd: repo, env });
      if (i > 0) bare.push(b); // the first round warms caches
      // Alternate who goes first: the run right after `true` is a little slower on a busy machine.
      for (const c of i % 2 === 0 ? clis : [...clis].reverse()) {
        const t = await timeSpawn(process.execPath, [c.path, "wrap", "--collector", collector.grpcAddress, "--", "true"], { cwd: repo, env });
        if (i > 0) times.get(c.name)!.push(t);
      }
    }
  } finally {
    await collector.stop();
    await rm(work, { recursive: true, force: true });
  }
  const lines = [`${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}; medians of ${REPEATS} interleaved runs`, "| command | median | p90 |", "|---|---|---|"];
  lines.push(`| \`true\` (bare) | ${fmtMs(median(bare))} | ${fmtMs(percentile(bare, 90))} |`);
  for (const [name, v] of times) lines.push(`| \`snaptrail wrap -- true\` (${name}) | ${fmtMs(median(v))} | ${fmtMs(percentile(v, 90))} |`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
