import { PythonNotFoundError } from "../../../core/errors.js";
import type { EnvironmentSnapshot } from "../../../core/model.js";
import { capturePython } from "../../python/capture-python.js";
import { compareEnvironments } from "./compare-environments.js";
import type { EnvironmentComparison } from "./rebuild-environment-types.js";

export interface VerifyEnvironmentRequest {
  environment: EnvironmentSnapshot;
  /** The interpreter to check; else resolved as `wrap` does, from `argv` (the command), VIRTUAL_ENV, CONDA_PREFIX, python3 on PATH. */
  python?: string;
  /** The command that will run, when there is one (`wrap --restore`): its interpreter is the one checked. */
  argv?: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Compares the current interpreter's environment with the snapshot, on the package set (see
 * compareEnvironments). It does not throw for a mismatch: that is the answer. It throws
 * PYTHON_NOT_FOUND when there is no interpreter to compare.
 */
export async function verifyEnvironment(req: VerifyEnvironmentRequest): Promise<EnvironmentComparison> {
  const captured = await capturePython({ argv: req.argv ?? [], python: req.python, cwd: req.cwd, env: req.env, cacheDir: "" });
  if (captured.interpreter.version === "") {
    const why = captured.warnings.map((w) => w.message).join("; ") || "no interpreter answered";
    throw new PythonNotFoundError(`cannot verify the environment: ${why}`);
  }
  return compareEnvironments(req.environment, { interpreter: captured.interpreter, packages: captured.packages, image: null, os: null, env: [], modules: [], indexes: captured.indexes });
}
