import { lstatSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, statSync, chmodSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CodeSnapshot } from "../../../core/model.js";
import { ConflictError, errorForCode, InternalError, MismatchError, NotFoundError, SnaptrailError, UnsafeArchiveError } from "../../../core/errors.js";
import { runGit } from "../../code/run-git.js";
import { splitGitPaths } from "../../code/split-git-paths.js";
import { extractCodeArchive } from "./extract-code-archive.js";
import { fetchVerifiedArchive } from "./fetch-verified-archive.js";
import { listFew } from "./restore-code-options.js";
import { makeSiblingTemp } from "./restore-folder.js";
import { parentPaths } from "./unsafe-path-reason.js";
import { verifyCodeFiles } from "./verify-code-files.js";

const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const LONG_MS = 10 * 60_000; // a checkout of a large repository on a slow disk

export type CloneProbe = { clone: false } | { clone: true; hasCommit: boolean };

// The caller's GIT_DIR or GIT_INDEX_FILE (set inside a git hook, say) would point these
// commands at another repository or index.
function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const name of ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY"]) delete env[name];
  if (extra.GIT_INDEX_FILE === undefined) delete env.GIT_INDEX_FILE;
  return env;
}

/** Whether `into` is the top of a git work tree, and whether the commit is in it (no fetch: offline). */
export async function probeClone(into: string, commit: string): Promise<CloneProbe> {
  const isDir = (() => {
    try {
      return statSync(into).isDirectory();
    } catch {
      return false;
    }
  })();
  if (!isDir) return { clone: false };
  const top = await runGit(["rev-parse", "--show-toplevel"], into, { env: gitEnv() });
  // A folder inside some other work tree is not a clone of its own.
  if (!top.ok || top.stdout.toString("utf8").replace(/\n$/, "") !== realpathSync(into)) return { clone: false };
  if (!COMMIT.test(commit)) return { clone: true, hasCommit: false };
  const has = await runGit(["cat-file", "-e", `${commit}^{commit}`], into, { env: gitEnv() });
  return { clone: true, hasCommit: has.ok };
}

export interface RestoreWithGitRequest {
  code: CodeSnapshot;
  into: string;
  archive: () => Promise<Buffer>;
  maxBytes: number;
}

/**
 * Puts the clone at `into` back to the snapshot: the recorded commit checked out (detached), the
 * recorded patch applied, the recorded untracked files written from the archive, then every file
 * verified. Everything that can fail is tried first without touching the work tree: a dirty tree,
 * a patch that does not apply (tried on a scratch index), ignored files in the way, a missing or
 * hostile archive.
 */
