// schemathesis, from the package index into a venv cached per version of
// test/requirements/schemathesis.txt (cached-venv.ts).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { cachedVenv } from "./cached-venv.js";
import { REPO_ROOT, type ToolRun } from "./deploy-validators.js";

const execFileAsync = promisify(execFile);

export const SCHEMATHESIS_REQUIREMENTS = path.join(REPO_ROOT, "test", "requirements", "schemathesis.txt");

/**
 * `schemathesis --config-file CONFIG run SCHEMA_URL ARGS...` in `cwd`: it keeps a cache of
 * failures there (.schemathesis/) and replays them on later runs, so give it a fresh folder.
 */
export async function schemathesis(cwd: string, config: string, schemaUrl: string, args: string[]): Promise<ToolRun> {
  const venv = await cachedVenv("schemathesis", SCHEMATHESIS_REQUIREMENTS);
  const argv = ["-m", "schemathesis.cli", "--no-color", "--config-file", config, "run", schemaUrl, ...args];
  try {
    const { stdout, stderr } = await execFileAsync(path.join(venv, "bin", "python"), argv, {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 480_000,
      env: { ...process.env, NO_COLOR: "1" },
    });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (err) {
    const e = err as Error & { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw new Error(`cannot run schemathesis: ${e.message}`, { cause: err });
    return { code: e.code, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}
