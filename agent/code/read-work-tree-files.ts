import { createHash } from "node:crypto";
import { closeSync, lstatSync, openSync, readFileSync, readlinkSync, readSync, type Stats } from "node:fs";
import path from "node:path";
import type { CaptureWarning, FileEntry } from "../../core/model.js";
import { errorMessage } from "../../core/errors.js";

// Synchronous on purpose: a work tree is mostly small files, and a plain read is several times
// faster than a thread-pool round trip per open, stat, read and close. Hashing runs on this
// thread either way.

export interface WorkTreeFile {
  entry: FileEntry;
  type: "file" | "symlink";
  /** The file's bytes, when `keepContent` was asked for; null otherwise and for symlinks. */
  content: Buffer | null;
  /** The symlink's target, for symlinks. */
  linkTarget: string;
}

export interface WorkTreeRead {
  files: WorkTreeFile[];
  warnings: CaptureWarning[];
}

export interface WorkTreeStat {
  path: string;
  stats: Stats;
}

/**
 * lstat for each path under `root`, in the order given. Paths that no longer exist (deleted but
 * still tracked) are left out silently, as are directories (submodules, whose paths are named in
 * `submodules`). Other kinds of file give a warning.
 */
export function statWorkTreeFiles(root: string, paths: readonly string[]): { stats: WorkTreeStat[]; submodules: string[]; warnings: CaptureWarning[] } {
  const stats: WorkTreeStat[] = [];
  const submodules: string[] = [];
  const warnings: CaptureWarning[] = [];
  for (const p of paths) {
    let st: Stats;
    try {
      st = lstatSync(path.join(root, p));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") warnings.push({ source: "code", message: `cannot stat ${p}: ${errorMessage(err)}` });
      continue;
    }
    if (st.isFile() || st.isSymbolicLink()) stats.push({ path: p, stats: st });
    else if (st.isDirectory()) submodules.push(p);
    else warnings.push({ source: "code", message: `skipped ${p}: not a regular file or a symlink` });
  }
  return { stats, submodules, warnings };
}

const HASH_CHUNK = 1024 * 1024;
let hashBuffer: Buffer | null = null;

function hashFileStreaming(file: string): { sha256: string; size: number } {
  hashBuffer ??= Buffer.allocUnsafe(HASH_CHUNK);
  const hash = createHash("sha256");
  const fd = openSync(file, "r");
  let size = 0;
  try {
    for (;;) {
      const n = readSync(fd, hashBuffer, 0, HASH_CHUNK, size);
      if (n === 0) break;
      hash.update(hashBuffer.subarray(0, n));
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest("hex"), size };
}

/**
 * sha256, size and permission bits of each file; for a symlink, the sha256 of its target
 * string. With `keepContent` the bytes are kept for the archive, else files are hashed in
 * chunks and nothing is held.
 */
export function readWorkTreeFiles(root: string, stats: readonly WorkTreeStat[], keepContent: boolean): WorkTreeRead {
  const files: WorkTreeFile[] = [];
  const warnings: CaptureWarning[] = [];
  for (const { path: p, stats: st } of stats) {
    const abs = path.join(root, p);
    const mode = st.mode & 0o7777;
    try {
      if (st.isSymbolicLink()) {
        const target = readlinkSync(abs, "utf8");
        const bytes = Buffer.from(target, "utf8");
        files.push({
          entry: { path: p, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length, mode },
          type: "symlink",
          content: null,
          linkTarget: target,
        });
      } else if (keepContent) {
        const content = readFileSync(abs);
        files.push({
          entry: { path: p, sha256: createHash("sha256").update(content).digest("hex"), size: content.length, mode },
          type: "file",
          content,
          linkTarget: "",
        });
      } else {
        const { sha256, size } = hashFileStreaming(abs);
        files.push({ entry: { path: p, sha256, size, mode }, type: "file", content: null, linkTarget: "" });
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") warnings.push({ source: "code", message: `skipped ${p}: ${errorMessage(err)}` });
    }
  }
  return { files, warnings };
}
