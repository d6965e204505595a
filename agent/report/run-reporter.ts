import { errorMessage } from "../../core/errors.js";
import type { RunFinished, SnapshotEvent } from "../../core/model.js";
import { fail, type Result } from "../../core/result.js";
import type { CaptureResult } from "../capture/capture-types.js";
import type { EventSink } from "../sinks/event-sink.js";
import { runFinishedEvent, runStartedEvent, snapshotCapturedEvent } from "./build-events.js";

export type ReportOutcome = { ok: true; stored: number } | { ok: false; error: string };

/**
 * Sends one run's events in order through a sink that may still be connecting. Never throws:
 * the job it reports on must not notice when the collector is away.
 */
export class RunReporter {
  private chain: Promise<void> = Promise.resolve();
  private failure: string | undefined;
  private stored = 0;

  private readonly sink: Promise<Result<EventSink>>;

  constructor(sink: Promise<Result<EventSink>>) {
    // A sink that throws instead of failing must not become an unhandled rejection: that would
    // end the agent, and with it the job, before the job even started.
    this.sink = sink.catch((err: unknown) => fail<EventSink>(err instanceof Error ? err : new Error(String(err)), false));
  }

  /**
   * The run's start and its snapshot, in one publish: bodies and the code archive travel only
   * when the collector does not hold their digests yet.
   */
  begin(capture: CaptureResult, rollbackOf?: string): void {
    const started = runStartedEvent(capture, rollbackOf);
    this.enqueue(async (sink) => {
      const { digests } = capture;
      const archiveDigest = capture.archive ? capture.code?.archiveDigest : undefined;
      const wanted = [digests.environment, digests.host, digests.code, archiveDigest].filter((d): d is string => !!d);
      const present = await sink.hasDigests(wanted);
      if (!present.ok) return present;
      // The archive goes first so the snapshot that names it never points at nothing.
      if (archiveDigest && capture.archive && !present.value.has(archiveDigest)) {
        const put = await sink.putBlob(archiveDigest, capture.archive);
        if (!put.ok) return put;
      }
      return this.publish(sink, [started, snapshotCapturedEvent(capture, present.value)]);
    });
  }

  finished(runId: string, finished: RunFinished): void {
    this.enqueue((sink) => this.publish(sink, [runFinishedEvent(runId, finished)]));
  }

  /** Waits for everything queued, at most `timeoutMs`. */
  async flush(timeoutMs: number): Promise<ReportOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const done = await Promise.race([this.chain.then(() => "done" as const), timedOut]);
    clearTimeout(timer);
    if (done === "timeout" && !this.failure) this.failure = `the collector did not acknowledge within ${timeoutMs} ms`;
    return this.failure ? { ok: false, error: this.failure } : { ok: true, stored: this.stored };
  }

  async close(): Promise<void> {
    const sink = await Promise.race([this.sink, Promise.resolve(undefined)]);
    if (sink?.ok) await sink.value.close();
  }

  private async publish(sink: EventSink, events: SnapshotEvent[]): Promise<Result<unknown>> {
    const result = await sink.publish(events);
    if (result.ok) {
      for (const ack of result.value) {
        if (ack.outcome === "REJECTED") this.failure ??= `the collector rejected event ${ack.eventId}: ${ack.error}`;
        else this.stored++;
      }
    }
    return result;
  }

  private enqueue(task: (sink: EventSink) => Promise<Result<unknown>>): void {
    this.chain = this.chain.then(async () => {
      if (this.failure) return; // no spool yet: once the collector is gone, stop trying
      try {
        const sink = await this.sink;
        if (!sink.ok) {
          this.failure = sink.error.message;
          return;
        }
        const result = await task(sink.value);
        if (!result.ok) this.failure = result.error.message;
      } catch (err) {
        this.failure = errorMessage(err);
      }
    });
  }
}