export async function restoreWithGit(req: RestoreWithGitRequest): Promise<{ files: number; bytes: number; verified: number }> {
  const { code, into } = req;
  const commit = code.git?.commit ?? "";
  const patch = code.git?.patch ?? "";
  if (!COMMIT.test(commit)) throw new NotFoundError(`cannot restore with git: the snapshot records no commit id (${JSON.stringify(commit)})`);
  const git = async (args: string[], what: string, extraEnv?: Record<string, string>): Promise<Buffer> => {
    const r = await runGit(args, into, { env: gitEnv(extraEnv), timeoutMs: LONG_MS });
    if (!r.ok) throw new InternalError(`${what} failed in ${into}: ${r.message}`);
    return r.stdout;
  };

  const dirty = parseStatusPaths(await git(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"], "git status"));
  if (dirty.length > 0) {
    throw new ConflictError(`cannot restore into ${into}: the work tree has changes that restoring would lose (${listFew(dirty)}); commit or stash them first`,
    );
  }
  const head = (await runGit(["rev-parse", "--verify", "-q", "HEAD"], into, { env: gitEnv() })).stdout.toString("utf8").trim();
  const branch = (await runGit(["symbolic-ref", "-q", "--short", "HEAD"], into, { env: gitEnv() })).stdout.toString("utf8").trim();

  const scratch = mkdtempSync(path.join(os.tmpdir(), "snaptrail-git-restore-"));
  let staged: string | null = null;
  try {
    const patchFile = path.join(scratch, "recorded.patch");
    writeFileSync(patchFile, patch);
    // The tree after checkout and patch, worked out on a scratch index: the work tree is not
    // touched until everything is known to apply.
    const scratchIndex = { GIT_INDEX_FILE: path.join(scratch, "index") };
    await git(["read-tree", commit], "git read-tree", scratchIndex);
    if (patch !== "") {
      const check = await runGit(["apply", "--cached", "--whitespace=nowarn", patchFile], into, { env: gitEnv(scratchIndex) });
      if (!check.ok) {
        throw new MismatchError(`the recorded patch does not apply to commit ${commit} in ${into}: ${check.message}; nothing was changed`);
      }
    }
    const after = new Set(splitGitPaths(await git(["ls-files", "-z"], "git ls-files", scratchIndex)).paths);
    const tracked = new Set(splitGitPaths(await git(["ls-files", "-z"], "git ls-files")).paths);

    // Git overwrites ignored files on checkout without asking; they may be someone's work.
    const recorded = code.files.map((f) => f.path);
    const inTheWay = [...new Set([...after, ...recorded])].filter((p) => !tracked.has(p) && exists(path.join(into, p))).sort();
    if (inTheWay.length > 0) {
      throw new ConflictError(`cannot restore into ${into}: it would overwrite files that git ignores there (${listFew(inTheWay)}); move them away first`);
    }

    const untracked = recorded.filter((p) => !after.has(p));
    let stagedPaths: string[] = [];
    if (untracked.length > 0) {
      const archive = await fetchVerifiedArchive(code, req.archive, `${untracked.length} recorded untracked files (${listFew(untracked)}) must come from the archive`);
      staged = makeSiblingTemp(into).tmp;
      const only = new Set(untracked);
      const extracted = await extractCodeArchive(archive, staged, { files: new Map(code.files.map((f) => [f.path, f])), maxBytes: req.maxBytes, only });
      stagedPaths = extracted.paths;
      const got = new Set(stagedPaths);
      const lacking = untracked.filter((p) => !got.has(p));
      if (lacking.length > 0) throw new MismatchError(`the code archive lacks recorded untracked files (${listFew(lacking)}); nothing was changed`);
    }

    await git(["-c", "advice.detachedHead=false", "checkout", "--detach", "--quiet", commit], "git checkout");
    try {
      if (patch !== "") {
        const applied = await runGit(["apply", "--whitespace=nowarn", patchFile], into, { env: gitEnv(), timeoutMs: LONG_MS });
        if (!applied.ok) throw new MismatchError(`the recorded patch does not apply in ${into}: ${applied.message}`);
      }
      if (staged !== null) moveIntoTree(staged, into, stagedPaths);
      restoreRecordedModes(into, code);
      const { verified } = verifyCodeFiles(into, code.files);
      return { files: code.files.length, bytes: code.files.reduce((n, f) => n + f.size, 0), verified };
    } catch (err) {
      const back = branch !== "" ? branch : head;
      const where = `; ${into} is now at commit ${commit.slice(0, 12)} (detached)` + (back !== "" ? `, and \`git checkout -f ${back}\` there goes back` : "");
      if (err instanceof SnaptrailError) throw errorForCode(err.code, err.message + where, { cause: err });
      throw err;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    if (staged !== null) rmSync(staged, { recursive: true, force: true });
  }
}

/** Requires a clone that has the commit; the error says what to do instead. */
export function requireClone(probe: CloneProbe, into: string, commit: string): void {
  if (!probe.clone) throw new NotFoundError(`cannot restore with git: ${into} is not the top of a git clone`);
  if (commit === "") throw new NotFoundError("cannot restore with git: the snapshot records no commit");
  if (!probe.hasCommit) {
    throw new NotFoundError(`cannot restore with git: commit ${commit} is not in the clone at ${into} (restore works offline: run git fetch there first, or restore from the archive into an empty folder)`);
  }
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Paths from `git status --porcelain=v1 -z --no-renames`: "XY path" records. */
function parseStatusPaths(out: Buffer): string[] {
  return splitGitPaths(out).paths.map((r) => r.slice(3)).filter((p) => p !== "");
}

/**
 * Renames the staged untracked files into the work tree. Their folders must be real folders:
 * a tracked symlink on the way would carry the write outside the clone.
 */
function moveIntoTree(staged: string, into: string, paths: readonly string[]): void {
  for (const p of paths) {
    for (const parent of parentPaths(p)) {
      const abs = path.join(into, parent);
      let st;
      try {
        st = lstatSync(abs);
      } catch {
        mkdirSync(abs);
        continue;
      }
      if (st.isSymbolicLink()) throw new UnsafeArchiveError(`cannot write ${p}: its folder ${parent} is a symlink in the checked-out tree`);
      if (!st.isDirectory()) throw new ConflictError(`cannot write ${p}: ${parent} is a file in the checked-out tree`);
    }
    const target = path.join(into, p);
    if (exists(target)) throw new ConflictError(`cannot write ${p}: a file is already there`);
    renameSync(path.join(staged, p), target);
  }
}

/**
 * Git records only the executable bit; the other permission bits come from the umask at
 * checkout. Where git agrees on the executable bit, the recorded bits are set so the tree
 * matches; a differing executable bit is left for verification to report.
 */
function restoreRecordedModes(into: string, code: CodeSnapshot): void {
  for (const f of code.files) {
    const abs = path.join(into, f.path);
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      continue;
    }
    if (!st.isFile()) continue;
    const want = f.mode & 0o777;
    if ((st.mode & 0o777) !== want && (st.mode & 0o100) === (want & 0o100)) chmodSync(abs, want);
  }
}
