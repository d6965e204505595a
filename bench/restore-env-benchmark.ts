// The environment restore benchmark of issue 6: rebuilding a recorded environment of about 100
// real distributions as a venv, cold (empty venv cache and empty installer download cache, every
// package from the index), with the download cache warm but no venv, and warm (a venv cache hit,
// which fingerprints the cached venv again). With pip, and with uv when it can be had. Printed as
// Markdown. Standalone: `npm run build && node dist/bench/restore-env-benchmark.js`.
//
// The source venv is built once under bench/.cache (gitignored) from bench/requirements-bench.txt.
// pip runs with no config files and no local find-links or extra indexes, so "cold" really is the
// index; uv does not read pip's configuration anyway.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { capturePython } from "../agent/python/capture-python.js";
import { rebuildEnvironment, type RebuildEnvironmentResult } from "../agent/restore/env/rebuild-environment.js";
import { snapshotDigest } from "../core/digest.js";
import type { EnvironmentSnapshot } from "../core/model.js";
import { benchVenv } from "./bench-fixtures.js";
import { fmtMs, median } from "./stats.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CACHE = join(ROOT, "bench/.cache");
const UV_TOOL = join(CACHE, "uv-tool");
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 3);
const WARM_RUNS = Number(process.env.BENCH_REPEATS ?? 15);

