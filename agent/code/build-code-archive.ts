import tar from "tar-stream";
import type { WorkTreeFile } from "./read-work-tree-files.js";

/** Orders paths by their UTF-8 bytes, as git does, so the order never depends on the locale. */
export function comparePaths(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

const EPOCH = new Date(0);

/**
 * A deterministic tar archive (tar-stream) of the files: entries sorted by path, mtime 0,
 * uid/gid 0, empty user and group names, permission bits kept; regular files with their bytes,
 * symlinks as symlink entries. The same files always give the same bytes, hence the same digest.
 */
export async function buildCodeArchive(files: readonly WorkTreeFile[]): Promise<Buffer> {
  const sorted = [...files].sort((a, b) => comparePaths(a.entry.path, b.entry.path));
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
    pack.on("end", resolve);
    pack.on("error", reject);
  });
  for (const f of sorted) {
    const header = { name: f.entry.path, mode: f.entry.mode, mtime: EPOCH, uid: 0, gid: 0, uname: "", gname: "" };
    if (f.type === "symlink") pack.entry({ ...header, type: "symlink", linkname: f.linkTarget });
    else pack.entry({ ...header, type: "file" }, f.content ?? Buffer.alloc(0));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}
