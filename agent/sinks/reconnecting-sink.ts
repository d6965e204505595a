import { errorMessage } from "../../core/errors.js";
import type { SnapshotEvent } from "../../core/model.js";
import { fail, type Result } from "../../core/result.js";
import type { EventAck, EventSink } from "./event-sink.js";

/**
 * A sink that is usable before it is connected and connects again after a retryable failure.
 * The first connection starts at once (it overlaps fingerprinting); a call made while it is in
 * progress waits for it. A failed connection, or a call that failed retryably, drops the
 * connection so the next call dials afresh: a restarted collector is found at the next retry
 * instead of after the transport's own reconnect backoff (gRPC's grows to minutes).
 */
export class ReconnectingSink implements EventSink {
  private current: Promise<Result<EventSink>> | undefined;
  private closed = false;

  constructor(private readonly connect: () => Promise<Result<EventSink>>) {}

  /** Starts connecting now rather than at the first call. */
  connectNow(): this {
    void this.sink();
    return this;
  }

  publish(events: SnapshotEvent[]): Promise<Result<EventAck[]>> {
    return this.call((s) => s.publish(events));
  }

  hasDigests(digests: string[]): Promise<Result<Set<string>>> {
    return this.call((s) => s.hasDigests(digests));
  }

  putBlob(digest: string, data: Buffer): Promise<Result<void>> {
    return this.call((s) => s.putBlob(digest, data));
  }

  /** Closes the connection if there is one; a connection still being made is closed when it lands. */
  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = undefined;
    if (!current) return;
    const settled = await Promise.race([current, Promise.resolve(undefined)]);
    if (settled?.ok) await settled.value.close();
    else if (!settled) void current.then((r) => (r.ok ? r.value.close() : undefined));
  }

  private async call<T>(f: (sink: EventSink) => Promise<Result<T>>): Promise<Result<T>> {
    const connecting = this.sink();
    const sink = await connecting;
    if (!sink.ok) {
      if (this.current === connecting) this.current = undefined;
      return sink;
    }
    let result: Result<T>;
    try {
      result = await f(sink.value);
    } catch (err) {
      result = fail(err instanceof Error ? err : new Error(errorMessage(err)), false);
    }
    if (!result.ok && result.retryable && this.current === connecting) {
      this.current = undefined;
      void sink.value.close();
    }
    return result;
  }

  private sink(): Promise<Result<EventSink>> {
    if (this.closed) return Promise.resolve(fail(new Error("the sink is closed"), false));
    // A factory that throws instead of failing must not become an unhandled rejection: that
    // would end the agent, and the job with it.
    this.current ??= this.connect().catch((err: unknown) => fail<EventSink>(err instanceof Error ? err : new Error(String(err)), false));
    return this.current;
  }
}
