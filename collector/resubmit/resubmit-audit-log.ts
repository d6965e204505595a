import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";

export interface ResubmitAuditEntry {
  event: "requested" | "submitted" | "failed";
  runId: string;
  orchestrator: string;
  /** The caller's token id and name; null with --auth none (anyone on the port). */
  tokenId: string | null;
  tokenName: string | null;
  role: string | null;
  ip: string;
  jobId?: string;
  expectedRunId?: string;
  error?: string;
}

/**
 * Every resubmission through the collector, one JSON line each (requested, then submitted or
 * failed), appended and fsynced before the answer: a request is on record before anything is
 * submitted, so a crash mid-way still shows who asked. A file rather than a store table: stored
 * runs are immutable records of what ran (the resubmitted run arrives there with rollback_of),
 * an append-only file needs no schema change on either store, is what log shippers read, and
 * each submission happens on exactly one replica, which records it. Mode 0600: it names tokens.
 */
export class ResubmitAuditLog {
  constructor(readonly path: string) {}

  async append(entry: ResubmitAuditEntry): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const handle = await open(this.path, "a", 0o600);
    try {
      await handle.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
