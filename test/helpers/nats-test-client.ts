// What the NATS tests need besides the agent's own sink: raw publishes (garbage, custom
// Nats-Msg-Id), the dead-letter stream's contents, the consumer's state, and the event ids a
// collector's SQLite file holds.
import Database from "better-sqlite3";
import type { ConsumerInfo } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { loadNats } from "../../core/load-nats.js";
import { DEAD_LETTER_HEADERS } from "../../core/nats-names.js";

export async function connectNats(url: string): Promise<NatsConnection> {
  const { transport } = await loadNats();
  return transport.connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
}

/** Publishes bytes to JetStream as they are; resolves with the stream's ack. */
export async function publishBytes(nc: NatsConnection, subject: string, data: Uint8Array, msgID?: string): Promise<{ seq: number; duplicate: boolean }> {
  const { jetstream } = (await loadNats()).jetstream;
  const ack = await jetstream(nc).publish(subject, data, msgID ? { msgID } : {});
  return { seq: ack.seq, duplicate: ack.duplicate };
}

export interface DeadLetter {
  subject: string;
  reason: string;
  originalSubject: string;
  originalSequence: number;
  deliveries: number;
  data: Uint8Array;
}

/** Every message in the dead-letter stream, oldest first. */
export async function readDeadLetters(nc: NatsConnection, stream = "SNAPTRAIL_DEADLETTER"): Promise<DeadLetter[]> {
  const { jetstreamManager } = (await loadNats()).jetstream;
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const out: DeadLetter[] = [];
  for (let seq = info.state.first_seq; seq > 0 && seq <= info.state.last_seq; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!m) continue;
    out.push({
      subject: m.subject,
      reason: m.header.get(DEAD_LETTER_HEADERS.reason),
      originalSubject: m.header.get(DEAD_LETTER_HEADERS.subject),
      originalSequence: Number(m.header.get(DEAD_LETTER_HEADERS.streamSequence)),
      deliveries: Number(m.header.get(DEAD_LETTER_HEADERS.deliveries)),
      data: m.data,
    });
  }
  return out;
}

export async function consumerInfo(nc: NatsConnection, stream = "SNAPTRAIL_EVENTS", consumer = "snaptrail-collector"): Promise<ConsumerInfo> {
  const { jetstreamManager } = (await loadNats()).jetstream;
  return (await jetstreamManager(nc)).consumers.info(stream, consumer);
}

/** The event ids in a collector's SQLite file (read-only; fine while the collector runs, WAL). */
export function storedEventIds(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT event_id FROM events").all() as { event_id: string }[]).map((r) => r.event_id);
  } finally {
    db.close();
  }
}

export function storedEventCount(dbPath: string): number {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet
  }
}

/** Polls `check` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
