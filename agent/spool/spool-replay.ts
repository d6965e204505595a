import type { SnapshotEvent } from "../../core/model.js";
import type { EventSink } from "../sinks/event-sink.js";
import type { Spool, SpoolFile } from "./spool.js";

export interface ReplayReport {
  /** Files whose every event was acked (or kept apart as rejected) and which were removed. */
  files: number;
  stored: number;
  /** Acked as already stored: sent before, by this or another agent. */
  duplicates: number;
  /** Refused by the collector for good; kept under rejected/. */
  rejected: number;
  /** Damaged records skipped. */
  corrupt: number;
  /** Code archives uploaded from the spool. */
  blobs: number;
  /** Why the replay stopped early (the collector is away); the rest waits for the next one. */
  error: string | undefined;
  stopped: boolean;
}

export interface ReplayOptions {
  /** Events per publish: several small files go in one call. */
  maxBatchEvents?: number;
  maxBatchBytes?: number;
}

interface Claimed {
  file: SpoolFile;
  release: () => void;
  events: SnapshotEvent[];
}

/**
 * Sends what waits in the spool, oldest first, batching small files into one publish. A file is
 * removed only after every event in it is acked (stored, duplicate, or rejected and kept apart):
 * a replay cut anywhere leaves at worst a resend, which the collector de-duplicates on event_id.
 * Damaged records are skipped and counted; they never stop the replay. Stops at the first
 * retryable failure: the collector is away, and the rest waits for the next replay.
 */
export class SpoolReplay {
  private stopped = false;
  private readonly held = new Set<() => void>();

  constructor(
    private readonly spool: Spool,
    private readonly sink: EventSink,
    private readonly options: ReplayOptions = {},
  ) {}

  /**
   * Stops before the next batch and gives back the claims held now, synchronously: a `wrap` about
   * to exit calls this, and the batch in flight is simply sent again by the next replay.
   */
  stop(): void {
    this.stopped = true;
    for (const release of this.held) release();
    this.held.clear();
  }

  async run(): Promise<ReplayReport> {
    const report: ReplayReport = { files: 0, stored: 0, duplicates: 0, rejected: 0, corrupt: 0, blobs: 0, error: undefined, stopped: false };
    const maxEvents = this.options.maxBatchEvents ?? 500;
    const maxBytes = this.options.maxBatchBytes ?? 4 * 1024 * 1024;
    await this.spool.sweepTmp();
    // Locked files too: claim() skips a live claim and breaks one whose holder was killed (an
    // agent killed while its write-ahead copy waited for an ack leaves exactly that).
    const files = await this.spool.listEventFiles();
    let next = 0;
    while (next < files.length && !this.stopped) {
      const batch: Claimed[] = [];
      let events = 0;
      let bytes = 0;
      while (next < files.length && !this.stopped) {
        const file = files[next]!;
        if (batch.length > 0 && (events + file.events > maxEvents || bytes + file.bytes > maxBytes)) break;
        next++;
        const claimed = await this.claim(file, report);
        if (!claimed) continue;
        batch.push(claimed);
        events += claimed.events.length;
        bytes += file.bytes;
      }
      if (batch.length === 0) continue;
      const sent = await this.send(batch, report);
      for (const c of batch) this.release(c.release);
      if (!sent) break;
    }
    if (!report.error && !this.stopped) await this.dropDeliveredBlobs();
    report.stopped = this.stopped;
    return report;
  }

  /** Claims and reads one file; an empty or wholly damaged file is removed here. */
  private async claim(file: SpoolFile, report: ReplayReport): Promise<Claimed | undefined> {
    const release = await this.spool.claim(file);
    if (!release) return undefined; // another replayer has it
    this.held.add(release);
    const read = await this.spool.readEventFile(file);
    if (!read) {
      this.release(release);
      return undefined;
    }
    report.corrupt += read.corrupt;
    if (read.events.length === 0) {
      await this.spool.removeEventFile(file);
      report.files++;
      this.release(release);
      return undefined;
    }
    return { file, release, events: read.events };
  }

  private async send(batch: Claimed[], report: ReplayReport): Promise<boolean> {
    const events = batch.flatMap((c) => c.events);
    // Archives first, as in a live run, so the snapshot that names one never points at nothing.
    const archives = [...new Set(events.map((e) => e.snapshotCaptured?.code?.archiveDigest ?? "").filter((d) => d !== ""))];
    const delivered: string[] = [];
    if (archives.length > 0) {
      const present = await this.sink.hasDigests(archives);
      if (!present.ok) return this.fail(report, present.error);
      for (const digest of archives) {
        if (present.value.has(digest)) {
          delivered.push(digest);
          continue;
        }
        const data = await this.spool.readBlob(digest);
        if (!data) continue; // dropped by the size bound or damaged: the snapshot goes without it
        const put = await this.sink.putBlob(digest, data);
        if (!put.ok) return this.fail(report, put.error);
        delivered.push(digest);
        report.blobs++;
      }
    }
    const ok = await this.publish(events, report);
    if (!ok) return false;
    for (const c of batch) {
      await this.spool.removeEventFile(c.file);
      report.files++;
    }
    for (const digest of delivered) await this.spool.removeBlob(digest);
    return true;
  }

  /** Publishes the batch; when the collector refuses the batch as a whole, event by event. */
  private async publish(events: SnapshotEvent[], report: ReplayReport): Promise<boolean> {
    const result = await this.sink.publish(events);
    if (!result.ok) {
      if (result.retryable || events.length === 1) {
        if (result.retryable) return this.fail(report, result.error);
        await this.spool.quarantine(events, result.error.message);
        report.rejected += events.length;
        return true;
      }
      for (const event of events) if (!(await this.publish([event], report))) return false;
      return true;
    }
    const byId = new Map(events.map((e) => [e.eventId, e]));
    for (const ack of result.value) {
      if (ack.outcome === "STORED") report.stored++;
      else if (ack.outcome === "DUPLICATE") report.duplicates++;
      else if (ack.outcome === "REJECTED") {
        const event = byId.get(ack.eventId);
        if (event) await this.spool.quarantine([event], ack.error);
        report.rejected++;
      }
    }
    return true;
  }

  /** Archives the collector already holds are of no further use here. */
  private async dropDeliveredBlobs(): Promise<void> {
    const digests = await this.spool.listBlobs();
    if (digests.length === 0) return;
    const present = await this.sink.hasDigests(digests);
    if (present.ok) for (const d of present.value) await this.spool.removeBlob(d);
  }

  private fail(report: ReplayReport, error: Error): false {
    report.error = error.message;
    return false;
  }

  private release(release: () => void): void {
    if (this.held.delete(release)) release();
  }
}
