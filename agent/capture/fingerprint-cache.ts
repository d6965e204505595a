import { createHash, randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { INDEX_KEY_VARIABLES } from "../python/indexes/read-package-indexes.js";

/**
 * A per-user cache of Python fingerprints, so a warm capture costs a few stat calls and one small
 * file read instead of a Python process and a metadata scan.
 *
 * An entry is found by what decides which interpreter runs and how it builds sys.path (the
 * resolved interpreter path and the variables that move sys.path), and is only used while every
 * folder it was read from is unchanged: each sys.path entry, the user site folder (whether or not
 * it exists yet), conda-meta, pyvenv.cfg and the interpreter binary. Installing or removing a
 * package adds or removes a folder in one of them, which moves that folder's mtime and ctime.
 * Rewriting a file inside an existing metadata folder in place is not seen; pip, uv and conda
 * never do that.
 */

// Bumped when the cached shape or what goes into a fingerprint changes.
const CACHE_FORMAT = 3;

// Stamps whose mtime is this close to now may be followed by another change within the same
// file system clock tick, which would leave the mtime as it is: such an entry is not stored.
const RACY_MS = 100;

// Variables that change what sys.path a given interpreter builds. PATH, VIRTUAL_ENV and
// CONDA_PREFIX are not among them: they only choose the interpreter, which is in the key itself.
const KEY_VARIABLES = [
  "PYTHONPATH",
  "PYTHONHOME",
  "PYTHONUSERBASE",
  "PYTHONNOUSERSITE",
  "PYTHONSAFEPATH",
  "PYTHONPLATLIBDIR",
  "PYTHONEXECUTABLE",
  "PYENV_VERSION",
  "PYENV_ROOT",
  "HOME",
  ...INDEX_KEY_VARIABLES,
] as const;

export interface CacheKeyInput {
  /** The interpreter path the command resolves to (before following symlinks or shims). */
  interpreter: string;
  env: NodeJS.ProcessEnv;
  /**
   * The job's directory, when it can change the answer: a pyenv shim (a script, not a binary)
   * picks its version from .python-version files above it, and relative PYTHONPATH entries are
   * relative to it. Otherwise "" so that jobs in different folders share an entry.
   */
  cwd: string;
  /** Anything else that decides what is read (the uv project file found from the job's folder). */
  extra?: string;
}

/** Whether the job's directory belongs in the key (see CacheKeyInput.cwd). */
export function cwdMatters(interpreter: string, env: NodeJS.ProcessEnv): boolean {
  const pythonPath = env.PYTHONPATH;
  if (pythonPath !== undefined && pythonPath.split(":").some((p) => !path.isAbsolute(p))) return true;
  let fd: number | null = null;
  try {
    fd = openSync(interpreter, "r");
    const head = Buffer.alloc(2);
    readSync(fd, head, 0, 2, 0);
    return head.toString("latin1") === "#!";
  } catch {
    return true;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The per-user cache folder: SNAPTRAIL_CACHE_DIR, else $XDG_CACHE_HOME/snaptrail, else ~/.cache/snaptrail. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.SNAPTRAIL_CACHE_DIR !== undefined) return env.SNAPTRAIL_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, "snaptrail");
  const home = env.HOME !== undefined && env.HOME !== "" ? env.HOME : os.homedir();
  return path.join(home, ".cache", "snaptrail");
}

export function cacheKey(input: CacheKeyInput): string {
  const h = createHash("sha256");
  h.update(`format ${CACHE_FORMAT}\0interpreter ${input.interpreter}\0cwd ${input.cwd}\0extra ${input.extra ?? ""}\0`);
  for (const name of KEY_VARIABLES) h.update(`${name}=${input.env[name] ?? "\u0001unset"}\0`);
  return h.digest("hex");
}

/** What a path looks like now: "missing", or its inode, mtime, ctime and size. */
export function stampOf(file: string): string {
  try {
    const st = statSync(file, { bigint: true });
    return `${st.ino}:${st.mtimeNs}:${st.ctimeNs}:${st.size}`;
  } catch {
    return "missing";
  }
}

export interface Stamps {
  [path: string]: string;
}

export function takeStamps(paths: Iterable<string>): Stamps {
  const out: Stamps = {};
  for (const p of paths) if (p !== "" && !(p in out)) out[p] = stampOf(p);
  return out;
}

/** True when a stamp was taken so soon after its file changed that a second change could hide. */
export function isRacy(stamps: Stamps, nowMs = Date.now()): boolean {
  for (const s of Object.values(stamps)) {
    if (s === "missing") continue;
    const mtimeNs = BigInt(s.split(":")[1] ?? "0");
    const ctimeNs = BigInt(s.split(":")[2] ?? "0");
    const newest = Number((mtimeNs > ctimeNs ? mtimeNs : ctimeNs) / 1_000_000n);
    if (nowMs - newest < RACY_MS) return true;
  }
  return false;
}

interface Entry<T> {
  format: number;
  stamps: Stamps;
  value: T;
}

export class FingerprintCache {
  /** `dir` "" turns the cache off. */
  constructor(readonly dir: string) {}

  get enabled(): boolean {
    return this.dir !== "";
  }

  /** The cached value when every stamped path is as it was; null otherwise or on any problem. */
  get<T>(key: string): T | null {
    if (!this.enabled) return null;
    let entry: Entry<T>;
    try {
      entry = JSON.parse(readFileSync(this.file(key), "utf8")) as Entry<T>;
    } catch {
      return null;
    }
    if (entry.format !== CACHE_FORMAT || typeof entry.stamps !== "object" || entry.stamps === null) return null;
    for (const [p, stamp] of Object.entries(entry.stamps)) if (stampOf(p) !== stamp) return null;
    return entry.value;
  }

  /**
   * Stores `value` under `key` with stamps taken before the value was read. A racy or unwritable
   * entry is silently not stored: the cache only ever saves time.
   */
  set(key: string, stamps: Stamps, value: unknown): boolean {
    if (!this.enabled || isRacy(stamps)) return false;
    const file = this.file(key);
    const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeFileSync(tmp, JSON.stringify({ format: CACHE_FORMAT, stamps, value }), { mode: 0o600 });
      renameSync(tmp, file); // atomic: a concurrent task reads the old entry or the new one
      return true;
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing was written
      }
      return false;
    }
  }

  private file(key: string): string {
    return path.join(this.dir, `python-${key}.json`);
  }
}
