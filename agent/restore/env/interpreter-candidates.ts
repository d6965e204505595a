import { readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { uvPythonDirs } from "../../python/interpreter-kind.js";

export interface InterpreterCandidate {
  path: string;
  /** Where it was found, for messages: "PATH", "/usr/bin", "pyenv", "uv", "conda". */
  where: string;
}

/** "3.11.2" -> ["python3.11", "python3", "python"]; pypy gets the pypy names. */
export function executableNames(implementation: string, version: string): string[] {
  const [major = "3", minor] = version.split(".");
  const base = implementation === "pypy" ? "pypy" : "python";
  return [...(minor === undefined ? [] : [`${base}${major}.${minor}`]), `${base}${major}`, base];
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => path.join(dir, e.name)).sort();
  } catch {
    return [];
  }
}

/** Folders named after the version come first: "3.11.2", "cpython-3.11.2-linux-x86_64-gnu". */
function versionFirst(dirs: string[], version: string): string[] {
  const named = (d: string): boolean => new RegExp(`(^|[-_])${version.replace(/\./g, "\\.")}($|[-_+])`).test(path.basename(d));
  return [...dirs.filter(named), ...dirs.filter((d) => !named(d))];
}

/**
 * Every place an interpreter of the given implementation and version may be, in the order they
 * are tried: each directory on PATH, /usr/bin and /usr/local/bin (python3.X, python3, python),
 * pyenv's versions ($PYENV_ROOT or ~/.pyenv), uv's managed pythons, and conda (the active
 * environment, the base of $CONDA_EXE and the usual install folders, with their envs). Paths are
 * not checked here: a candidate that does not exist fails its probe.
 */
export async function interpreterCandidates(implementation: string, version: string, env: NodeJS.ProcessEnv): Promise<InterpreterCandidate[]> {
  const names = executableNames(implementation, version);
  // Inside an install folder the major-version name always exists, whatever the minor version.
  const inFolder = names[names.length - 2] ?? "python3";
  const out: InterpreterCandidate[] = [];
  const add = (file: string, where: string): void => {
    if (!out.some((c) => c.path === file)) out.push({ path: file, where });
  };
  for (const dir of (env.PATH ?? "").split(":")) {
    if (dir === "" || !path.isAbsolute(dir)) continue;
    for (const n of names) add(path.join(dir, n), "PATH");
  }
  for (const dir of ["/usr/bin", "/usr/local/bin"]) for (const n of names) add(path.join(dir, n), dir);

  const home = env.HOME || os.homedir();
  const pyenvRoot = env.PYENV_ROOT || path.join(home, ".pyenv");
  for (const d of versionFirst(await subdirs(path.join(pyenvRoot, "versions")), version)) add(path.join(d, "bin", inFolder), "pyenv");
  for (const root of uvPythonDirs(env)) {
    for (const d of versionFirst(await subdirs(root), version)) add(path.join(d, "bin", inFolder), "uv");
  }

  const condaRoots = new Set<string>();
  if (env.CONDA_PREFIX) add(path.join(env.CONDA_PREFIX, "bin", "python"), "conda");
  if (env.CONDA_EXE) condaRoots.add(path.dirname(path.dirname(env.CONDA_EXE)));
  if (env.MAMBA_ROOT_PREFIX) condaRoots.add(env.MAMBA_ROOT_PREFIX);
  for (const d of ["miniforge3", "miniconda3", "anaconda3", "mambaforge"]) condaRoots.add(path.join(home, d));
  condaRoots.add("/opt/conda");
  for (const root of condaRoots) {
    add(path.join(root, "bin", "python"), "conda");
    for (const d of await subdirs(path.join(root, "envs"))) add(path.join(d, "bin", "python"), "conda");
  }
  return out;
}
