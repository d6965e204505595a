import { stat } from "node:fs/promises";
import type { CaptureWarning, CodeSnapshot, GitInfo } from "../../core/model.js";
import { sha256Digest } from "../../core/digest.js";
import { redactionSalt, redactValue } from "../env/redact.js";
import { stripUrlCredentials } from "../env/strip-url-credentials.js";
import { buildCodeArchive, comparePaths } from "./build-code-archive.js";
import { formatBytes } from "../../core/format-bytes.js";
import { readWorkTreeFiles, statWorkTreeFiles } from "./read-work-tree-files.js";
import { runGit } from "./run-git.js";
import { parseGitStatus } from "./parse-git-status.js";
import { splitGitPaths } from "./split-git-paths.js";

export interface CodeCapture {
  /** null when `dir` is not in a git work tree (or git cannot be run). */
  code: CodeSnapshot | null;
  /** The tar archive whose digest is code.archiveDigest; null when left out. */
  archive: Buffer | null;
  warnings: CaptureWarning[];
}

export interface CaptureCodeOptions {
  env: NodeJS.ProcessEnv;
  maxArchiveBytes: number;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The URL of `origin`, else of the first remote configured, from `git config --get-regexp`. */
export function pickRemoteUrl(configOutput: string): string {
  let first = "";
  for (const line of configOutput.split("\n")) {
    const m = /^remote\.(.+)\.url (.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === "origin") return m[2] ?? "";
    if (first === "") first = m[2] ?? "";
  }
  return first;
}

/**
 * The code of the git work tree holding `dir`: commit, branch, remote (credentials stripped),
 * the patch of uncommitted tracked changes, a hash of every file git would track (committed,
 * staged, modified, and untracked files that are not ignored), and a deterministic tar archive
 * of them unless they add up to more than `maxArchiveBytes`.
 *
 * `dirty` is true when tracked files differ from the commit or untracked (not ignored) files
 * exist: in both cases the commit alone does not give back this code. In a repository with no
 * commits yet, it is true when there is any file.
 */
export async function captureCode(dir: string, opts: CaptureCodeOptions): Promise<CodeCapture> {
  const warnings: CaptureWarning[] = [];
  const none = (message: string): CodeCapture => ({ code: null, archive: null, warnings: [{ source: "code", message }] });
  const gitOpts = { env: opts.env };

  // Four git processes at once, all run from `dir`. Porcelain status covers the whole work tree
  // and names paths from its top; ls-files does too with --full-name and the ":/" pathspec.
  const [top, statusOut, cached, remotes] = await Promise.all([
    runGit(["rev-parse", "--show-toplevel"], dir, gitOpts),
    runGit(["status", "--porcelain=v2", "-z", "--branch", "--untracked-files=all", "--no-renames"], dir, gitOpts),
    runGit(["ls-files", "-z", "--full-name", "--cached", "--", ":/"], dir, gitOpts),
    runGit(["config", "--get-regexp", "^remote\\..*\\.url$"], dir, gitOpts),
  ]);
  if (!top.ok) {
    if (top.reason === "notFound") {
      const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
      return none(isDir ? "code not captured: git is not installed (not found on PATH)" : `code not captured: ${dir} does not exist`);
    }
    if (top.reason === "failed" && /not a git repository|must be run in a work tree/i.test(top.stderr)) {
      return none(`code not captured: ${dir} is not in a git work tree`);
    }
    return none(`code not captured: git failed in ${dir}: ${top.message}`);
  }
  const root = top.stdout.toString("utf8").replace(/\n$/, "");
  if (root === "") return none(`code not captured: ${dir} is not in a git work tree`);
  if (!statusOut.ok) return none(`code not captured: git status failed in ${root}: ${statusOut.message}`);
  if (!cached.ok) return none(`code not captured: git ls-files failed in ${root}: ${cached.message}`);

  const status = parseGitStatus(statusOut.stdout);
  const commit = status.commit;
  if (commit === "") warnings.push({ source: "code", message: `the repository at ${root} has no commits yet` });

  // The patch of tracked changes, for restore; only asked for when there are some.
  const patchLimit = Math.max(opts.maxArchiveBytes, 1024 * 1024);
  const diffPromise =
    commit !== "" && status.trackedChanges
      ? runGit(
          [
            "-c", "diff.noprefix=false",
            "-c", "diff.mnemonicPrefix=false",
            "diff", "HEAD", "--binary", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/",
          ],
          root,
          { ...gitOpts, maxBuffer: patchLimit },
        )
      : null;

  const tracked = splitGitPaths(cached.stdout);
  for (const raw of [...tracked.undecodable, ...status.undecodable]) {
    warnings.push({ source: "code", message: `skipped a file whose name is not UTF-8: ${JSON.stringify(raw.toString("utf8"))}` });
  }
  const paths = [...new Set([...tracked.paths, ...status.untracked])].sort(comparePaths);

  const statted = statWorkTreeFiles(root, paths);
  warnings.push(...statted.warnings);
  if (statted.submodules.length > 0) {
    warnings.push({ source: "code", message: `submodule contents not captured: ${statted.submodules.join(", ")}` });
  }
  const totalBytes = statted.stats.reduce((sum, s) => sum + s.stats.size, 0);
  const withinLimit = totalBytes <= opts.maxArchiveBytes;
  const read = readWorkTreeFiles(root, statted.stats, withinLimit);
  warnings.push(...read.warnings);

  let archive: Buffer | null = null;
  if (withinLimit) {
    archive = await buildCodeArchive(read.files);
  } else {
    warnings.push({
      source: "code",
      message:
        `code archive skipped: ${formatBytes(totalBytes)} of files exceeds the limit of ${formatBytes(opts.maxArchiveBytes)} ` +
        "(set SNAPTRAIL_MAX_ARCHIVE_BYTES or --max-archive-bytes)",
    });
  }

  let patch = "";
  const diff = diffPromise ? await diffPromise : null;
  if (diff) {
    if (diff.ok) {
      try {
        patch = UTF8.decode(diff.stdout);
      } catch {
        warnings.push({ source: "code", message: "patch not recorded: the diff is not valid UTF-8 (the archive has the files)" });
      }
    } else if (diff.reason === "tooLarge") {
      warnings.push({ source: "code", message: `patch not recorded: the diff is larger than ${formatBytes(patchLimit)}` });
    } else {
      warnings.push({ source: "code", message: `patch not recorded: git diff failed: ${diff.message}` });
    }
  }
  const dirty = commit === "" ? read.files.length > 0 : status.trackedChanges || status.untracked.length > 0;

  const git: GitInfo = {
    commit,
    branch: status.branch,
    // Credentials in the userinfo go; anything else secret-looking (a token in the query) is
    // redacted by the same rules as env vars and command lines.
    remoteUrl: remotes.ok ? redactValue(stripUrlCredentials(pickRemoteUrl(remotes.stdout.toString("utf8"))), redactionSalt(opts.env)).value : "",
    dirty,
    patch,
  };
  const code: CodeSnapshot = {
    root,
    git,
    files: read.files.map((f) => f.entry),
    archiveDigest: archive ? sha256Digest(archive) : "",
    archiveBytes: archive ? archive.length : 0,
  };
  return { code, archive, warnings };
}
