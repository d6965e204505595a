/**
 * How long to wait before the next try of something that failed for a reason that may pass (a
 * server down or restarting, a store locked). The wait grows exponentially from `initialMs` by
 * `multiplier` per attempt up to `maxMs`.
 */
export interface BackoffPolicy {
  /** The wait before the second try (attempt 0), before jitter. */
  initialMs: number;
  /** No wait is longer than this. */
  maxMs: number;
  /** Growth per attempt: 2 doubles the wait each time. */
  multiplier: number;
  /**
   * "full": a random wait in [0, the grown wait] (full jitter), so that many clients failing
   * together (agents after a collector restart, collector replicas after a ClickHouse or NATS
   * restart) come back spread out instead of all at once. "none": exactly the grown wait, for a
   * schedule someone must be able to compute (a redelivery budget).
   */
  jitter: "full" | "none";
}

/** Enough attempts for any sane multiplier to reach maxMs; keeps the power finite. */
const MAX_EXPONENT = 64;

/**
 * The wait before retry number `attempt` (0 for the first retry), in ms. `random` returns a
 * number in [0, 1): Math.random by default, injected by tests for a fixed schedule.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), MAX_EXPONENT);
  const ceiling = Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** exponent);
  return policy.jitter === "full" ? random() * ceiling : ceiling;
}
