import { access } from "node:fs/promises";
import path from "node:path";

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * "venv" (pyvenv.cfg in the prefix), "conda" (conda-meta in the prefix), "pyenv" (an
 * interpreter under ~/.pyenv), else "system".
 */
export async function interpreterKind(prefix: string, executable: string, basePrefix: string): Promise<string> {
  if (prefix !== "") {
    const [venv, conda] = await Promise.all([exists(path.join(prefix, "pyvenv.cfg")), exists(path.join(prefix, "conda-meta"))]);
    if (venv) return "venv";
    if (conda) return "conda";
  }
  if ([prefix, executable, basePrefix].some((p) => p.includes("/.pyenv/"))) return "pyenv";
  return "system";
}
