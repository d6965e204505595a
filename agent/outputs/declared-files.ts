import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

/** A file named by a declared path: itself, or one found under a declared directory. */
export interface DeclaredFile {
  /** As recorded: relative to the working directory when inside it (with "/"), else absolute. */
  path: string;
  absolute: string;
}

export interface ExpandedPaths {
  files: DeclaredFile[];
  /** Declared paths that do not exist, as recorded. */
  missing: string[];
  /** More files than `maxFiles`: the list was cut. */
  truncated: boolean;
}

/** How a path is recorded: relative to `cwd` (POSIX separators) when inside it, else absolute. */
export function recordedPath(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  if (rel === "") return ".";
  if (rel.startsWith("..") || path.isAbsolute(rel)) return absolute;
  return rel.split(path.sep).join("/");
}

/**
 * Expands declared paths (relative to `cwd`) into files, sorted by recorded path: a directory
 * means every regular file under it. Symbolic links to files are followed; links to directories
 * are not (a loop would never end). At most `maxFiles`.
 */
export async function expandDeclaredPaths(declared: readonly string[], cwd: string, maxFiles: number): Promise<ExpandedPaths> {
  const byPath = new Map<string, DeclaredFile>();
  const missing: string[] = [];
  let truncated = false;
  const add = (absolute: string): boolean => {
    const recorded = recordedPath(cwd, absolute);
    if (byPath.has(recorded)) return true;
    if (byPath.size >= maxFiles) {
      truncated = true;
      return false;
    }
    byPath.set(recorded, { path: recorded, absolute });
    return true;
  };
  for (const p of declared) {
    const absolute = path.resolve(cwd, p);
    const st = await stat(absolute).catch(() => undefined);
    if (!st) missing.push(recordedPath(cwd, absolute));
    else if (st.isDirectory()) {
      if (!(await walk(absolute, add))) break;
    } else if (st.isFile() && !add(absolute)) break;
  }
  const files = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, missing: [...new Set(missing)].sort(), truncated };
}

async function walk(dir: string, add: (absolute: string) => boolean): Promise<boolean> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return true; // unreadable: what can be read is still recorded
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const absolute = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!(await walk(absolute, add))) return false;
    } else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(absolute).then((s) => s.isFile(), () => false)))) {
      if (!add(absolute)) return false;
    }
  }
  return true;
}
