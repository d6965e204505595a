import { randomBytes } from "node:crypto";
import { unlinkSync } from "node:fs";
import { appendFile, mkdir, open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { sha256Digest } from "../../core/digest.js";
import { errorMessage } from "../../core/errors.js";
import type { SnapshotEvent } from "../../core/model.js";
import { fail, ok, type Result } from "../../core/result.js";
import { decodeEvent, encodeEvent } from "../../proto/event-codec.js";
import { SpoolError } from "./spool-error.js";
import { blobDigestOf, blobFileName, parseSpoolFileName, spoolFileName, type SpoolFileName } from "./spool-file-name.js";
import { decodeRecords, encodeRecords } from "./spool-record.js";

// Layout of a spool folder (one per user by default, shared by every agent of that user):
//   events/<time>-<pid>-<rand>-<N>e-<B>b.spool   complete files of records, oldest name first
//   events/<same>.lock                            a replayer's claim on that file
//   blobs/sha256-<hex>                            code archives, content-addressed
//   rejected/<same>.spool                         events the collector refused: kept for a person
//   tmp/                                          files being written; never read
//   spool.log                                     one JSON line per drop, skipped record, rejection
//
// Concurrency: every file is written whole under tmp/, fsync'ed, then renamed into place, so a
// reader never sees a half-written file and two agents never write the same file. Replayers claim
// a file with an O_EXCL lock file; a second replayer skips it. Everything is safe to repeat: a
// resend is de-duplicated by the collector on event_id, a lost race to unlink is ignored.

/** A claim older than this is abandoned (its replayer was killed): replay batches last seconds. */
const STALE_LOCK_MS = 2 * 60_000;
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

type JournalEntry =
  | { kind: "dropped"; file: string; events: number; bytes: number }
  | { kind: "corrupt"; file: string; records: number }
  | { kind: "corrupt-blob"; file: string }
  | { kind: "rejected"; events: number; reason: string };

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

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** Writes events as one file, durably (fsync, rename, fsync of the folder), oldest files dropped to fit. */
  async appendEvents(events: readonly SnapshotEvent[]): Promise<Result<SpoolWrite>> {
    if (events.length === 0) return ok({ file: "", events: 0, bytes: 0, dropped: { files: 0, events: 0, bytes: 0 } });
    try {
      const data = encodeRecords(events.map((e) => encodeEvent(e)));
      const room = await this.makeRoom(data.length);
      if (!room.ok) return room;
      const name = spoolFileName(Date.now(), events.length, data.length);
      await this.writeDurably(path.join(this.dir, "events", name), data);
      return ok({ file: name, events: events.length, bytes: data.length, dropped: room.value });
    } catch (err) {
      return fail(this.error("cannot write events to", err), false);
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
        events.push(decodeEvent(p));
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
   * Claims a file for replay with an O_EXCL lock file, breaking a stale one (its replayer died).
   * Returns the release function, or undefined when someone else holds it.
   */
  async claim(file: SpoolFile): Promise<(() => void) | undefined> {
    const lock = `${file.path}.lock`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await open(lock, "wx", 0o600);
        await fh.writeFile(`${hostname()} ${process.pid} ${Date.now()}\n`);
        await fh.close();
        return () => unlinkSyncQuietly(lock);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") return undefined;
        if (attempt > 0 || !(await lockIsStale(lock))) return undefined;
        await unlinkQuietly(lock);
      }
    }
    return undefined;
  }

  /** Keeps events the collector will never take (rejected) apart, for a person to look at. */
  async quarantine(events: readonly SnapshotEvent[], reason: string): Promise<void> {
    if (events.length === 0) return;
    try {
      const data = encodeRecords(events.map((e) => encodeEvent(e)));
      await this.writeDurably(path.join(this.dir, "rejected", spoolFileName(Date.now(), events.length, data.length)), data);
    } catch {
      // Losing the copy of something the collector refused is not worth failing a replay over.
    }
    await this.journal({ kind: "rejected", events: events.length, reason });
  }

  /** Deletes tmp/ files a killed writer left behind. */
  async sweepTmp(): Promise<void> {
    const dir = path.join(this.dir, "tmp");
    for (const n of await readdirOrEmpty(dir)) {
      const p = path.join(dir, n);
      const st = await stat(p).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > STALE_TMP_MS) await unlinkQuietly(p);
    }
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
    const log = await readFile(path.join(this.dir, "spool.log"), "utf8").catch(() => "");
    for (const line of log.split("\n")) {
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        continue;
      }
      if (entry.kind === "dropped") {
        s.dropped.events += entry.events;
        s.dropped.files++;
      } else if (entry.kind === "corrupt") s.corruptRecords += entry.records;
      else if (entry.kind === "corrupt-blob") s.corruptBlobs++;
    }
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
    for (const f of await this.listEventFiles()) out.push({ kind: "events", path: f.path, timeMs: f.timeMs, bytes: f.bytes, events: f.events, locked: f.locked });
    for (const n of await readdirOrEmpty(path.join(this.dir, "rejected"))) {
      const f = parseSpoolFileName(n);
      if (f) out.push({ kind: "rejected", path: path.join(this.dir, "rejected", n), timeMs: f.timeMs, bytes: f.bytes, events: f.events, locked: false });
    }
    // Few files (one per distinct code archive): stat is affordable here.
    for (const n of await readdirOrEmpty(path.join(this.dir, "blobs"))) {
      if (!blobDigestOf(n)) continue;
      const p = path.join(this.dir, "blobs", n);
      const st = await stat(p).catch(() => undefined);
      if (st) out.push({ kind: "blob", path: p, timeMs: st.mtimeMs, bytes: st.size, events: 0, locked: false });
    }
    return out;
  }

  private async writeDurably(file: string, data: Buffer): Promise<void> {
    this.prepared ??= Promise.all(["events", "blobs", "tmp", "rejected"].map((d) => mkdir(path.join(this.dir, d), { recursive: true, mode: 0o700 }))).then(() => undefined);
    try {
      await this.prepared;
    } catch (err) {
      this.prepared = undefined; // let a later write try again (the folder may appear)
      throw err;
    }
    const tmp = path.join(this.dir, "tmp", `${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}`);
    try {
      const fh = await open(tmp, "wx", 0o600);
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
    } catch (err) {
      await unlinkQuietly(tmp);
      throw err;
    }
    await syncDir(path.dirname(file));
  }

  private async journal(entry: JournalEntry): Promise<void> {
    try {
      await appendFile(path.join(this.dir, "spool.log"), `${JSON.stringify({ t: Date.now(), ...entry })}\n`, { mode: 0o600 });
    } catch {
      // The journal only feeds `spool status` counts; it must never fail a write or a replay.
    }
  }

  private error(what: string, err: unknown): SpoolError {
    return new SpoolError(`${what} the spool at ${this.dir}: ${errorMessage(err)}`, { cause: err });
  }
}

async function syncDir(dir: string): Promise<void> {
  // The rename is durable only once the folder's entry is on disk. Some filesystems refuse to
  // fsync a folder (EINVAL, EISDIR): the file itself is synced, which is the best they offer.
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

async function lockIsStale(lock: string): Promise<boolean> {
  try {
    const [host, pid, time] = (await readFile(lock, "utf8")).trim().split(" ");
    if (Date.now() - Number(time) > STALE_LOCK_MS || !Number.isFinite(Number(time))) return true;
    return host === hostname() && !pidAlive(Number(pid));
  } catch {
    return true; // unreadable or half-written by a replayer killed right after creating it
  }
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
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

function unlinkSyncQuietly(file: string): void {
  // Synchronous so a wrap that is about to exit still releases its claims.
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  return items.reduce((n, t) => n + f(t), 0);
}
