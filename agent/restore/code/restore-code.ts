import type { CodeSnapshot } from "../../../core/model.js";
import { ConfigError, TooLargeError } from "../../../core/errors.js";
import { formatBytes } from "../../../core/format-bytes.js";
import { extractCodeArchive } from "./extract-code-archive.js";
import { fetchVerifiedArchive } from "./fetch-verified-archive.js";
import { restoreCodeOptionsSchema } from "./restore-code-options.js";
import { checkEmptyTarget, restoreViaSibling } from "./restore-folder.js";
import { probeClone, requireClone, restoreWithGit, type CloneProbe } from "./restore-with-git.js";
import { validateSnapshotFiles } from "./validate-snapshot-files.js";
import { verifyCodeFiles } from "./verify-code-files.js";

export interface RestoreCodeRequest {
  /** The recorded snapshot. */
  code: CodeSnapshot;
  /** Target folder. */
  into: string;
  /** Fetches the archive bytes; called only when they are needed. */
  archive: () => Promise<Buffer>;
  /** auto: git when `into` is a clone holding the recorded commit, else the archive. */
  method?: "auto" | "archive" | "git";
  /** Bound on the total bytes extracted from the archive. */
  maxBytes?: number;
}

export interface RestoreCodeResult {
  method: "archive" | "git";
  /** Files (and symlinks) the restored tree holds, as recorded. */
  files: number;
  /** Their total recorded size (a symlink counts as the length of its target). */
  bytes: number;
  /** Files whose sha256 and mode were checked after restoring (all of them). */
  verified: number;
  /**
   * Files the snapshot names without their content (left out: secret pattern): not restored and
   * not verified, which is no mismatch. With git, a tracked one holds what the commit holds.
   */
  notRestored: { path: string; reason: string }[];
}

/**
 * Brings back the code of a snapshot in `into`, by one of two ways:
 * - archive: `into` missing or empty; the archive is checked against its digest, extracted
 *   with every entry checked (see extractCodeArchive) into a sibling folder, verified there, and
 *   renamed into place, so `into` is never left half restored;
 * - git: `into` is a clean clone that has the recorded commit; it is checked out (detached), the
 *   recorded patch applied and the untracked files written from the archive.
 * Either way every recorded file's sha256 and mode is verified (MISMATCH otherwise).
 */
export async function restoreCode(req: RestoreCodeRequest): Promise<RestoreCodeResult> {
  const parsed = restoreCodeOptionsSchema.safeParse({ method: req.method, maxBytes: req.maxBytes });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid restore option ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  const opts = parsed.data;
  const { code, into } = req;
  validateSnapshotFiles(code);
  // Snapshots stored before left-out files existed have no list.
  const notRestored = (code.leftOut ?? []).map((l) => ({ path: l.path, reason: l.reason }));
  const commit = code.git?.commit ?? "";

  let probe: CloneProbe = { clone: false };
  if (opts.method !== "archive") probe = await probeClone(into, commit);
  if (opts.method === "git") requireClone(probe, into, commit);
  if (opts.method === "git" || (probe.clone && probe.hasCommit && commit !== "")) {
    const r = await restoreWithGit({ code, into, archive: req.archive, maxBytes: opts.maxBytes });
    return { method: "git", ...r, notRestored };
  }

  // A clone without the commit falls back to the archive, which needs an empty folder: the
  // refusal says why git was not used.
  const hint = probe.clone ? `; it is a git clone, but commit ${commit || "(none recorded)"} is not in it (run git fetch there to restore with git)` : "";
  const { mode } = checkEmptyTarget(into, hint);
  const total = code.files.reduce((n, f) => n + f.size, 0);
  if (total > opts.maxBytes) {
    throw new TooLargeError(`the code snapshot holds ${formatBytes(total)}, over the restore limit of ${formatBytes(opts.maxBytes)}; raise maxBytes to restore it`);
  }
  const archive = await fetchVerifiedArchive(code, req.archive, "restoring into an empty folder needs the code archive");
  return restoreViaSibling(into, mode, async (tmp) => {
    const files = new Map(code.files.map((f) => [f.path, f]));
    const extracted = await extractCodeArchive(archive, tmp, { files, maxBytes: opts.maxBytes });
    const { verified } = verifyCodeFiles(tmp, code.files, `the archive restored into ${into}`);
    return { method: "archive" as const, files: extracted.paths.length, bytes: total, verified, notRestored };
  });
}
