import type { WorkTreeFile } from "./read-work-tree-files.js";
import { writeTar } from "./write-tar.js";

/** Orders paths by their UTF-8 bytes, as git does, so the order never depends on the locale. */
export function comparePaths(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * A deterministic tar archive of the files: entries sorted by path, mtime 0, uid/gid 0, empty
 * user and group names, permission bits kept; regular files with their bytes, symlinks as
 * symlink entries. The same files always give the same bytes, hence the same digest, and the
 * bytes are those tar-stream's pack() would give (see write-tar.ts).
 */
export function buildCodeArchive(files: readonly WorkTreeFile[]): Buffer {
  const sorted = [...files].sort((a, b) => comparePaths(a.entry.path, b.entry.path));
  return writeTar(
    sorted.map((f) =>
      f.type === "symlink"
        ? { name: f.entry.path, mode: f.entry.mode, type: "symlink" as const, linkname: f.linkTarget }
        : { name: f.entry.path, mode: f.entry.mode, type: "file" as const, data: f.content ?? Buffer.alloc(0) },
    ),
  );
}
