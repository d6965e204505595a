import { splitGitPaths } from "./split-git-paths.js";

export interface GitStatus {
  /** The HEAD commit, or "" before the first commit. */
  commit: string;
  /** The current branch, or "" on a detached HEAD. */
  branch: string;
  /** Tracked files differ from HEAD (staged or not), or there are merge conflicts. */
  trackedChanges: boolean;
  /** Untracked files that are not ignored, relative to the work tree's top. */
  untracked: string[];
  /** Untracked names that are not UTF-8, as raw bytes. */
  undecodable: Buffer[];
}

/**
 * Reads `git status --porcelain=v2 -z --branch --untracked-files=all` (raw bytes: names are
 * whatever the file system holds). Paths in porcelain output are relative to the top of the
 * work tree wherever git ran.
 */
export function parseGitStatus(output: Uint8Array): GitStatus {
  const status: GitStatus = { commit: "", branch: "", trackedChanges: false, untracked: [], undecodable: [] };
  const buf = Buffer.from(output.buffer, output.byteOffset, output.byteLength);
  const untrackedRaw: Buffer[] = [];
  let start = 0;
  let skipNext = false;
  while (start < buf.length) {
    let end = buf.indexOf(0, start);
    if (end === -1) end = buf.length;
    const record = buf.subarray(start, end);
    start = end + 1;
    if (skipNext) {
      skipNext = false; // the original path of a rename or copy
      continue;
    }
    if (record.length < 2) continue;
    const kind = String.fromCharCode(record[0] ?? 0);
    if (kind === "#") {
      const line = record.toString("utf8");
      const oid = /^# branch\.oid (.+)$/.exec(line);
      if (oid) status.commit = oid[1] === "(initial)" ? "" : (oid[1] ?? "");
      const head = /^# branch\.head (.+)$/.exec(line);
      if (head) status.branch = head[1] === "(detached)" ? "" : (head[1] ?? "");
    } else if (kind === "?") {
      untrackedRaw.push(record.subarray(2));
    } else if (kind === "1" || kind === "u") {
      status.trackedChanges = true;
    } else if (kind === "2") {
      status.trackedChanges = true;
      skipNext = true;
    }
  }
  const joined = Buffer.concat(untrackedRaw.flatMap((r) => [r, Buffer.alloc(1)]));
  const split = splitGitPaths(joined);
  status.untracked = split.paths;
  status.undecodable = split.undecodable;
  return status;
}
