import { SnaptrailError } from "../errors.js";
import type { LockHolder } from "./pid-lock.js";

/** A lock stayed held by a live process for as long as the caller would wait. */
export class LockHeldError extends SnaptrailError {
  constructor(
    readonly file: string,
    readonly holder: LockHolder | null,
    readonly waitedMs: number,
  ) {
    const who = holder === null ? "another process" : `process ${holder.pid} on ${holder.host} (since ${holder.startedAt})`;
    super("UNAVAILABLE", `${file} is held by ${who}, still after ${waitedMs} ms; remove the lock file if that process is gone`);
    this.name = "LockHeldError";
  }
}
