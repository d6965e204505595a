import { errorMessage, UnavailableError } from "../../core/errors.js";
import type { SnapshotEvent } from "../../core/model.js";
import { fail, ok, type Result } from "../../core/result.js";
import type { Dropped, Spool } from "../spool/spool.js";
import { Cutoff } from "./cutoff.js";
import type { EventAck, EventSink } from "./event-sink.js";
import { WriteAheadLedger } from "./write-ahead-ledger.js";

export interface SpoolingSummary {
  /** The spool folder, when there is one. */
  dir: string | undefined;
  spooledEvents: number;
  spooledBlobs: number;
  /** What the spool's size bound dropped to make room for this agent's writes. */
  dropped: Dropped;
  /** Why the first call that fell back to the spool did. */
  sendError: string | undefined;
  /** Why the spool could not keep something, when it could not. */
  spoolError: string | undefined;
  /** Events sent and not answered yet whose write-ahead copy is in the spool (sent later if the agent stops waiting). */
  copiedInFlight: number;
}

/**
 * Write-ahead spooling: every event is in the spool before (or, when the spool is slow, as) it is
 * sent, and its copy is removed once the inner sink acks it. Whatever is not acked (a failure, or
 * no answer by the cutoff) stays in the spool, now synced, and is reported as SPOOLED, to be sent
 * by a later run or by `snaptrail spool flush`; an agent killed mid-send leaves its copies there
 * too. A copy replayed after its ack is only a duplicate, which the collector drops on event_id.
 * Fails only when the spool cannot keep it either (or there is none).
 */
export class SpoolingSink implements EventSink {
  private readonly counts: SpoolingSummary;
  private innerError: string | undefined;
  private readonly ledger: WriteAheadLedger | undefined;

  constructor(
    private readonly inner: EventSink,
    private readonly spool: Spool | undefined,
    private readonly cutoff: Cutoff = new Cutoff(),
  ) {
    this.counts = { dir: spool?.dir, spooledEvents: 0, spooledBlobs: 0, dropped: { files: 0, events: 0, bytes: 0 }, sendError: undefined, spoolError: undefined, copiedInFlight: 0 };
    this.ledger = spool ? new WriteAheadLedger(spool, (d) => this.addDropped(d)) : undefined;
  }

  /**
   * Puts events in the spool ahead of their publish (which may carry a leaner form of the same
   * event_ids: a snapshot without the bodies the collector holds). Never fails.
   */
  writeAhead(events: SnapshotEvent[]): Promise<void> {
    return this.ledger?.write(events) ?? Promise.resolve();
  }

  summary(): SpoolingSummary {
    // The receiver's own error ("cannot reach the collector at ...") says more than "no answer
    // by the cutoff", even when it arrived just after the cutoff did.
    return {
      ...this.counts,
      sendError: this.innerError ?? this.counts.sendError,
      dropped: { ...this.counts.dropped },
      copiedInFlight: this.ledger?.copiedInFlight ?? 0,
    };
  }

  /**
   * Unknown digests are reported as absent: a snapshot that may end up in the spool must carry
   * every body, since nobody can ask the collector about it later.
   */
  async hasDigests(digests: string[]): Promise<Result<Set<string>>> {
    const result = await this.untilCutoff(this.inner.hasDigests(digests));
    if (result.ok) return result;
    this.noteSendError(result.error);
    return ok(new Set());
  }

  async putBlob(digest: string, data: Buffer): Promise<Result<void>> {
    const result = await this.untilCutoff(this.inner.putBlob(digest, data));
    if (result.ok) return result;
    this.noteSendError(result.error);
    if (!this.spool) return result;
    const kept = await this.spool.putBlob(digest, data);
    if (!kept.ok) return this.spoolFailed(result.error, kept.error);
    this.counts.spooledBlobs++;
    this.addDropped(kept.value);
    return ok(undefined);
  }

  async publish(events: SnapshotEvent[]): Promise<Result<EventAck[]>> {
    await this.ledger?.write(events);
    const result = await this.untilCutoff(this.inner.publish(events));
    if (result.ok) {
      // Every outcome an ack carries is final: stored, duplicate, or refused for good.
      await this.ledger?.settled(result.value.map((a) => a.eventId));
      return result;
    }
    this.noteSendError(result.error);
    if (!this.spool || !this.ledger) return result;
    const missing = await this.ledger.keep(events);
    if (missing.length > 0) {
      const kept = await this.spool.appendEvents(missing);
      if (!kept.ok) return this.spoolFailed(result.error, kept.error);
      this.addDropped(kept.value.dropped);
    }
    this.counts.spooledEvents += events.length;
    return ok(events.map((e): EventAck => ({ eventId: e.eventId, outcome: "SPOOLED", error: "" })));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The inner call's result, or a retryable failure once the cutoff passes; never rejects. */
  private untilCutoff<T>(call: Promise<Result<T>>): Promise<Result<T>> {
    const guarded = call.catch((err: unknown) => fail<T>(err instanceof Error ? err : new Error(errorMessage(err)), false));
    void guarded.then((r) => {
      if (!r.ok) this.innerError ??= r.error.message;
    });
    return Promise.race([guarded, this.cutoff.passed().then(() => fail<T>(new UnavailableError(this.cutoff.reason), true))]);
  }

  private noteSendError(err: Error): void {
    this.counts.sendError ??= err.message;
  }

  private spoolFailed<T>(sendError: Error, spoolError: Error): Result<T> {
    this.counts.spoolError ??= spoolError.message;
    return fail(new UnavailableError(`${sendError.message}; the spool could not keep it either: ${spoolError.message}`, { cause: spoolError }), false);
  }

  private addDropped(d: Dropped): void {
    this.counts.dropped.files += d.files;
    this.counts.dropped.events += d.events;
    this.counts.dropped.bytes += d.bytes;
  }
}
