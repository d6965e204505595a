import { mkdir, readdir, readFile, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { sha256Digest } from "../../core/digest.js";
import { errorMessage, SpoolError } from "../../core/errors.js";
import { stageFile, syncFile } from "../../core/fs/atomic-write.js";
import { breakLockIfStale, lockState, tryLock, type PidLock, type PidLockOptions } from "../../core/fs/pid-lock.js";
import type { SnapshotEvent } from "../../core/model.js";
import { fail, ok, type Result } from "../../core/result.js";
import { decodeSpoolEvent, encodeSpoolEvent } from "./spool-event-codec.js";
import { SpoolJournal, type JournalEntry } from "./spool-journal.js";
import { blobDigestOf, blobFileName, parseSpoolFileName, spoolFileName, type SpoolFileName } from "./spool-file-name.js";
import { decodeRecords, encodeRecords } from "./spool-record.js";

// Layout of a spool folder (one per user by default, shared by every agent of that user):
//   events/<time>-<pid>-<rand>-<N>e-<B>b.spool   complete files of records, oldest name first
//   events/<same>.lock                            a claim on that file: its replayer's, or the agent's
//                                                 that wrote it ahead and still waits for the ack
//   blobs/sha256-<hex>                            code archives, content-addressed
//   rejected/<same>.spool                         events the collector refused: kept for a person
//   tmp/                                          files being written; never read
//   spool.log                                     one JSON line per drop, skipped record, rejection;
//                                                 past MAX_JOURNAL_BYTES folded into one totals line
//
// Concurrency: every file is written whole under tmp/ (fsync'ed unless it is a claimed write-ahead
// copy), then renamed into place (core/fs/atomic-write), so a reader never sees a half-written file
// and two agents never write the same file. Replayers claim a file with a lock file
// (core/fs/pid-lock); a second replayer skips it. Everything is safe to repeat: a resend is
// de-duplicated by the collector on event_id, a lost race to unlink is ignored.

/**
 * A claim older than this is abandoned (its replayer was killed), whatever its host: replay
 * batches last seconds, and a claim from another host sharing the folder cannot be checked by pid.
 */
const CLAIMS: PidLockOptions = { staleAfterMs: 2 * 60_000 };
/** tmp/ files older than this belong to a writer that died mid-write. */
const STALE_TMP_MS = 60 * 60_000;

export interface SpoolFile extends SpoolFileName {
  path: string;
  /** Another replayer holds it right now. */
  locked: boolean;
}

export interface Dropped {
  files: number;
  events: number;
  bytes: number;
}

/** An events file written ahead of its send (Spool.writeAhead). */
export interface WriteAhead {
  path: string;
  events: number;
  bytes: number;
  /** What the size bound made room by deleting. */
  dropped: Dropped;
  /** This agent's claim on it, so no replayer sends it while the agent waits for the ack. */
  claim?: PidLock;
}

export interface SpoolWrite {
  file: string;
  events: number;
  bytes: number;
  /** What the size bound made room by deleting. */
  dropped: Dropped;
}

export interface SpoolStatus {
  dir: string;
  maxBytes: number;
  files: number;
  events: number;
  /** Events, code archives and rejected files together: what the bound applies to. */
  bytes: number;
  oldestMs: number | null;
  blobs: { files: number; bytes: number };
  rejected: { files: number; events: number };
  /** From spool.log, over the spool's life. */
  dropped: { events: number; files: number };
  corruptRecords: number;
  corruptBlobs: number;
}

interface Entry {
  kind: "events" | "blob" | "rejected";
  path: string;
  timeMs: number;
  bytes: number;
  events: number;
  locked: boolean;
}

export class Spool {
  private prepared: Promise<void> | undefined;
  private readonly log: SpoolJournal;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {
    this.log = new SpoolJournal(dir);
  }

  /** Writes events as one file, durably (fsync, rename, fsync of the folder), oldest files dropped to fit. */
  async appendEvents(events: readonly SnapshotEvent[]): Promise<Result<SpoolWrite>> {
    const written = await this.writeEvents(events, "durable");
    if (!written.ok) return written;
    return ok({ file: path.basename(written.value.path), events: written.value.events, bytes: written.value.bytes, dropped: written.value.dropped });
  }

  /**
   * The write-ahead copy of events about to be sent: in events/ before the first byte goes out,
   * so an agent killed while it waits for the ack leaves them for the next replay. Claimed (a
   * lock file made before the rename) so no replayer sends it while its owner is alive, and not
   * fsync'ed: a killed process loses nothing the kernel holds, and the copy is synced by keep()
   * only when it turns into the only one. After an ack, delivered() removes it.
   */
  async writeAhead(events: readonly SnapshotEvent[]): Promise<Result<WriteAhead>> {
    return this.writeEvents(events, "claimed");
  }

  /** The ack came: the write-ahead copy is of no further use. */
  async delivered(w: WriteAhead): Promise<void> {
    await unlinkQuietly(w.path);
    w.claim?.release();
  }

  /**
   * No ack: the write-ahead copy becomes the spooled one, durably, and is released for replay.
   * False when it is gone: sent by a replayer that broke a stale claim, or dropped by the bound.
   */
  async keep(w: WriteAhead): Promise<boolean> {
    try {
      await syncFile(w.path);
      return true;
    } catch {
      return false;
    } finally {
      w.claim?.release();
    }
  }

  /** Keeps a code archive so a spooled snapshot can still be sent whole. Already there: nothing to do. */
  async putBlob(digest: string, data: Buffer): Promise<Result<Dropped>> {
    const name = blobFileName(digest);
    if (!name) return fail(new SpoolError(`not a sha256 digest: ${digest}`), false);
    const file = path.join(this.dir, "blobs", name);
    try {
      if (await exists(file)) return ok({ files: 0, events: 0, bytes: 0 });
      const room = await this.makeRoom(data.length);
      if (!room.ok) return room;
      await this.writeDurably(file, data);
      return ok(room.value);
    } catch (err) {
      return fail(this.error("cannot write a code archive to", err), false);
    }
  }

  /** Events files, oldest first; none when the folder does not exist. */
  async listEventFiles(): Promise<SpoolFile[]> {
    const names = await readdirOrEmpty(path.join(this.dir, "events"));
    const locks = new Set(names.filter((n) => n.endsWith(".lock")));
    const files: SpoolFile[] = [];
    for (const n of names) {
      const parsed = parseSpoolFileName(n);
      if (parsed) files.push({ ...parsed, path: path.join(this.dir, "events", n), locked: locks.has(`${n}.lock`) });
    }
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Decodes a file's intact records; damaged ones are skipped and journaled, never thrown. */
  async readEventFile(file: SpoolFile): Promise<{ events: SnapshotEvent[]; corrupt: number } | undefined> {
    let data: Buffer;
    try {
      data = await readFile(file.path);
    } catch {
      return undefined; // sent and removed by another replayer meanwhile
    }
    const { payloads, corrupt: torn } = decodeRecords(data);
    let corrupt = torn;
    const events: SnapshotEvent[] = [];
    for (const p of payloads) {
      try {
        events.push(decodeSpoolEvent(p));
      } catch {
        corrupt++; // a checksum collision or a bug in an old writer: skip it all the same
      }
    }
    if (corrupt > 0) await this.journal({ kind: "corrupt", file: file.name, records: corrupt });
    return { events, corrupt };
  }

  /** The archive's bytes when the spool holds it intact; a damaged one is removed and journaled. */
  async readBlob(digest: string): Promise<Buffer | undefined> {
    const name = blobFileName(digest);
    if (!name) return undefined;
    const file = path.join(this.dir, "blobs", name);
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      return undefined;
    }
    if (sha256Digest(data) === digest) return data;
    await this.journal({ kind: "corrupt-blob", file: name });
    await unlinkQuietly(file);
    return undefined;
  }

  /** Digests of the code archives the spool holds. */
  async listBlobs(): Promise<string[]> {
    return (await readdirOrEmpty(path.join(this.dir, "blobs"))).map(blobDigestOf).filter((d): d is string => d !== undefined);
  }

  async removeBlob(digest: string): Promise<void> {
    const name = blobFileName(digest);
    if (name) await unlinkQuietly(path.join(this.dir, "blobs", name));
  }

  /** Removes a file whose every event was acked (or is kept in rejected/). */
  async removeEventFile(file: SpoolFile): Promise<void> {
    await unlinkQuietly(file.path);
  }

  /**
   * Claims a file for replay with a lock file, breaking a stale one (its replayer died).
   * Returns the release function, or undefined when someone else holds it.
   */
  async claim(file: SpoolFile): Promise<(() => void) | undefined> {
    return takeLock(`${file.path}.lock`);
  }

  /** One `spool flush` at a time per spool: the release function, or undefined when one runs. */
  async claimFlush(): Promise<(() => void) | undefined> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch {
      return undefined;
    }
    return takeLock(path.join(this.dir, "flush.lock"));
  }

  /** Whether a `spool flush` holds the spool now (a claim whose holder lives). */
  async flushRunning(): Promise<boolean> {
    const lock = path.join(this.dir, "flush.lock");
    return claimHeld(lock);
  }

  /** Whether some events file waits that a replay could take now (not claimed by a live agent). */
  async hasWaiting(): Promise<boolean> {
    for (const f of await this.listEventFiles()) if (!f.locked || !(await claimHeld(`${f.path}.lock`))) return true;
    return false;
  }

  /** Keeps events the collector will never take (rejected) apart, for a person to look at. */
  async quarantine(events: readonly SnapshotEvent[], reason: string): Promise<void> {
    if (events.length === 0) return;
    try {
      const data = encodeRecords(events.map(encodeSpoolEvent));
      await this.writeDurably(path.join(this.dir, "rejected", spoolFileName(Date.now(), events.length, data.length)), data);
    } catch {
      // Losing the copy of something the collector refused is not worth failing a replay over.
    }
    await this.journal({ kind: "rejected", events: events.length, reason });
  }

  /**
   * Deletes what killed agents left behind, so nothing in the folder grows without bound: tmp/
   * files of a writer that died mid-write, claims whose file is gone (a replayer or writer killed
   * between its two unlinks), a journal fold cut short.
   */
  async sweepTmp(): Promise<void> {
    const dir = path.join(this.dir, "tmp");
    for (const n of await readdirOrEmpty(dir)) {
      const p = path.join(dir, n);
      const st = await stat(p).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > STALE_TMP_MS) await unlinkQuietly(p);
    }
    const events = await readdirOrEmpty(path.join(this.dir, "events"));
    const present = new Set(events);
    for (const n of events) {
      if (!n.endsWith(".lock") || present.has(n.slice(0, -".lock".length))) continue;
      await breakLockIfStale(path.join(this.dir, "events", n), CLAIMS).catch(() => false); // a folder we cannot write: leave it
    }
    await this.log.sweep();
  }

  async status(): Promise<SpoolStatus> {
    const entries = await this.entries();
    const events = entries.filter((e) => e.kind === "events");
    const blobs = entries.filter((e) => e.kind === "blob");
    const rejected = entries.filter((e) => e.kind === "rejected");
    const s: SpoolStatus = {
      dir: this.dir,
      maxBytes: this.maxBytes,
      files: events.length,
      events: sum(events, (e) => e.events),
      bytes: sum(entries, (e) => e.bytes),
      oldestMs: events.length > 0 ? Math.min(...events.map((e) => e.timeMs)) : null,
      blobs: { files: blobs.length, bytes: sum(blobs, (e) => e.bytes) },
      rejected: { files: rejected.length, events: sum(rejected, (e) => e.events) },
      dropped: { events: 0, files: 0 },
      corruptRecords: 0,
      corruptBlobs: 0,
    };
    const t = await this.log.totals();
    s.dropped = { events: t.droppedEvents, files: t.droppedFiles };
    s.corruptRecords = t.corruptRecords;
    s.corruptBlobs = t.corruptBlobs;
    return s;
  }

  /** Deletes the oldest files (events, archives or rejected, whichever is oldest) until `incoming` fits. */
  private async makeRoom(incoming: number): Promise<Result<Dropped>> {
    if (incoming > this.maxBytes) {
      return fail(new SpoolError(`${incoming} bytes do not fit in the spool's bound of ${this.maxBytes} bytes (maxSpoolBytes)`), false);
    }
    const dropped: Dropped = { files: 0, events: 0, bytes: 0 };
    const entries = await this.entries();
    let total = sum(entries, (e) => e.bytes);
    if (total + incoming <= this.maxBytes) return ok(dropped);
    // Claimed files are being sent right now: leave them to their replayer.
    const victims = entries.filter((e) => !e.locked).sort((a, b) => a.timeMs - b.timeMs);
    for (const v of victims) {
      if (total + incoming <= this.maxBytes) break;
      total -= v.bytes;
      if (!(await unlinkQuietly(v.path))) continue; // someone else sent or dropped it first
      dropped.files++;
      dropped.bytes += v.bytes;
      if (v.kind !== "blob") dropped.events += v.events;
      await this.journal({ kind: "dropped", file: path.basename(v.path), events: v.kind === "blob" ? 0 : v.events, bytes: v.bytes });
    }
    if (total + incoming > this.maxBytes) return fail(new SpoolError(`the spool is full (${this.maxBytes} bytes, maxSpoolBytes) and every file in it is being sent`), true);
    return ok(dropped);
  }

  private async entries(): Promise<Entry[]> {
    const out: Entry[] = [];
    // Every write asks (the size bound): the three listings go together.
    const [events, rejected, blobs] = await Promise.all([this.listEventFiles(), readdirOrEmpty(path.join(this.dir, "rejected")), readdirOrEmpty(path.join(this.dir, "blobs"))]);
    for (const f of events) out.push({ kind: "events", path: f.path, timeMs: f.timeMs, bytes: f.bytes, events: f.events, locked: f.locked });
    for (const n of rejected) {
      const f = parseSpoolFileName(n);
      if (f) out.push({ kind: "rejected", path: path.join(this.dir, "rejected", n), timeMs: f.timeMs, bytes: f.bytes, events: f.events, locked: false });
    }
    // Few files (one per distinct code archive): stat is affordable here.
    for (const n of blobs) {
      if (!blobDigestOf(n)) continue;
      const p = path.join(this.dir, "blobs", n);
      const st = await stat(p).catch(() => undefined);
      if (st) out.push({ kind: "blob", path: p, timeMs: st.mtimeMs, bytes: st.size, events: 0, locked: false });
    }
    return out;
  }

  private async writeEvents(events: readonly SnapshotEvent[], mode: "durable" | "claimed"): Promise<Result<WriteAhead>> {
    if (events.length === 0) return ok({ path: "", events: 0, bytes: 0, dropped: { files: 0, events: 0, bytes: 0 } });
    try {
      const data = encodeRecords(events.map(encodeSpoolEvent));
      const room = await this.makeRoom(data.length);
      if (!room.ok) return room;
      const file = path.join(this.dir, "events", spoolFileName(Date.now(), events.length, data.length));
      const claim = await this.writeDurably(file, data, mode);
      return ok({ path: file, events: events.length, bytes: data.length, dropped: room.value, ...(claim ? { claim } : {}) });
    } catch (err) {
      return fail(this.error("cannot write events to", err), false);
    }
  }

  /** Writes a file whole under tmp/, then renames it into place; a claimed one is locked before it appears. */
  private async writeDurably(file: string, data: Buffer, mode: "durable" | "claimed" = "durable"): Promise<PidLock | undefined> {
    this.prepared ??= Promise.all(["events", "blobs", "tmp", "rejected"].map((d) => mkdir(path.join(this.dir, d), { recursive: true, mode: 0o700 }))).then(() => undefined);
    try {
      await this.prepared;
    } catch (err) {
      this.prepared = undefined; // let a later write try again (the folder may appear)
      throw err;
    }
    // tmp/ (same filesystem, inside the spool) rather than beside the file: one folder to sweep.
    const staged = await stageFile(file, data, { createMode: 0o600, durable: mode === "durable", tmpDir: path.join(this.dir, "tmp") });
    let claim: PidLock | undefined;
    try {
      if (mode === "claimed") {
        const taken = await tryLock(`${file}.lock`, CLAIMS);
        if (!taken.ok) throw new SpoolError(`${file}.lock is already taken`); // a fresh random name: never expected
        claim = taken.lock;
      }
      await staged.commit();
      return claim;
    } catch (err) {
      await staged.discard();
      claim?.release();
      throw err;
    }
  }

  private journal(entry: JournalEntry): Promise<void> {
    return this.log.append(entry);
  }

  private error(what: string, err: unknown): SpoolError {
    return new SpoolError(`${what} the spool at ${this.dir}: ${errorMessage(err)}`, { cause: err });
  }
}

/** Takes a claim, breaking a stale one; the release function, or undefined when it is held. */
async function takeLock(lock: string): Promise<(() => void) | undefined> {
  try {
    const taken = await tryLock(lock, CLAIMS);
    return taken.ok ? () => taken.lock.release() : undefined;
  } catch {
    return undefined; // a folder that cannot be written: nothing to claim there
  }
}

/** Whether a live holder has the claim; one that cannot even be looked at holds nothing we must respect. */
async function claimHeld(lock: string): Promise<boolean> {
  return lockState(lock, CLAIMS).then(
    (s) => s.state === "held",
    () => false,
  );
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function unlinkQuietly(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch {
    return false;
  }
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  return items.reduce((n, t) => n + f(t), 0);
}
