// What `wrap --output` adds to a job's end: hashing its outputs (page cache warm, as right after
// the job wrote them). `node dist/bench/output-hash-benchmark.js`; prints medians as Markdown.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { collectOutputs } from "../agent/outputs/collect-outputs.js";
import { fmtMs, median, timeRuns } from "./stats.js";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);

const dir = await mkdtemp(join(tmpdir(), "snaptrail-bench-outputs-"));
try {
  const mib = 512;
  const big = join(dir, "model.bin");
  await writeFile(big, randomBytes(mib * 1024 * 1024));
  await mkdir(join(dir, "many"));
  for (let i = 0; i < 1000; i++) await writeFile(join(dir, "many", `part-${String(i).padStart(4, "0")}.json`), randomBytes(4096));
  const one = median(await timeRuns(REPEATS, () => collectOutputs(["model.bin"], dir, 600_000)));
  const many = median(await timeRuns(REPEATS, () => collectOutputs(["many"], dir, 600_000)));
  console.log(`| outputs hashed at the job's end (${cpus()[0]?.model ?? "cpu"}, ${cpus().length} CPUs, median of ${REPEATS}) | time |`);
  console.log("|---|---|");
  console.log(`| one ${mib} MiB file | ${fmtMs(one)} (${((mib / one) * 1000).toFixed(0)} MiB/s) |`);
  console.log(`| 1,000 files of 4 KiB (a directory) | ${fmtMs(many)} |`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
