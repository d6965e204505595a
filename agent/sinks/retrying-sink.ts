import { backoffDelay, type BackoffPolicy } from "../../core/backoff.js";
import type { SnapshotEvent } from "../../core/model.js";
import type { Result } from "../../core/result.js";
import { Cutoff } from "./cutoff.js";
import type { EventAck, EventSink } from "./event-sink.js";

export interface RetryPolicy {
  /** How long one call keeps retrying a retryable failure. */
  retryForMs: number;
  backoff: BackoffPolicy;
}

/** The agent's waits between tries: 50 ms doubling to 1 s, jittered (many agents, one collector). */
export const AGENT_BACKOFF: BackoffPolicy = { initialMs: 50, maxMs: 1000, multiplier: 2, jitter: "full" };

/**
 * Retries retryable failures (collector down, restarting, call cut) with the policy's backoff
 * (full jitter: many agents retrying after one collector restart spread out instead of arriving
 * together). Bounded by retryForMs and by the shared cutoff. Final failures (too large, invalid) return at once.
 *
 * Once a call has used up its retries, the sink counts the receiver as down and later calls try
 * once until one succeeds: a run whose collector is away reaches the spool in one retry budget,
 * not one per call.
 */
export class RetryingSink implements EventSink {
  private down = false;
  private answered = false;
  private failed = false;
  private lastFailure = "";

  constructor(
    private readonly inner: EventSink,
    private readonly policy: RetryPolicy,
    private readonly cutoff: Cutoff = new Cutoff(),
    private readonly random: () => number = Math.random,
  ) {}

  publish(events: SnapshotEvent[]): Promise<Result<EventAck[]>> {
    return this.retry(() => this.inner.publish(events));
  }

  hasDigests(digests: string[]): Promise<Result<Set<string>>> {
    return this.retry(() => this.inner.hasDigests(digests));
  }

  putBlob(digest: string, data: Buffer): Promise<Result<void>> {
    return this.retry(() => this.inner.putBlob(digest, data));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** True when the receiver has not answered one call yet and at least one try failed retryably (refused, timed out). */
  unreachableSoFar(): boolean {
    return this.failed && !this.answered;
  }

  /** What the last retryable failure said ("cannot reach the collector at ..."), for the warning. */
  lastFailureMessage(): string {
    return this.lastFailure;
  }

  private async retry<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
    const end = this.down ? Date.now() : Date.now() + this.policy.retryForMs;
    for (let attempt = 0; ; attempt++) {
      const result = await call();
      if (result.ok) {
        this.down = false;
        this.answered = true;
        return result;
      }
      if (!result.retryable) return result;
      this.failed = true;
      this.lastFailure = result.error.message;
      const delay = backoffDelay(this.policy.backoff, attempt, this.random);
      if (Date.now() + delay >= Math.min(end, this.cutoff.at)) {
        this.down = true;
        return result;
      }
      await Promise.race([sleep(delay), this.cutoff.passed()]);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
