import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { LEFT_OUT_SECRET_PATTERN, type CaptureWarning, type CodeSnapshot, type GitInfo, type LeftOutFile } from "../../core/model.js";
import { sha256Digest } from "../../core/digest.js";
import { DEFAULT_SECRET_FILES } from "../agent-options.js";
import { redactionMarker, redactionSalt, redactValue } from "../env/redact.js";
import { secretFileMatcher } from "./secret-file-matcher.js";
import { stripUrlCredentials } from "../env/strip-url-credentials.js";
import { buildCodeArchive, comparePaths } from "./build-code-archive.js";
import { formatBytes } from "../../core/format-bytes.js";
import { readWorkTreeFiles, statWorkTreeFiles } from "./read-work-tree-files.js";
import { mayBeInWorkTree } from "./may-be-in-work-tree.js";
import { runGit } from "./run-git.js";
import { parseGitStatus } from "./parse-git-status.js";
import { splitGitPaths } from "./split-git-paths.js";

export interface CodeCapture {
  /** null when `dir` is not in a git work tree (or git cannot be run). */
  code: CodeSnapshot | null;
  /** The tar archive whose digest is code.archiveDigest; null when left out. */
  archive: Buffer | null;
  warnings: CaptureWarning[];
  /**
   * For each file left out as a secret, a salted HMAC marker of its content: local only (the
   * cache key uses it, so a changed .env is a miss), never part of the snapshot.
   */
  leftOutFingerprints: { path: string; marker: string }[];
}

export interface CaptureCodeOptions {
  env: NodeJS.ProcessEnv;
  maxArchiveBytes: number;
  /** Patterns added after DEFAULT_SECRET_FILES ("!PATTERN" keeps files). */
  secretFiles?: readonly string[];
  /** The installation's redaction salt; default: the one env vars name. */
  salt?: string;
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
  const none = (message: string): CodeCapture => ({ code: null, archive: null, warnings: [{ source: "code", message }], leftOutFingerprints: [] });
  const salt = opts.salt ?? redactionSalt(opts.env);
  const isSecretFile = secretFileMatcher([...DEFAULT_SECRET_FILES, ...(opts.secretFiles ?? [])]);
  const gitOpts = { env: opts.env };

  // Outside any repository, no git at all (one `git rev-parse` would be a process on the path
  // before every job); where one may be, git decides.
  if (!mayBeInWorkTree(dir, opts.env)) {
    const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
    return none(isDir ? `code not captured: ${dir} is not in a git work tree` : `code not captured: ${dir} does not exist`);
  }
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

  const tracked = splitGitPaths(cached.stdout);
  for (const raw of [...tracked.undecodable, ...status.undecodable]) {
    warnings.push({ source: "code", message: `skipped a file whose name is not UTF-8: ${JSON.stringify(raw.toString("utf8"))}` });
  }
  const allPaths = [...new Set([...tracked.paths, ...status.untracked])].sort(comparePaths);
  // Secret files are named, never read into the snapshot: no hash, no size, not in the archive,
  // not in the patch. Only files that are there count (a tracked file deleted is simply gone).
  const leftOut = allPaths.filter((p) => isSecretFile(p) && isFileOrLink(path.join(root, p)));
  const leftOutSet = new Set(leftOut);
  const paths = allPaths.filter((p) => !leftOutSet.has(p));
  if (leftOut.length > 0) {
    warnings.push({ source: "code", message: `left out of the code snapshot (secret pattern): ${leftOut.join(", ")}` });
  }
  // Out of the patch too, including a tracked secret file deleted here (its old content).
  const notInPatch = allPaths.filter((p) => isSecretFile(p));

  // The patch of tracked changes, for restore; only asked for when there are some.
  const patchLimit = Math.max(opts.maxArchiveBytes, 1024 * 1024);
  const diffPromise =
    commit !== "" && status.trackedChanges
      ? runGit(
          [
            "-c", "diff.noprefix=false",
            "-c", "diff.mnemonicPrefix=false",
            "diff", "HEAD", "--binary", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/",
            // The patch must not carry a left-out file's content either.
            "--", ...notInPatch.map((p) => `:(top,literal,exclude)${p}`),
          ],
          root,
          // Pathspec magic (the exclusions) is off under GIT_LITERAL_PATHSPECS=1.
          { env: { ...opts.env, GIT_LITERAL_PATHSPECS: "0" }, maxBuffer: patchLimit },
        )
      : null;

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
  const dirty = commit === "" ? read.files.length + leftOut.length > 0 : status.trackedChanges || status.untracked.length > 0;

  const git: GitInfo = {
    commit,
    branch: status.branch,
    // Credentials in the userinfo go; anything else secret-looking (a token in the query) is
    // redacted by the same rules as env vars and command lines.
    remoteUrl: remotes.ok ? redactValue(stripUrlCredentials(pickRemoteUrl(remotes.stdout.toString("utf8"))), salt).value : "",
    dirty,
    patch,
  };
  const code: CodeSnapshot = {
    root,
    git,
    files: read.files.map((f) => f.entry),
    archiveDigest: archive ? sha256Digest(archive) : "",
    archiveBytes: archive ? archive.length : 0,
    leftOut: leftOut.map((p): LeftOutFile => ({ path: p, reason: LEFT_OUT_SECRET_PATTERN })),
  };
  return { code, archive, warnings, leftOutFingerprints: leftOut.map((p) => ({ path: p, marker: contentMarker(path.join(root, p), salt) })) };
}

function isFileOrLink(file: string): boolean {
  try {
    const st = lstatSync(file);
    return st.isFile() || st.isSymbolicLink();
  } catch {
    return false;
  }
}

/** The salted marker of a file's content (a symlink's target), or "unreadable". */
function contentMarker(file: string, salt: string): string {
  try {
    const st = lstatSync(file);
    const bytes = st.isSymbolicLink() ? readlinkSync(file, "utf8") : readFileSync(file).toString("base64");
    return redactionMarker(bytes, salt);
  } catch {
    return "unreadable";
  }
}
