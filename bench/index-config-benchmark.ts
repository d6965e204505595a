// Issue 20: what reading the pip and uv index configuration costs a capture. Whole
// `snaptrail capture --json` processes, cold (no fingerprint cache) and warm (cache hit), run in
// turn so that drift on a shared machine hits every variant alike: this build with a realistic
// configuration (a user pip.conf with a multi-line extra-index-url and find-links, PIP_* and UV_*
// variables, a pyproject.toml with two [[tool.uv.index]] tables), this build with none
// (PIP_CONFIG_FILE=/dev/null, UV_NO_CONFIG=1), and, when BENCH_BASELINE_CLI names the CLI of a
// build from before index settings were captured (its dist/cli/main.js), that build on the same
// configuration. Run: `node dist/bench/index-config-benchmark.js`.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { cachedVenv } from "./bench-fixtures.js";
import { fmtMs, median, percentile } from "./stats.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "dist/cli/main.js");
const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);

interface Variant {
  name: string;
  cli: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  cold: number[];
  warm: number[];
}

async function once(v: Variant, python: string, cacheDir: string): Promise<number> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [v.cli, "capture", "--json", "--", python], { cwd: v.cwd, env: { ...v.env, SNAPTRAIL_CACHE_DIR: cacheDir }, maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  if (!stdout.includes('"packages"')) throw new Error(`${v.name}: no snapshot in the output`);
  return ms;
}

/** Runs the index-configuration benchmark and prints its Markdown section. */
export async function runIndexConfigBenchmark(): Promise<void> {
  const { dir: venv, python } = await cachedVenv("venv-capture", "requirements-capture.txt", "the capture benchmark venv of 300+ distributions (a few minutes)");
  const work = await mkdtemp(join(tmpdir(), "snaptrail-bench-indexes-"));
  try {
    const home = join(work, "home");
    const project = join(work, "project");
    await mkdir(join(home, ".config", "pip"), { recursive: true });
    await mkdir(project, { recursive: true });
    await writeFile(
      join(home, ".config", "pip", "pip.conf"),
      "[global]\nindex-url = http://127.0.0.1:9/mirror/simple\nextra-index-url =\n    http://user:pw@127.0.0.1:9/company/simple\n    http://127.0.0.1:9/whl/cu121\nfind-links = /opt/wheels\n[install]\ntimeout = 60\n",
    );
    await writeFile(
      join(project, "pyproject.toml"),
      '[project]\nname = "job"\nversion = "1"\n\n[[tool.uv.index]]\nname = "pytorch"\nurl = "http://127.0.0.1:9/whl/cu121"\nexplicit = true\n\n[[tool.uv.index]]\nname = "company"\nurl = "http://127.0.0.1:9/company/simple"\n',
    );
    const base: NodeJS.ProcessEnv = { PATH: `${join(venv, "bin")}:${process.env.PATH ?? ""}`, VIRTUAL_ENV: venv, HOME: home };
    const configured = { ...base, PIP_EXTRA_INDEX_URL: "http://127.0.0.1:9/extra/simple", UV_INDEX: "extra=http://127.0.0.1:9/extra/simple" };
    const variants: Variant[] = [
      { name: "this build, index configuration present", cli: CLI, env: configured, cwd: project, cold: [], warm: [] },
      { name: "this build, no index configuration", cli: CLI, env: { ...base, HOME: work, PIP_CONFIG_FILE: "/dev/null", UV_NO_CONFIG: "1" }, cwd: project, cold: [], warm: [] },
    ];
    const baseline = process.env.BENCH_BASELINE_CLI;
    if (baseline !== undefined && baseline !== "") variants.push({ name: "build before issue 20, same configuration", cli: baseline, env: configured, cwd: project, cold: [], warm: [] });

    const caches = await Promise.all(variants.map((_, i) => mkdtemp(join(tmpdir(), `snaptrail-bench-indexes-cache-${i}-`))));
    for (const [i, v] of variants.entries()) {
      await once(v, python, "");
      await once(v, python, caches[i] ?? "");
    }
    await new Promise((r) => setTimeout(r, 200)); // past the racy window, so the entries are stored
    for (let n = 0; n < REPEATS; n++) {
      for (const [i, v] of variants.entries()) {
        v.cold.push(await once(v, python, ""));
        v.warm.push(await once(v, python, caches[i] ?? ""));
      }
    }
    await Promise.all(caches.map((c) => rm(c, { recursive: true, force: true })));

    const lines: string[] = [];
    lines.push("", "### Index configuration in the capture (issue 20)", "");
    lines.push(`Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`);
    lines.push(
      `Whole \`snaptrail capture --json\` processes on the capture benchmark's venv, the variants run in turn; medians of ${REPEATS} runs each after one warm-up. ` +
        "cold = no fingerprint cache; warm = cache hit (the configuration files are then only stat'ed).",
      "",
    );
    lines.push("| variant | cold median | cold p90 | warm median | warm p90 |", "|---|---|---|---|---|");
    for (const v of variants) lines.push(`| ${v.name} | ${fmtMs(median(v.cold))} | ${fmtMs(percentile(v.cold, 90))} | ${fmtMs(median(v.warm))} | ${fmtMs(percentile(v.warm, 90))} |`);
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runIndexConfigBenchmark();
