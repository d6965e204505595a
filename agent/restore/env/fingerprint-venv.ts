import path from "node:path";
import type { EnvironmentSnapshot } from "../../../core/model.js";
import { capturePython } from "../../python/capture-python.js";
import { installerEnv } from "./installer-env.js";

export function venvPython(venvDir: string): string {
  return path.join(venvDir, "bin", "python");
}

/**
 * The venv's interpreter and packages as the capture sees them, as an environment snapshot with
 * only those two parts, or null when its python does not answer (a broken or half-made venv).
 * With a fingerprint cache folder a venv that has not changed costs a few stat calls.
 */
export async function fingerprintVenv(venvDir: string, env: NodeJS.ProcessEnv, fingerprintCacheDir: string): Promise<EnvironmentSnapshot | null> {
  const python = venvPython(venvDir);
  const captured = await capturePython({ argv: [python], python, cwd: venvDir, env: installerEnv(env), cacheDir: fingerprintCacheDir });
  if (captured.interpreter.version === "") return null;
  return { interpreter: captured.interpreter, packages: captured.packages, image: null, os: null, env: [], modules: [], indexes: captured.indexes };
}
