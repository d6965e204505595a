import { access } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Where uv keeps the interpreters it manages: UV_PYTHON_INSTALL_DIR, else $XDG_DATA_HOME/uv/python, else ~/.local/share/uv/python. */
export function uvPythonDirs(env: NodeJS.ProcessEnv): string[] {
  const dirs: string[] = [];
  if (env.UV_PYTHON_INSTALL_DIR) dirs.push(env.UV_PYTHON_INSTALL_DIR);
  if (env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME)) dirs.push(path.join(env.XDG_DATA_HOME, "uv", "python"));
  dirs.push(path.join(env.HOME || os.homedir(), ".local", "share", "uv", "python"));
  return dirs.map((d) => path.resolve(d));
}

function under(file: string, dir: string): boolean {
  return file !== "" && (file + "/").startsWith(dir.endsWith("/") ? dir : dir + "/");
}

/**
 * "venv" (pyvenv.cfg in the prefix: venv, virtualenv, uv venv), "conda" (conda-meta in the
 * prefix: conda, mamba, micromamba), "uv" (an interpreter uv installed and manages), "pyenv" (an
 * interpreter under a .pyenv folder or PYENV_ROOT), else "system" (Debian's /usr/bin/python3 and
 * other installed Pythons).
 */
export async function interpreterKind(prefix: string, executable: string, basePrefix: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  if (prefix !== "") {
    const [venv, conda] = await Promise.all([exists(path.join(prefix, "pyvenv.cfg")), exists(path.join(prefix, "conda-meta"))]);
    if (venv) return "venv";
    if (conda) return "conda";
  }
  const places = [prefix, executable, basePrefix];
  if (uvPythonDirs(env).some((dir) => places.some((p) => under(p, dir)))) return "uv";
  const pyenvRoot = env.PYENV_ROOT ? path.resolve(env.PYENV_ROOT) : "";
  if (places.some((p) => p.includes("/.pyenv/") || (pyenvRoot !== "" && under(p, pyenvRoot)))) return "pyenv";
  return "system";
}
