import { randomBytes } from "node:crypto";
import { link, open, readFile, rename, stat, unlink } from "node:fs/promises";
import os from "node:os";
import { UnavailableError } from "../../../core/errors.js";

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  /** Tells two acquisitions by one process apart. */
  nonce: string;
}

export interface VenvLock {
  release(): Promise<void>;
}

export interface AcquireLockOptions {
  timeoutMs: number;
  /** Called once when the lock is held by another live process and this one starts waiting. */
  onWait?: (owner: LockOwner) => void;
  pollMs?: number;
}

const EMPTY_LOCK_STALE_MS = 10_000;

async function ageMs(file: string): Promise<number> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readOwner(file: string): Promise<LockOwner | null> {
  try {
    const d = JSON.parse(await readFile(file, "utf8")) as Partial<LockOwner>;
    return typeof d.pid === "number" && typeof d.host === "string"
      ? { pid: d.pid, host: d.host, startedAt: String(d.startedAt ?? ""), nonce: String(d.nonce ?? "") }
      : null;
  } catch {
    return null;
  }
}

/**
 * Takes the lock away from a process that died holding it. The lock file is first renamed to a
 * name of this process's own (only one breaker can win that rename); if what it took turns out
 * to be a live owner's lock (it was replaced between the read and the rename), it is linked back,
 * which fails harmlessly if yet another process holds the name by then.
 */
async function breakStale(file: string, stale: LockOwner | null): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await rename(file, aside);
  } catch {
    return;
  }
  const taken = await readOwner(aside);
  const same = stale === null ? taken === null : taken !== null && taken.pid === stale.pid && taken.nonce === stale.nonce;
  if (!same) await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/**
 * An exclusive lock on one venv of the cache, so that two jobs restoring the same environment on
 * one host at once build it once: `<file>` created with O_EXCL holding the owner's pid and host.
 * A lock whose owner on this host is no longer running (killed mid-build) is stale and broken.
 * A lock held from another host (a shared cache folder) is waited for: its pid means nothing here.
 */
export async function acquireVenvLock(file: string, opts: AcquireLockOptions): Promise<VenvLock> {
  const deadline = Date.now() + opts.timeoutMs;
  const me: LockOwner = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), nonce: randomBytes(8).toString("hex") };
  let waiting = false;
  for (;;) {
    try {
      const handle = await open(file, "wx");
      try {
        await handle.writeFile(JSON.stringify(me));
        await handle.sync();
      } finally {
        await handle.close();
      }
      return {
        release: async () => {
          const owner = await readOwner(file);
          if (owner?.pid === me.pid && owner.nonce === me.nonce) await unlink(file).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const owner = await readOwner(file);
    if (owner !== null && owner.host === me.host && !alive(owner.pid)) {
      await breakStale(file, owner);
      continue;
    }
    // An owner not yet written reads as null: a lock file that stays empty is from a process
    // killed between creating and filling it.
    if (owner === null && (await ageMs(file)) > EMPTY_LOCK_STALE_MS) {
      await breakStale(file, null);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = owner === null ? "another process" : `process ${owner.pid} on ${owner.host} (since ${owner.startedAt})`;
      throw new UnavailableError(`${file} is held by ${who}, still building this environment after ${opts.timeoutMs} ms; remove the lock file if that process is gone`);
    }
    if (!waiting && owner !== null) opts.onWait?.(owner);
    waiting = true;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}
