// The capture benchmark of issue 3: fingerprinting a venv of 300+ real distributions, cold (no
// fingerprint cache: one Python probe and a metadata scan) and warm (cache hit), against
// `pip freeze` and against a Python importlib.metadata listing of the same set. Printed as
// Markdown for docs/benchmarks.md. The venv is built once under bench/.cache (gitignored).
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { captureSnapshot } from "../agent/capture/capture-snapshot.js";
import { capturePython } from "../agent/python/capture-python.js";
import { cachedVenv } from "./bench-fixtures.js";
import { fmtMs, median, percentile, timeRuns } from "./stats.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "dist/cli/main.js");
const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);

const LIST_SCRIPT = "import importlib.metadata as m\nfor d in m.distributions(): print(d.metadata['Name'], d.version)";

/** Runs the capture benchmark and prints its Markdown section. */
export async function runCaptureBenchmark(): Promise<void> {
  const { dir: venv, python } = await cachedVenv("venv-capture", "requirements-capture.txt", "the capture benchmark venv of 300+ distributions (a few minutes)");
  const cacheDir = await mkdtemp(join(tmpdir(), "snaptrail-bench-cache-"));
  const cwd = await mkdtemp(join(tmpdir(), "snaptrail-bench-cwd-"));
  const env = { ...process.env, VIRTUAL_ENV: venv, PATH: `${join(venv, "bin")}:${process.env.PATH ?? ""}` };
  try {
    // Exactness first: the benchmark is only worth reading if the two sets are the same.
    const listed = (await run(python, ["-c", LIST_SCRIPT], { maxBuffer: 16 << 20 })).stdout.trim().split("\n");
    const reference = new Set(
      listed.map((l) => {
        const [name = "", version = ""] = l.split(" ");
        return `${name.toLowerCase().replace(/[-_.]+/g, "-")}==${version}`;
      }),
    );
    const cold = await capturePython({ argv: [python], cwd, env });
    const captured = new Set(cold.packages.filter((p) => !p.shadowed).map((p) => `${p.name}==${p.version}`));
    const same = captured.size === reference.size && [...captured].every((x) => reference.has(x));
    if (!same) throw new Error(`capture and importlib.metadata disagree: ${captured.size} vs ${reference.size} distributions`);

    const freeze = await timeRuns(REPEATS, () => run(join(venv, "bin", "pip"), ["freeze", "--disable-pip-version-check"], { env }));
    const importlib = await timeRuns(REPEATS, () => run(python, ["-c", LIST_SCRIPT], { env, maxBuffer: 16 << 20 }));
    const pyCold = await timeRuns(REPEATS, () => capturePython({ argv: [python], cwd, env, cacheDir: "" }));
    await capturePython({ argv: [python], cwd, env, cacheDir });
    await new Promise((r) => setTimeout(r, 200)); // past the racy window, so the entry is stored
    const pyWarm = await timeRuns(REPEATS, async () => {
      const r = await capturePython({ argv: [python], cwd, env, cacheDir });
      if (r.cache !== "hit") throw new Error(`expected a cache hit, got ${r.cache}`);
    });
    const snapOpts = { argv: [python, "train.py"], cwd, env, maxArchiveBytes: 100 << 20 };
    const snapCold = await timeRuns(REPEATS, () => captureSnapshot({ ...snapOpts, cacheDir: "" }));
    const snapWarm = await timeRuns(REPEATS, () => captureSnapshot({ ...snapOpts, cacheDir }));
    const cliCold = await timeRuns(REPEATS, () => run(process.execPath, [CLI, "capture", "--json", "--", python], { cwd, env: { ...env, SNAPTRAIL_CACHE_DIR: "" }, maxBuffer: 64 << 20 }));
    const cliWarm = await timeRuns(REPEATS, () => run(process.execPath, [CLI, "capture", "--json", "--", python], { cwd, env: { ...env, SNAPTRAIL_CACHE_DIR: cacheDir }, maxBuffer: 64 << 20 }));

    const lines: string[] = [];
    lines.push("", "### Capture (issue 3)", "");
    lines.push(`Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`);
    lines.push(
      `Venv: ${reference.size} distributions (bench/requirements-capture.txt); the captured set equals importlib.metadata's name for name and version for version. ` +
        `Medians of ${REPEATS} runs after one warm-up; cold = no fingerprint cache (a Python probe and a metadata scan), warm = cache hit.`,
      "",
    );
    lines.push("| measure | median | p90 |", "|---|---|---|");
    const row = (name: string, v: number[]) => lines.push(`| ${name} | ${fmtMs(median(v))} | ${fmtMs(percentile(v, 90))} |`);
    row("`pip freeze`", freeze);
    row("`python -c` importlib.metadata listing", importlib);
    row("python fingerprint, cold (capturePython, no cache)", pyCold);
    row("python fingerprint, warm (capturePython, cache hit)", pyWarm);
    row("whole snapshot, cold (captureSnapshot: python, host, GPUs, OS, code, env)", snapCold);
    row("whole snapshot, warm", snapWarm);
    row("`snaptrail capture --json`, cold (whole CLI process)", cliCold);
    row("`snaptrail capture --json`, warm (whole CLI process)", cliWarm);
    lines.push(
      "",
      `Cold python fingerprint / \`pip freeze\`: ${(median(pyCold) / median(freeze)).toFixed(2)} (target at most 0.3). ` +
        `Warm python fingerprint: ${fmtMs(median(pyWarm))} (target: adds at most 20 ms to the agent's start).`,
    );
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
    await rm(cwd, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runCaptureBenchmark();
