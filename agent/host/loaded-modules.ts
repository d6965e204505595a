/** HPC modules (Lmod / Environment Modules) from LOADEDMODULES, sorted. */
export function loadedModules(env: NodeJS.ProcessEnv): string[] {
  const value = env.LOADEDMODULES ?? "";
  return [...new Set(value.split(":").map((m) => m.trim()).filter((m) => m !== ""))].sort();
}
