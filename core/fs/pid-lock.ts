import { randomBytes } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { open, readFile, stat, unlink } from "node:fs/promises";
import os from "node:os";
import { LockHeldError } from "./lock-held-error.js";

// A lock is a file created with O_EXCL holding its owner's pid and host. Used for the spool's
// claims (a replayer's on an events file, the one `spool flush`) and the venv cache's build lock.

/** Who holds a lock, as its file says. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** Tells two acquisitions by one process apart. */
  nonce: string;
}

export interface PidLockOptions {
  /**
   * A lock older than this is stale whoever holds it, on any host: for claims that last seconds,
   * where a holder on another host cannot be asked whether it lives. Default: never by age (a
   * venv build may last an hour).
   */
  staleAfterMs?: number;
}

export interface WaitForLockOptions extends PidLockOptions {
  timeoutMs: number;
  pollMs?: number;
  /** Called once, when the lock is held by another live process and this one starts waiting. */
  onWait?: (holder: LockHolder) => void;
}

export interface PidLock {
  readonly file: string;
  readonly holder: LockHolder;
  /**
   * Removes the lock if it is still this one's (a holder whose stale lock was broken must not
   * remove its successor's). Synchronous so that a process about to exit still releases it.
   */
  release(): void;
}

export type LockAttempt = { ok: true; lock: PidLock } | { ok: false; holder: LockHolder | null };

export type LockState = { state: "free" } | { state: "stale"; holder: LockHolder | null } | { state: "held"; holder: LockHolder | null };

/**
 * An empty or unreadable lock file younger than this may be one being written right now; older,
 * it is from a process killed between creating and filling it.
 */
const UNREADABLE_LOCK_STALE_MS = 10_000;
const MAX_ROUNDS = 8;
/** Breaking a lock takes milliseconds: a guard older than this is from a taker killed meanwhile. */
const BREAK_GUARD_STALE_MS = 10_000;

/** Takes the lock if it is free or stale (breaking the stale one); otherwise says who holds it. */
export async function tryLock(file: string, options: PidLockOptions = {}): Promise<LockAttempt> {
  let holder: LockHolder | null = null;
  // Each round ends with the lock taken, or held, or broken or released by someone: a few rounds
  // settle it unless others keep taking and releasing it, which is "held" as far as we can tell.
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const me = newHolder();
    try {
      const fh = await open(file, "wx", 0o600);
      try {
        await fh.writeFile(JSON.stringify(me));
      } catch (err) {
        await fh.close();
        await unlink(file).catch(() => undefined);
        throw err;
      }
      await fh.close();
      return { ok: true, lock: { file, holder: me, release: () => releaseIfMine(file, me) } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const s = await lockState(file, options);
    if (s.state === "held") return { ok: false, holder: s.holder };
    // Free: released meanwhile. Stale: broken here, or by another process first; either way try again.
    if (s.state === "stale") await breakStale(file, s.holder, options);
    holder = s.state === "stale" ? s.holder : holder;
  }
  return { ok: false, holder };
}

/** Takes the lock, waiting up to `timeoutMs` for a live holder; then throws LockHeldError naming it. */
export async function waitForLock(file: string, options: WaitForLockOptions): Promise<PidLock> {
  const deadline = Date.now() + options.timeoutMs;
  let waiting = false;
  for (;;) {
    const attempt = await tryLock(file, options);
    if (attempt.ok) return attempt.lock;
    if (Date.now() >= deadline) throw new LockHeldError(file, attempt.holder, options.timeoutMs);
    if (!waiting && attempt.holder !== null) {
      waiting = true;
      options.onWait?.(attempt.holder);
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 250));
  }
}

/** Whether a lock file is absent, held by a live holder, or stale (its holder is gone). */
export async function lockState(file: string, options: PidLockOptions = {}): Promise<LockState> {
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(file)).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { state: "free" };
    throw err;
  }
  // Unreadable (another user's, say) counts as empty: judged by its age alone.
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { state: "free" }; // released meanwhile
  }
  const holder = parseHolder(text);
  if (holder === null) return { state: Date.now() - mtimeMs > UNREADABLE_LOCK_STALE_MS ? "stale" : "held", holder };
  const taken = Date.parse(holder.startedAt);
  if (options.staleAfterMs !== undefined && (!Number.isFinite(taken) || Date.now() - taken > options.staleAfterMs)) return { state: "stale", holder };
  // A pid names a process only on its own host: a holder elsewhere is never judged dead here.
  if (holder.host === os.hostname() && !pidAlive(holder.pid)) return { state: "stale", holder };
  return { state: "held", holder };
}

/** Removes the lock if it is stale; whether it was. */
export async function breakLockIfStale(file: string, options: PidLockOptions = {}): Promise<boolean> {
  const s = await lockState(file, options);
  if (s.state !== "stale") return false;
  await breakStale(file, s.holder, options);
  return true;
}

/**
 * Takes a stale lock away. Two takers that both read it stale must not both win: with a plain
 * unlink the first would unlink and create its own lock, and the second unlink that one. So the
 * breaking is done under a second lock, `<file>.break` (O_EXCL, held for milliseconds), and the
 * lock is removed only if it is still the stale one that was read. A lock replaced meanwhile is
 * new, and left alone; a young empty one is being written, and left alone too.
 */
async function breakStale(file: string, seen: LockHolder | null, options: PidLockOptions): Promise<void> {
  const guard = `${file}.break`;
  try {
    await (await open(guard, "wx", 0o600)).close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err; // a folder we may not write: say so
    // Another taker is breaking it right now; or one was killed doing so, long ago.
    if ((await ageMs(guard)) > BREAK_GUARD_STALE_MS) await unlink(guard).catch(() => undefined);
    return;
  }
  try {
    const now = await lockState(file, options);
    if (now.state === "stale" && sameHolder(now.holder, seen)) await unlink(file).catch(() => undefined);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

async function ageMs(file: string): Promise<number> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

function releaseIfMine(file: string, me: LockHolder): void {
  try {
    if (sameHolder(parseHolder(readFileSync(file, "utf8")), me)) unlinkSync(file);
  } catch {
    /* already gone */
  }
}

function newHolder(): LockHolder {
  return { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), nonce: randomBytes(8).toString("hex") };
}

function sameHolder(a: LockHolder | null, b: LockHolder | null): boolean {
  if (a === null || b === null) return a === b;
  return a.pid === b.pid && a.host === b.host && a.startedAt === b.startedAt && a.nonce === b.nonce;
}

/**
 * The holder a lock file names: JSON, or the line "<host> <pid> <unix ms>" of the spool's claims
 * before this module (a spool folder outlives an upgrade, and so may a claim in it).
 */
function parseHolder(text: string): LockHolder | null {
  const t = text.trim();
  if (t.startsWith("{")) {
    try {
      const d = JSON.parse(t) as Partial<Record<keyof LockHolder, unknown>>;
      if (typeof d.pid !== "number" || typeof d.host !== "string") return null;
      return { pid: d.pid, host: d.host, startedAt: typeof d.startedAt === "string" ? d.startedAt : "", nonce: typeof d.nonce === "string" ? d.nonce : "" };
    } catch {
      return null;
    }
  }
  const m = /^(\S+) (\d+) (\d+)$/.exec(t);
  if (!m) return null;
  const ms = Number(m[3]);
  return { host: m[1]!, pid: Number(m[2]), startedAt: Number.isSafeInteger(ms) && ms < 8.64e15 ? new Date(ms).toISOString() : "", nonce: "" };
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
