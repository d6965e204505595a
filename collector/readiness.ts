import type { Logger } from "pino";
import { errorMessage } from "../core/errors.js";

/** One thing the collector needs to serve: the store, the blob store, NATS ingest. */
export interface ReadinessCheck {
  name: string;
  /** Resolves when it answers now; throws (UNAVAILABLE) when it does not. */
  ping(): Promise<void>;
}

/**
 * Each check's state in one word. Only these words leave the process: /readyz answers without
 * auth, so the reasons (hosts, paths, server messages) go to the log, never into the answer.
 */
export type CheckState = "ok" | "unreachable" | "timed out" | "stopping";

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckState>;
}

/**
 * Answers "can this collector serve now?" for /readyz (a Kubernetes readiness probe): every
 * check is pinged at once, each bounded by `timeoutMs`, so a store that hangs makes the
 * collector unready instead of making the probe hang. Once stopping, it is never ready again:
 * a draining replica leaves the Service's endpoints while it finishes its batches. A check's
 * failure is logged when it starts and when it ends, not on every probe.
 */
export class Readiness {
  private stopping = false;
  private readonly failing = new Map<string, string>();

  constructor(
    private readonly checks: readonly ReadinessCheck[],
    private readonly timeoutMs: number,
    private readonly logger?: Logger,
  ) {}

  markStopping(): void {
    this.stopping = true;
  }

  async check(): Promise<ReadinessReport> {
    const states = await Promise.all(this.checks.map((c) => this.stateOf(c)));
    const checks: Record<string, CheckState> = {};
    this.checks.forEach((c, i) => (checks[c.name] = states[i]!));
    return { ready: states.every((s) => s === "ok"), checks };
  }

  private async stateOf(check: ReadinessCheck): Promise<CheckState> {
    if (this.stopping) return "stopping";
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timed out">((resolve) => (timer = setTimeout(() => resolve("timed out"), this.timeoutMs)));
    try {
      const state = await Promise.race([check.ping().then(() => "ok" as const), timedOut]);
      if (state === "ok") this.recovered(check.name);
      else this.failed(check.name, `no answer within ${this.timeoutMs} ms (readyTimeoutMs)`);
      return state;
    } catch (err) {
      this.failed(check.name, errorMessage(err));
      return "unreachable";
    } finally {
      clearTimeout(timer);
    }
  }

  private failed(name: string, reason: string): void {
    if (this.failing.get(name) === reason) return;
    this.failing.set(name, reason);
    this.logger?.warn({ check: name, reason }, `not ready: ${name} ${reason}`);
  }

  private recovered(name: string): void {
    if (!this.failing.delete(name)) return;
    this.logger?.info({ check: name }, `ready again: ${name} answers`);
  }
}
