/**
 * The moment the agent stops waiting for the network: unset (never) while the job runs, then
 * the job's end plus finishTimeoutMs. Shared by the retrying sink (no retry past it) and the
 * spooling sink (an unacked call goes to the spool when it passes), so one bound holds for both.
 */
export class Cutoff {
  private atMs = Number.POSITIVE_INFINITY;
  private why = "";
  private timer: NodeJS.Timeout | undefined;
  private resolveReached!: () => void;
  private readonly reached = new Promise<void>((resolve) => (this.resolveReached = resolve));

  get at(): number {
    return this.atMs;
  }

  /** Why calls cut off here failed, for the user's warning line. */
  get reason(): string {
    return this.why;
  }

  /** Sets the cutoff; an earlier one already set wins. */
  set(atMs: number, reason: string): void {
    if (atMs >= this.atMs) return;
    this.atMs = atMs;
    this.why = reason;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.resolveReached(), Math.max(0, atMs - Date.now()));
  }

  /** Resolves when the cutoff passes (never, while it is unset). */
  passed(): Promise<void> {
    return this.reached;
  }

  hasPassed(): boolean {
    return Date.now() >= this.atMs;
  }
}
