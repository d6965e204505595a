import { statSync } from "node:fs";
import path from "node:path";

/** Variables that point git at a repository or work tree somewhere else than the folders above. */
const REDIRECTS = ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"];

/**
 * False only when git cannot find a work tree for `dir`: no `.git` (folder or file) in it or any
 * folder above, no bare repository on the way (core.worktree could name a work tree), and no
 * GIT_* variable pointing elsewhere. Then the agent starts no git at all, on the path before every
 * job outside a repository. True means "ask git", which has the last word (safe.directory,
 * ceilings, worktrees).
 */
export function mayBeInWorkTree(dir: string, env: NodeJS.ProcessEnv): boolean {
  if (REDIRECTS.some((name) => env[name] !== undefined && env[name] !== "")) return true;
  for (let d = path.resolve(dir); ; ) {
    if (exists(path.join(d, ".git")) || (exists(path.join(d, "HEAD")) && exists(path.join(d, "objects")))) return true;
    const up = path.dirname(d);
    if (up === d) return false;
    d = up;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch (err) {
    // A folder we may not look into could hold a repository: let git decide.
    return (err as NodeJS.ErrnoException).code !== "ENOENT" && (err as NodeJS.ErrnoException).code !== "ENOTDIR";
  }
}
