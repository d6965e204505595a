import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ConfigError, InternalError, UnavailableError } from "../core/errors.js";
import { GITIGNORE, JOB_V1, JOB_V2 } from "./demo-project.js";

const run = promisify(execFile);
// The script this process runs: the bundle when run as `snaptrail`, dist/cli/main.js otherwise.
const CLI = process.argv[1]!;

export interface DemoOptions {
  python: string;
  goodRequirement: string;
  badRequirement: string;
  keep: boolean;
  color: boolean;
}

interface DemoState {
  dir: string;
  goodPython: string;
  badPython: string;
  project: string;
  collector?: { grpcAddress: string; httpUrl: string; close(): Promise<void> };
  runs: { runId: string; exitCode: number; output: string }[];
}

/**
 * The whole story on the embedded default: two real venvs, a real git repo, a collector on
 * SQLite, a job run twice under `snaptrail wrap`, then the diff that explains the failure.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const { Listr } = await import("listr2");
  const dir = await mkdtemp(join(tmpdir(), "snaptrail-demo-"));
  const state: DemoState = {
    dir,
    goodPython: join(dir, "venv-good", "bin", "python"),
    badPython: join(dir, "venv-new", "bin", "python"),
    project: join(dir, "nightly-features"),
    runs: [],
  };
  try {
    await new Listr(
      [
        { title: `Check ${options.python} and its venv module`, task: () => checkPython(options.python) },
        {
          title: "Create two real venvs with pip",
          task: (_, task) =>
            task.newListr(
              [
                { title: `last week's image: ${options.goodRequirement}`, task: () => createVenv(options.python, join(dir, "venv-good"), options.goodRequirement) },
                { title: `tonight's rebuild: ${options.badRequirement}`, task: () => createVenv(options.python, join(dir, "venv-new"), options.badRequirement) },
              ],
              { concurrent: true },
            ),
        },
        { title: "Create a git repo with a small pydantic job", task: () => createProject(state.project) },
        {
          title: "Start a collector on SQLite",
          task: async (_, task) => {
            const { startCollector } = await import("../collector/collector.js");
            state.collector = await startCollector({
              dbPath: join(dir, "snaptrail.db"),
              listen: "127.0.0.1:0",
              http: "127.0.0.1:0",
              logLevel: "silent",
            });
            task.title = `Collector on SQLite at ${state.collector.grpcAddress} (HTTP ${state.collector.httpUrl})`;
          },
        },
        { title: "Run the job under snaptrail wrap (last week's venv)", task: async (_, task) => (task.output = await wrapJob(state, state.goodPython)) },
        { title: "Edit the code (threshold 0.5 -> 0.4) and commit", task: () => editProject(state.project) },
        { title: "Run the job again (tonight's venv)", task: async (_, task) => (task.output = await wrapJob(state, state.badPython)) },
      ],
      { rendererOptions: { collapseSubtasks: false }, exitOnError: true },
    ).run();

    const [good, bad] = state.runs as [DemoState["runs"][number], DemoState["runs"][number]];
    const out = process.stdout;
    out.write(`\nRun 1 exited ${good.exitCode}: ${headline(good.output)}\n`);
    out.write(`Run 2 exited ${bad.exitCode}: ${headline(bad.output)}\n\n`);
    out.write(`$ snaptrail diff ${good.runId} ${bad.runId}\n\n`);
    out.write(await cli(state, ["diff", good.runId, bad.runId, options.color ? "--color" : "--no-color"]));
    out.write(`\nLook further:\n`);
    const where = options.keep
      ? `  snaptrail collector --db ${join(dir, "snaptrail.db")} &   # the demo's data is kept in ${dir}\n`
      : `  (run the demo with --keep to keep its collector database and look around)\n`;
    out.write(where);
    out.write(`  snaptrail runs --pipeline nightly-features\n`);
    out.write(`  snaptrail show ${bad.runId}\n`);
    out.write(`  snaptrail diff ${good.runId} ${bad.runId} --json\n`);
  } finally {
    await state.collector?.close();
    if (!options.keep) await rm(dir, { recursive: true, force: true });
  }
}

async function checkPython(python: string): Promise<void> {
  try {
    await run(python, ["-c", "import venv, ensurepip, sys; assert sys.version_info >= (3, 8)"]);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new ConfigError(`${python} was not found: the demo needs Python 3.8+ with venv and pip (on Debian: apt-get install python3 python3-venv)`);
    throw new ConfigError(`${python} has no usable venv/ensurepip module (on Debian: apt-get install python3-venv): ${lastLine(e.stderr)}`);
  }
}

async function createVenv(python: string, dir: string, requirement: string): Promise<void> {
  await run(python, ["-m", "venv", dir]);
  try {
    await run(join(dir, "bin", "pip"), ["install", "--disable-pip-version-check", "--no-input", "-q", requirement], { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string };
    throw new UnavailableError(`pip could not install ${requirement}: is the Python package index reachable? ${lastLine(e.stderr)}`);
  }
}

async function git(cwd: string, args: string[]): Promise<void> {
  await run("git", ["-c", "user.name=snaptrail demo", "-c", "user.email=demo@snaptrail.invalid", "-c", "commit.gpgsign=false", ...args], { cwd });
}

async function createProject(project: string): Promise<void> {
  await run("git", ["init", "-q", "-b", "main", project]);
  await writeFile(join(project, "features.py"), JOB_V1);
  await writeFile(join(project, ".gitignore"), GITIGNORE);
  await git(project, ["add", "-A"]);
  await git(project, ["commit", "-q", "-m", "Nightly feature job"]);
}

async function editProject(project: string): Promise<void> {
  await writeFile(join(project, "features.py"), JOB_V2);
  await git(project, ["commit", "-q", "-am", "Tune the threshold"]);
}

async function wrapJob(state: DemoState, python: string): Promise<string> {
  const env = {
    ...process.env,
    SNAPTRAIL_PIPELINE: "nightly-features",
    SNAPTRAIL_STEP: "featurize",
    SNAPTRAIL_RUN_ID: `local:demo/nightly-features/run-${state.runs.length + 1}`,
  };
  const { code, output } = await spawnCollect(process.execPath, [CLI, "wrap", "--collector", state.collector!.grpcAddress, "--", python, "features.py"], state.project, env);
  state.runs.push({ runId: env.SNAPTRAIL_RUN_ID, exitCode: code, output });
  return `exit ${code}: ${headline(output)}`;
}

async function cli(state: DemoState, args: string[]): Promise<string> {
  const { code, output } = await spawnCollect(process.execPath, [CLI, ...args, "--collector-http", state.collector!.httpUrl], state.dir, process.env);
  if (code !== 0) throw new InternalError(`snaptrail ${args[0]} failed: ${output}`);
  return output;
}

function spawnCollect(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The line that says what happened: the error for a failed job, else its last line. */
function headline(output: string): string {
  const lines = output.trim().split("\n");
  return lines.find((l) => /^\S*(Error|Exception)\b/.test(l)) ?? lines.find((l) => /validation error/i.test(l)) ?? lines.at(-1) ?? "";
}

function lastLine(text: string | undefined): string {
  return (text ?? "").trim().split("\n").pop() ?? "";
}
