// schemathesis, from the package index into a venv cached per version of
// test/requirements/schemathesis.txt (cached-venv.ts).
import path from "node:path";
import { cachedVenv } from "./cached-venv.js";
import { REPO_ROOT, runTool, type ToolRun } from "./deploy-validators.js";

export const SCHEMATHESIS_REQUIREMENTS = path.join(REPO_ROOT, "test", "requirements", "schemathesis.txt");

/** `schemathesis --config-file CONFIG run SCHEMA_URL ARGS...`, from its cached venv. */
export async function schemathesis(config: string, schemaUrl: string, args: string[]): Promise<ToolRun> {
  const venv = await cachedVenv("schemathesis", SCHEMATHESIS_REQUIREMENTS);
  return runTool(path.join(venv, "bin", "python"), ["-m", "schemathesis.cli", "--no-color", "--config-file", config, "run", schemaUrl, ...args], 480_000);
}
