import { errorMessage } from "../../core/errors.js";
import type { RunFinished, SnapshotEvent } from "../../core/model.js";
import type { CaptureResult } from "../capture/capture-types.js";
import type { EventSink } from "../sinks/event-sink.js";
import { runFinishedEvent, runStartedEvent, snapshotCapturedEvent, type RunLinks } from "./build-events.js";

export interface ReportOutcome {
  /** Acked by the receiver: stored now, or already stored. */
  acked: number;
  /** Kept in the local spool, to be sent later. */
  spooled: number;
  /** Neither acked nor kept: refused by the collector, or the spool failed too. */
  lost: number;
  /**
   * Still unanswered when flush's bound ran out: neither acked nor known to be spooled. Their
   * write-ahead copies (SpoolingSummary.copiedInFlight) stay in the spool; any without one is lost.
   */
  unsettled: number;
  /** The bound flush waited, when something was unsettled. */
  unsettledAfterMs?: number;
  /** Why each loss happened, first first. */
  errors: string[];
}

/**
 * Sends one run's events in order. Never throws: the job it reports on must not notice when the
 * collector is away. Timing (retries, the finish cutoff, spooling) belongs to the sink it is
 * given; the reporter only keeps order and counts.
 */
export class RunReporter {
  private chain: Promise<void> = Promise.resolve();
  private readonly outcome: ReportOutcome = { acked: 0, spooled: 0, lost: 0, unsettled: 0, errors: [] };
  private queued = 0;
  /** True from begin() until its publish goes out: a finish that comes meanwhile rides along. */
  private beginOpen = false;
  /** The finish event waiting to ride along with the start's publish. */
  private rider: SnapshotEvent | undefined;

  constructor(private readonly sink: EventSink) {}

  /**
   * The run's start and its snapshot, in one publish: bodies and the code archive travel only
   * when the receiver does not hold their digests yet. Resolves true when the receiver acked
   * both (so it is up: a good moment to replay the spool).
   */
  begin(capture: CaptureResult, links: RunLinks = {}): Promise<boolean> {
    const started = runStartedEvent(capture, links);
    // Into the spool first, with every body: a copy that outlives an agent killed mid-send must
    // not rely on the collector holding what the send left out.
    const whole = snapshotCapturedEvent(capture, new Set());
    const ahead = this.sink.writeAhead?.([started, whole]);
    let acked = false;
    this.beginOpen = true;
    this.enqueue(2, async () => {
      const { digests } = capture;
      const archiveDigest = capture.archive ? capture.code?.archiveDigest : undefined;
      const wanted = [digests.environment, digests.host, digests.code, archiveDigest].filter((d): d is string => !!d);
      const known = await this.sink.hasDigests(wanted);
      const present = known.ok ? known.value : new Set<string>();
      // The archive goes first so the snapshot that names it never points at nothing. Without
      // it the snapshot still goes: only file-level diffs need the archive.
      if (archiveDigest && capture.archive && !present.has(archiveDigest)) {
        const put = await this.sink.putBlob(archiveDigest, capture.archive);
        if (!put.ok) this.outcome.errors.push(`code archive not kept: ${put.error.message}`);
      }
      // Written meanwhile, beside the digest query: the copy is in place before the events go out.
      await ahead;
      const snapshot: SnapshotEvent = { ...snapshotCapturedEvent(capture, present), eventId: whole.eventId, timeUnixMs: whole.timeUnixMs };
      // A job that ended while the digests were asked about (most short jobs) sends its finish in
      // the same publish: one round trip to the collector instead of two, in the same order.
      const batch = [started, snapshot];
      const rider = this.takeRider();
      if (rider) batch.push(rider);
      acked = await this.publish(batch);
    });
    // Whatever stopped the start's publish before it took the finish along, the finish still goes.
    this.enqueue(0, async () => {
      const rider = this.takeRider();
      if (rider) await this.publish([rider]);
    });
    return this.chain.then(() => acked);
  }

  finished(runId: string, finished: RunFinished): void {
    const event = runFinishedEvent(runId, finished);
    // Now, not when the start is through: that may wait on a hung collector until the cutoff.
    void this.sink.writeAhead?.([event]);
    if (this.beginOpen) {
      this.queued += 1;
      this.rider = event;
      return;
    }
    this.enqueue(1, async () => {
      await this.publish([event]);
    });
  }

  /** Waits for everything queued, at most `timeoutMs`; what is still pending then is `unsettled`. */
  async flush(timeoutMs: number): Promise<ReportOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const done = await Promise.race([this.chain.then(() => "done" as const), timedOut]);
    clearTimeout(timer);
    const result: ReportOutcome = { ...this.outcome, errors: [...this.outcome.errors] };
    const pending = this.queued - result.acked - result.spooled - result.lost;
    if (pending > 0 && done === "timeout") {
      result.unsettled = pending;
      result.unsettledAfterMs = timeoutMs;
    } else if (pending > 0) {
      result.lost += pending;
      result.errors.push(`${pending} ${pending === 1 ? "event" : "events"} not sent`);
    }
    return result;
  }

  close(): Promise<void> {
    return this.sink.close();
  }

  /** True when every event was acked by the receiver. */
  private async publish(events: SnapshotEvent[]): Promise<boolean> {
    const result = await this.sink.publish(events);
    if (!result.ok) {
      this.outcome.lost += events.length;
      this.outcome.errors.push(result.error.message);
      return false;
    }
    let all = true;
    for (const ack of result.value) {
      if (ack.outcome === "STORED" || ack.outcome === "DUPLICATE") this.outcome.acked++;
      else if (ack.outcome === "SPOOLED") {
        this.outcome.spooled++;
        all = false;
      } else {
        this.outcome.lost++;
        this.outcome.errors.push(`the collector rejected event ${ack.eventId}: ${ack.error}`);
        all = false;
      }
    }
    return all;
  }

  private takeRider(): SnapshotEvent | undefined {
    const rider = this.rider;
    this.rider = undefined;
    this.beginOpen = false;
    return rider;
  }

  private enqueue(events: number, task: () => Promise<void>): void {
    this.queued += events;
    this.chain = this.chain.then(async () => {
      try {
        await task();
      } catch (err) {
        // A bug here must cost the run its record, never the job its result.
        this.outcome.errors.push(`internal error: ${errorMessage(err)}`);
      }
    });
  }
}
