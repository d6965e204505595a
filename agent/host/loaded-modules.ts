import path from "node:path";

function split(value: string | undefined): string[] {
  return (value ?? "").split(":").map((m) => m.trim()).filter((m) => m !== "");
}

/**
 * A module's name ("cuda/12.1") from its modulefile's path: the path below the MODULEPATH entry
 * holding it, without Lmod's ".lua" ending. The file's path when no entry holds it.
 */
export function moduleNameFromFile(file: string, modulePath: readonly string[]): string {
  for (const dir of modulePath) {
    const rel = path.relative(dir, file);
    if (rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel)) return rel.replace(/\.lua$/, "");
  }
  return file;
}

/**
 * HPC modules loaded by Lmod or Environment Modules, sorted, as "name/version". Both tools set
 * LOADEDMODULES (the names) and _LMFILES_ (the modulefiles, in the same order). LOADEDMODULES is
 * used when present; with only _LMFILES_ the names are read from the file paths against
 * MODULEPATH.
 */
export function loadedModules(env: NodeJS.ProcessEnv): string[] {
  let names = split(env.LOADEDMODULES);
  if (names.length === 0) {
    const modulePath = split(env.MODULEPATH);
    names = split(env._LMFILES_).map((f) => moduleNameFromFile(f, modulePath));
  }
  return [...new Set(names)].sort();
}
