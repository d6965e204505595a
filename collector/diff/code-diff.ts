import { createTwoFilesPatch } from "diff";
import type { CodeDiff, CodeFileState, FilePatch, LeftOutChange } from "../../core/api-types.js";
import { errorMessage } from "../../core/errors.js";
import type { CodeSnapshot, FileEntry } from "../../core/model.js";
import type { BlobStore } from "../blobs/blob-store.js";
import { readTarFiles, type TarFile } from "./tar-files.js";

export interface CodeDiffLimits {
  /** At most this many patches; the rest are named in the note. */
  maxPatches: number;
  /** A patch longer than this is cut at a line boundary. */
  maxPatchBytes: number;
  /** Files larger than this (either side) are listed but not diffed. */
  maxFileBytes: number;
  /** Bound on a gzip archive once decompressed. */
  maxArchiveBytes: number;
  /** Per file, for the diff algorithm itself. */
  diffTimeoutMs: number;
}

export const DEFAULT_CODE_DIFF_LIMITS: CodeDiffLimits = {
  maxPatches: 200,
  maxPatchBytes: 200 * 1024,
  maxFileBytes: 2 * 1024 * 1024,
  maxArchiveBytes: 1024 * 1024 * 1024,
  diffTimeoutMs: 2000,
};

const BINARY_SNIFF_BYTES = 8 * 1024;

/**
 * Commits, branches, dirty flags and the files added / removed / modified (by content hash or
 * mode) between two code snapshots, with unified patches read from their tar archives.
 * Missing archives and oversized files make a `note`, never an error. null when neither run
 * captured code.
 */
export async function diffCode(
  a: CodeSnapshot | null,
  b: CodeSnapshot | null,
  blobs: BlobStore,
  limits: CodeDiffLimits = DEFAULT_CODE_DIFF_LIMITS,
): Promise<CodeDiff | null> {
  if (!a && !b) return null;
  const fa = byPath(a?.files ?? []);
  const fb = byPath(b?.files ?? []);
  const leftOut = leftOutChanges(a, b, fa, fb);
  const isLeftOut = new Set(leftOut.map((l) => l.path));
  const added: string[] = [];
  const removed: string[] = [];
  const modified: string[] = [];
  for (const [path, ea] of fa) {
    const eb = fb.get(path);
    if (isLeftOut.has(path)) continue;
    if (!eb) removed.push(path);
    else if (ea.sha256 !== eb.sha256 || ea.mode !== eb.mode) modified.push(path);
  }
  for (const path of fb.keys()) if (!fa.has(path) && !isLeftOut.has(path)) added.push(path);
  added.sort();
  removed.sort();
  modified.sort();

  const diff: CodeDiff = {
    commitFrom: a?.git?.commit || null,
    commitTo: b?.git?.commit || null,
    branchFrom: a?.git?.branch || null,
    branchTo: b?.git?.branch || null,
    dirtyFrom: a?.git?.dirty ?? false,
    dirtyTo: b?.git?.dirty ?? false,
    added,
    removed,
    modified,
    leftOut,
    patches: [],
  };
  const changedPaths = [...added, ...removed, ...modified].sort();
  if (changedPaths.length === 0) return diff;

  if (!a || !b) {
    diff.note = `run ${a ? "B" : "A"} has no code snapshot: files listed, no patches`;
    return diff;
  }
  const { patches, notes } = await buildPatches(a, b, fa, fb, changedPaths, blobs, limits);
  diff.patches = patches;
  if (notes.length > 0) diff.note = notes.join("; ");
  return diff;
}

/** Whether a code diff has anything to show. */
export function codeChanged(d: CodeDiff | null): boolean {
  if (!d) return false;
  return (
    d.commitFrom !== d.commitTo ||
    d.branchFrom !== d.branchTo ||
    d.dirtyFrom !== d.dirtyTo ||
    d.added.length + d.removed.length + d.modified.length > 0 ||
    (d.leftOut ?? []).some((l) => l.from !== l.to)
  );
}

/** Every path left out on either side, with how it stands on each: the diff says "left out", not "absent". */
function leftOutChanges(a: CodeSnapshot | null, b: CodeSnapshot | null, fa: Map<string, FileEntry>, fb: Map<string, FileEntry>): LeftOutChange[] {
  // Snapshots stored before left-out files existed have no list.
  const la = new Map((a?.leftOut ?? []).map((l) => [l.path, l.reason]));
  const lb = new Map((b?.leftOut ?? []).map((l) => [l.path, l.reason]));
  const state = (path: string, left: Map<string, string>, files: Map<string, FileEntry>): CodeFileState =>
    left.has(path) ? "left out" : files.has(path) ? "recorded" : "absent";
  return [...new Set([...la.keys(), ...lb.keys()])].sort().map((path) => ({
    path,
    from: state(path, la, fa),
    to: state(path, lb, fb),
    reason: lb.get(path) ?? la.get(path) ?? "",
  }));
}

