import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import path from "node:path";

/** True for an existing regular file this process may execute. */
export async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const st = await stat(file);
    if (!st.isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where `name` resolves on the given PATH (as execvp would find it), or null. A name with a "/"
 * is not looked up on PATH: it is resolved against `cwd`.
 */
export async function findOnPath(name: string, pathVar: string | undefined, cwd: string): Promise<string | null> {
  if (name === "") return null;
  if (name.includes("/")) {
    const file = path.resolve(cwd, name);
    return (await isExecutableFile(file)) ? file : null;
  }
  for (const dir of (pathVar ?? "").split(":")) {
    // An empty PATH entry means the current directory, as in POSIX.
    const file = path.resolve(cwd, dir === "" ? "." : dir, name);
    if (await isExecutableFile(file)) return file;
  }
  return null;
}
