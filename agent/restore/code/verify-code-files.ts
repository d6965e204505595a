import type { FileEntry } from "../../../core/model.js";
import { MismatchError } from "../../../core/errors.js";
import { readWorkTreeFiles, statWorkTreeFiles } from "../../code/read-work-tree-files.js";
import { listFew } from "./restore-code-options.js";

const octal = (mode: number): string => (mode & 0o777).toString(8).padStart(4, "0");

/**
 * Hashes every recorded file under `dir` exactly as the capture did (same reader: a symlink's
 * hash is that of its target string) and compares hash, size and permission bits. Symlinks have
 * no mode of their own on Linux, and setuid, setgid and sticky bits are never restored, so those
 * are not compared. Throws MISMATCH naming the first few differences.
 */
export function verifyCodeFiles(dir: string, files: readonly FileEntry[], label = dir): { verified: number } {
  const { stats, submodules } = statWorkTreeFiles(dir, files.map((f) => f.path));
  const folders = new Set(submodules);
  const found = new Map(readWorkTreeFiles(dir, stats, false).files.map((f) => [f.entry.path, f]));
  const problems: string[] = [];
  for (const want of files) {
    const got = found.get(want.path);
    if (got === undefined) problems.push(`${want.path} (${folders.has(want.path) ? "is a folder" : "missing"})`);
    else if (got.entry.sha256 !== want.sha256 || got.entry.size !== want.size) problems.push(`${want.path} (content differs)`);
    else if (got.type === "file" && (got.entry.mode & 0o777) !== (want.mode & 0o777)) {
      problems.push(`${want.path} (mode ${octal(got.entry.mode)}, recorded ${octal(want.mode)})`);
    }
  }
  if (problems.length > 0) {
    throw new MismatchError(`${problems.length} of ${files.length} files in ${label} do not match the snapshot: ${listFew(problems)}`,
    );
  }
  return { verified: files.length };
}
