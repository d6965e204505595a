import { errorMessage, InternalError, UnavailableError } from "../../core/errors.js";
import { isStoreOutage } from "../store/is-store-outage.js";
import type { SnapshotEvent } from "../../core/model.js";
import { isRefusal, type Store } from "../store/store.js";
import { checkEvent, checkReferences, type EventLimits } from "./validate-event.js";

export type IngestOutcome = "STORED" | "DUPLICATE" | "REJECTED";

export interface IngestAck {
  eventId: string;
  outcome: IngestOutcome;
  /** Why the event was rejected; empty otherwise. */
  error: string;
}

export interface EventBatcherOptions {
  /** A batch is committed as soon as this many events wait... */
  maxBatchEvents: number;
  /** ...or this long after the first of them arrived. */
  maxBatchDelayMs: number;
  /** Bounds checked on every event before it is queued. */
  limits?: EventLimits;
}

export interface BatcherLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

interface Pending {
  event: SnapshotEvent | null | undefined;
  /** Set when the event alone shows it is invalid. */
  rejection: string | undefined;
  resolve(ack: IngestAck): void;
  reject(err: Error): void;
}

/**
 * Micro-batching shared by every transport: events from all streams queue here and are
 * committed with one store.append per batch (one SQLite transaction and fsync, or one round of
 * ClickHouse inserts). A submit
 * resolves only after the batch holding it is durable, so the caller acks then; it rejects with
 * UnavailableError when the store is unavailable (the events are not at fault), or with an
 * InternalError when the store refused that event alone; either way the caller must not ack.
 * Batches commit one after another, so acks for one stream resolve in the order its events were submitted.
 */
export class EventBatcher {
  private readonly queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private lastCommitEnd = Number.NEGATIVE_INFINITY;
  private closed = false;
  private committedBatches = 0;
  private committedEvents = 0;
  private refusedEvents = 0;

  constructor(
    private readonly store: Store,
    private readonly options: EventBatcherOptions,
    private readonly logger?: BatcherLogger,
  ) {}

  /** `refused`: events that contradicted a part their run already held (never stored). */
  get stats(): { queued: number; batches: number; events: number; refused: number } {
    return { queued: this.queue.length, batches: this.committedBatches, events: this.committedEvents, refused: this.refusedEvents };
  }

  /** `rejection`: a reason the transport already found (e.g. invalid UTF-8 in the wire bytes). */
  submit(event: SnapshotEvent | null | undefined, rejection?: string): Promise<IngestAck> {
    if (this.closed) return Promise.reject(new UnavailableError("collector is shutting down"));
    return new Promise<IngestAck>((resolve, reject) => {
      // Cheap, event-local checks run now; rejections still travel through the queue so that a
      // stream's acks come back in the order of its events.
      this.queue.push({ event, rejection: rejection ?? checkEvent(event, this.options.limits), resolve, reject });
      this.schedule();
    });
  }

  /** Stops accepting events and resolves once every submitted one is committed or failed. */
  async drain(): Promise<void> {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.flushing || this.queue.length > 0) {
      await (this.flushing ?? this.flush());
    }
  }

  private schedule(): void {
    if (this.flushing) return; // the running flush loop picks the new events up
    // An event that arrives after a quiet spell commits at once: waiting for company that is not
    // coming would only add latency to every lone agent's ack. Under load commits follow each
    // other closely and the delay gathers batches as before.
    const quiet = this.queue.length === 1 && performance.now() - this.lastCommitEnd >= 4 * this.options.maxBatchDelayMs;
    if (this.queue.length >= this.options.maxBatchEvents || this.options.maxBatchDelayMs <= 0 || quiet) {
      void this.flush();
    } else {
      this.timer ??= setTimeout(() => void this.flush(), this.options.maxBatchDelayMs);
    }
  }

  private flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.flushing ??= (async () => {
      try {
        // Events that arrived while a batch was committing already waited: commit them at once.
        while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.options.maxBatchEvents));
      } finally {
        this.flushing = undefined;
        this.lastCommitEnd = performance.now();
      }
    })();
    return this.flushing;
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const events = batch.map((p) => p.event as SnapshotEvent);
      const rejections = await checkReferences(
        events,
        (digests) => this.store.hasSnapshots(digests),
        batch.map((p) => p.rejection),
      );
      const accepted = batch.filter((_, i) => rejections[i] === undefined);
      const outcomes = accepted.length > 0 ? await this.store.append(accepted.map((p) => p.event as SnapshotEvent)) : [];
      if (outcomes.length !== accepted.length) throw new Error(`store returned ${outcomes.length} outcomes for ${accepted.length} events`);
      this.committedBatches++;
      this.committedEvents += accepted.length;
      let next = 0;
      batch.forEach((p, i) => {
        const eventId = p.event?.eventId ?? "";
        const rejection = rejections[i];
        if (rejection !== undefined) return p.resolve({ eventId, outcome: "REJECTED", error: rejection });
        const outcome = outcomes[next++]!;
        if (!isRefusal(outcome)) return p.resolve({ eventId, outcome, error: "" });
        // An attempt to rewrite a run: worth a warning whoever sent it, and a count.
        this.refusedEvents++;
        this.logger?.warn({ eventId, runId: p.event?.runId, reason: outcome.reason, refused: this.refusedEvents }, "event refused: its run already holds that part");
        p.resolve({ eventId, outcome: "REJECTED", error: outcome.reason });
      });
    } catch (err) {
      if (isStoreOutage(err)) {
        this.logger?.error({ err, events: batch.length }, "storing a batch failed; its events are not acknowledged");
        const failure = new UnavailableError(`the collector could not store events: ${errorMessage(err)}`, { cause: err });
        for (const p of batch) p.reject(failure);
        return;
      }
      // The store answered but refused the batch: one event in it may be at fault (a value the
      // store cannot take, a bug it triggers). Commit each alone so the others are stored and
      // only the event that fails by itself is reported as unstorable.
      if (batch.length > 1) {
        this.logger?.warn({ err: errorMessage(err), events: batch.length }, "the store refused a batch; storing its events one by one");
        for (const p of batch) await this.commit([p]);
        return;
      }
      this.logger?.error({ err, eventId: batch[0]?.event?.eventId }, "the store refused an event; it is not acknowledged");
      const failure = new InternalError(`the store refused event ${batch[0]?.event?.eventId ?? "?"}: ${errorMessage(err)}`, { cause: err });
      for (const p of batch) p.reject(failure);
    }
  }
}
