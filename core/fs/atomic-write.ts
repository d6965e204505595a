import { randomBytes } from "node:crypto";
import { open, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { BadInputError } from "../errors.js";

// A reader must never see a half-written file under its final name, whatever kills the writer:
// every file is written whole under a temporary name, then renamed (atomic within a filesystem).
// The spool, the collector's blob store and the restore of cached outputs all write this way.

export interface AtomicWriteOptions {
  /**
   * Permission bits the file ends with, exactly, whatever the process umask (set on the open
   * file before the rename, so the final name never shows another mode).
   */
  mode?: number;
  /** Without `mode`: the mode the file is created with, narrowed by the umask like any new file. Default 0o666. */
  createMode?: number;
  /**
   * Fsync the file before the rename and its folder after it (default true), so the file is
   * there, whole, after a power cut. False only for a copy whose loss in a power cut costs nothing
   * (the spool's write-ahead copy, synced later if it turns into the only one).
   */
  durable?: boolean;
  /**
   * Where the temporary file is written. Default: the target's own folder, which guarantees the
   * rename stays within one filesystem; another folder must be on the same filesystem.
   */
  tmpDir?: string;
}

/** A file written whole under its temporary name, not yet visible under its final one. */
export interface StagedFile {
  readonly target: string;
  readonly tmpPath: string;
  readonly bytes: number;
  /** Renames it into place (then fsyncs the folder when durable). */
  commit(): Promise<void>;
  /** Removes the temporary file; harmless after commit or twice. */
  discard(): Promise<void>;
}

export type FileData = Uint8Array | AsyncIterable<Uint8Array>;

const TMP_PREFIX = ".tmp-";
/** Keeps the temporary name within NAME_MAX (255) however long the target's name is. */
const MAX_NAME_PART = 160;

/** `.tmp-<pid>-<random>-<target name>`: hidden, names its writer and what it was to become. */
export function tempFileName(target: string): string {
  return `${TMP_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}-${path.basename(target).slice(0, MAX_NAME_PART)}`;
}

/** Whether a name in a folder is a temporary file of an atomic write (one a killed writer may have left). */
export function isTempFileName(name: string): boolean {
  return name.startsWith(TMP_PREFIX);
}

/**
 * Writes `data` to a temporary file (fsync'ed when durable, with its mode set) and returns it
 * staged: the caller checks what it must (a digest) and commits, or discards. On a failure while
 * writing nothing is left behind and the error is thrown.
 */
export async function stageFile(target: string, data: FileData, options: AtomicWriteOptions = {}): Promise<StagedFile> {
  const { mode, createMode = 0o666, durable = true } = options;
  checkMode("mode", mode);
  checkMode("createMode", createMode);
  const tmpPath = path.join(options.tmpDir ?? path.dirname(target), tempFileName(target));
  let bytes = 0;
  const counted = data instanceof Uint8Array ? data : countBytes(data, (n) => (bytes += n));
  try {
    const fh = await open(tmpPath, "wx", mode ?? createMode);
    try {
      await writeFile(fh, counted);
      if (mode !== undefined) await fh.chmod(mode); // open's mode was narrowed by the umask
      if (durable) await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (err) {
    await unlink(tmpPath).catch(() => undefined);
    throw err;
  }
  if (data instanceof Uint8Array) bytes = data.byteLength;
  let committed = false;
  return {
    target,
    tmpPath,
    bytes,
    commit: async () => {
      await rename(tmpPath, target);
      committed = true;
      if (durable) await syncDir(path.dirname(target));
    },
    discard: async () => {
      if (!committed) await unlink(tmpPath).catch(() => undefined);
    },
  };
}

/** Writes a file atomically: whole under its final name, or not there at all (the old one, if any, stays). */
export async function writeFileAtomic(target: string, data: FileData, options: AtomicWriteOptions = {}): Promise<{ bytes: number }> {
  const staged = await stageFile(target, data, options);
  try {
    await staged.commit();
  } catch (err) {
    await staged.discard();
    throw err;
  }
  return { bytes: staged.bytes };
}

/** Fsyncs a file already in place and then its folder: it survives a power cut from here on. */
export async function syncFile(file: string): Promise<void> {
  const fh = await open(file, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await syncDir(path.dirname(file));
}

/**
 * Makes a rename or create in `dir` durable: the new entry is on disk only once its folder is.
 * Best effort: some filesystems refuse to fsync a folder (EINVAL, EISDIR) and the file itself
 * is synced already, which is the best they offer.
 */
export async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* see above */
  }
}

function checkMode(name: string, mode: number | undefined): void {
  if (mode === undefined) return;
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    throw new BadInputError(`${name} must be permission bits between 0 and 0o7777, not ${String(mode)}`);
  }
}

async function* countBytes(source: AsyncIterable<Uint8Array>, add: (n: number) => void): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    add(chunk.byteLength);
    yield chunk;
  }
}