/** The caller's environment with pip's configuration files, find-links and extra indexes left out. */
function indexOnlyEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PIP_CONFIG_FILE: "/dev/null", ...extra };
  for (const k of ["PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "PIP_INDEX_URL", "PIP_CONSTRAINT", "PIP_NO_INDEX"]) delete env[k];
  return env;
}

/** uv from the index in a tool venv of its own, or null when it cannot be installed. */
async function uvBin(): Promise<string | null> {
  const bin = join(UV_TOOL, "bin");
  if (!existsSync(join(bin, "uv"))) {
    try {
      await run("python3", ["-m", "venv", UV_TOOL]);
      await run(join(bin, "pip"), ["install", "-q", "--disable-pip-version-check", "uv"], { maxBuffer: 16 << 20 });
    } catch (err) {
      process.stderr.write(`bench: uv could not be installed, pip only: ${String(err)}\n`);
      return null;
    }
  }
  return bin;
}

interface Recorded {
  environment: EnvironmentSnapshot;
  digest: string;
}

async function record(python: string): Promise<Recorded> {
  const cap = await capturePython({ argv: [python], python, cwd: CACHE, env: process.env, cacheDir: "" });
  const environment: EnvironmentSnapshot = { interpreter: cap.interpreter, packages: cap.packages, image: null, os: null, env: [], modules: [], indexes: null };
  return { environment, digest: snapshotDigest("environment", environment) };
}

async function timed(fn: () => Promise<RebuildEnvironmentResult>, cached: boolean): Promise<number> {
  const t = performance.now();
  const r = await fn();
  const ms = performance.now() - t;
  if (r.cached !== cached) throw new Error(`expected cached=${String(cached)}, got ${String(r.cached)}`);
  if (!r.comparison.matches) throw new Error(`the rebuilt venv does not match: ${JSON.stringify(r.comparison)}`);
  return ms;
}

interface Row {
  installer: string;
  cold: number[];
  warmDownloads: number[];
  hit: number[];
}

async function measure(installer: "pip" | "uv", rec: Recorded, extraEnv: NodeJS.ProcessEnv): Promise<Row> {
  const row: Row = { installer, cold: [], warmDownloads: [], hit: [] };
  const scratch = await mkdtemp(join(tmpdir(), `snaptrail-bench-restore-${installer}-`));
  try {
    const downloads = join(scratch, "downloads-warm");
    for (let i = 0; i < COLD_RUNS; i++) {
      const dl = join(scratch, `downloads-${i}`);
      const env = indexOnlyEnv({ ...extraEnv, PIP_CACHE_DIR: dl, UV_CACHE_DIR: dl });
      const req = { environment: rec.environment, environmentDigest: rec.digest, cacheDir: join(scratch, `venvs-cold-${i}`), installer, env };
      row.cold.push(await timed(() => rebuildEnvironment(req), false));
      process.stderr.write(`bench: ${installer} cold ${i + 1}/${COLD_RUNS}: ${fmtMs(row.cold[i] ?? 0)}\n`);
      // pip caches only what it built itself when the index's answers are not cacheable.
      if (i === 0) await (existsSync(dl) ? run("cp", ["-r", dl, downloads]) : mkdir(downloads));
      await rm(join(scratch, `venvs-cold-${i}`), { recursive: true, force: true });
      await rm(dl, { recursive: true, force: true });
    }
    const warmEnv = indexOnlyEnv({ ...extraEnv, PIP_CACHE_DIR: downloads, UV_CACHE_DIR: downloads });
    for (let i = 0; i < COLD_RUNS; i++) {
      const cacheDir = join(scratch, `venvs-dl-${i}`);
      row.warmDownloads.push(await timed(() => rebuildEnvironment({ environment: rec.environment, environmentDigest: rec.digest, cacheDir, installer, env: warmEnv }), false));
      if (i < COLD_RUNS - 1) await rm(cacheDir, { recursive: true, force: true });
    }
    const cacheDir = join(scratch, `venvs-dl-${COLD_RUNS - 1}`);
    const hitReq = { environment: rec.environment, environmentDigest: rec.digest, cacheDir, installer, env: warmEnv };
    await timed(() => rebuildEnvironment(hitReq), true); // the first hit stores the fingerprint
    await new Promise((r) => setTimeout(r, 200)); // past the fingerprint cache's racy window
    for (let i = 0; i < WARM_RUNS; i++) row.hit.push(await timed(() => rebuildEnvironment(hitReq), true));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return row;
}

function fmtTime(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : fmtMs(ms);
}

async function versionOf(file: string, args: string[]): Promise<string> {
  try {
    return (await run(file, args)).stdout.trim().split("\n")[0] ?? "";
  } catch {
    return "?";
  }
}

/** Runs the environment restore benchmark and prints its Markdown section. */
export async function runRestoreEnvBenchmark(): Promise<void> {
  const load = loadavg()[0] ?? 0;
  const source = await benchVenv();
  const rec = await record(source.python);
  const count = rec.environment.packages.filter((p) => !p.shadowed).length;
  const rows: Row[] = [await measure("pip", rec, {})];
  const uv = await uvBin();
  if (uv !== null) rows.push(await measure("uv", rec, { PATH: `${uv}:${process.env.PATH ?? ""}` }));

  const cpu = cpus();
  const python = `${rec.environment.interpreter?.implementation ?? ""} ${rec.environment.interpreter?.version ?? ""}`;
  const pip = await versionOf(join(source.dir, "bin", "pip"), ["--version"]);
  const uvVersion = uv === null ? "not installed" : await versionOf(join(uv, "uv"), ["--version"]);
  const lines = [
    "### Environment restore (`snaptrail restore --env rebuild`)",
    "",
    `Rebuilding a recorded environment of ${count} distributions (bench/requirements-bench.txt with its dependencies) as a venv, ${python}, ` +
      "installing the exact set with --no-deps, then fingerprinting and comparing it with the snapshot. " +
      `Medians of ${COLD_RUNS} runs (cold, warm downloads) and ${WARM_RUNS} (venv cache hit).`,
    "",
    "| installer | cold: empty venv cache, empty download cache, from the index | no venv, download cache warm | venv cache hit (re-fingerprinted) |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${r.installer} | ${fmtTime(median(r.cold))} | ${fmtTime(median(r.warmDownloads))} | ${fmtTime(median(r.hit))} |`),
    "",
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${pip.replace(/ from .*\(/, " (")}; ${uvVersion}. ` +
      `Load average ${load.toFixed(1)} when the run started. The index is reached over the network, so the cold figures move with it.`,
    "",
  ];
  process.stdout.write(lines.join("\n"));
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  runRestoreEnvBenchmark().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
