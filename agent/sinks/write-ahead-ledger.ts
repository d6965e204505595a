import type { SnapshotEvent } from "../../core/model.js";
import type { Dropped, Spool, WriteAhead } from "../spool/spool.js";

interface Pending {
  /** The events as written ahead: a snapshot with every body, even when its send omits some. */
  events: SnapshotEvent[];
  /** Event ids not acked yet. */
  open: Set<string>;
  /** The copy in the spool; undefined when it could not be written. */
  written: Promise<WriteAhead | undefined>;
}

/**
 * How long a send waits for its write-ahead copy before going out anyway. A local write takes
 * a millisecond, so normally the copy is in place first; a spool on a hung network folder must
 * not hold events back from a collector that would ack them.
 */
export const WRITE_AHEAD_WAIT_MS = 200;

/**
 * Tracks the spool's write-ahead copies of the events a sink has in flight: one copy per write,
 * removed once each of its events is acked, kept (synced, released for replay) when they are not.
 * Never throws and never rejects: a spool that fails costs its copies, not the sends.
 */
export class WriteAheadLedger {
  private readonly byId = new Map<string, Pending>();
  /** Event ids whose copy is in the spool, neither acked nor done being kept. */
  private readonly copiedOpen = new Set<string>();

  constructor(
    private readonly spool: Spool,
    private readonly onDropped: (d: Dropped) => void,
  ) {}

  /** Writes ahead the events that have no copy yet; resolves when every copy is in place or after WRITE_AHEAD_WAIT_MS. */
  write(events: readonly SnapshotEvent[]): Promise<void> {
    const fresh = events.filter((e) => !this.byId.has(e.eventId));
    if (fresh.length > 0) {
      const pending: Pending = {
        events: fresh,
        open: new Set(fresh.map((e) => e.eventId)),
        written: this.spool.writeAhead(fresh).then(
          (r) => {
            if (!r.ok) return undefined;
            this.onDropped(r.value.dropped);
            for (const id of pending.open) this.copiedOpen.add(id);
            return r.value;
          },
          () => undefined,
        ),
      };
      for (const e of fresh) this.byId.set(e.eventId, pending);
    }
    return within([...new Set(events.map((e) => this.byId.get(e.eventId)!.written))]);
  }

  /**
   * Events sent and not answered (nor yet reported kept) whose write-ahead copy is in the spool:
   * if the agent stops waiting for them now, those copies stay there and are replayed later.
   */
  get copiedInFlight(): number {
    return this.copiedOpen.size;
  }

  /** These were acked (stored, duplicate, or refused for good): copies with nothing left open are removed. */
  settled(eventIds: readonly string[]): Promise<void> {
    const done: Promise<unknown>[] = [];
    for (const id of eventIds) {
      const pending = this.byId.get(id);
      if (!pending) continue;
      this.byId.delete(id);
      this.copiedOpen.delete(id);
      pending.open.delete(id);
      if (pending.open.size === 0) done.push(pending.written.then((w) => (w ? this.spool.delivered(w) : undefined)).catch(() => undefined));
    }
    // Bounded like the write: a copy left behind is only resent and de-duplicated later.
    return within(done);
  }

  /**
   * These were not acked: their copies become the spooled ones. Returns the events that have no
   * copy left (never written, or gone meanwhile), which the caller must spool itself.
   */
  async keep(events: readonly SnapshotEvent[]): Promise<SnapshotEvent[]> {
    const missing: SnapshotEvent[] = [];
    const pendings = new Set<Pending>();
    for (const e of events) {
      const pending = this.byId.get(e.eventId);
      if (pending) pendings.add(pending);
      else missing.push(e);
    }
    for (const pending of pendings) {
      const open = [...pending.open];
      for (const id of open) this.byId.delete(id);
      const written = await pending.written;
      const kept = written !== undefined && (await this.spool.keep(written));
      // Counted as in flight until here: a slow keep (fsync) is still a copy in the spool.
      for (const id of open) this.copiedOpen.delete(id);
      if (kept) continue;
      missing.push(...pending.events.filter((e) => pending.open.has(e.eventId)));
    }
    return missing;
  }
}

function within(promises: readonly Promise<unknown>[]): Promise<void> {
  if (promises.length === 0) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, WRITE_AHEAD_WAIT_MS);
    timer.unref();
  });
  return Promise.race([Promise.all(promises).then(() => undefined), bound]).finally(() => clearTimeout(timer));
}
