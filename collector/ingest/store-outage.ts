import { backoffDelay, type BackoffPolicy } from "../../core/backoff.js";
import { errorMessage } from "../../core/errors.js";

export interface OutageLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The store being unavailable, as NATS ingest sees it: while `down`, no new messages are pulled,
 * and every held message waits on one shared retry tick, so each try is one batch for the store
 * rather than one call per message. The waits follow `backoff` (in the consumer: up to 5 s, so
 * ingest resumes within seconds of the store's return). Logs once when an outage begins and once when
 * it ends, not once per message.
 */
export class StoreOutage {
  private since: number | undefined;
  private tries = 0;
  private timer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly backoff: BackoffPolicy,
    private readonly log: OutageLogger,
    private readonly onOver: () => void,
  ) {}

  get down(): boolean {
    return this.since !== undefined;
  }

  begin(err: unknown, held: number): void {
    if (this.since !== undefined) return;
    this.since = Date.now();
    this.tries = 0;
    this.log.warn(
      { err: errorMessage(err), held },
      "the store is unavailable: holding the messages taken (their ack wait extended), pulling no more, retrying until it answers",
    );
  }

  over(): void {
    if (this.since === undefined) return;
    this.log.info({ outageMs: Date.now() - this.since, tries: this.tries }, "the store answers again: resuming NATS ingest");
    this.since = undefined;
    this.onOver();
  }

  /** Resolves at the next shared retry (at once after close). */
  nextTry(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const wait = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (!this.timer) {
      this.timer = setTimeout(() => this.fire(), backoffDelay(this.backoff, this.tries));
    }
    return wait;
  }

  close(): void {
    this.closed = true;
    this.fire();
  }

  private fire(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.tries++;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
