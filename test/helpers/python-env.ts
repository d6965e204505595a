import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Runs a command for a test fixture and fails loudly with its output: a machine without
 * python3, pip or a reachable package index must fail these tests, never skip them.
 */
export async function runOrFail(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
  try {
    const { stdout } = await run(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`test fixture command failed: ${file} ${args.join(" ")}\n${e.message}\n${e.stderr ?? ""}${e.stdout ?? ""}`, { cause: err });
  }
}

/** Installs into a venv with its own pip; `args` as for `pip install`. */
export async function pipInstall(python: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const pip = path.join(path.dirname(python), "pip");
  await runOrFail(pip, ["install", "--disable-pip-version-check", "-q", ...args], { env });
}

/**
 * A fresh virtual environment in `dir` (`python3 -m venv`) with `requirements` pip-installed.
 * Returns the venv's python.
 */
export async function createVenv(dir: string, requirements: string[]): Promise<string> {
  await runOrFail("python3", ["-m", "venv", dir]);
  const python = path.join(dir, "bin", "python");
  if (requirements.length > 0) await pipInstall(python, requirements);
  return python;
}

const LIST_SCRIPT = [
  "import sys",
  "if sys.path and sys.path[0] == '': del sys.path[0]",
  "import importlib.metadata as m, json, re",
  "out = {}",
  "for d in m.distributions():",
  "    name = d.metadata['Name']",
  "    if not name: continue",
  "    out.setdefault(re.sub(r'[-_.]+', '-', name).lower(), d.version)",
  "print(json.dumps(out))",
].join("\n");

/**
 * The reference answer: every distribution `importlib.metadata` sees for this interpreter, PEP
 * 503 name to version, the first on sys.path winning.
 */
export async function pythonListDistributions(python: string, env: NodeJS.ProcessEnv = process.env): Promise<Map<string, string>> {
  const out = await runOrFail(python, ["-c", LIST_SCRIPT], { env, timeoutMs: 60_000 });
  return new Map(Object.entries(JSON.parse(out) as Record<string, string>));
}