async function buildPatches(
  a: CodeSnapshot,
  b: CodeSnapshot,
  fa: Map<string, FileEntry>,
  fb: Map<string, FileEntry>,
  changedPaths: string[],
  blobs: BlobStore,
  limits: CodeDiffLimits,
): Promise<{ patches: FilePatch[]; notes: string[] }> {
  const notes: string[] = [];
  const shown = changedPaths.slice(0, limits.maxPatches);
  if (changedPaths.length > shown.length) {
    notes.push(`patches shown for the first ${shown.length} of ${changedPaths.length} changed files`);
  }
  const wanted = new Set(shown);
  const [ta, tb] = await Promise.all([
    loadArchive("A", a, wanted, blobs, limits, notes),
    loadArchive("B", b, wanted, blobs, limits, notes),
  ]);
  if (!ta || !tb) return { patches: [], notes };

  const patches: FilePatch[] = [];
  const notInArchive: string[] = [];
  const tooLarge: string[] = [];
  const tooComplex: string[] = [];
  const truncated: string[] = [];
  for (const path of shown) {
    const inA = fa.has(path);
    const inB = fb.has(path);
    const oldFile = inA ? ta.get(path) : undefined;
    const newFile = inB ? tb.get(path) : undefined;
    if ((inA && !oldFile) || (inB && !newFile)) {
      notInArchive.push(path);
      continue;
    }
    if (oldFile?.kind === "tooLarge" || newFile?.kind === "tooLarge") {
      tooLarge.push(path);
      continue;
    }
    const oldData = oldFile?.data ?? Buffer.alloc(0);
    const newData = newFile?.data ?? Buffer.alloc(0);
    if (isBinary(oldData) || isBinary(newData)) {
      patches.push({ path, unified: "", binary: true });
      continue;
    }
    let unified = createTwoFilesPatch(
      inA ? `a/${path}` : "/dev/null",
      inB ? `b/${path}` : "/dev/null",
      oldData.toString("utf8"),
      newData.toString("utf8"),
      undefined,
      undefined,
      { context: 3, timeout: limits.diffTimeoutMs },
    );
    if (unified === undefined) {
      tooComplex.push(path);
      continue;
    }
    // jsdiff starts with a "=====" rule line that `git diff` and `patch` do not use.
    unified = unified.replace(/^=+\n/, "");
    const modeA = fa.get(path)?.mode ?? 0;
    const modeB = fb.get(path)?.mode ?? 0;
    if (inA && inB && modeA !== modeB) unified = `old mode ${octal(modeA)}\nnew mode ${octal(modeB)}\n${unified}`;
    if (Buffer.byteLength(unified) > limits.maxPatchBytes) {
      unified = truncatePatch(unified, limits.maxPatchBytes);
      truncated.push(path);
    }
    patches.push({ path, unified, binary: false });
  }
  if (notInArchive.length > 0) notes.push(`not in the code archive: ${listSome(notInArchive)}`);
  if (tooLarge.length > 0) notes.push(`not diffed, over ${kib(limits.maxFileBytes)}: ${listSome(tooLarge)}`);
  if (tooComplex.length > 0) notes.push(`not diffed, too many edits: ${listSome(tooComplex)}`);
  if (truncated.length > 0) notes.push(`patch cut at ${kib(limits.maxPatchBytes)}: ${listSome(truncated)}`);
  return { patches, notes };
}

async function loadArchive(
  side: "A" | "B",
  code: CodeSnapshot,
  wanted: ReadonlySet<string>,
  blobs: BlobStore,
  limits: CodeDiffLimits,
  notes: string[],
): Promise<Map<string, TarFile> | undefined> {
  const digest = code.archiveDigest;
  if (!digest) {
    notes.push(`run ${side} has no code archive (not captured), so no patches`);
    return undefined;
  }
  let bytes: Buffer | undefined;
  try {
    bytes = await blobs.get(digest);
  } catch (err) {
    notes.push(`code archive ${digest} of run ${side} could not be read (${errorMessage(err)}), so no patches`);
    return undefined;
  }
  if (!bytes) {
    notes.push(`code archive ${digest} of run ${side} is not available in the blob store, so no patches`);
    return undefined;
  }
  try {
    return await readTarFiles(bytes, wanted, limits);
  } catch (err) {
    notes.push(`code archive ${digest} of run ${side} is not a readable tar archive (${errorMessage(err)}), so no patches`);
    return undefined;
  }
}

function byPath(files: readonly FileEntry[]): Map<string, FileEntry> {
  const m = new Map<string, FileEntry>();
  for (const f of files) if (!m.has(f.path)) m.set(f.path, f);
  return m;
}

/** Git's rule: a NUL byte in the first 8 KiB means binary. */
export function isBinary(data: Buffer): boolean {
  return data.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

function truncatePatch(unified: string, maxBytes: number): string {
  const head = Buffer.from(unified).subarray(0, maxBytes).toString("utf8");
  const cut = head.lastIndexOf("\n");
  return `${cut >= 0 ? head.slice(0, cut + 1) : ""}\\ patch cut at ${kib(maxBytes)}\n`;
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}

function kib(n: number): string {
  return `${Math.round(n / 1024)} KiB`;
}

function listSome(paths: readonly string[], max = 5): string {
  return paths.length <= max ? paths.join(", ") : `${paths.slice(0, max).join(", ")} and ${paths.length - max} more`;
}
