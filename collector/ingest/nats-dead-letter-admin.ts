import { UnavailableError, errorMessage } from "../../core/errors.js";
import { loadNats } from "../../core/load-nats.js";
import { natsAuthOptions, type NatsCredentials } from "../../core/nats-credentials.js";
import { DEAD_LETTER_HEADERS, NATS_EVENT_SUBJECT_PREFIX } from "../../core/nats-names.js";

export interface DeadLetterEntry {
  /** Sequence in the dead-letter stream. */
  seq: number;
  timeMs: number;
  reason: string;
  originalSubject: string;
  originalSequence: number;
  deliveries: number;
  bytes: number;
  /** Only the first bytes were kept (the original was over the server's payload limit): cannot be replayed. */
  truncated: boolean;
}

export interface DeadLetterGroup {
  /** The reason up to its first ":" ("too large", "undecodable", "rejected", ...). */
  kind: string;
  count: number;
  firstMs: number;
  lastMs: number;
  /** One full reason, for the details. */
  example: string;
}

export interface DeadLetterListing {
  stream: string;
  /** Messages in the stream (may be more than were read: see limit). */
  total: number;
  entries: DeadLetterEntry[];
  groups: DeadLetterGroup[];
}

export interface ReplayOutcome {
  replayed: number;
  /** Truncated copies, which cannot be sent again whole. */
  skipped: number;
}

export interface DeadLetterAdminOptions extends NatsCredentials {
  nats: string;
  stream: string;
  /** Read at most this many, oldest first. */
  limit: number;
  /** Only messages whose reason matches. */
  reason?: RegExp;
}

/** The reason's kind: "too large: 5000 bytes, ..." -> "too large". */
export function reasonKind(reason: string): string {
  const colon = reason.indexOf(":");
  return (colon > 0 ? reason.slice(0, colon) : reason).trim() || "unknown";
}

/**
 * `snaptrail collector dead-letters`: what the dead-letter stream holds, grouped by reason; and,
 * with replay, each original sent back to its events subject (Nats-Msg-Id replay:<seq>, so a
 * replay cut short and run again does not publish twice inside the duplicate window) and removed
 * from the dead-letter stream once JetStream acked the resend. An event stored meanwhile is a
 * duplicate the collector drops on event_id; one that still cannot be stored is dead-lettered again.
 */
export async function withDeadLetters<T>(options: DeadLetterAdminOptions, use: (admin: DeadLetterAdmin) => Promise<T>): Promise<T> {
  const nats = await loadNats();
  let nc;
  try {
    nc = await nats.transport.connect({ servers: options.nats.split(",").map((s) => s.trim()), name: "snaptrail-dead-letters", ...natsAuthOptions(options) });
  } catch (err) {
    throw new UnavailableError(`cannot reach NATS at ${options.nats}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    const jsm = await nats.jetstream.jetstreamManager(nc);
    return await use(new DeadLetterAdmin(jsm, nats.jetstream.jetstream(nc), options));
  } finally {
    await nc.close();
  }
}

type Jsm = Awaited<ReturnType<Awaited<ReturnType<typeof loadNats>>["jetstream"]["jetstreamManager"]>>;
type Js = ReturnType<Awaited<ReturnType<typeof loadNats>>["jetstream"]["jetstream"]>;

export class DeadLetterAdmin {
  constructor(
    private readonly jsm: Jsm,
    private readonly js: Js,
    private readonly options: DeadLetterAdminOptions,
  ) {}

  async list(): Promise<DeadLetterListing> {
    const info = await this.jsm.streams.info(this.options.stream).catch((err: unknown) => {
      throw new UnavailableError(`no dead-letter stream ${this.options.stream} on ${this.options.nats}: ${errorMessage(err)}`, { cause: err });
    });
    const entries: DeadLetterEntry[] = [];
    const { first_seq: first, last_seq: last, messages } = info.state;
    for (let seq = first; seq > 0 && seq <= last && entries.length < this.options.limit; seq++) {
      const m = await this.jsm.streams.getMessage(this.options.stream, { seq }).catch(() => null);
      if (!m) continue; // deleted (replayed) or aged out
      const reason = m.header.get(DEAD_LETTER_HEADERS.reason) || "unknown";
      if (this.options.reason && !this.options.reason.test(reason)) continue;
      entries.push({
        seq,
        timeMs: m.time.getTime(),
        reason,
        originalSubject: m.header.get(DEAD_LETTER_HEADERS.subject),
        originalSequence: Number(m.header.get(DEAD_LETTER_HEADERS.streamSequence)) || 0,
        deliveries: Number(m.header.get(DEAD_LETTER_HEADERS.deliveries)) || 0,
        bytes: m.data.length,
        truncated: m.header.has("Snaptrail-Truncated-From-Bytes"),
      });
    }
    return { stream: this.options.stream, total: messages, entries, groups: group(entries) };
  }

  async replay(): Promise<ReplayOutcome> {
    const { entries } = await this.list();
    const outcome: ReplayOutcome = { replayed: 0, skipped: 0 };
    for (const e of entries) {
      if (e.truncated || !e.originalSubject.startsWith(`${NATS_EVENT_SUBJECT_PREFIX}.`)) {
        outcome.skipped++;
        continue;
      }
      const m = await this.jsm.streams.getMessage(this.options.stream, { seq: e.seq });
      if (!m) continue;
      await this.js.publish(e.originalSubject, m.data, { msgID: `replay:${this.options.stream}:${e.seq}` });
      await this.jsm.streams.deleteMessage(this.options.stream, e.seq, false);
      outcome.replayed++;
    }
    return outcome;
  }
}

function group(entries: readonly DeadLetterEntry[]): DeadLetterGroup[] {
  const groups = new Map<string, DeadLetterGroup>();
  for (const e of entries) {
    const kind = reasonKind(e.reason);
    const g = groups.get(kind);
    if (!g) groups.set(kind, { kind, count: 1, firstMs: e.timeMs, lastMs: e.timeMs, example: e.reason });
    else {
      g.count++;
      g.firstMs = Math.min(g.firstMs, e.timeMs);
      g.lastMs = Math.max(g.lastMs, e.timeMs);
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : 1));
}
