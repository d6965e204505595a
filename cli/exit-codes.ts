import { constants } from "node:os";
import { CommanderError } from "commander";
import { SnaptrailError } from "../core/errors.js";

/** The statuses `snaptrail` exits with; scripts and orchestrators branch on them, so they never change. */
export const ExitCode = {
  OK: 0,
  /** An expected error (bad input, collector unreachable), a restore that differs from its snapshot, a spool flush that stopped. */
  FAILURE: 1,
  /** The run, snapshot or file asked about is not known to the collector. */
  NOT_FOUND: 2,
  /** A bug: an error nobody expected (EX_SOFTWARE of sysexits.h). */
  INTERNAL: 70,
} as const;

/** The exit status for an error that ended a command: commander's own for usage errors, NOT_FOUND, FAILURE, or INTERNAL for a bug. */
export function exitCodeForError(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof SnaptrailError) return err.code === "NOT_FOUND" ? ExitCode.NOT_FOUND : ExitCode.FAILURE;
  return ExitCode.INTERNAL;
}

/**
 * The status a shell reports for a job that ended this way: its exit code, or 128 + the signal's
 * number for a signal, so `wrap` passes the job's status through unchanged.
 */
export function exitCodeForJob(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal) return 128 + (constants.signals[signal] ?? 0);
  return code ?? ExitCode.FAILURE;
}
