import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

// Synchronous: a lookup is a handful of stat and access calls, far cheaper than a thread-pool
// round trip each, and the capture needs the answer before it can start the Python probe, which
// should start before anything else does (capturePython).

/** True for an existing regular file this process may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where `name` resolves on the given PATH (as execvp would find it), or null. A name with a "/"
 * is not looked up on PATH: it is resolved against `cwd`.
 */
export function findOnPath(name: string, pathVar: string | undefined, cwd: string): string | null {
  if (name === "") return null;
  if (name.includes("/")) {
    const file = path.resolve(cwd, name);
    return isExecutableFile(file) ? file : null;
  }
  for (const dir of (pathVar ?? "").split(":")) {
    // An empty PATH entry means the current directory, as in POSIX.
    const file = path.resolve(cwd, dir === "" ? "." : dir, name);
    if (isExecutableFile(file)) return file;
  }
  return null;
}
